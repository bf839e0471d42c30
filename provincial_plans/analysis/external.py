"""Outside measures joined by province, and how plan coverage relates to them.

Shipped: the 2019 provincial online government service capability index (CCPS e-government research centre's 2020
report, via a repost). Its caveat travels with every use: the repost prints Anhui 90.82 above Fujian 91.11. Plan
coverage is the share of the four task-indicator targets a province set, known for all 31, so no unknown cell
enters the relation. The relation is a Spearman rank correlation (ties averaged), from SciPy.
"""

from __future__ import annotations

import math
from pathlib import Path

from provincial_plans.analysis.records import External, ExternalPoint
from provincial_plans.core import schemas
from provincial_plans.core.inputs import read_csv
from provincial_plans.model.dataset import YearData, province_of

ONLINE_SERVICE_INDEX = "ext_online_service_index_2019.csv"
MIN_POINTS = 5

EXTERNAL = {
    "type": "object",
    "required": ["gb_code", "province", "data_year", "value", "source"],
    "properties": {
        "gb_code": {"anyOf": [schemas.GB_CODE, {"const": ""}]},
        "value": {"type": "string", "pattern": r"^([0-9]+(\.[0-9]+)?)?$"},
        "data_year": schemas.YEAR,
    },
}


def load_index(path: Path, data: YearData) -> dict[str, float]:
    """Index value by province slug; rows without a province code (the Xinjiang Production and Construction Corps)
    or without a value are not provinces of the study and are left out."""
    by_code = {unit.gb_code: unit for unit in data.units}
    values: dict[str, float] = {}
    for row in read_csv(path, EXTERNAL):
        code, value = row.values["gb_code"], row.values["value"]
        if not code or not value:
            continue
        values[province_of(path, row.line, by_code, code).slug] = float(value)
    return values


def task_coverage(data: YearData) -> dict[str, float | None]:
    """Share of task-indicator targets set, per province; None where any task cell is unknown."""
    codes = [code.id for code in data.codebook.in_family("task")]
    coverage: dict[str, float | None] = {}
    for unit in data.units:
        cells = [data.cells.get((unit.gb_code, code)) for code in codes]
        coverage[unit.slug] = None if None in cells or not cells else sum(c.value for c in cells) / len(cells)
    return coverage


def relation(data: YearData, reference_dir: Path, known: External | None = None) -> External | None:
    """Points (coverage, index) and Spearman's rho with its p-value; None when the index is not shipped.

    `known`: a relation computed before (the saved national context's); when its points are the same, its rho and
    p are reused, sparing every Snakemake start the computation (and scipy.special's import).
    """
    path = reference_dir / ONLINE_SERVICE_INDEX
    if not path.exists():
        return None
    index = load_index(path, data)
    coverage = task_coverage(data)
    names = {unit.slug: unit.describe("three")["short_name"] for unit in data.units}
    points = [
        ExternalPoint(slug, names[slug], coverage[slug], index[slug])
        for slug in sorted(index)
        if coverage.get(slug) is not None
    ]
    if known is not None and known.points == points:
        return External(points, len(points), known.rho, known.p)
    xs, ys = [p.coverage for p in points], [p.value for p in points]
    if len(points) >= MIN_POINTS and len(set(xs)) > 1 and len(set(ys)) > 1:
        return External(points, len(points), *spearman(xs, ys))
    return External(points, len(points), None, None)


def spearman(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Spearman's rho (average ranks for ties) and its two-sided p-value, as scipy.stats.spearmanr gives them.

    rho is pandas' rank correlation, p the t-distribution test spearmanr documents (t = rho·√((n−2)/(1−rho²)),
    n−2 degrees of freedom) with scipy.special's Student t. Why not spearmanr itself: importing scipy.stats takes
    1.5 s, paid while Snakemake builds its DAG with the second core idle; scipy.special takes 0.4 s. Tested equal
    to spearmanr.
    """
    import pandas as pd  # 0.7 s, and scipy.special 0.4 s: only when rho is computed anew (see above)
    from scipy.special import stdtr  # (see the line above)

    rho = float(pd.DataFrame({"x": xs, "y": ys}).corr(method="spearman").iloc[0, 1])
    freedom = len(xs) - 2
    t = rho * math.sqrt(freedom / ((1 - rho) * (1 + rho))) if abs(rho) < 1 else math.copysign(math.inf, rho)
    return rho, float(2 * stdtr(freedom, -abs(t)))
