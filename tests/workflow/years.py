"""A synthetic second year for the year-on-year tests: there is no real 2018 data, so the tests make one."""

from __future__ import annotations

import csv
from pathlib import Path

NOTE = "synthetic test data, not a province's plan"


def synthetic_year(workdir: Path, year: int = 2018, flips: dict[tuple[str, str], str] | None = None) -> Path:
    """data/{year}/facts.csv in a test's copy of the workflow: 2017's facts with every note marked synthetic,
    `flips` {(gb_code, code): value} changed ('' drops the cell: not reported that year, and the code's other
    cells become `stated`, since a basis such as `inferred_complement` settles every province)."""
    flips = flips or {}
    dropped = {code for (_, code), value in flips.items() if value == ""}
    source = workdir / "data" / "2017" / "facts.csv"
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    target = workdir / "data" / str(year) / "facts.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            value = flips.get((row["gb_code"], row["code"]), row["value"])
            if value == "":
                continue
            basis = "stated" if row["code"] in dropped else row["basis"]
            writer.writerow(
                {**row, "year": str(year), "value": value, "basis": basis, "note": NOTE, "note_zh": "合成测试数据"}
            )
    return target
