"""Document coding end to end: the synthetic demo in every format and encoding, and its reports."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from html import unescape as html_unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import ROOT, SNAKEMAKE

DEMO = ROOT / "examples" / "demo"


UNITS = ("beijing", "hubei", "sichuan")  # .txt UTF-8, .docx, .pdf


SOURCE_DATE_EPOCH = "1700000000"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo config on three provinces (one .txt, one .docx, one .pdf), built in a temporary folder."""
    out = tmp_path_factory.mktemp("demo")
    config = out / "demo.yaml"
    text = (DEMO / "config.yaml").read_text(encoding="utf-8")
    config.write_text(re.sub(r"units: \[.*\]", f"units: [{', '.join(UNITS)}]", text), encoding="utf-8")
    result = subprocess.run(
        [
            SNAKEMAKE,
            "--cores",
            "2",
            "--snakefile",
            str(ROOT / "Snakefile"),
            "--configfile",
            str(config),
            "--directory",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "reports" / "2017"


def test_reports_rerender_identically_from_saved_data_alone(demo, tmp_path, monkeypatch):
    """Data first: with the coding outputs and sentences removed, the saved contexts re-render the same HTML."""
    from provincial_plans.report.render import render_unit

    build = demo.parent.parent / "build" / "2017"
    shutil.rmtree(build / "coding")
    shutil.rmtree(build / "sentences")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.chdir(demo.parent.parent)
    for stem, context, charts in (
        ("national", build / "national.json", demo / "charts"),
        ("hubei", build / "units" / "hubei.json", None),
    ):
        targets = [tmp_path / f"{stem}.{lang}.html" for lang in ("zh", "en")]
        linked = list(UNITS) if stem == "national" else []
        render_unit(context, [str(t) for t in targets], ROOT / "data" / "messages", charts, linked)
        for target in targets:
            assert target.read_bytes() == (demo / target.name).read_bytes(), target.name


def test_evidence_is_quoted_with_the_keyword_highlighted(demo):
    html = (demo / "beijing.en.html").read_text(encoding="utf-8")
    assert '<section id="evidence">' in html
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks and all(marks)
    refs = set(re.findall(r'href="#(e\d+)"', html))
    assert refs and refs <= set(re.findall(r'<li id="(e\d+)"', html))
    with (demo / "tables" / "evidence.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(row["sentence"][int(row["start"]) : int(row["end"])] == row["keyword"] for row in rows)


def test_every_evidence_sentence_shows_where_it_stands_in_its_document(demo):
    """Each quoted sentence carries its outline section and nearest heading (the evidence table's columns, from the
    ingested outline) in both editions; the demo documents are outlined plans, so most stand in a numbered part."""
    with (demo / "tables" / "evidence.csv").open(encoding="utf-8-sig") as stream:
        rows = {row["sentence_id"]: row for row in csv.DictReader(stream)}
    assert sum(bool(row["section"]) for row in rows.values()) > len(rows) / 2
    for lang, place in (("en", "section {section}, under {heading}"), ("zh", "位于{section}“{heading}”")):
        html = (demo / f"beijing.{lang}.html").read_text(encoding="utf-8")
        items = re.findall(r'<li id="e\d+">.*?<span class="num">([^<]+)</span>(.*?)<br>', html, re.S)
        assert items
        for sentence_id, shown in items:
            row = rows[sentence_id]
            if row["section"]:
                assert html_unescape(shown).endswith(place.format(**row)), (lang, sentence_id, shown)


def test_every_page_says_synthetic(demo):
    for name in ("national.zh.pdf", "national.en.pdf", "hubei.zh.pdf", "sichuan.en.pdf"):
        pages = PdfReader(demo / name).pages
        for page in pages:
            text = page.extract_text()
            assert "合成演示数据" in text or "Synthetic demonstration data" in text, name
        # the banner sits on the cover, not on a page of its own before it
        assert "中文版" in pages[0].extract_text() or "English edition" in pages[0].extract_text(), name


def test_reliability_and_alignment_in_the_national_report(demo):
    html = (demo / "national.en.html").read_text(encoding="utf-8")
    assert 'id="reliability"' in html and "Krippendorff" in html
    assert 'id="alignment"' in html
    with (demo / "tables" / "reliability.csv").open(encoding="utf-8-sig") as stream:
        overall = [row for row in csv.DictReader(stream) if row["family"] == "all"]
    assert overall and int(overall[0]["pairs"]) > 0


def test_fixtures_never_reach_a_default_build(built):
    year = built / "reports" / "2017"
    for page in year.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "synthetic" not in text.lower() and "合成" not in text, page.name
    assert (year / "tables" / "evidence.csv").read_text(encoding="utf-8-sig").count("\n") == 1  # header only


def test_a_synthetic_document_in_a_real_build_is_refused(tmp_path):
    from ..conftest import copy_workflow, snakemake

    workdir = copy_workflow(tmp_path / "workflow")
    year = workdir / "data" / "2017"
    (year / "documents").mkdir()
    shutil.copy2(DEMO / "2017" / "documents" / "synthetic_plan_a.txt", year / "documents")
    (year / "documents.csv").write_text(
        "unit,doc_id,title,doc_number,issue_date,file,source_url\n"
        "beijing,plan-a,x,,2017,documents/synthetic_plan_a.txt,\n",
        encoding="utf-8",
    )
    result = snakemake(workdir, "--dry-run")
    assert result.returncode != 0
    assert "synthetic_plan_a.txt: synthetic fixture in a build not marked `synthetic: true`" in result.stderr
