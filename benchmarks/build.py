"""Build benchmark: cold build, no-op rebuild and a one-province change, each timed in a scratch copy.

Run from the repository root as `python -m benchmarks.build` (what `make bench` calls). The workflow is copied
to a temporary directory so the user's reports/ stay untouched; results go to benchmarks/results/.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .record import ROOT, machine, save

WORKFLOW = ("Snakefile", "rules", "config", "data", "templates")
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
EDITED_ROW = "2017,21,辽宁,task.platform,"
EDIT = (",III.3 / Table 4,", ",III.3 / Table 4 (benchmark edit),")
COLD_TARGET_S = 45.0
ONE_PROVINCE_TARGET_S = 8.0
PDF_RUNS = 3
JOB_LINE = re.compile(r"^(\S+)\s+(\d+)$")


class BenchmarkError(Exception):
    """A step that cannot be measured; main() turns it into one line on stderr and a non-zero exit."""


def snakemake(workdir: Path, *args: str) -> tuple[str, float, float]:
    """Run snakemake in workdir; return its output, wall seconds and peak RSS (MiB) of the largest process.

    os.wait4 gives this run's own rusage, which includes the descendants it reaped, so each step is measured
    on its own; getrusage(RUSAGE_CHILDREN) would keep the high-water mark of all earlier steps.
    """
    command = [str(SNAKEMAKE), "--cores", "2", *args]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise BenchmarkError(
            f"{tail}\nerror: `snakemake {' '.join(command[1:])}` failed with exit code {process.returncode}"
        )
    return output, wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def job_stats(workdir: Path) -> dict[str, int]:
    """Jobs per rule that the next run will do, from a dry run's "Job stats:" table (empty when up to date)."""
    lines = [line.strip() for line in snakemake(workdir, "-n")[0].splitlines()]
    if "Job stats:" not in lines:
        return {}
    stats: dict[str, int] = {}
    for line in lines[lines.index("Job stats:") + 3 :]:  # skip the "job count" header and its rule
        match = JOB_LINE.match(line)
        if match is None:
            break
        if match[1] != "total":
            stats[match[1]] = int(match[2])
    return stats


def step(workdir: Path, name: str, target_s: float | None = None) -> dict[str, Any]:
    """Count the jobs with a dry run (not timed), then time the real run."""
    stats = job_stats(workdir)
    _, wall, rss = snakemake(workdir, "--quiet")
    met = None if target_s is None else wall <= target_s
    return {
        "name": name,
        "wall_s": round(wall, 2),
        "peak_rss_mib": round(rss, 1),
        "jobs": sum(stats.values()),
        "jobs_per_rule": stats,
        "target_s": target_s,
        "met": met,
    }


def edit_liaoning(facts: Path) -> None:
    """Change one Liaoning fact's source_section, so that only what depends on that province is stale."""
    lines = facts.read_bytes().decode("utf-8").splitlines(keepends=True)  # keeps line endings as they are
    rows = [i for i, line in enumerate(lines) if line.startswith(EDITED_ROW) and EDIT[0] in line]
    if len(rows) != 1:
        raise BenchmarkError(f"error: {facts}: expected one row '{EDITED_ROW}…{EDIT[0]}…', found {len(rows)}")
    lines[rows[0]] = lines[rows[0]].replace(*EDIT, 1)
    facts.write_bytes("".join(lines).encode("utf-8"))


def time_pdf(workdir: Path) -> dict[str, float]:
    """Seconds per province PDF in-process: the first run pays imports and font loading as every job does."""
    from pipeline.errors import PipelineError
    from pipeline.render import render_unit

    context = workdir / "build" / "2017" / "units" / "liaoning.json"
    out_dir = workdir / "bench-pdf"
    out_dir.mkdir()
    cwd = Path.cwd()
    os.chdir(workdir)  # the renderer may read files under the working directory only
    try:
        times = []
        for _ in range(PDF_RUNS):
            start = time.perf_counter()
            render_unit(context, [str(out_dir / "liaoning.zh.pdf")], workdir / "data" / "messages")
            times.append(time.perf_counter() - start)
    except PipelineError as error:
        raise BenchmarkError(f"error: rendering {context.name} in-process failed: {error}") from error
    finally:
        os.chdir(cwd)
    return {"min_s": round(min(times), 2), "mean_s": round(sum(times) / len(times), 2)}


