"""Facts sheet and machine coding combined per unit × code, with the basis of every cell.

Precedence (DESIGN.md): a cell of the facts sheet (stated by the study or coded by a person) wins over machine
coding of the documents. A unit whose documents were coded gets 1 for a code with evidence and 0 for a code
without; codes that only people code (`coded_by: human`) get nothing from the machine. Where both sources
know a cell, the pair feeds the reliability table, and a disagreement is listed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from provincial_plans.coding.evidence import EVIDENCE_COLUMNS
from provincial_plans.core.atomic import write_csv
from provincial_plans.model.coded import Disagreement, Pair, read_evidence
from provincial_plans.model.dataset import Cell, YearData

EVIDENCE_PER_CELL = 3  # sentences a report quotes for one cell


def write_evidence(path: Path, rows: list[dict[str, object]]) -> None:
    """Evidence as CSV with the columns every consumer expects."""
    write_csv(path, EVIDENCE_COLUMNS, ([row[name] for name in EVIDENCE_COLUMNS] for row in rows))


def apply_machine(data: YearData, coding_dir: Path) -> YearData:
    """Fill unknown cells from the `code` checkpoint's outputs; pair and compare the cells both sources know."""
    machine = read_evidence(coding_dir / "evidence.csv", coding_dir / "documents.tsv")
    cells = dict(data.cells)
    pairs: list[Pair] = []
    disagreements: list[Disagreement] = []
    for unit in data.units:
        if unit.slug not in machine.coded_units:
            continue
        for code in data.codebook.codes:
            if code.coded_by == "human":
                continue
            value = machine.value(unit.slug, code.id)
            fact = cells.get((unit.gb_code, code.id))
            if fact is None:
                cells[(unit.gb_code, code.id)] = Cell(value, "coded", "documents", {"zh": "", "en": ""})
                continue
            pairs.append(Pair(code.family, fact.value, value))
            if fact.value != value:
                disagreements.append(Disagreement(unit.slug, code.id, fact.value, value, fact.basis))
    return replace(
        data,
        cells=cells,
        machine=machine,
        pairs=pairs,
        disagreements=disagreements,
        alignment=json.loads((coding_dir / "alignment.json").read_text(encoding="utf-8")),
    )


def code_documents(sentence_files: list[Path], codebook_path: Path, out_dir: Path, seconds: float) -> None:
    """Checkpoint `code`: evidence of every document (each coded within `seconds`), the units coded, and alignment
    with the central text."""
    from provincial_plans.coding.alignment import alignment
    from provincial_plans.coding.coder import Coder
    from provincial_plans.coding.examples import load_checked_codebook
    from provincial_plans.coding.ingest import Sentence
    from provincial_plans.core.atomic import write_text

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
