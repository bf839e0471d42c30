"""A province's report context: its cells against the national and regional figures, its evidence, its standing,
its document, its changes since the year compared with, and the findings the rules draw from them."""

from __future__ import annotations

from provincial_plans.analysis.conclusions import province_findings
from provincial_plans.analysis.figures import Figures, profile, unit_info
from provincial_plans.analysis.records import CellRow, Family, PlanTiming, UnitChanges
from provincial_plans.analysis.themes import province_inputs
from provincial_plans.coding.merge import EVIDENCE_PER_CELL
from provincial_plans.contexts.contract import Alignment, Document, EvidenceQuote, ProvinceContext
from provincial_plans.model import dataset
from provincial_plans.model.codebook import Code
from provincial_plans.model.dataset import Unit, YearData

STATUS = {1: "present", 0: "absent", None: "unknown"}


def document(entry: dataset.Document) -> Document:
    """A catalogue document as reports show it."""
    return Document(
        entry.title,
        entry.doc_number,
        entry.issue_date,
        entry.address,
        entry.status,
        entry.date_signed,
        entry.date_published,
    )


def _quotes(data: YearData, unit: Unit, code: Code, quoted: list[EvidenceQuote]) -> list[int]:
    """Quote up to EVIDENCE_PER_CELL sentences for a cell (keyword in context); returns their reference numbers."""
    if data.machine is None:
        return []
    refs: list[int] = []
    seen: set[str] = set()
    for item in data.machine.evidence.get((unit.slug, code.id), []):
        if item.sentence_id in seen:  # a sentence with two hits of the code is quoted once
            continue
        if len(refs) == EVIDENCE_PER_CELL:
            break
        seen.add(item.sentence_id)
        where = (item.doc_id, item.sentence_id, item.section, item.heading)
        parts = sentence_split(item.sentence, item.start, item.end)
        quoted.append(EvidenceQuote(len(quoted) + 1, code.id, code.label, *where, *parts))
        refs.append(len(quoted))
    return refs


def sentence_split(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence before the keyword, the keyword, and after it."""
    return sentence[:start], sentence[start:end], sentence[end:]


def cell_row(data: YearData, unit: Unit, code: Code, figures: Figures, refs: list[int]) -> CellRow:
    cell = data.cells.get((unit.gb_code, code.id))
    return CellRow(
        code.id,
        code.label,
        None if cell is None else cell.value,
        STATUS[None if cell is None else cell.value],
        None if cell is None else cell.basis,
        None if cell is None else cell.source_section,
        None if cell is None else cell.note,
        figures.national(code.id),
        figures.region(unit, code.id),
        refs,
    )


def unit_context(
    data: YearData,
    unit: Unit,
    figures: Figures,
    synthetic: bool = False,
    changes: UnitChanges | None = None,
    timing: PlanTiming | None = None,
) -> ProvinceContext:
    """Everything a province report shows; `changes`: its year-on-year comparison when an earlier year is
    configured (analysis.changes); `timing`: its plan's date among all units' (computed here when not given)."""
    families = []
    quoted: list[EvidenceQuote] = []
    for family in data.codebook.families:
        rows = [
            cell_row(data, unit, code, figures, _quotes(data, unit, code, quoted))
            for code in data.codebook.in_family(family["id"])
        ]
        if rows:
            families.append(Family(family["id"], family["label"], rows))
    info = unit_info(unit, figures.scheme)
    standing = profile(data, unit, figures)
    alignment = data.alignment.get(unit.slug)
    inputs = province_inputs(unit, figures)
    return ProvinceContext(
        kind="province",
        year=data.year,
        scheme=figures.scheme,
        codebook_version=data.codebook.version,
        rules_version=data.rules.version,
        unit=info,
        region_size=len(figures.region_members(unit)),
        families=families,
        document=next((document(d) for d in data.documents if d.gb_code == unit.gb_code), None),
        evidence=quoted,
        profile=standing,
        coded=data.machine is not None and unit.slug in data.machine.coded_units,
        alignment=None if alignment is None else Alignment(**alignment),
        synthetic=synthetic,
        changes=changes,
        findings=province_findings(info, families, standing, changes, data.rules, inputs),
        timing=timing or inputs.timing,
    )