def benchmark(workdir: Path) -> dict[str, Any]:
    """Copy the workflow into workdir and measure the three builds there."""
    for name in WORKFLOW:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, workdir / name)
    steps = [step(workdir, "cold build", COLD_TARGET_S)]
    jobs = render_jobs(workdir / "logs" / "2017" / "benchmarks" / "render")
    year = workdir / "reports" / "2017"
    outputs = {"pdf": len(list(year.rglob("*.pdf"))), "html": len(list(year.rglob("*.html")))}
    per_pdf = time_pdf(workdir)
    steps.append(step(workdir, "no-op rebuild"))
    edit_liaoning(workdir / "data" / "2017" / "facts.csv")
    steps.append(step(workdir, "one-province change", ONE_PROVINCE_TARGET_S))
    harfbuzz = ctypes.util.find_library("harfbuzz-subset") is not None
    return {
        "machine": machine(),
        "harfbuzz_subset": harfbuzz,
        "steps": steps,
        "per_pdf": per_pdf,
        "render_jobs": jobs,
        "outputs": outputs,
    }


def render_jobs(folder: Path) -> dict[str, Any]:
    """Seconds and peak memory of the cold build's render jobs, from Snakemake's per-job `benchmark:` files.

    A province job renders four files (zh and en, HTML and PDF) in one process, imports included.
    """
    rows = {}
    for path in sorted(folder.glob("*.tsv")):
        header, values = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[:2])
        rows[path.stem] = dict(zip(header, values, strict=True))
    provinces = [row for name, row in rows.items() if name != "national"]
    if not provinces or "national" not in rows:
        raise BenchmarkError(f"error: {folder}: no per-job benchmark files of the render rules")
    seconds = [float(row["s"]) for row in provinces]
    return {
        "province_jobs": len(provinces),
        "province_mean_s": round(sum(seconds) / len(seconds), 2),
        "province_max_s": round(max(seconds), 2),
        "province_max_rss_mib": round(max(float(row["max_rss"]) for row in provinces), 1),
        "national_s": round(float(rows["national"]["s"]), 2),
        "national_max_rss_mib": round(float(rows["national"]["max_rss"]), 1),
    }


def report(result: dict[str, Any]) -> None:
    """The results as a Markdown table, ready to paste into a pull request."""
    counts = "({pdf} PDF + {html} HTML)".format(**result["outputs"])
    print("| step | wall s | peak RSS MiB | jobs | target s | met |\n|---|---|---|---|---|---|")
    for row in result["steps"]:
        name = f"{row['name']} {counts}" if row["name"] == "cold build" else row["name"]
        target, met = ("", "") if row["met"] is None else (f"{row['target_s']:g}", "yes" if row["met"] else "no")
        print(f"| {name} | {row['wall_s']:.1f} | {row['peak_rss_mib']:.0f} | {row['jobs']} | {target} | {met} |")
    per_pdf, hb = result["per_pdf"], "present" if result["harfbuzz_subset"] else "absent (PDFs render slower)"
    print("\nPeak RSS is that of the largest process of each run, not the sum of the tree.")
    print(
        f"One province PDF in-process ({PDF_RUNS} runs): min {per_pdf['min_s']:.2f} s, mean {per_pdf['mean_s']:.2f} s"
    )
    jobs = result["render_jobs"]
    print(
        f"Render jobs of the cold build (each: zh + en, HTML + PDF, one process): {jobs['province_jobs']} provinces, "
        f"mean {jobs['province_mean_s']:.2f} s, max {jobs['province_max_s']:.2f} s, peak RSS "
        f"{jobs['province_max_rss_mib']:.0f} MiB; national {jobs['national_s']:.2f} s, "
        f"{jobs['national_max_rss_mib']:.0f} MiB"
    )
    print(f"libharfbuzz-subset: {hb}")
    print(f"Jobs per rule after the one-province change: {result['steps'][-1]['jobs_per_rule']}")


def main() -> int:
    now = datetime.now(UTC)
    workdir = Path(tempfile.mkdtemp(prefix="bench-build-", dir="/tmp"))
    try:
        result = {"date": now.isoformat(timespec="seconds"), **benchmark(workdir)}
    except BenchmarkError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(result)
    save("build", now, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
