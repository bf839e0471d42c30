"""The whole workflow on the tiny config: outputs, text read back from PDFs, both editions alike, rebuilds."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from pypdf import PdfReader

from ..conftest import built_copy, copy_workflow, jobs_run, pdf_text, snakemake, tree_hashes

UNITS = ("beijing", "liaoning", "guizhou")


class Page(HTMLParser):
    """Section ids, links, table cells and visible text of an HTML report."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.links: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._skip = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.sections.append(attributes["id"])
        if tag == "a":
            self.links.append(attributes["href"])
        if tag in ("td", "th"):
            self._cell = []
        if tag in ("svg", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag in ("svg", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def numbers(text: str) -> Counter[str]:
    """Counts, fractions and percentages, the figures both editions must share."""
    return Counter(re.findall(r"\d+/\d+|\d+\.\d%", text))


def test_every_output_is_built(built):
    year = built / "reports" / "2017"
    for stem in ("national", *UNITS):
        for lang in ("zh", "en"):
            for ext in ("html", "pdf"):
                assert (year / f"{stem}.{lang}.{ext}").stat().st_size > 1000
    assert (year / "index.html").exists()
    assert {p.stem for p in (year / "tables").glob("*.csv")} >= {"indicators_national", "cells", "documents"}
    assert not (year / "shanghai.zh.html").exists()


def test_zh_pdf_reads_back_in_chinese(built):
    text = pdf_text(built / "reports" / "2017" / "liaoning.zh.pdf")
    for expected in ("辽宁省", "基本情况", "任务指标", "结论", "数据与方法", "未报告", "30/31（96.8%）"):
        assert expected in text, expected
    assert "\ufffd" not in text


def test_en_pdf_has_english_headings_and_no_missing_glyphs(built):
    path = built / "reports" / "2017" / "guizhou.en.pdf"
    text = pdf_text(path)
    for expected in ("Guizhou", "Profile", "Task indicators", "Conclusions", "Data and method", "Not reported"):
        assert expected in text, expected
    logs = "".join(p.read_text(encoding="utf-8") for p in (built / "logs" / "2017" / "render").glob("*.log"))
    assert ".notdef" not in logs and "not found" not in logs.lower()
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts <= {
        "DejaVu-Sans-Report",
        "DejaVu-Sans-Report-Bold",
        "Noto-Sans-SC-Report",
        "Noto-Sans-SC-Report-Bold",
        "DejaVuSans",
        "DejaVuSans-Bold",
        "NotoSansSCReport-Regular",
        "NotoSansSCReport-Bold",
    }, fonts


def test_national_report_shows_the_study_counts(built):
    for lang in ("zh", "en"):
        page = Page(built / "reports" / "2017" / f"national.{lang}.html")
        for fraction in ("30/31", "27/31", "17/31", "9/31", "8/31"):
            assert fraction in page.cells, (lang, fraction)
    text = pdf_text(built / "reports" / "2017" / "national.en.pdf")
    assert "Regional breakdown" in text and "Recommendations" in text


def test_both_editions_carry_the_same_sections_and_numbers(built):
    for stem in ("national", *UNITS):
        zh = Page(built / "reports" / "2017" / f"{stem}.zh.html")
        en = Page(built / "reports" / "2017" / f"{stem}.en.html")
        assert zh.sections == en.sections, stem
        assert numbers(" ".join(zh.cells)) == numbers(" ".join(en.cells)), stem
        assert len(zh.cells) == len(en.cells), stem


# Half-width punctuation touching a hanzi in a Chinese edition; full-width punctuation anywhere in an English one.
HALF_WIDTH_BESIDE_HANZI = re.compile(r"[\u3400-\u9fff] ?[(),;:!?]|[(),;:!?] ?[\u3400-\u9fff]")
FULL_WIDTH = re.compile(r"[（），；：！？。、《》【】]")


def own_text(path: Path) -> str:
    """The text an edition writes itself, a line per text node: quoted source text (the plan documents' titles and
    numbers, marked with their language) and charts left out."""
    root = lxml.html.fromstring(path.read_bytes())
    for element in root.xpath("//body//*[@lang] | //script | //style | //svg"):
        element.drop_tree()
    return "\n".join(root.body.itertext())


def test_each_edition_is_in_its_own_typography(built):
    for stem in ("national", *UNITS):
        zh = own_text(built / "reports" / "2017" / f"{stem}.zh.html")
        en = own_text(built / "reports" / "2017" / f"{stem}.en.html")
        assert not HALF_WIDTH_BESIDE_HANZI.findall(zh), (stem, HALF_WIDTH_BESIDE_HANZI.findall(zh))
        assert not FULL_WIDTH.findall(en), (stem, FULL_WIDTH.findall(en))


def unreported(path: Path) -> list[str]:
    """The 'not reported' lines under each family of a province report, as text."""
    html = path.read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", line) for line in re.findall(r'<p class="unreported">(.*?)</p>', html)]


def test_unknown_cells_read_not_reported_never_zero(built):
    year = built / "reports" / "2017"
    en, zh = unreported(year / "beijing.en.html"), unreported(year / "beijing.zh.html")
    assert any(line.startswith("Not reported: ") and "Cross-level services" in line for line in en)
    assert any(line.startswith("未报告：") and "跨层级服务" in line for line in zh)
    page = Page(year / "beijing.en.html")
    assert "Cross-level services" not in page.cells  # an unknown cell is never shown as a value
    task_rows = Page(year / "liaoning.en.html").cells
    assert task_rows[task_rows.index("Integrated online service platform") + 1] == "○ Absent"


def test_index_links_every_report(built):
    """(Every link of every page resolving is tested in a browser: tests/test_site.py.)"""
    year = built / "reports" / "2017"
    index = Page(year / "index.html")
    assert {
        f"{stem}.{lang}.{ext}" for stem in ("national", *UNITS) for lang in ("zh", "en") for ext in ("html", "pdf")
    } <= set(index.links)


def test_index_says_what_each_table_holds_in_both_languages(built):
    root = lxml.html.fromstring((built / "reports" / "2017" / "index.html").read_bytes())
    items = root.xpath("//ul[@class='tables']/li")
    names = {item.xpath("string(a)") for item in items}
    assert {"cells.csv", "evidence.csv", "indicators_2017.xlsx"} <= names
    for item in items:
        english = item.xpath("string(.//span[@class='about']/span[@lang='en'])")
        chinese = item.xpath("string(.//span[@class='about'])").replace(english, "")
        assert re.search(r"[a-z]{3}", english) and re.search(r"[\u4e00-\u9fff]{2}", chinese), item.xpath("string(a)")


def test_second_run_does_nothing(built, tmp_path):
    copy = built_copy(built, tmp_path / "workflow")
    before = tree_hashes(copy / "reports")
    dry = snakemake(copy, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Nothing to be done" in dry.stdout + dry.stderr
    result = snakemake(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    assert jobs_run(result) == ({}, set())
    assert tree_hashes(copy / "reports") == before


def test_a_dry_run_writes_nothing(built, tmp_path):
    """Not on a fresh copy, nor after an edit: the contexts are written by a job, never while Snakemake plans."""
    fresh = copy_workflow(tmp_path / "fresh")
    assert snakemake(fresh, "--dry-run").returncode == 0
    assert not (fresh / "build").exists() and not (fresh / "reports").exists()
    old = "2017,21,辽宁,task.platform,0,stated,III.3 / Table 4,"
    copy = edited_copy(built, tmp_path, old, old.replace("Table 4", "Table 4 (rechecked)"))
    before = tree_hashes(copy / "build")
    dry = snakemake(copy, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    assert "contexts" in dry.stdout  # planned, not run
    assert tree_hashes(copy / "build") == before


def edited_copy(built: Path, tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the built workflow whose facts sheet has `old` replaced by `new` (which must be there)."""
    copy = built_copy(built, tmp_path / "workflow")
    facts = copy / "data" / "2017" / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    assert old in text
    facts.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_one_province_change_rebuilds_only_it(built, tmp_path):
    old = "2017,21,辽宁,task.platform,0,stated,III.3 / Table 4,"
    copy = edited_copy(built, tmp_path, old, old.replace("Table 4", "Table 4 (rechecked)"))
    before = tree_hashes(copy / "reports" / "2017")
    result = snakemake(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    jobs, units = jobs_run(result)
    assert units == {"liaoning"}
    # the national context does not change, so neither its charts nor its report are redrawn
    assert jobs == {"contexts": 1, "indicators": 1, "render_province": 1, "index": 1, "publish": 1, "all": 1}
    reports = {f"liaoning.{lang}.{ext}" for lang in ("zh", "en") for ext in ("html", "pdf")}
    tables = {f"tables/cells.{ext}" for ext in ("csv", "parquet")} | {"tables/indicators_2017.xlsx"}
    assert changed(before, tree_hashes(copy / "reports" / "2017")) == {
        *reports,
        *tables,
        "index.html",
        "manifest.json",
        ".published",
    }


def test_a_change_that_moves_national_shares_rebuilds_every_report_showing_them(built, tmp_path):
    copy = edited_copy(built, tmp_path, "2017,21,辽宁,task.platform,0,stated,", "2017,21,辽宁,task.platform,1,stated,")
    aggregates = copy / "data" / "2017" / "aggregates.csv"  # the stated count moves too: facts may not exceed it
    text = aggregates.read_text(encoding="utf-8")
    aggregates.write_text(text.replace(",task.platform,30,31,", ",task.platform,31,31,"), encoding="utf-8")
    before = tree_hashes(copy / "reports" / "2017")
    result = snakemake(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    jobs, units = jobs_run(result)
    assert units == set(UNITS)
    assert jobs["render_national"] == 1 and jobs["charts"] == 1
    after = tree_hashes(copy / "reports" / "2017")
    assert {f"{stem}.en.pdf" for stem in ("national", *UNITS)} | {"charts/tasks.en.svg"} <= changed(before, after)
