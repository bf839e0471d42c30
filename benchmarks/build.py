"""Build benchmark: cold build, no-op rebuild and a one-province change, each timed in a scratch copy.

Run from the repository root as `python -m benchmarks.build` (what `make bench` calls). The workflow is copied
to a temporary directory so the user's reports/ stay untouched; results go to benchmarks/results/. Each step
runs RUNS times (a cold build from an empty folder each time; the one-province change edits, reverts and edits
again) and the table gives the median with every run: these VMs' speed drifts by a fifth from one minute to the
next.

Render jobs run in the warm render server (report.render_server) as the workflow's default does. Each run has
its own value of BENCH_STEP in the environment, so it starts without a server, as a user's run some minutes after
the last one would: a server belongs to one environment. The last step repeats the edit while the previous run's
server still runs, for comparison (no target). Each render job writes its time and peak memory to a file
(PIPELINE_RENDER_USAGE), as measured in the job's own process; the figures are the last cold build's.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from provincial_plans.report.cli import USAGE_VARIABLE

from .record import ROOT, machine, save

WORKFLOW = ("Snakefile", "rules", "config", "data", "templates", "profiles")
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
EDITED_ROW = "2017,21,辽宁,task.platform,"
EDIT = (",III.3 / Table 4,", ",III.3 / Table 4 (benchmark edit),")
COLD_TARGET_S = 45.0
ONE_PROVINCE_TARGET_S = 8.0
PDF_RUNS = 3
RUNS = 3  # runs of each step; the table gives their median
USAGE_FILE = "render-usage.jsonl"


class BenchmarkError(Exception):
    """A step that cannot be measured; main() turns it into one line on stderr and a non-zero exit."""


def snakemake(workdir: Path, *args: str, env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Run snakemake in workdir; return its output, wall seconds and peak RSS (MiB) of the largest process.

    os.wait4 gives this run's own rusage, which includes the descendants it reaped, so each step is measured
    on its own; getrusage(RUSAGE_CHILDREN) would keep the high-water mark of all earlier steps.
    """
    command = [str(SNAKEMAKE), "--cores", "2", *args]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env=env)
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


def jobs_run(workdir: Path, since: float) -> dict[str, int]:
    """Jobs per rule that a run ran, from the logs it wrote (every rule has one; `all` has none): a dry run cannot
    count them, since it does not see past the `contexts` checkpoint. A log's place names its rule."""
    stats: dict[str, int] = {}
    for log in (workdir / "logs").rglob("*.log"):
        if log.stat().st_mtime < since:
            continue
        parts = log.relative_to(workdir / "logs").with_suffix("").parts
        if parts[-2:-1] == ("render",):
            rule = "render_national" if parts[-1] == "national" else "render_province"
        elif parts[-2:-1] == ("ingest",):
            rule = "ingest"
        elif len(parts) == 1:
            rule = {"publish": "publish_years_index"}.get(parts[0], parts[0])
        else:
            rule = parts[-1]
        stats[rule] = stats.get(rule, 0) + 1
    return dict(sorted(stats.items()))


def step(
    workdir: Path,
    name: str,
    target_s: float | None = None,
    prepare: Callable[[int], None] | None = None,
    runs: int = RUNS,
    server: str | None = None,
) -> dict[str, Any]:
    """Time `runs` runs (`prepare(run)` before each, not timed), each with a render server of its own; median.

    The jobs are counted from the logs the first run wrote. `server`: the BENCH_STEP of an earlier run whose render
    server this step uses (still running).
    """
    walls, peaks = [], []
    stats: dict[str, int] | None = None
    for run in range(runs):
        if prepare is not None:
            prepare(run)
        env = os.environ | {"BENCH_STEP": server or f"{name} {run}", USAGE_VARIABLE: str(workdir / USAGE_FILE)}
        started = time.time()
        _, wall, rss = snakemake(workdir, "--quiet", env=env)
        stats = jobs_run(workdir, started) if stats is None else stats
        walls.append(round(wall, 2))
        peaks.append(rss)
    median = statistics.median(walls)
    return {
        "name": name,
        "wall_s": round(median, 2),
        "runs_s": walls,
        "peak_rss_mib": round(max(peaks), 1),
        "jobs": sum(stats.values()),
        "jobs_per_rule": stats,
        "target_s": target_s,
        "met": None if target_s is None else median <= target_s,
    }


def edit_liaoning(facts: Path, edit: tuple[str, str]) -> None:
    """Change one Liaoning fact's source_section, so that only what depends on that province is stale."""
    lines = facts.read_bytes().decode("utf-8").splitlines(keepends=True)  # keeps line endings as they are
    rows = [i for i, line in enumerate(lines) if line.startswith(EDITED_ROW) and edit[0] in line]
    if len(rows) != 1:
        raise BenchmarkError(f"error: {facts}: expected one row '{EDITED_ROW}…{edit[0]}…', found {len(rows)}")
    lines[rows[0]] = lines[rows[0]].replace(*edit, 1)
    facts.write_bytes("".join(lines).encode("utf-8"))


