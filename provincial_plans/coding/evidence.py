"""Evidence tables: the coder's rows (provincial_plans.coding.coder) as tables and matrices, and the `code` command.

An evidence row cites a sentence by id, its place in the document (`section`: the outline path such as 二/（三）/2,
and `heading`: the nearest heading's text) and the keyword's offsets in the sentence (sentence[start:end] ==
keyword).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from provincial_plans.coding.alignment import alignment
from provincial_plans.coding.coder import Coder
from provincial_plans.coding.examples import load_checked_codebook
from provincial_plans.coding.ingest import Sentence, ingest_document
from provincial_plans.core.atomic import write_csv, write_text
from provincial_plans.core.errors import InputError, display_path
from provincial_plans.core.paths import DATA
from provincial_plans.model.codebook import Codebook

if TYPE_CHECKING:
    import pandas as pd

EVIDENCE_COLUMNS = (
    "unit", "doc_id", "sentence_id", "section", "heading", "start", "end", "code", "keyword", "sentence"
)  # fmt: skip
CLI_COLUMNS = ("doc", "sentence_id", "section", "heading", "start", "end", "code", "keyword", "sentence")
EXPLAIN_COLUMNS = (*CLI_COLUMNS, "counted", "reason")


def evidence_table(coder: Coder, documents: Iterable[tuple[str, str, Sequence[Any]]]) -> pd.DataFrame:
    """The coder's rows as a DataFrame with EVIDENCE_COLUMNS (present even when nothing was found)."""
    import pandas as pd  # 0.7 s: for the `code` command's tables, never in the workflow's `code` job

    return pd.DataFrame(coder.code(documents), columns=list(EVIDENCE_COLUMNS))


