"""The scheduled yearly rebuild: clear a stale Snakemake lock safely, build, keep a log, archive each year's bundle.

A lock is stale only when no Snakemake process works in the directory: a run that was killed leaves its lock behind
and every later run refuses to start, but a lock that a live run holds must never be removed (two runs writing the
same reports corrupt them). Processes are read from /proc; where there is none, a lock is left for a person.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from .bundle import make_bundle
from .errors import PipelineError, display_path
from .inputs import read_yaml

PROC = Path("/proc")


def snakemake_processes(workdir: Path, proc: Path = PROC) -> list[int]:
    """Ids of live Snakemake processes whose working directory (or --directory) is `workdir`."""
    target = workdir.resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
            if not _is_snakemake(argv):
                continue
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if (cwd / (_directory_argument(argv) or ".")).resolve() == target:
            found.append(int(entry.name))
    return sorted(found)


def refuse_second_run(workdir: Path, proc: Path = PROC) -> None:
    """Stop a run in a folder where another Snakemake run is live, with one line naming it.

    The Snakefile calls this first. Two runs in one folder write the same files (even a dry run writes the report
    contexts while it plans), and Snakemake's own message for a held lock, written for a lock that a killed run
    left, advises --unlock or --rerun-incomplete: wrong while the first run writes. Where /proc is missing nothing
    can be checked, and Snakemake's lock is the only guard."""
    if not proc.is_dir():
        return
    live = snakemake_processes(workdir, proc)
    if live:
        pids = ", ".join(str(pid) for pid in live)
        raise PipelineError(
            f"{workdir}: another Snakemake run (pid {pids}) holds this folder; wait for it to end "
            "(its lock is not stale: do not --unlock)"
        )


def _is_snakemake(argv: list[str]) -> bool:
    """`snakemake ...`, `python /path/bin/snakemake ...` or `python -m snakemake ...`."""
    names = [Path(arg).name for arg in argv[:2]]
    return "snakemake" in names or any(argv[i : i + 2] == ["-m", "snakemake"] for i in range(len(argv) - 1))


def _directory_argument(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg in ("--directory", "-d") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--directory="):
            return arg.split("=", 1)[1]
    return None


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
