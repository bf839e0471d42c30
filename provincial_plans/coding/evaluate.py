"""How far the machine's coding agrees with a careful reader's:
`python -m provincial_plans evaluate --gold GOLD.csv DOC...`.

The gold file (format in the README, "Measuring the coder") lists, per document, the codes a reader found and,
optionally, the sentences that are instances of each. The documents are coded exactly as `code` and the workflow
code them, then compared at two levels:

- document × code: every text code in every document is a cell, present or absent in the gold and in the
  machine's coding (a sub-code implies its parent on both sides); precision, recall and F1 per code, per family
  and over all cells, with Krippendorff's alpha and Cohen's kappa from coding.reliability, the same functions the
  reports' reliability section uses;
- sentence × code, where the gold names sentences: an evidence sentence is right when it lies in a sentence the
  reader named for that code (a reader's sentence: coding.gold). Evidence for a code the reader found absent is
  wrong.

Every disagreement is listed with its sentence, so that a user sees why, not only how much.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from provincial_plans.coding.evidence import code_paths
from provincial_plans.coding.examples import load_checked_codebook
from provincial_plans.coding.gold import (
    GoldDocument,
    Span,
    fragments_with_parents,
    overlapping,
    read_gold,
    reader_spans,
    sentences,
    with_parents,
)
from provincial_plans.coding.reliability import Pair, agreement
from provincial_plans.coding.wordings import Reading, Wording, missed_wordings
from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.core.paths import DATA
from provincial_plans.model.codebook import Codebook

Found = dict[tuple[str, str], dict[str, dict[str, Any]]]  # (doc, code) -> its evidence rows by sentence id


@dataclass
class Counts:
    """Cells of one code, family or the whole: true and false positives, false negatives, true negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, machine: bool) -> None:
        if gold and machine:
            self.tp += 1
        elif machine:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def scores(self) -> dict[str, float | None]:
        return scores(self.tp, self.tp + self.fp, self.tp + self.fn)


@dataclass(frozen=True)
class Disagreement:
    """One place where the machine and the reader differ, with the sentence that shows it."""

    kind: str  # false positive | false negative | wrong sentence | missed sentence
    doc: str
    code: str
    sentence_id: str
    sentence: str
    keyword: str = ""
    gold_line: int | None = None


@dataclass
class Evaluation:
    codebook_version: str
    documents: int
    codes: list[str]
    by_code: dict[str, Counts]
    by_family: dict[str, Counts]
    overall: Counts
    sentences: dict[str, Any]
    agreement: dict[str, Any]
    disagreements: list[Disagreement]
    wordings: list[Wording] = field(default_factory=list)  # with `evaluate --wordings` only
    against: str = "machine"  # or "second reader", scored in the machine's place (evaluate --second-reader)


def scores(correct: int, predicted: int, expected: int) -> dict[str, float | None]:
    """Precision, recall and F1, with Wilson's 95 % interval of precision and of recall; None where a denominator
    is zero (nothing predicted, or nothing to find)."""
    precision = correct / predicted if predicted else None
    recall = correct / expected if expected else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else (0.0 if precision == 0 or recall == 0 else None)
    )
    (precision_low, precision_high), (recall_low, recall_high) = wilson(correct, predicted), wilson(correct, expected)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "precision_low": precision_low,
        "precision_high": precision_high,
        "recall_low": recall_low,
        "recall_high": recall_high,
    }


def wilson(successes: int, trials: int) -> tuple[float | None, float | None]:
    """Wilson's 95 % score interval of a share, which stays inside 0..1 and fits the small counts of one code; it
    treats cells as independent, so with several codes of one document it is too narrow if anything."""
    if not trials:
        return None, None
    from scipy.stats import binomtest  # 0.7 s: not for the workflow's coding jobs, which import this module too

    interval = binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    return float(interval.low), float(interval.high)


def selected(codes: Sequence[str], prefixes: Sequence[str]) -> list[str]:
    """The codes a run scores: all, or those whose id is one of the prefixes or starts with `prefix.`."""
    if not prefixes:
        return list(codes)
    chosen = [code for code in codes if any(code == p or code.startswith(p + ".") for p in prefixes)]
    if not chosen:
        raise PipelineError(f"--codes {' '.join(prefixes)}: no code of the codebook has such an id or family")
    return chosen


