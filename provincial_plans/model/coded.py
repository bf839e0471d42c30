"""What machine coding said of a year, as the `code` checkpoint saved it: the documents coded, the evidence of each
unit × code cell, and the cells coded both ways (by people or the study, and by the machine)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from provincial_plans.core.atomic import csv_records


@dataclass(frozen=True)
class Pair:
    """One cell coded both ways."""

    family: str
    human: int
    machine: int


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    sentence_id: str
    section: str
    heading: str
    start: int
    end: int
    keyword: str
    sentence: str


@dataclass(frozen=True)
class Machine:
    """What machine coding says of a year: the documents coded (unit, doc_id) and the evidence for each cell."""

    documents: tuple[tuple[str, str], ...]
    evidence: dict[tuple[str, str], list[Evidence]]

    @property
    def coded_units(self) -> frozenset[str]:
        return frozenset(unit for unit, _ in self.documents)

    def value(self, slug: str, code: str) -> int | None:
        if slug not in self.coded_units:
            return None
        return 1 if (slug, code) in self.evidence else 0


def read_evidence(path: Path, documents_path: Path) -> Machine:
    """The `code` checkpoint's outputs: evidence rows and the documents coded (one `unit<TAB>doc_id` a line)."""
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        records = csv_records(stream)
        header = next(records)
        for row in (dict(zip(header, record, strict=True)) for record in records):
            evidence[(row["unit"], row["code"])].append(
                Evidence(
                    row["doc_id"],
                    row["sentence_id"],
                    row["section"],
                    row["heading"],
                    int(row["start"]),
                    int(row["end"]),
                    row["keyword"],
                    row["sentence"],
                )
            )
    lines = documents_path.read_text(encoding="utf-8").splitlines()
    documents = tuple((unit, doc_id) for unit, doc_id in (line.split("\t") for line in lines if line))
    return Machine(documents, dict(evidence))


@dataclass(frozen=True)
class Disagreement:
    slug: str
    code: str
    fact: int
    machine: int
    basis: str
