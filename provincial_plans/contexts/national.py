"""The national report's context: every code's national and regional figures, the province grids, coverage levels,
the outside measure, the documents catalogue, machine coding's agreement, changes, and the findings."""

from __future__ import annotations

from typing import Any

from provincial_plans.analysis.conclusions import national_findings
from provincial_plans.analysis.figures import Figures, named, national, regional, regions, unit_info, value
from provincial_plans.analysis.records import (
    Bilingual,
    External,
    NamedFigure,
    NationalChanges,
    NationalFamily,
    NationalRow,
    Note,
    shallow,
)
from provincial_plans.analysis.timing import plan_timings
from provincial_plans.coding.reliability import reliability_table
from provincial_plans.contexts.contract import (
    AlignmentRow,
    CatalogueEntry,
    CodeLabel,
    Coverage,
    CoveragePoint,
    CoverageRegion,
    DisagreementRow,
    Glance,
    Heatmap,
    HeatmapRow,
    MatrixLine,
    NationalContext,
    RegionSize,
    ReliabilityRow,
)
from provincial_plans.contexts.glance import glance
from provincial_plans.contexts.province import document
from provincial_plans.model.codebook import Code
from provincial_plans.model.dataset import YearData


def national_row(data: YearData, code: Code, scheme: str, short: dict[str, Bilingual]) -> NationalRow:
    """A code nationally: the figure with the provinces named, the regions, the notes of those that have it
    (`short`: each unit's short name by slug)."""
    figure = NamedFigure(**shallow(national(data, code.id)), named=[short[unit.slug] for unit in named(data, code.id)])
    notes = [
        Note(short[unit.slug], cell.note)
        for unit in data.units
        if (cell := data.cells.get((unit.gb_code, code.id))) is not None and cell.value == 1 and cell.note["en"]
    ]
    return NationalRow(code.id, code.label, code.origin, figure, regional(data, code.id, scheme), notes)


def coverage(data: YearData, scheme: str) -> Coverage:
    """Platform coverage levels by region (provinces at each level) and the points of levels × departments."""
    region_rows = []
    for name, members in regions(data, scheme):
        levels = [data.targets[u.gb_code].levels for u in members if u.gb_code in data.targets]
        levels = [level for level in levels if level is not None]
        by_level = [sum(level == number for level in levels) for number in range(1, 6)]
        region_rows.append(CoverageRegion(name, len(members), by_level, len(levels)))
    points = [
        CoveragePoint(unit.describe(scheme)["short_name"], unit.region(scheme), target.levels, target.departments)
        for unit in data.units
        if (target := data.targets.get(unit.gb_code)) and target.levels is not None and target.departments is not None
    ]
    return Coverage(region_rows, points, sorted({target.source for target in data.targets.values()}))


def _coding(data: YearData, short: dict[str, Bilingual]) -> dict[str, Any]:
    """What machine coding adds: units coded, agreement with the facts sheet, disagreements, alignment."""
    labels = data.codebook.by_id()
    families = [family["id"] for family in data.codebook.families]
    return {
        "coded_units": len(data.machine.coded_units - {"national"}) if data.machine else 0,
        "reliability": [ReliabilityRow(**row) for row in reliability_table(data.pairs, families)] if data.pairs else [],
        "disagreements": [
            DisagreementRow(short[d.slug], d.code, labels[d.code].label, d.fact, d.machine, d.basis)
            for d in data.disagreements
        ],
        "alignment": [AlignmentRow(**measures, unit=short[slug]) for slug, measures in sorted(data.alignment.items())],
    }


def national_context(
    data: YearData,
    scheme: str,
    synthetic: bool = False,
    external: External | None = None,
    changes: NationalChanges | None = None,
    at_a_glance: Glance | None = None,
) -> NationalContext:
    """Everything the national report shows; `changes`: national shares against an earlier configured year."""
    by_code = {unit.gb_code: unit for unit in data.units}
    short = {unit.slug: unit.describe(scheme)["short_name"] for unit in data.units}
    families = []
    for family in data.codebook.families:
        rows = [national_row(data, code, scheme, short) for code in data.codebook.in_family(family["id"])]
        if rows:
            families.append(NationalFamily(family["id"], family["label"], rows))
    tasks = data.codebook.in_family("task")
    heat = [code for family in ("task", "content") for code in data.codebook.in_family(family) if code.parent is None]
    return NationalContext(
        kind="national",
        year=data.year,
        scheme=scheme,
        codebook_version=data.codebook.version,
        rules_version=data.rules.version,
        unit_count=len(data.units),
        regions=[RegionSize(name, len(members)) for name, members in regions(data, scheme)],
        families=families,
        task_codes=[CodeLabel(code.id, code.label) for code in tasks],
        task_matrix=[
            MatrixLine(unit_info(unit, scheme), [value(data, unit, code.id) for code in tasks]) for unit in data.units
        ],
        documents=[
            CatalogueEntry(
                **shallow(document(d)), scope=d.scope, unit=unit_info(by_code[d.gb_code], scheme) if d.gb_code else None
            )
            for d in data.documents
        ],
        coverage=coverage(data, scheme) if data.targets else None,
        heatmap=Heatmap(
            [CodeLabel(code.id, code.label) for code in heat],
            [HeatmapRow(short[unit.slug], [value(data, unit, code.id) for code in heat]) for unit in data.units],
        ),
        synthetic=synthetic,
        external=external,
        **_coding(data, short),
        changes=changes,
        findings=national_findings(len(data.units), families, data.rules),
        glance=at_a_glance or glance(data, scheme, Figures(data, scheme), {}, plan_timings(data.units, data.documents)),
    )
