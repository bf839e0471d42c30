"""Command of the contexts stage: a year's report contexts, rewritten only where they change."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from provincial_plans.contexts.build import load, write_contexts
from provincial_plans.core import cli
from provincial_plans.core.errors import PipelineError


def _contexts(args: argparse.Namespace) -> None:
    data_dir = Path(args.data)
    years_dir = Path(args.years_dir) if args.years_dir else None
    data = load(data_dir, args.year, years_dir, Path(args.coding) if args.coding else None)
    since_coding = Path(args.since_coding) if args.since_coding else None
    then = load(data_dir, args.since, years_dir, since_coding) if args.since else None
    units = [unit.slug for unit in data.units] if args.units == ["all"] else args.units
    unknown = sorted(set(units) - {unit.slug for unit in data.units})
    if unknown:
        raise PipelineError(f"unknown unit '{unknown[0]}'")
    written = write_contexts(
        data, then, args.scheme, units, args.editions, args.synthetic, data_dir / "reference", Path(args.out_dir)
    )
    print(f"contexts {args.year}: {len(written)} of {len(units) + 1} changed {' '.join(written)}".rstrip())


def add_stages(stages: argparse._SubParsersAction) -> None:
    contexts = stages.add_parser("contexts", help="the year's report contexts (JSON), each rewritten only if changed")
    contexts.add_argument("--data", required=True, help="data folder (reference/, codebook.yaml, YEAR/)")
    contexts.add_argument("--years-dir", help="folder of the {year}/ folders (default: --data)")
    contexts.add_argument("--year", required=True, type=int)
    contexts.add_argument("--scheme", choices=("three", "nbs"), default="three")
    contexts.add_argument("--units", nargs="+", default=["all"], help="the units whose reports are built (or all)")
    contexts.add_argument("--editions", nargs="+", required=True, help="LANG.FORMAT of every report, e.g. zh.pdf")
    contexts.add_argument("--synthetic", action="store_true", help="synthetic fixtures: every page says so")
    contexts.add_argument("--coding", help="outputs of the `code` checkpoint, when documents were coded")
    contexts.add_argument("--since", type=int, help="previous configured year: the year-on-year comparisons")
    contexts.add_argument("--since-coding", help="outputs of the previous year's `code` checkpoint")
    contexts.add_argument("--out-dir", required=True, help="build/{year}: national.json, units/, reports.json")
    contexts.set_defaults(func=_contexts)


def main(argv: Sequence[str]) -> int:
    return cli.main(add_stages, argv)
