"""The workflow on a real one-node SLURM cluster (cluster/slurm-up.sh): every job a SLURM job, the same bytes.

The cluster runs where the test may install and start it: as root, with Debian's SLURM packages or apt-get to
install them (`make cluster-test`, part of `make test`). Elsewhere the module is skipped, with the reason. The
fixture stops only the daemons that its own cluster/slurm-up.sh call started.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ROOT, SOURCE_DATE_EPOCH, copy_workflow, tree_hashes

STATE = Path("/var/lib/provincial-plans-slurm")
CLUSTER_PYTHON = ROOT / ".venv-cluster" / "bin" / "python"
STALL_S = 90.0  # jobs pending this long while none of them runs: they wait for what the node cannot give
SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+)")


def _why_not() -> str | None:
    """Why this machine cannot run the cluster here, or None."""
    if os.geteuid() != 0:
        return "the SLURM test needs root (slurmd starts jobs as their user)"
    if not shutil.which("slurmctld") and not shutil.which("apt-get"):
        return "the SLURM test needs Debian's slurmctld, slurmd, slurm-client and munge, or apt-get to install them"
    if Path("/etc/slurm/slurm.conf").exists():
        return "this machine has a SLURM configuration of its own (/etc/slurm/slurm.conf); the test makes its own"
    if not CLUSTER_PYTHON.exists():
        return "the cluster plugins are not installed: `make cluster` (part of `make test`) installs them"
    return None


@pytest.fixture(scope="module")
def node() -> Iterator[dict[str, int]]:
    """The running one-node cluster: its CPUs and memory (MB). Daemons this fixture started stop after the module."""
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    up = subprocess.run(
        [str(ROOT / "cluster" / "slurm-up.sh"), str(STATE)], capture_output=True, text=True, timeout=900
    )
    assert up.returncode == 0, up.stderr
    started = up.stdout.split("started:", 1)[1].split()
    try:
        line = subprocess.run(
            ["sinfo", "-h", "-N", "-o", "%c %m"], capture_output=True, text=True, check=True
        ).stdout.split()
        yield {"cpus": int(line[0]), "mem_mb": int(line[1])}
    finally:
        if started:
            subprocess.run([str(ROOT / "cluster" / "slurm-down.sh"), str(STATE), *started], check=True, timeout=60)


def squeue() -> list[dict[str, str]]:
    """The cluster's jobs: id, state, reason, CPUs, memory, name."""
    result = subprocess.run(
        ["squeue", "-h", "-o", "%i|%T|%r|%C|%m|%j"], capture_output=True, text=True, check=True, timeout=30
    )
    keys = ("id", "state", "reason", "cpus", "memory", "name")
    return [dict(zip(keys, line.split("|"), strict=True)) for line in result.stdout.splitlines()]


def run_through_slurm(workdir: Path, node: dict[str, int], stall_s: float = STALL_S) -> str:
    """Snakemake with profiles/slurm on the tiny config; its output. Jobs pending for stall_s with none of this
    run's jobs running fail the test with one line: they wait for what the node cannot give."""
    command = [
        str(CLUSTER_PYTHON), "-m", "snakemake", "--profile", "profiles/slurm", "--configfile", "config/tiny.yaml",
        "--slurm-init-seconds-before-status-checks", "2",  # the plugin's 40 s first wait, for a queue this short
    ]  # fmt: skip
    log = workdir / "slurm-run.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            command, cwd=workdir, stdout=stream, stderr=subprocess.STDOUT,
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}, start_new_session=True,
        )  # fmt: skip
        stalled_since: float | None = None
        try:
            while process.poll() is None:
                time.sleep(2)
                mine = set(SUBMITTED.findall(log.read_text()))
                jobs = [job for job in squeue() if job["id"] in mine]
                pending = [job for job in jobs if job["state"] == "PENDING"]
                if not pending or any(job["state"] == "RUNNING" for job in jobs):
                    stalled_since = None
                    continue
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since >= stall_s:
                    waiting = ", ".join(
                        f"job {job['id']} ({job['reason']}; {job['cpus']} CPUs, {job['memory']})" for job in pending
                    )
                    pytest.fail(
                        f"error: SLURM jobs pending for {stall_s:.0f} s with none running: {waiting}; the node has "
                        f"{node['cpus']} CPUs and {node['mem_mb']} MB",
                        pytrace=False,
                    )
        finally:
            if process.poll() is None:  # its jobs first: Snakemake waits for the jobs it knows to end
                subprocess.run(["scancel", *SUBMITTED.findall(log.read_text())], check=False, timeout=30)
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
    output = log.read_text()
    assert process.returncode == 0, output[-4000:]
    return output


