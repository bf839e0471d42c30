"""The PDF a reader receives: cover, contents (with page numbers in the national report), bookmarks, running
header, page x of y, metadata, tags; the PDF/A-3b variant with its data attached; provenance in the colophon and
manifest.json."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from provincial_plans.core.i18n import load_messages
from provincial_plans.model.codebook import load_codebook
from provincial_plans.report.render import render_unit

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "data" / "messages"


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every bookmark."""
    flat: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                flat.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return flat


@pytest.mark.parametrize(("name", "lang"), [("liaoning.zh.pdf", "zh"), ("national.en.pdf", "en")])
def test_cover_contents_bookmarks_and_page_numbers(built, name, lang):
    path = built / "reports" / "2017" / name
    reader = PdfReader(path)
    texts = page_texts(path)
    pages = len(texts)
    cover = texts[0]
    assert "2017" in cover and ("中文版" if lang == "zh" else "English edition") in cover
    assert ("第" not in cover) if lang == "zh" else ("Page 1 of" not in cover)  # no footer on the cover
    for number, text in enumerate(texts[1:], start=2):
        expected = f"第{number}页，共{pages}页" if lang == "zh" else f"Page {number} of {pages}"
        assert expected in text.replace(" ", "") if lang == "zh" else expected in text
    # the cover lists each level-2 bookmark with the page it lands on (the contents are on the cover, not a page
    # of their own)
    marks = outline(reader)
    assert marks[0][0] == 1 and marks[0][2] == 0  # the title, on the cover
    sections = [(title, page) for level, title, page in marks if level == 2]
    assert len(sections) >= 7
    contents = cover.replace(" ", "")
    if name.startswith("national"):  # page numbers in the long report; a province's seven pages need none
        for title, page in sections:
            assert re.search(re.escape(title.replace(" ", "")) + r"\.*" + str(page + 1) + r"(?!\d)", contents), title
    else:
        listed = contents.split(load_messages(MESSAGES, lang)("toc.title").replace(" ", ""), 1)[1]
        places = [listed.find(title.replace(" ", "")) for title, _ in sections]
        assert -1 not in places and places == sorted(places)
        assert not any(re.search(re.escape(title.replace(" ", "")) + r"\.*\d", listed) for title, _ in sections)
    if lang == "zh":  # the province report's framework families are h3 sub-sections, nested under their section
        assert any(level == 3 for level, _, _ in marks)
    # running header: the title on every page after the cover
    title = reader.metadata.title
    assert all(title[:8].replace(" ", "") in text.replace(" ", "") for text in texts[1:])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_text_reads_back_from_the_page_of_its_chart(built, lang):
    """Chart labels are text set in the report's fonts, not glyph outlines: a reader can select and search them."""
    messages = load_messages(MESSAGES, lang)
    context = json.loads((built / "build" / "2017" / "national.json").read_text(encoding="utf-8"))
    title = messages("chart.heatmap.title")  # in the chart only: the figure's caption is its text alternative
    pages = [text for text in page_texts(built / "reports" / "2017" / f"national.{lang}.pdf") if title in text]
    assert len(pages) == 1
    page = "".join(pages[0].split())  # a long label wraps in the chart
    labels = [row["unit"][lang] for row in context["heatmap"]["rows"]]
    labels += [code["label"][lang] for code in context["heatmap"]["codes"]]
    for label in labels:
        assert "".join(label.split()) in page, label


def test_metadata_language_and_tags(built):
    for lang, expected in (("zh", "zh-Hans"), ("en", "en")):
        reader = PdfReader(built / "reports" / "2017" / f"beijing.{lang}.pdf")
        meta = reader.metadata
        assert meta.title and meta.author and meta.subject and meta.creation_date
        assert "Beijing" in meta.title or "北京" in meta.title
        root = reader.trailer["/Root"]
        assert root["/Lang"] == expected
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root


