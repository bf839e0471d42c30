"""Commands beside the workflow: acquire (network, never part of a build), bundle, verify, schedule, regenerate."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from provincial_plans.core import cli
from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.ops import acquire as acquisition
from provincial_plans.ops.bundle import SUMS, folder_name, make_bundle, verify_bundle
from provincial_plans.ops.fetch import Settings, default_cache
from provincial_plans.ops.regenerate import regenerate
from provincial_plans.ops.schedule import install, parse_when, schedule_text


def _acquire(args: argparse.Namespace) -> None:
    settings = Settings(args.timeout, args.retries, args.backoff, args.min_interval, deadline=args.deadline)
    cache = Path(args.cache) if args.cache else default_cache()
    fetcher = acquisition.Fetcher(settings, cache, args.refresh)  # looked up when called: tests put in their own
    sources = Path(args.sources) if args.sources else None
    failed = total = 0
    for outcome in acquisition.acquire(Path(args.data), args.year, fetcher, args.html, sources):
        total += 1
        failed += outcome.failed
        if outcome.failed:
            print(f"error: {outcome.message}", file=sys.stderr, flush=True)
        else:
            print(outcome.message, flush=True)
    if failed:
        raise PipelineError(f"{failed} of {total} sources failed; their saved documents were left as they were")


def _bundle(args: argparse.Namespace) -> None:
    out = Path(args.out) if args.out else Path(args.reports) / f"{folder_name(args.year)}.zip"
    count = make_bundle(Path(args.reports), args.year, out)
    print(f"{display_path(out)}: {count} files and {SUMS}")


def _verify(args: argparse.Namespace) -> None:
    name = display_path(args.bundle)
    checked, problems = verify_bundle(Path(args.bundle))
    for problem in problems:
        print(f"error: {name}: {problem}", file=sys.stderr)
    if problems:
        raise PipelineError(f"{name}: {len(problems)} problem(s) against the {checked} files its {SUMS} lists")
    print(f"{name}: all {checked} files match {SUMS}")


def _schedule(args: argparse.Namespace) -> None:
    when = parse_when(args.time)
    workdir = Path(args.workdir).resolve()
    configfiles = [arg for name in args.configfile for arg in ("--configfile", name)]
    command = [args.python, "-m", "provincial_plans", "regenerate", "--cores", args.cores, *configfiles]
    unit_dir = Path(args.unit_dir) if args.unit_dir else Path.home() / ".config" / "systemd" / "user"
    print(schedule_text(command, workdir, when, unit_dir), end="")
    if args.install:
        for path in install(command, workdir, when, unit_dir):
            print(f"wrote {path}")


def _regenerate(args: argparse.Namespace) -> None:
    workdir = Path.cwd()
    for path in regenerate(workdir, args.cores, args.configfile, workdir / args.archive, date.today()):
        print(f"archived {display_path(path)}")


def add_stages(stages: argparse._SubParsersAction) -> None:
    acquire_ = stages.add_parser(
        "acquire", help="fetch the documents listed in data/{year}/sources.csv (network; never part of a build)"
    )
    acquire_.add_argument("--year", required=True, type=int)
    acquire_.add_argument("--data", default="data", help="data folder (reference/, YEAR/)")
    acquire_.add_argument("--sources", help="sources CSV (default: DATA/YEAR/sources.csv)")
    acquire_.add_argument("--cache", help="download cache (default: ~/.cache/provincial-plans/acquire)")
    acquire_.add_argument("--refresh", action="store_true", help="fetch again even when the cache has the address")
    acquire_.add_argument("--html", action="store_true", help="save a page's main part as .html instead of .txt")
    acquire_.add_argument("--timeout", type=float, default=30.0, help="seconds per attempt (default 30)")
    acquire_.add_argument(
        "--deadline", type=float, default=300.0, help="seconds for one document, all attempts included (default 300)"
    )
    acquire_.add_argument("--retries", type=int, default=3, help="further attempts after a failure (default 3)")
    acquire_.add_argument("--backoff", type=float, default=2.0, help="seconds before the first retry, then doubled")
    acquire_.add_argument(
        "--min-interval", type=float, default=2.0, help="seconds between two requests to one host (default 2)"
    )
    acquire_.set_defaults(func=_acquire)

    bundle = stages.add_parser("bundle", help="one deterministic zip of a year's reports, with SHA256SUMS")
    bundle.add_argument("--year", required=True, type=int)
    bundle.add_argument("--reports", default="reports", help="folder of the {year}/ report folders")
    bundle.add_argument("--out", help="zip to write (default: REPORTS/provincial-plans-YEAR.zip)")
    bundle.set_defaults(func=_bundle)

    verify = stages.add_parser("verify", help="check every file of a bundle against its SHA256SUMS")
    verify.add_argument("bundle", help="the zip `bundle` wrote")
    verify.set_defaults(func=_verify)

    schedule = stages.add_parser("schedule", help="print (or --install) a yearly systemd timer and a cron line")
    schedule.add_argument("--time", default="01-15 03:00", help="day and time of the year, MM-DD HH:MM")
    schedule.add_argument("--workdir", default=".", help="the workflow folder the rebuild runs in")
    schedule.add_argument("--python", default=sys.executable, help="the environment's Python")
    schedule.add_argument("--cores", default="all", help="passed to `regenerate`")
    schedule.add_argument("--configfile", action="append", default=[], help="passed to `regenerate`")
    schedule.add_argument("--install", action="store_true", help="write the service and timer units")
    schedule.add_argument("--unit-dir", help="where --install writes (default: ~/.config/systemd/user)")
    schedule.set_defaults(func=_schedule)

    regenerate_ = stages.add_parser(
        "regenerate", help="the scheduled rebuild: clear a stale lock, build with a log, archive each year's bundle"
    )
    regenerate_.add_argument("--cores", default="all")
    regenerate_.add_argument("--configfile", action="append", default=[], help="passed to snakemake")
    regenerate_.add_argument("--archive", default="archive", help="folder of the dated bundles")
    regenerate_.set_defaults(func=_regenerate)


def main(argv: Sequence[str]) -> int:
    return cli.main(add_stages, argv)
