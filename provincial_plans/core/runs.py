"""Live Snakemake runs in a folder, read from /proc: the Snakefile refuses a second run, `regenerate` a stale lock.

A lock is stale only when no Snakemake process works in the directory: a run that was killed leaves its lock behind,
but a lock that a live run holds must never be removed (two runs writing the same reports corrupt them).
"""

from __future__ import annotations

import os
from pathlib import Path

from provincial_plans.core.errors import PipelineError

PROC = Path("/proc")


def snakemake_processes(workdir: Path, proc: Path = PROC) -> list[int]:
    """Ids of live Snakemake processes whose working directory (or --directory) is `workdir`."""
    target = workdir.resolve()
    ours = _ancestors(proc)  # this run and what started it: `nice snakemake`, `time python -m snakemake`, srun
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in ours:
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

    The Snakefile calls this first. Two runs in one folder write the same files, and Snakemake's own message for a
    held lock, written for a lock that a killed run left, advises --unlock or --rerun-incomplete: wrong while the
    first run writes. Where /proc is missing nothing can be checked, and Snakemake's lock is the only guard."""
    if not proc.is_dir():
        return
    live = snakemake_processes(workdir, proc)
    if live:
        pids = ", ".join(str(pid) for pid in live)
        raise PipelineError(
            f"{workdir}: another Snakemake run (pid {pids}) holds this folder; wait for it to end "
            "(its lock is not stale: do not --unlock)"
        )


def _ancestors(proc: Path) -> set[int]:
    """This process and its parents up to init, read from /proc/PID/stat (the parent id follows the name in
    brackets, which may itself hold spaces or brackets)."""
    chain, pid = set(), os.getpid()
    while pid > 0 and pid not in chain:
        chain.add(pid)
        try:
            stat = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
            pid = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):  # ended meanwhile, or a /proc without it
            break
    return chain


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
