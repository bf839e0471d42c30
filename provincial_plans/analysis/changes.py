"""Year on year: what a unit's plan gained or lost since the previous configured year, and national shares then
and now.

Only what is known in both years is compared: a cell unknown in either year is no change, and a national share
that is not reported in either year is left out. A unit (or the nation) with nothing comparable gets no
comparison (None), so a report of a year with no earlier configured year shows nothing year-on-year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provincial_plans.analysis.indicators import Figures
from provincial_plans.core.atomic import write_csv
from provincial_plans.model.dataset import Unit, YearData


def _value(data: YearData, gb_code: str, code: str) -> int | None:
    cell = data.cells.get((gb_code, code))
    return None if cell is None else cell.value


def _pooled(rows: list[dict[str, Any]], when: str) -> dict[str, Any]:
    present = sum(row[when] for row in rows)
    return {"present": present, "known": len(rows), "share": present / len(rows)}


def unit_changes(then: YearData, now: YearData, unit: Unit) -> dict[str, Any] | None:
    """A unit's items known in both years: gained (0 → 1), lost (1 → 0), and its share present then and now
    over those same items (so that the two shares compare like with like)."""
    rows = [
        {"code": code.id, "family": code.family, "label": code.label, "then": before, "now": after}
        for code in now.codebook.codes
        if (before := _value(then, unit.gb_code, code.id)) is not None
        and (after := _value(now, unit.gb_code, code.id)) is not None
    ]
    if not rows:
        return None
    return {
        "since": then.year,
        "year": now.year,
        "rows": rows,
        "gained": [row["label"] for row in rows if row["then"] == 0 and row["now"] == 1],
        "lost": [row["label"] for row in rows if row["then"] == 1 and row["now"] == 0],
        "then": _pooled(rows, "then"),
        "now": _pooled(rows, "now"),
    }


def _figure(figure: dict[str, Any]) -> dict[str, Any]:
    return {name: figure[name] for name in ("count", "of", "share", "basis")}


def national_changes(then: Figures, now: Figures) -> dict[str, Any] | None:
    """Per code, the national share in each year where both are reported."""
    rows = []
    for code in now.data.codebook.codes:
        before, after = then.national(code.id), now.national(code.id)
        if before["share"] is not None and after["share"] is not None:
            rows.append(
                {
                    "code": code.id,
                    "family": code.family,
                    "label": code.label,
                    "then": _figure(before),
                    "now": _figure(after),
                }
            )
    if not rows:
        return None
    return {"since": then.data.year, "year": now.data.year, "rows": rows}


def write_change_tables(then: YearData, now: YearData, scheme: str, tables_dir: Path) -> None:
    """changes_by_unit.csv (unit × item known in both years) and changes_national.csv (per code, national count
    and share in each year where both are reported); the workbook step adds their Parquet files and sheets."""
    by_code = {unit.gb_code: unit for unit in now.units}
    unit_rows = [
        [unit.gb_code, unit.slug, row["code"], then.year, row["then"], now.year, row["now"], _change(row)]
        for unit in by_code.values()
        if (changes := unit_changes(then, now, unit)) is not None
        for row in changes["rows"]
    ]
    national = national_changes(Figures(then, scheme), Figures(now, scheme))
    national_rows = [
        [
            row["code"],
            then.year,
            row["then"]["count"],
            row["then"]["of"],
            f"{row['then']['share']:.4f}",
            now.year,
            row["now"]["count"],
            row["now"]["of"],
            f"{row['now']['share']:.4f}",
        ]
        for row in (national["rows"] if national else [])
    ]
    tables_dir.mkdir(parents=True, exist_ok=True)
    write_csv(
        tables_dir / "changes_by_unit.csv",
        ["gb_code", "slug", "code", "year_then", "value_then", "year_now", "value_now", "change"],
        unit_rows,
    )
    write_csv(
        tables_dir / "changes_national.csv",
        ["code", "year_then", "count_then", "of_then", "share_then", "year_now", "count_now", "of_now", "share_now"],
        national_rows,
    )


def _change(row: dict[str, Any]) -> str:
    return {(0, 1): "gained", (1, 0): "lost"}.get((row["then"], row["now"]), "same")
