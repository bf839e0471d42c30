"""Rule `contexts` (a checkpoint): every report context of a year, each file rewritten only when its content changes.

Why only then: Snakemake has no "restat". A job's declared outputs are deleted before it runs and new after it, so
a rule whose outputs were the 31 contexts would re-render all 31 reports after any edit. The contexts are therefore
files the job keeps up to date beside its one declared output, build/{year}/reports.json (the units and editions of
the year); after the checkpoint, Snakemake looks at them again, and a report whose context kept its bytes (and
time) is not rendered again. So an edit of one province's note re-renders that province only, and an edit that
moves a national or regional share re-renders every report that prints it.
"""

from __future__ import annotations

import json
from pathlib import Path

from provincial_plans.analysis.changes import national_changes, unit_changes
from provincial_plans.analysis.external import relation
from provincial_plans.analysis.figures import Figures
from provincial_plans.analysis.timing import plan_timings
from provincial_plans.coding.merge import apply_machine
from provincial_plans.contexts.contract import read_national, write_context
from provincial_plans.contexts.glance import glance
from provincial_plans.contexts.national import national_context
from provincial_plans.contexts.province import unit_context
from provincial_plans.core.atomic import write_text
from provincial_plans.model.dataset import YearData, load_year
from provincial_plans.model.layout import LAYOUT, load_tiles


def load(data_dir: Path, year: int, years_dir: Path | None, coding_dir: Path | None) -> YearData:
    """A year's data, merged with machine coding when its documents were coded."""
    data = load_year(data_dir, year, years_dir)
    return apply_machine(data, coding_dir) if coding_dir is not None else data


def write_contexts(
    data: YearData,
    then: YearData | None,
    scheme: str,
    units: list[str],
    editions: list[str],
    synthetic: bool,
    reference_dir: Path,
    out_dir: Path,
) -> list[str]:
    """build/{year}/national.json, units/{slug}.json for each of `units`, and reports.json (the units and editions
    of the year, which the index and the progress lines read); returns the names of the contexts rewritten."""
    figures = Figures(data, scheme)
    saved = out_dir / "national.json"
    # Spearman's rho again only when its points moved: scipy.special's import is 0.4 s of every contexts job
    known = read_national(saved).external if saved.exists() else None
    external = relation(data, reference_dir, known)
    changes = national_changes(Figures(then, scheme), figures) if then else None
    timings = plan_timings(data.units, data.documents)
    layout = reference_dir / LAYOUT.name
    tiles = load_tiles(layout, data.units) if layout.exists() else {}
    at_a_glance = glance(data, scheme, figures, tiles, timings)
    written = []
    if write_context(saved, national_context(data, scheme, synthetic, external, changes, at_a_glance)):
        written.append("national")
    timing = {item.slug: item for item in timings}
    for slug in units:
        unit = data.unit(slug)
        since = unit_changes(then, data, unit) if then else None
        context = unit_context(data, unit, figures, synthetic, since, timing[slug])
        if write_context(out_dir / "units" / f"{slug}.json", context):
            written.append(slug)
    listed = {"year": data.year, "units": units, "editions": editions}
    write_text(out_dir / "reports.json", json.dumps(listed, ensure_ascii=False, sort_keys=True) + "\n")
    return written
