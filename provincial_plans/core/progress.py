"""Progress of a long build, counted from the outputs present: "reports done: 12/31 units (2017)".

Render jobs print the line after their reports are written, and the Snakefile prints it for each year when the
run ends, so a build of thousands of units says how far it is without a logger plugin. The count comes from the
files on disk, so it is right whichever order, process or batch the reports were rendered in.
"""

from __future__ import annotations

import json
from pathlib import Path


def units_done(reports_list: Path, reports_root: Path = Path("reports")) -> tuple[int, int, int]:
    """(year, units whose every edition exists, configured units) from build/{year}/reports.json."""
    listed = json.loads(reports_list.read_text(encoding="utf-8"))
    folder = reports_root / str(listed["year"])
    done = sum(
        all((folder / f"{slug}.{edition}").exists() for edition in listed["editions"]) for slug in listed["units"]
    )
    return listed["year"], done, len(listed["units"])


def progress_line(reports_list: Path, reports_root: Path = Path("reports")) -> str:
    year, done, total = units_done(reports_list, reports_root)
    return f"reports done: {done}/{total} units ({year})"


def report_files(reports_list: Path, reports_root: Path = Path("reports")) -> list[str]:
    """Every report file of the year (national first), as the index links them: read from a file rather than
    the command line, which cannot carry the 12,000 names of a county-scale year."""
    listed = json.loads(reports_list.read_text(encoding="utf-8"))
    folder = reports_root / str(listed["year"])
    return [
        (folder / f"{stem}.{edition}").as_posix()
        for stem in ("national", *listed["units"])
        for edition in listed["editions"]
    ]
