"""Where each province's square sits on the tile-grid map (data/reference/layout_province_tiles.csv).

A layout convention, not geography: one square per province in roughly its place relative to its neighbours, as
data journalists draw China without boundary data. Units that are not provinces (a county-scale build) have no
squares, and their reports show no tile map.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError
from provincial_plans.core.inputs import read_csv, unique
from provincial_plans.model.dataset import Unit, province_of

LAYOUT = Path("reference") / "layout_province_tiles.csv"  # under the data folder


def load_tiles(path: Path, units: Sequence[Unit]) -> dict[str, tuple[int, int]]:
    """Each unit's square (column from the west, row from the north) by slug. No two provinces share a square, a
    province name beside a code must be that code's, and when any unit has a square every unit must have one; a
    row for a province the build does not include is checked and left out."""
    rows = read_csv(path, schemas.TILES)
    unique(path, rows, ("gb_code",), "province code")
    unique(path, rows, ("col", "row"), "square (col × row)")
    by_code = {unit.gb_code: unit for unit in units}
    tiles = {}
    for row in rows:
        code = row.values["gb_code"]
        if code not in by_code:
            continue
        unit = province_of(path, row.line, by_code, code, row.values.get("short_name_zh", ""))
        tiles[unit.slug] = (int(row.values["col"]), int(row.values["row"]))
    missing = [unit for unit in units if unit.slug not in tiles]
    if tiles and missing:
        raise InputError(path, f"no square for GB/T 2260 code {missing[0].gb_code} ({missing[0].short_zh})")
    return tiles
