"""Command of the tables stage: a year's indicator tables (CSV, Parquet) and workbook."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from provincial_plans.analysis.indicators import write_year_tables
from provincial_plans.coding.merge import apply_machine
from provincial_plans.core import cli
from provincial_plans.model.dataset import load_year


def _indicators(args: argparse.Namespace) -> None:
    years_dir = Path(args.years_dir) if args.years_dir else None
    since = load_year(Path(args.data), args.since, years_dir) if args.since else None
    if since is not None and args.since_coding:
        since = apply_machine(since, Path(args.since_coding))
    write_year_tables(
        Path(args.data),
        args.year,
        args.scheme,
        Path(args.tables),
        years_dir,
        Path(args.coding) if args.coding else None,
        since,
    )


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