def evaluate(
    gold_path: Path,
    files: Sequence[Path],
    codebook_path: Path | None = None,
    prefixes: Sequence[str] = (),
    wordings: bool = False,
    second_reader: Path | None = None,
) -> Evaluation:
    """Code the files as the workflow does and compare them with the gold coding (see the module docstring); with
    `wordings`, also list what the reader's missed sentences share (coding.wordings); with `second_reader`, score
    that reader's gold coding in the machine's place: how far two people agree, the mark to hold the coder to."""
    codebook = load_checked_codebook(codebook_path or DATA / "codebook.yaml")
    gold = _gold_of_every(gold_path, files, codebook)
    text_codes = [code.id for code in codebook.text_codes()]
    codes = selected(text_codes, prefixes)
    documents, found = _machine_coding(files, codebook)
    named_in = {document.doc_id for document in documents}  # the machine cites sentences in every document
    if second_reader is not None:
        found, named_in = _second_reading(second_reader, files, documents, codebook)
    by_code = {code: Counts() for code in codes}
    family_of = {code.id: code.family for code in codebook.codes}
    pairs: list[Pair] = []
    disagreements: list[Disagreement] = []
    sentence_counts = {"evidence": 0, "right": 0, "named": 0, "found": 0}
    readings: list[Reading] = []
    for path, document in zip(files, documents, strict=True):
        reader = gold[path.name]
        present = with_parents(reader.codes, set(text_codes))
        fragments = fragments_with_parents(reader, text_codes)
        by_sentence = {sentence.id: sentence for sentence in document.sentences}
        named: dict[str, list[tuple[int, int]]] = {}
        for code in codes:
            evidence = found.get((document.doc_id, code), {})
            is_gold, is_machine = code in present, (document.doc_id, code) in found
            by_code[code].add(is_gold, is_machine)
            pairs.append(Pair(family_of[code], int(is_gold), int(is_machine)))
            spans = reader_spans(gold_path, document.text, path.name, fragments.get(code, []))
            named[code] = [(span.start, span.end) for span in spans]
            cell = _Cell(path.name, code, evidence, spans, is_gold, is_machine, document.text, by_sentence)
            disagreements += _judged(cell, bool(reader.fragments) and document.doc_id in named_in, sentence_counts)
        if wordings:
            machine = {code for code in codes if (document.doc_id, code) in found}
            readings.append(Reading(path.name, document.text, sentences(document.text), present, named, machine))
    by_family, overall = _totals(by_code, family_of, [family["id"] for family in codebook.families])
    by_family_agreement = {family: agreement([pair for pair in pairs if pair.family == family]) for family in by_family}
    return Evaluation(
        codebook.version,
        len(files),
        codes,
        by_code,
        by_family,
        overall,
        _sentence_scores(sentence_counts),
        {"all": agreement(pairs), **by_family_agreement},
        disagreements,
        missed_wordings(readings, codes) if wordings else [],
        "machine" if second_reader is None else "second reader",
    )


def _gold_of_every(path: Path, files: Sequence[Path], codebook: Codebook) -> dict[str, GoldDocument]:
    """A gold file that codes every document given (one that codes none names it)."""
    gold = read_gold(path, codebook)
    missing = sorted({file.name for file in files} - set(gold))
    if missing:
        raise PipelineError(
            f"{display_path(path)}: no row for {missing[0]}; a document without codes gets one row with an empty code"
        )
    return gold


def _second_reading(
    path: Path, files: Sequence[Path], documents: Sequence[Any], codebook: Codebook
) -> tuple[Found, set[str]]:
    """A second reader's coding as the machine's is given: each code they found, with the splitter's sentences that
    lie in the sentences they named for it (none where they named none), and the documents where they named any."""
    gold = _gold_of_every(path, files, codebook)
    text_codes = [code.id for code in codebook.text_codes()]
    found: Found = {}
    named_in: set[str] = set()
    for file, document in zip(files, documents, strict=True):
        reader = gold[file.name]
        if reader.fragments:
            named_in.add(document.doc_id)
        fragments = fragments_with_parents(reader, text_codes)
        for code in with_parents(reader.codes, set(text_codes)):
            spans = reader_spans(path, document.text, file.name, fragments.get(code, []))
            inside = [sentence for sentence in document.sentences if any(_overlaps(sentence, s) for s in spans)]
            found[(document.doc_id, code)] = {
                sentence.id: {"sentence_id": sentence.id, "sentence": sentence.text, "keyword": ""}
                for sentence in inside
            }
    return found, named_in