def time_pdf(workdir: Path) -> dict[str, float]:
    """Seconds per province PDF in-process: the first run pays imports and font loading as every job does."""
    from provincial_plans.core.errors import PipelineError
    from provincial_plans.report.render import render_unit

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

    def clean(_: int) -> None:
        for built in ("build", "logs", ".snakemake", "reports/2017", "reports/index.html", USAGE_FILE):
            path = workdir / built
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    facts = workdir / "data" / "2017" / "facts.csv"

    def edit(run: int) -> None:  # the edit, then back, then the edit again: each run changes one province
        edit_liaoning(facts, EDIT if run % 2 == 0 else EDIT[::-1])

    steps = [step(workdir, "cold build", COLD_TARGET_S, clean)]
    jobs = render_jobs(workdir / USAGE_FILE)  # the last run's
    year = workdir / "reports" / "2017"
    outputs = {"pdf": len(list(year.rglob("*.pdf"))), "html": len(list(year.rglob("*.html")))}
    per_pdf = time_pdf(workdir)
    steps.append(step(workdir, "no-op rebuild"))
    steps.append(step(workdir, "one-province change", ONE_PROVINCE_TARGET_S, edit))
    steps.append(
        step(
            workdir,
            "one-province change, server still running",
            prepare=lambda _: edit(RUNS),
            runs=1,
            server=f"one-province change {RUNS - 1}",
        )
    )
    harfbuzz = ctypes.util.find_library("harfbuzz-subset") is not None
    return {
        "machine": machine(),
        "harfbuzz_subset": harfbuzz,
        "steps": steps,
        "per_pdf": per_pdf,
        "render_jobs": jobs,
        "outputs": outputs,
    }


def render_jobs(usage: Path) -> dict[str, Any]:
    """Seconds, CPU seconds and peak memory of the cold build's render jobs, as each rendering process measured
    itself (`usage`, a JSON line per job; with the render server, the server's forked copy). A province job renders
    four files (zh and en, HTML and PDF).

    Not Snakemake's `benchmark:` files: their sampler read every job's process tree once a second, 0.6 CPU-s of
    Snakemake's own in a cold build on two cores (py-spy), beside the render jobs it measured.
    """
    records = {}
    for line in usage.read_text(encoding="utf-8").splitlines() if usage.exists() else []:
        record = json.loads(line)
        records[record["outputs"][0].split(".")[0]] = record
    usage.unlink(missing_ok=True)  # the next steps' jobs are not the cold build's
    provinces = [name for name in records if name != "national"]
    if not provinces or "national" not in records:
        raise BenchmarkError(f"error: {usage}: not every render job left its time and memory")
    return {
        "province_jobs": len(provinces),
        "province_mean_s": round(sum(records[name]["seconds"] for name in provinces) / len(provinces), 2),
        "province_max_s": round(max(records[name]["seconds"] for name in provinces), 2),
        "province_mean_cpu_s": round(sum(records[name]["cpu_s"] for name in provinces) / len(provinces), 2),
        "province_max_rss_mib": max(records[name]["max_rss_mib"] for name in provinces),
        "national_s": records["national"]["seconds"],
        "national_cpu_s": records["national"]["cpu_s"],
        "national_max_rss_mib": records["national"]["max_rss_mib"],
    }


def report(result: dict[str, Any]) -> None:
    """The results as a Markdown table, ready to paste into a pull request."""
    counts = "({pdf} PDF + {html} HTML)".format(**result["outputs"])
    print("| step | wall s (median) | runs s | peak RSS MiB | jobs | target s | met |\n|---|---|---|---|---|---|---|")
    for row in result["steps"]:
        name = f"{row['name']} {counts}" if row["name"] == "cold build" else row["name"]
        target, met = ("", "") if row["met"] is None else (f"{row['target_s']:g}", "yes" if row["met"] else "no")
        runs = ", ".join(f"{wall:.1f}" for wall in row["runs_s"])
        print(
            f"| {name} | {row['wall_s']:.1f} | {runs} | {row['peak_rss_mib']:.0f} | {row['jobs']} | {target} | {met} |"
        )
    per_pdf, hb = result["per_pdf"], "present" if result["harfbuzz_subset"] else "absent (PDFs render slower)"
    print(
        "\nPeak RSS is that of the largest process each run waited for, not the sum of the tree (the render "
        "server's processes are not among them: see the render jobs below)."
    )
    print(
        f"One province PDF in-process ({PDF_RUNS} runs): min {per_pdf['min_s']:.2f} s, mean {per_pdf['mean_s']:.2f} s"
    )
    jobs = result["render_jobs"]
    print(
        f"Render jobs of the cold build (each: zh + en, HTML + PDF): {jobs['province_jobs']} provinces, "
        f"mean {jobs['province_mean_s']:.2f} s ({jobs['province_mean_cpu_s']:.2f} CPU-s in the rendering process), "
        f"max {jobs['province_max_s']:.2f} s, peak RSS {jobs['province_max_rss_mib']:.0f} MiB; national "
        f"{jobs['national_s']:.2f} s ({jobs['national_cpu_s']:.2f} CPU-s), {jobs['national_max_rss_mib']:.0f} MiB"
    )
    print(f"libharfbuzz-subset: {hb}")
    change = next(row for row in result["steps"] if row["name"] == "one-province change")
    print(f"Jobs per rule after the one-province change: {change['jobs_per_rule']}")


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
