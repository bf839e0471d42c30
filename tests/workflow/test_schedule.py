"""The yearly schedule (systemd units, cron line) and the scheduled `regenerate` run on the tiny config."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

from provincial_plans.__main__ import main

from ..conftest import copy_workflow
from ..unit.test_acquire import Site

STALE_LOCK = "reports/2017/index.html\nreports/2017/national.zh.pdf\n"


def regenerate(workdir: Path) -> subprocess.CompletedProcess[str]:
    """The scheduled command, as the timer runs it: in the workflow folder."""
    command = [sys.executable, "-m", "provincial_plans", "regenerate", "--cores", "2"]
    command += ["--configfile", "config/tiny.yaml"]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=900)


def test_regenerate_clears_a_stale_lock_builds_and_archives(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path / "workflow")
    locks = workdir / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.output.lock").write_text(STALE_LOCK, encoding="utf-8")
    site = Site()  # sources.csv points at it: the build must not fetch anything
    site.thread.start()
    try:
        (workdir / "data" / "2017" / "sources.csv").write_text(
            f"unit,doc_id,url,title\nbeijing,synthetic-beijing,{site.url('/plan.html')},合成示例\n", encoding="utf-8"
        )
        result = regenerate(workdir)
    finally:
        site.server.shutdown()
        site.server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    archive = f"archive/provincial-plans-2017-{date.today():%Y%m%d}.zip"
    assert result.stdout == f"archived {archive}\n"
    assert site.requests == []
    assert not list(locks.glob("*.lock"))
    [log] = (workdir / "logs" / "regenerate").iterdir()
    text = log.read_text(encoding="utf-8")
    assert "removing a stale Snakemake lock" in text and f"archived {archive}" in text
    assert "steps (100%) done" in text
    assert main(["verify", str(workdir / archive)]) == 0
    with zipfile.ZipFile(workdir / archive) as bundle:
        assert "provincial-plans-2017/guizhou.zh.pdf" in bundle.namelist()


def test_regenerate_failure_is_non_zero_with_its_log(tmp_path: Path) -> None:
    workdir = copy_workflow(tmp_path / "workflow")
    facts = workdir / "data" / "2017" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(",1,", ",yes,", 1), encoding="utf-8")
    result = regenerate(workdir)
    assert result.returncode == 1
    [log] = (workdir / "logs" / "regenerate").iterdir()
    assert result.stderr == f"error: build failed (snakemake exit 1); see logs/regenerate/{log.name}\n"
    assert "value 'yes' is not one of '0', '1'" in log.read_text(encoding="utf-8")
    assert not (workdir / "archive").exists()