def completed_jobs() -> dict[str, str]:
    """State of every job the cluster finished, by id, from its job completion records (`sacct --completion`:
    the cluster has no slurmdbd, so plain sacct has no accounting to read)."""
    result = subprocess.run(
        ["sacct", "--completion", "-X", "-n", "-P", "-o", "JobID,State"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return dict(line.split("|")[:2] for line in result.stdout.splitlines() if line)


def processes_in(folder: Path) -> list[str]:
    """Command lines of the processes working in `folder` (a render server left behind would)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(folder):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


def test_the_workflow_runs_as_slurm_jobs_and_builds_the_same_bytes(node, built, tmp_path):
    workdir = copy_workflow(tmp_path / "workflow")
    output = run_through_slurm(workdir, node)
    submitted = SUBMITTED.findall(output)
    stats = dict(re.findall(r"^(\w+)\s+(\d+)$", output.split("Job stats:", 1)[1].split("\n\n", 1)[0], re.M))
    # every job but `all` (which runs nothing) was a SLURM job, and SLURM's records show each one completed
    assert len(submitted) == sum(int(count) for rule, count in stats.items() if rule not in ("all", "total"))
    assert "render_batch_2017_0" in stats  # the profile's eight reports per job: the three provinces in one
    finished = completed_jobs()
    assert {job: finished.get(job) for job in submitted} == dict.fromkeys(submitted, "COMPLETED")
    assert tree_hashes(workdir / "reports") == tree_hashes(built / "reports")
    # no render server outlives its SLURM job
    assert processes_in(workdir) == []


def test_jobs_that_stay_pending_fail_the_run_with_one_clear_line(node, tmp_path):
    """A job of another user holds the whole node: the workflow's first job waits, and the run stops with a line
    that names the waiting job, why SLURM says it waits, and what it asked for."""
    blocker = subprocess.run(
        ["sbatch", "--parsable", "-o", "/dev/null", "-c", str(node["cpus"]), f"--mem={node['mem_mb']}", "--wrap",
         "sleep 600"],
        capture_output=True, text=True, check=True, timeout=30, cwd=tmp_path,
    ).stdout.strip()  # fmt: skip
    try:
        with pytest.raises(pytest.fail.Exception) as failure:
            run_through_slurm(copy_workflow(tmp_path / "workflow"), node, stall_s=10)
    finally:
        subprocess.run(["scancel", blocker], check=True, timeout=30)
    message = str(failure.value)
    job = r"job \d+ \((?:Resources|Priority); 1 CPUs, \d+M\)"  # Priority: queued behind one waiting for Resources
    assert re.fullmatch(
        rf"error: SLURM jobs pending for 10 s with none running: {job}(?:, {job})*; "
        rf"the node has {node['cpus']} CPUs and {node['mem_mb']} MB",
        message,
    ), message
    assert "(Resources;" in message


def test_a_slurm_job_finds_no_render_server(monkeypatch, tmp_path):
    """Without the cluster too: in a SLURM job a render job renders in its own process (no socket to look for)."""
    from provincial_plans.report import render_server

    assert render_server.socket_path(tmp_path) is not None
    monkeypatch.setenv("SLURM_JOB_ID", "12")
    assert render_server.socket_path(tmp_path) is None
