"""Facts sheet and machine coding combined per unit × code, with the basis of every cell.

Precedence (DESIGN.md): a cell of the facts sheet (stated by the study or coded by a person) wins over machine
coding of the documents. A unit whose documents were coded gets 1 for a code with evidence and 0 for a code
without; codes that only people code (`coded_by: human`) get nothing from the machine. Where both sources
know a cell, the pair feeds the reliability table, and a disagreement is listed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from provincial_plans.model.coded import Disagreement, Pair, read_evidence
from provincial_plans.model.dataset import Cell, YearData

EVIDENCE_PER_CELL = 3  # sentences a report quotes for one cell


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
