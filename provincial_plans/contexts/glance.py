"""The national context's glance: headline figures, tile maps' measures, the ranking, the plans' dates and the
diffusion curve, all from the year's data and the catalogue (analysis.timing), ready for report.glance to draw."""

from __future__ import annotations

from provincial_plans.analysis.figures import Figures, present_share, unit_info, value
from provincial_plans.analysis.records import Bilingual, PlanTiming
from provincial_plans.analysis.timing import diffusion
from provincial_plans.contexts.contract import Category, Glance, Headline, Standing, Tile, TileMeasure
from provincial_plans.model.dataset import YearData


def _measures(data: YearData, scheme: str, standings: list[Standing]) -> list[TileMeasure]:
    """Task indicators set (0 to the number of task codes), share of known items present, region."""
    tasks = [code.id for code in data.codebook.in_family("task")]
    task_values: dict[str, float | str | None] = {}
    for unit in data.units:
        values = [value(data, unit, code) for code in tasks]
        task_values[unit.slug] = None if None in values else sum(v for v in values if v is not None)
    shares: dict[str, float | str | None] = {row.unit.slug: row.overall.share for row in standings}
    regions: dict[str, Bilingual] = {}
    for unit in data.units:
        regions.setdefault(unit.region(scheme)["en"], Bilingual(**unit.region(scheme)))
    return [
        TileMeasure("tasks", task_values, [], False, [0.0, float(len(tasks))]),
        TileMeasure("share", shares, [], True, [0.0, 1.0]),
        TileMeasure(
            "region",
            {unit.slug: unit.region(scheme)["en"] for unit in data.units},
            [Category(key, label) for key, label in regions.items()],
            False,
            None,
        ),
    ]


def _headline(data: YearData, measures: list[TileMeasure], timings: list[PlanTiming]) -> list[Headline]:
    tasks = measures[0]
    known = [v for v in tasks.values.values() if v is not None]
    top = tasks.scale[1] if tasks.scale else 0
    shares = sorted(float(v) for v in measures[1].values.values() if v is not None)
    headline = [
        Headline("units", {"n": len(data.units)}),
        Headline("tasks_all", {"count": sum(v == top for v in known), "of": len(known), "tasks": int(top)}),
        Headline("dated", {"count": sum(t.date is not None for t in timings), "of": len(timings)}),
    ]
    if shares:
        middle = len(shares) // 2
        median = shares[middle] if len(shares) % 2 else (shares[middle - 1] + shares[middle]) / 2
        headline.append(Headline("share", {"median": median, "of": len(shares)}))
    return headline


def glance(
    data: YearData, scheme: str, figures: Figures, tiles: dict[str, tuple[int, int]], timings: list[PlanTiming]
) -> Glance:
    """The year at a glance; `tiles` empty when the units are not provinces (no tile maps)."""
    codes = [code.id for code in data.codebook.codes]
    standings = [
        Standing(unit_info(unit, scheme), present_share(data, [unit], codes), figures.rank(unit)) for unit in data.units
    ]
    measures = _measures(data, scheme, standings)
    return Glance(
        headline=_headline(data, measures, timings),
        tiles=[Tile(unit_info(unit, scheme), *tiles[unit.slug]) for unit in data.units if unit.slug in tiles],
        measures=measures,
        standings=standings,
        timings=timings,
        diffusion=diffusion(timings, data.units, scheme),
    )
