"""The coder against five synthetic corpora's readers, through `evaluate` as a user runs it.

tests/fixtures/eval_corpus was written, and its gold coded, without the codebook; its `tune/` was used to tune
codebook 2.0, its `heldout/` never was. tests/fixtures/blind_corpus was written later by a writer who saw only the
codes' definitions, never the codebook nor the coder; codebook 2.4 was tuned on its `tune/`, never on `heldout/`;
tests/fixtures/blind_corpus_2 likewise by a second writer, with news, assessment rules and task tables (codebook 2.6).
tests/fixtures/blind_corpus_3 was written by two more writers, in paraphrase, for codebook 2.37, and never tuned on;
tests/fixtures/blind_corpus_4 by two more, as the period's plans write, while 2.39 was drawn up, and never tuned on.
The floors are a little under what codebook 2.21 reaches on each side (the third and fourth corpora: the codebook they
were written for; README, "Measuring the coder"), so that a change of wording in one example does not fail the suite
while a real loss of agreement does.
"""

from __future__ import annotations

import pytest

from provincial_plans.coding.evaluate import evaluate

from ..conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "eval_corpus"
FLOORS = {  # corpus/side: document × code precision, recall; evidence-sentence precision; Cohen's kappa
    "eval_corpus/tune": (0.97, 0.95, 0.89, 0.85),
    "eval_corpus/heldout": (0.95, 0.92, 0.82, 0.85),
    "blind_corpus/tune": (0.87, 0.95, 0.80, 0.86),
    "blind_corpus/heldout": (0.84, 0.89, 0.71, 0.78),
    "blind_corpus_2/tune": (0.88, 0.78, 0.74, 0.74),
    "blind_corpus_2/heldout": (0.64, 0.78, 0.53, 0.60),
    "blind_corpus_3/heldout": (0.90, 0.91, 0.81, 0.85),
    "blind_corpus_4/heldout": (0.91, 0.95, 0.83, 0.88),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def side(request: pytest.FixtureRequest) -> tuple[str, object]:
    folder = ROOT / "tests" / "fixtures" / request.param
    files = sorted(path for path in folder.iterdir() if path.name.startswith("synthetic_"))
    return request.param, evaluate(folder / "gold.csv", files)


def test_document_by_code_agreement_with_the_reader(side):
    name, result = side
    precision, recall, _, kappa = FLOORS[name]
    scores = result.overall.scores()
    assert scores["precision"] >= precision and scores["recall"] >= recall, (name, scores)
    assert result.agreement["all"]["kappa"] >= kappa, (name, result.agreement["all"])


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