def test_pdfa_3b_carries_its_data_and_is_reproducible(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(built)
    context = built / "build" / "2017" / "units" / "guizhou.json"
    first, second = tmp_path / "a" / "guizhou.zh.pdf", tmp_path / "b" / "guizhou.zh.pdf"
    for target in (first, second):
        render_unit(context, [str(target)], MESSAGES, variant="pdf/a-3b")
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    xmp = reader.xmp_metadata
    assert xmp.get_element("", "http://www.aiim.org/pdfa/ns/id/", "part") or b"pdfaid:part" in first.read_bytes()
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in raw or "<pdfaid:part>3</pdfaid:part>" in raw
    assert 'pdfaid:conformance="B"' in raw or "<pdfaid:conformance>B</pdfaid:conformance>" in raw
    attached = list(csv.DictReader(io.StringIO(reader.attachments["guizhou_2017_cells.csv"][0].decode("utf-8-sig"))))
    platform = next(row for row in attached if row["code"] == "task.platform")
    assert (platform["value"], platform["national_count"], platform["national_of"]) == ("1", "30", "31")
    assert len(attached) == len(load_codebook(ROOT / "data" / "codebook.yaml").codes)
    assert reader.metadata.creation_date.year == 2023


def test_colophon_cites_versions_date_and_the_data_digest(built):
    context = built / "build" / "2017" / "units" / "liaoning.json"
    digest = hashlib.sha256(context.read_bytes()).hexdigest()
    text = page_texts(built / "reports" / "2017" / "liaoning.en.pdf")[-1]
    flat = re.sub(r"\s+", "", text)
    assert digest in flat
    assert re.search(r"provincial-plans\d+\.\d+\.\d+on\d{4}-\d\d-\d\d;codebook\d+\.\d+\.\d+;conclusionsrules\d", flat)


def test_manifest_lists_every_output_with_its_checksum(built):
    site = built / "reports" / "2017"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["outputs"]}
    on_disk = {  # all but the manifest itself and the publication's stamp (provincial_plans.report.publish)
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and path.name not in ("manifest.json", ".published")
    }
    assert set(listed) == on_disk
    for name, entry in listed.items():
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == entry["sha256"], name
    inputs = {entry["path"] for entry in manifest["inputs"]}
    assert {"data/2017/facts.csv", "data/codebook.yaml", "data/conclusions.yaml", "data/messages/zh.yaml"} <= inputs
    assert manifest["codebook_version"] == load_codebook(ROOT / "data" / "codebook.yaml").version
    assert re.match(r"\d{4}-\d\d-\d\dT", manifest["built"])


def test_a_pdf_links_only_within_itself(built):
    """A PDF travels alone: no link to a sibling file, which would carry the build machine's path."""
    for path in (built / "reports" / "2017").glob("*.pdf"):
        for page in PdfReader(path).pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and "/URI" in action:
                    assert not str(action["/URI"]).startswith("file:"), (path.name, action["/URI"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_is_a_tagged_figure_with_its_text_alternative(built, lang):
    """Screen readers get each chart's alternative text from the tagged PDF (the figure's /Alt)."""

    def figures(element):
        if isinstance(element, list):
            for child in element:
                yield from figures(child.get_object() if hasattr(child, "get_object") else child)
        elif hasattr(element, "get"):
            if element.get("/S") == "/Figure":
                yield element
            kids = element.get("/K")
            if kids is not None:
                yield from figures(kids.get_object() if hasattr(kids, "get_object") else kids)

    reader = PdfReader(built / "reports" / "2017" / f"national.{lang}.pdf")
    found = list(figures(reader.trailer["/Root"]["/StructTreeRoot"].get_object()))
    html = (built / "reports" / "2017" / f"national.{lang}.html").read_text(encoding="utf-8")
    assert len(found) == html.count('<figure class="chart">') > 0  # the charts the HTML edition shows
    assert all(str(figure.get("/Alt", "")).strip() for figure in found)
    assert load_messages(MESSAGES, lang)("chart.regions.alt") in {str(figure["/Alt"]) for figure in found}


@pytest.mark.parametrize("name", ["西藏自治区", "新疆维吾尔自治区"])
def test_a_chinese_cover_title_wraps_before_its_quoted_phrase(built, tmp_path, monkeypatch, name):
    """西藏自治区2017年 / “互联网+政务服务”工作方案分析, never …工作方案分 / 析: no character alone on a line."""
    monkeypatch.chdir(built)
    context = json.loads((built / "build" / "2017" / "units" / "liaoning.json").read_text(encoding="utf-8"))
    context["unit"]["name"]["zh"] = name
    (tmp_path / "liaoning.json").write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
    render_unit(tmp_path / "liaoning.json", [str(tmp_path / "liaoning.zh.pdf")], MESSAGES)
    lines = [line.replace(" ", "") for line in page_texts(tmp_path / "liaoning.zh.pdf")[0].splitlines()]
    assert f"{name}2017年" in lines and "“互联网+政务服务”工作方案分析" in lines, lines[:6]


def test_each_document_number_stays_on_one_line_in_the_chinese_national_report(built):
    """冀政发〔2017〕4号 reads as one line of the documents table, not 冀政发 / 〔2017〕4 / 号."""
    context = json.loads((built / "build" / "2017" / "national.json").read_text(encoding="utf-8"))
    numbers = [document["doc_number"] for document in context["documents"] if document.get("doc_number")]
    assert numbers
    lines = {
        line.replace(" ", "")
        for text in page_texts(built / "reports" / "2017" / "national.zh.pdf")
        for line in text.splitlines()
    }
    assert [number for number in numbers if not any(number in line for line in lines)] == []
