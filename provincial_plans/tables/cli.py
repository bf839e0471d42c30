"""Command of the tables stage: a year's indicator tables (CSV, Parquet), workbook, Stata matrix and data package."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from provincial_plans.coding.merge import apply_machine
from provincial_plans.core import cli
from provincial_plans.model.dataset import YearData, load_year
from provincial_plans.tables.exports import write_exports
from provincial_plans.tables.registry import Year, year_tables
from provincial_plans.tables.workbook import write_tables


def _load(data_dir: Path, year: int, years_dir: Path | None, coding: str | None) -> YearData:
    data = load_year(data_dir, year, years_dir)
    return apply_machine(data, Path(coding)) if coding else data


def _indicators(args: argparse.Namespace) -> None:
    data_dir = Path(args.data)
    years_dir = Path(args.years_dir) if args.years_dir else None
    data = _load(data_dir, args.year, years_dir, args.coding)
    since = _load(data_dir, args.since, years_dir, args.since_coding) if args.since else None
    tables = year_tables(Year(data, args.scheme, since))
    write_tables(tables, Path(args.tables), data_dir / "messages", args.year, data.codebook)
    write_exports(tables, Path(args.tables), data.codebook, data_dir / "messages", args.year)


def add_stages(stages: argparse._SubParsersAction) -> None:
    indicators = stages.add_parser("indicators", help="the year's indicator tables (CSV, Parquet) and workbook")
    indicators.add_argument("--data", required=True, help="data folder (reference/, codebook.yaml, YEAR/)")
    indicators.add_argument("--year", required=True, type=int)
    indicators.add_argument("--scheme", choices=("three", "nbs"), default="three")
    indicators.add_argument("--tables", required=True, help="folder for the CSV tables")
    indicators.add_argument("--years-dir", help="folder of the {year}/ folders (default: --data)")
    indicators.add_argument("--coding", help="outputs of the `code` checkpoint, when documents were coded")
    indicators.add_argument("--since", type=int, help="previous configured year: add the year-on-year tables")
    indicators.add_argument("--since-coding", help="outputs of the previous year's `code` checkpoint")
    indicators.set_defaults(func=_indicators)


def main(argv: Sequence[str]) -> int:
    return cli.main(add_stages, argv)
