"""The bad-input corpus (tests/workflow/bad_inputs) damages the project's own files by text edits; an edit whose
text the project no longer holds cannot prepare its case. Checked here, in the unit suite that runs while working,
so that changing a data file (a codebook pattern, a message) names the case to update before the full suite runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "workflow" / "bad_inputs"
COPIED = {"config/tiny.yaml": "tests/configs/tiny.yaml"}  # where the built workflow's copy of a file comes from

EDITS = [
    (case.parent.name, number, edit)
    for case in sorted(CORPUS.glob("*/case.yaml"))
    for number, edit in enumerate(yaml.safe_load(case.read_text(encoding="utf-8")).get("edits", []), 1)
]


def test_the_corpus_has_edits_to_check():
    assert len(EDITS) >= 50


@pytest.mark.parametrize(("case", "number", "edit"), EDITS, ids=[f"{case}-{number}" for case, number, _ in EDITS])
def test_every_edit_of_a_bad_input_case_finds_its_text_once(case, number, edit):
    source = ROOT / COPIED.get(edit["file"], edit["file"])
    assert source.read_text(encoding="utf-8").count(edit["old"]) == 1, f"{case}: edit {number} of {edit['file']}"