def presence_matrix(evidence: pd.DataFrame, by: str, index: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """0/1 matrix of `by` (doc_id or unit) × code: 1 where the evidence has a hit.

    `index` lists every document or unit that was coded, so one without any hit gets a row of 0 (coded, nothing
    found) rather than no row (not coded); `codes` fixes the columns (the text codes).
    """
    import pandas as pd  # 0.7 s: for the `code` command's tables, never in the workflow's `code` job

    matrix = pd.DataFrame(0, index=pd.Index(list(index), name=by), columns=pd.Index(list(codes), name="code"))
    found = evidence.loc[evidence[by].isin(matrix.index) & evidence["code"].isin(matrix.columns), [by, "code"]]
    for key, code in found.drop_duplicates().itertuples(index=False):
        matrix.at[key, code] = 1
    return matrix


def document_matrix(evidence: pd.DataFrame, doc_ids: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """Document × code, 0/1."""
    return presence_matrix(evidence, "doc_id", doc_ids, codes)


def unit_matrix(evidence: pd.DataFrame, units: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """Unit (province) × code, 0/1: a unit has a code when any of its documents does."""
    return presence_matrix(evidence, "unit", units, codes)


class Ingested(NamedTuple):
    """A document read from a file for coding outside the workflow: its id (the file's stem), text and sentences."""

    doc_id: str
    text: str
    sentences: list[Any]


def code_paths(
    files: Sequence[Path], codebook: Codebook, explain: bool = False
) -> tuple[list[Ingested], list[dict[str, Any]]]:
    """Ingest each file (doc id = its stem) and code them all as the workflow does: the documents and evidence rows.

    Two files with the same stem would share a doc id and their evidence could not be told apart: an error.
    """
    documents: list[Ingested] = []
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            raise InputError(path, f"doc id '{path.stem}' is also that of {stems[path.stem]}; rename one file")
        stems[path.stem] = path
        text, sentences = ingest_document(path, path.stem)
        documents.append(Ingested(path.stem, text, sentences))
    rows = Coder(codebook).code(((doc.doc_id, doc.doc_id, doc.sentences) for doc in documents), explain)
    return documents, rows


def code_files(
    files: Sequence[Path], codebook_path: Path | None = None, out: Path | None = None, explain: bool = False
) -> str:
    """Command `code`: ingest each file (doc id = its stem), code, write the evidence CSV, return the summary.

    The CSV (UTF-8 with BOM, for spreadsheets) has CLI_COLUMNS; start/end index the sentence. With `explain` it
    also lists the keywords found that did not count, and why (EXPLAIN_COLUMNS). The summary lists every text code
    in codebook order, so a code that matched nothing shows as 0 rather than going missing.
    """
    codebook = load_checked_codebook(codebook_path or DATA / "codebook.yaml")
    documents, rows = code_paths(files, codebook, explain)
    if out is not None:
        columns = EXPLAIN_COLUMNS if explain else CLI_COLUMNS
        write_csv(out, columns, ([row["doc_id"], *(row[name] for name in columns[1:])] for row in rows))
    counted = [row for row in rows if row.get("counted", True)]
    return _summary(codebook, documents, counted, len(rows) - len(counted), out)


def _summary(
    codebook: Codebook, documents: list[Ingested], rows: list[dict[str, Any]], uncounted: int, out: Path | None
) -> str:
    """Per-code hits and documents as an aligned text table, with a line of totals."""
    hits: dict[str, int] = {}
    docs: dict[str, set[str]] = {}
    for row in rows:
        hits[row["code"]] = hits.get(row["code"], 0) + 1
        docs.setdefault(row["code"], set()).add(row["doc_id"])
    table = [("code", "label", "hits", "documents")]
    table += [
        (code.id, code.label["en"], str(hits.get(code.id, 0)), str(len(docs.get(code.id, ()))))
        for code in codebook.text_codes()
    ]
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    lines = [
        f"{code:<{widths[0]}}  {label:<{widths[1]}}  {count:>{widths[2]}}  {found:>{widths[3]}}".rstrip()
        for code, label, count, found in table
    ]
    sentences = sum(len(document.sentences) for document in documents)
    coded = sum(1 for code in codebook.text_codes() if code.id in docs)
    total = (
        f"{len(documents)} documents, {sentences} sentences, {len(rows)} hits, {coded} of "
        f"{len(codebook.text_codes())} codes found (codebook {codebook.version})"
    )
    if uncounted:
        total += f"; {uncounted} keywords found did not count (see the reason column)"
    if out is not None:
        total += f"; evidence written to {display_path(out)}"
    return "\n".join([*lines, total]) + "\n"


def write_evidence(path: Path, rows: list[dict[str, object]]) -> None:
    """Evidence as CSV with the columns every consumer expects."""
    write_csv(path, EVIDENCE_COLUMNS, ([row[name] for name in EVIDENCE_COLUMNS] for row in rows))


def code_documents(sentence_files: list[Path], codebook_path: Path, out_dir: Path, seconds: float) -> None:
    """Checkpoint `code`: evidence of every document (each coded within `seconds`), the units coded, and alignment
    with the central text."""
    documents = []
    files = {}
    for path in sentence_files:
        document = json.loads(path.read_text(encoding="utf-8"))
        sentences = [Sentence.from_row(row) for row in document["sentences"]]
        documents.append((document["unit"], document["doc_id"], sentences))
        files[document["doc_id"]] = document["file"]
    rows = Coder(load_checked_codebook(codebook_path)).code(documents, seconds=seconds, files=files)
    write_evidence(out_dir / "evidence.csv", rows)
    units = sorted({unit for unit, _, _ in documents})
    write_text(out_dir / "documents.tsv", "".join(f"{unit}\t{doc_id}\n" for unit, doc_id, _ in documents))

    codes: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        codes[str(row["unit"])].add(str(row["code"]))
    for unit, _, sentences in documents:
        texts[unit].extend(sentence.text for sentence in sentences)
    measures = {}
    if "national" in texts:
        for unit in units:
            if unit != "national":
                measures[unit] = alignment(texts["national"], codes["national"], texts[unit], codes[unit])
    write_text(out_dir / "alignment.json", json.dumps(measures, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
