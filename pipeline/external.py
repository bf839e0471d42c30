"""Outside measures joined by province, and how plan coverage relates to them.

Shipped: the 2019 provincial online government service capability index (CCPS e-government research centre's 2020
report, via a repost). Its caveat travels with every use: the repost prints Anhui 90.82 above Fujian 91.11. Plan
coverage is the share of the four task-indicator targets a province set, known for all 31, so no unknown cell
enters the relation. The relation is a Spearman rank correlation (ties averaged), from SciPy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import schemas
from .dataset import YearData, province_of
from .inputs import read_csv

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


def relation(data: YearData, reference_dir: Path, known: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Points (coverage, index) and Spearman's rho with its p-value; None when the index is not shipped.

    `known`: a relation computed before (the saved national context's); when its points are the same, its rho and
    p are reused, sparing every Snakemake start the 1.3 s import of scipy.stats.
    """
    path = reference_dir / ONLINE_SERVICE_INDEX
    if not path.exists():
        return None
    index = load_index(path, data)
    coverage = task_coverage(data)
    names = {unit.slug: unit.describe("three")["short_name"] for unit in data.units}
    points = [
        {"slug": slug, "name": names[slug], "coverage": coverage[slug], "value": index[slug]}
        for slug in sorted(index)
        if coverage.get(slug) is not None
    ]
    result: dict[str, Any] = {"points": points, "n": len(points), "rho": None, "p": None}
    if known is not None and known.get("points") == points:
        return {**result, "rho": known["rho"], "p": known["p"]}
    xs, ys = [p["coverage"] for p in points], [p["value"] for p in points]
    if len(points) >= MIN_POINTS and len(set(xs)) > 1 and len(set(ys)) > 1:
        from scipy.stats import spearmanr

        statistic = spearmanr(xs, ys)
        result.update(rho=float(statistic.statistic), p=float(statistic.pvalue))
    return result