def _sentence_scores(counts: dict[str, int]) -> dict[str, Any]:
    """The evidence sentences' counts with their precision (right of evidence) and recall (found of named), each
    with its interval."""
    right, found = scores(counts["right"], counts["evidence"], 0), scores(counts["found"], 0, counts["named"])
    return {
        **counts,
        **{key: value for key, value in right.items() if key.startswith("precision")},
        **{key: value for key, value in found.items() if key.startswith("recall")},
    }


def _machine_coding(files: Sequence[Path], codebook: Codebook) -> tuple[list[Any], Found]:
    """The documents as the workflow codes them, and their evidence by (doc, code) and sentence id (first row)."""
    documents, rows = code_paths(files, codebook)
    found: Found = {}
    for row in rows:
        found.setdefault((row["doc_id"], row["code"]), {}).setdefault(row["sentence_id"], row)
    return documents, found


class _Cell(NamedTuple):
    """One document × code: the machine's evidence (sentence id -> row), the reader's spans, the gold's verdict."""

    doc: str
    code: str
    evidence: dict[str, dict[str, Any]]
    spans: list[Span]
    is_gold: bool
    is_machine: bool  # the machine's (or the second reader's) verdict: evidence may be empty where a reader named none
    text: str
    by_sentence: dict[str, Any]


def _judged(cell: _Cell, sentences_named: bool, counts: dict[str, int]) -> list[Disagreement]:
    """A cell's disagreements with the reader; its evidence sentences counted into `counts` where the reader named
    sentences in the document."""
    doc, code, evidence, spans = cell.doc, cell.code, cell.evidence, cell.spans
    is_gold, is_machine = cell.is_gold, cell.is_machine
    found: list[Disagreement] = []
    if is_machine and not is_gold:
        found += [_row("false positive", doc, code, row) for row in evidence.values()]
        if not evidence:
            found.append(Disagreement("false positive", doc, code, "", "", "", None))
    if is_gold and not is_machine:
        found += _missed("false negative", doc, code, spans, cell.text)
        if not spans:
            found.append(Disagreement("false negative", doc, code, "", "", "", None))
    if not sentences_named:
        return found  # sentences are scored only in documents where the reader named them
    if is_gold and spans:
        hit = [span for span in spans if any(_overlaps(cell.by_sentence[i], span) for i in evidence)]
        counts["named"] += len(spans)
        counts["found"] += len(hit)
        if is_machine:
            found += _missed("missed sentence", doc, code, [span for span in spans if span not in hit], cell.text)
    if is_machine and (spans or not is_gold):
        right = {i for i in evidence if any(_overlaps(cell.by_sentence[i], span) for span in spans)}
        counts["evidence"] += len(evidence)
        counts["right"] += len(right)
        if is_gold:
            found += [_row("wrong sentence", doc, code, row) for i, row in evidence.items() if i not in right]
    return found


def _totals(
    by_code: dict[str, Counts], family_of: dict[str, str], families: list[str]
) -> tuple[dict[str, Counts], Counts]:
    """The counts by family (those with a scored code) and over all codes."""
    by_family = {family: Counts() for family in families if any(family_of[code] == family for code in by_code)}
    overall = Counts()
    for code, counts in by_code.items():
        for total in (by_family[family_of[code]], overall):
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
            total.tn += counts.tn
    return by_family, overall


def _overlaps(sentence: Any, span: Span) -> bool:
    return overlapping(sentence.start, sentence.end, span.start, span.end)


def _row(kind: str, doc: str, code: str, row: dict[str, Any]) -> Disagreement:
    return Disagreement(kind, doc, code, row["sentence_id"], row["sentence"], row["keyword"])


def _missed(kind: str, doc: str, code: str, spans: Iterable[Span], text: str) -> list[Disagreement]:
    return [Disagreement(kind, doc, code, "", text[span.start : span.end].strip(), "", span.line) for span in spans]
