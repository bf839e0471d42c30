"""The coder against the evaluation corpus's readers (tests/fixtures/eval_corpus), through `evaluate` as a user runs it.

The corpus was written, and its gold coded, without the codebook; `tune/` was used to tune codebook 2.0,
`heldout/` never was. The floors are what codebook 2.0 reaches on each side (README, "Measuring the coder"), a
little under the measured figures so that a change of wording in one example does not fail the suite while a real
loss of agreement does.
"""

from __future__ import annotations

import pytest

from provincial_plans.coding.evaluate import evaluate

from ..conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "eval_corpus"
FLOORS = {  # side: document × code precision, recall; evidence-sentence precision
    "tune": (0.97, 0.95, 0.87),
    "heldout": (0.95, 0.92, 0.82),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def side(request: pytest.FixtureRequest) -> tuple[str, object]:
    folder = CORPUS / request.param
    files = sorted(path for path in folder.iterdir() if path.name.startswith("synthetic_"))
    return request.param, evaluate(folder / "gold.csv", files)


def test_document_by_code_agreement_with_the_reader(side):
    name, result = side
    precision, recall, _ = FLOORS[name]
    scores = result.overall.scores()
    assert scores["precision"] >= precision and scores["recall"] >= recall, (name, scores)
    assert result.agreement["all"]["kappa"] >= 0.85, (name, result.agreement["all"])


def test_evidence_sentences_are_instances_of_their_codes(side):
    name, result = side
    assert result.sentences["precision"] >= FLOORS[name][2], (name, result.sentences)


def test_every_family_agrees_on_the_held_out_documents():
    files = sorted(path for path in (CORPUS / "heldout").iterdir() if path.name.startswith("synthetic_"))
    result = evaluate(CORPUS / "heldout" / "gold.csv", files)
    for family, counts in result.by_family.items():
        scores = counts.scores()
        assert scores["f1"] is not None and scores["f1"] >= 0.85, (family, scores)


def test_script_copies_code_as_their_sources():
    """A traditional, a Taiwan-vocabulary and a Big5 copy get exactly the codes of the document they copy."""
    from provincial_plans.coding.evidence import code_paths
    from provincial_plans.core.paths import DATA
    from provincial_plans.model.codebook import load_codebook

    pairs = [
        ("tune/synthetic_plan_02.txt", "tune/synthetic_plan_02_hant.txt"),
        ("heldout/synthetic_plan_06.txt", "heldout/synthetic_plan_06_tw.txt"),
        ("heldout/synthetic_plan_08.html", "heldout/synthetic_plan_08_big5.html"),
    ]
    codebook = load_codebook(DATA / "codebook.yaml")
    for source, copy in pairs:
        _, rows = code_paths([CORPUS / source, CORPUS / copy], codebook)
        codes = {doc: {row["code"] for row in rows if row["doc_id"] == doc} for doc in {row["doc_id"] for row in rows}}
        source_id, copy_id = (name.split("/")[1].rsplit(".", 1)[0] for name in (source, copy))
        assert codes[copy_id] == codes[source_id], (copy, codes[source_id] ^ codes[copy_id])
