"""Document coding of the synthetic demo in every format and encoding, against its hand coding (its reports are
tests/workflow/test_demo.py's)."""

from __future__ import annotations

import csv
from pathlib import Path

from provincial_plans.coding.ingest import ingest_document
from provincial_plans.coding.matcher import Matcher
from provincial_plans.model.codebook import load_codebook

from ..conftest import ROOT

DEMO = ROOT / "examples" / "demo"


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
