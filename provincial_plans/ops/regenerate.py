"""The scheduled yearly rebuild: clear a stale Snakemake lock safely, build, keep a log, archive each year's bundle.

A lock is stale only when no Snakemake process works in the directory: a run that was killed leaves its lock behind
and every later run refuses to start, but a lock that a live run holds must never be removed (two runs writing the
same reports corrupt them). Processes are read from /proc; where there is none, a lock is left for a person.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.core.inputs import read_yaml
from provincial_plans.core.runs import PROC, snakemake_processes
from provincial_plans.ops.bundle import make_bundle


def configured_years(workdir: Path, configfiles: list[str]) -> list[int]:
    """The years a build makes: config/config.yaml, overridden by --configfile files as Snakemake does."""
    years = read_yaml(workdir / "config" / "config.yaml")["years"]
    for name in configfiles:
        years = (read_yaml(workdir / name) or {}).get("years", years)
    return [int(year) for year in years]


def regenerate(workdir: Path, cores: str, configfiles: list[str], archive: Path, today: date) -> list[Path]:
    """Rebuild in `workdir` (log under logs/regenerate/), then archive each configured year's bundle."""
    snakemake = [sys.executable, "-m", "snakemake", *(arg for name in configfiles for arg in ("--configfile", name))]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = workdir / "logs" / "regenerate" / f"{stamp}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        try:
            if any((workdir / ".snakemake" / "locks").glob("*.lock")):
                _unlock(workdir, snakemake, log)
            print(f"$ {' '.join(snakemake)} --cores {cores} --rerun-incomplete", file=log, flush=True)
            # --rerun-incomplete: a killed build's half-done jobs are redone, not refused
            build = subprocess.run(
                [*snakemake, "--cores", cores, "--rerun-incomplete"], cwd=workdir, stdout=log, stderr=subprocess.STDOUT
            )
            if build.returncode != 0:
                raise PipelineError(f"build failed (snakemake exit {build.returncode}); see {display_path(log_path)}")
            archived = []
            for year in configured_years(workdir, configfiles):
                out = archive / f"provincial-plans-{year}-{today:%Y%m%d}.zip"
                make_bundle(workdir / "reports", year, out)
                archived.append(out)
                print(f"archived {display_path(out)}", file=log, flush=True)
        except PipelineError as error:
            print(f"error: {error}", file=log, flush=True)
            raise
    return archived


def _unlock(workdir: Path, snakemake: list[str], log: TextIO) -> None:
    """Remove a lock only when it is stale; a live run's lock stops us with one line."""
    if not PROC.is_dir():
        raise PipelineError(
            f"{workdir}: a Snakemake lock is present and running processes cannot be listed here; "
            "remove it with `snakemake --unlock` once no run is active"
        )
    live = snakemake_processes(workdir)
    if live:
        pids = ", ".join(str(pid) for pid in live)
        raise PipelineError(f"{workdir}: Snakemake is running there (pid {pids}); its lock is kept")
    print(f"removing a stale Snakemake lock in {workdir}", file=log, flush=True)
    unlocked = subprocess.run([*snakemake, "--unlock"], cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    if unlocked.returncode != 0:
        raise PipelineError(f"`snakemake --unlock` failed (exit {unlocked.returncode})")
