"""Document coding end to end: the synthetic demo in every format and encoding, and its reports."""

from __future__ import annotations

import csv
import os
import re
import subprocess
from pathlib import Path

import pytest

from provincial_plans.coding.ingest import ingest_document
from provincial_plans.coding.matcher import Matcher
from provincial_plans.model.codebook import load_codebook

from ..conftest import ROOT, SNAKEMAKE

DEMO = ROOT / "examples" / "demo"


UNITS = ("beijing", "hubei", "sichuan")  # .txt UTF-8, .docx, .pdf


SOURCE_DATE_EPOCH = "1700000000"


def expected_codes() -> dict[str, set[str]]:
    expected: dict[str, set[str]] = {}
    with (ROOT / "tests" / "fixtures" / "synthetic_corpus" / "expected_codes.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            expected.setdefault(Path(row["file"]).stem, set()).add(row["code"])
    return expected


def test_every_format_and_encoding_codes_as_hand_coded():
    """Recall and precision >= 0.9 over the demo documents: txt in UTF-8, BOM, GB18030, UTF-16, traditional
    characters, and docx, html, pdf."""
    matcher = Matcher(load_codebook(ROOT / "data" / "codebook.yaml"))
    expected = expected_codes()
    documents = sorted((DEMO / "2017" / "documents").glob("synthetic_plan_*"))
    assert {path.suffix for path in documents} == {".txt", ".docx", ".html", ".pdf"}
    true_positive = found_total = expected_total = 0
    for path in documents:
        _, sentences = ingest_document(path, path.stem)
        found = {hit.code for hits in matcher.match_many([s.text for s in sentences]) for hit in hits}
        want = expected[path.stem]
        true_positive += len(found & want)
        found_total += len(found)
        expected_total += len(want)
    assert true_positive / found_total >= 0.9
    assert true_positive / expected_total >= 0.9


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
