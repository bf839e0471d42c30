"""Reproducible, atomic outputs: two clean builds are byte-identical (SOURCE_DATE_EPOCH set), and a build killed
with SIGKILL mid-render leaves no partial file and, rerun, ends identical to a clean build."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from pypdf import PdfReader

from ..conftest import SNAKEMAKE, SOURCE_DATE_EPOCH, copy_workflow, snakemake


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def assert_same_tree(left: Path, right: Path) -> None:
    a, b = files(left), files(right)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == [], f"differ between two builds: {differing}"


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    again = copy_workflow(tmp_path / "again")
    result = snakemake(again)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_same_tree(built / "reports", again / "reports")


def test_a_build_killed_mid_render_reruns_to_the_clean_result(built, tmp_path):
    work = copy_workflow(tmp_path / "killed")
    process = subprocess.Popen(
        [SNAKEMAKE, "--cores", "2", "--configfile", "config/tiny.yaml"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes Snakemake and every job it started
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    renders = work / "logs" / "2017" / "render"
    deadline = time.monotonic() + 300
    while not (renders.exists() and any(renders.iterdir())):  # a render job has started
        assert process.poll() is None, "the build ended before any render started"
        assert time.monotonic() < deadline, "no render started within 300 s"
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    year = work / "reports" / "2017"
    assert not (year / "index.html").exists(), "killed too late: the build had finished"
    for pdf in year.glob("*.pdf"):  # whatever is in place is whole: written to a temporary file, then renamed
        assert len(PdfReader(pdf).pages) > 1, pdf.name
    unlock = snakemake(work, "--unlock")
    assert unlock.returncode == 0, unlock.stderr[-2000:]
    rerun = snakemake(work, "--rerun-incomplete")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert_same_tree(built / "reports", work / "reports")
