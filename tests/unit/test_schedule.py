"""The yearly schedule (systemd units, cron line) and the scheduled `regenerate` run on the tiny config."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from provincial_plans.__main__ import main
from provincial_plans.core.runs import snakemake_processes

from ..conftest import ROOT

STALE_LOCK = "reports/2017/index.html\nreports/2017/national.zh.pdf\n"


def schedule(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["schedule", *args]) == 0
    return capsys.readouterr().out


def sections(text: str) -> dict[str, str]:
    """The printed units by file name (the `# path` line before each)."""
    found: dict[str, str] = {}
    for block in text.split("\n\n# ")[:2]:
        header, body = block.lstrip("# ").split("\n", 1)
        found[Path(header).name] = body.rstrip("\n") + "\n"
    return found


def test_prints_units_and_cron_line_without_installing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = schedule(capsys, "--workdir", str(tmp_path), "--time", "02-01 04:30", "--configfile", "config/tiny.yaml")
    units = sections(out)
    assert sorted(units) == ["provincial-plans-regenerate.service", "provincial-plans-regenerate.timer"]
    assert "OnCalendar=*-02-01 04:30:00\n" in units["provincial-plans-regenerate.timer"]
    command = f"{sys.executable} -m provincial_plans regenerate --cores all --configfile config/tiny.yaml"
    assert f"ExecStart={command}\n" in units["provincial-plans-regenerate.service"]
    assert f"WorkingDirectory={tmp_path}\n" in units["provincial-plans-regenerate.service"]
    assert out.rstrip("\n").splitlines()[-1] == f"30 4 1 2 * cd {tmp_path} && {command}"
    assert list(tmp_path.iterdir()) == []  # nothing written, not even ~/.config


def test_install_writes_the_printed_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit_dir = tmp_path / "units"
    out = schedule(capsys, "--workdir", str(tmp_path), "--install", "--unit-dir", str(unit_dir))
    for name, text in sections(out).items():
        assert (unit_dir / name).read_text(encoding="utf-8") == text
        assert f"wrote {unit_dir / name}" in out
    if shutil.which("systemd-analyze"):
        files = [str(path) for path in sorted(unit_dir.iterdir())]
        checked = subprocess.run(["systemd-analyze", "verify", *files], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_odd_paths_survive_systemd_and_cron_quoting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workdir = tmp_path / "a b%c$d"
    python = str(tmp_path / "env 1" / "python")
    out = schedule(capsys, "--workdir", str(workdir), "--python", python, "--configfile", "my 50%.yaml")
    command = [python, "-m", "provincial_plans", "regenerate", "--cores", "all", "--configfile", "my 50%.yaml"]
    service = sections(out)["provincial-plans-regenerate.service"]
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    # systemd: %% is a literal %, $$ a literal $, then words split as a shell splits double-quoted words
    assert shlex.split(exec_start.removeprefix("ExecStart=").replace("%%", "%").replace("$$", "$")) == command
    cron = out.rstrip("\n").splitlines()[-1]
    fields = cron.split(" ", 5)
    assert fields[:5] == ["0", "3", "15", "1", "*"]
    assert "%" not in fields[5].replace("\\%", "")  # an unescaped % would end cron's command
    assert shlex.split(fields[5].replace("\\%", "%")) == ["cd", str(workdir), "&&", *command]


@pytest.mark.parametrize("when", ["13-01 03:00", "02-29 03:00", "1-15 3:00", "01-15 24:00", "04-31 01:00"])
def test_bad_time_is_one_line(when: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--time", when]) == 1
    assert capsys.readouterr().err == (
        f"error: --time '{when}' is not a day and time of the year like '01-15 03:00' (MM-DD HH:MM)\n"
    )


@pytest.fixture
def pretend_snakemake(tmp_path: Path) -> Iterator[Path]:
    """A workflow folder with a lock, and a live process named snakemake working in it."""
    workdir = tmp_path / "workflow"
    (workdir / ".snakemake" / "locks").mkdir(parents=True)
    (workdir / ".snakemake" / "locks" / "0.output.lock").write_text(STALE_LOCK, encoding="utf-8")
    process = subprocess.Popen(["bash", "-c", "exec -a snakemake sleep 60"], cwd=workdir)
    try:
        for _ in range(100):
            if Path(f"/proc/{process.pid}/cmdline").read_bytes().startswith(b"snakemake\0"):
                break
            time.sleep(0.05)
        yield workdir
    finally:
        process.kill()
        process.wait()


def test_live_run_keeps_its_lock(
    pretend_snakemake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(pretend_snakemake)
    pids = snakemake_processes(pretend_snakemake)
    assert len(pids) == 1
    assert main(["regenerate"]) == 1
    assert (
        capsys.readouterr().err
        == f"error: {pretend_snakemake}: Snakemake is running there (pid {pids[0]}); its lock is kept\n"
    )
    assert (pretend_snakemake / ".snakemake" / "locks" / "0.output.lock").read_text(encoding="utf-8") == STALE_LOCK
    assert not (pretend_snakemake / "reports").exists()
    [log] = (pretend_snakemake / "logs" / "regenerate").iterdir()
    assert "its lock is kept" in log.read_text(encoding="utf-8")


def test_lock_left_where_processes_cannot_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".snakemake" / "locks").mkdir(parents=True)
    (tmp_path / ".snakemake" / "locks" / "0.output.lock").write_text(STALE_LOCK, encoding="utf-8")
    monkeypatch.setattr("provincial_plans.ops.regenerate.PROC", tmp_path / "no-proc")
    monkeypatch.chdir(tmp_path)
    assert main(["regenerate"]) == 1
    assert "a Snakemake lock is present and running processes cannot be listed here" in capsys.readouterr().err
    assert (tmp_path / ".snakemake" / "locks" / "0.output.lock").exists()


def test_process_found_by_its_directory_argument(tmp_path: Path) -> None:
    code = "import time; time.sleep(60)"
    command = f"exec -a snakemake {shlex.quote(sys.executable)} -c {shlex.quote(code)} --directory {tmp_path}"
    process = subprocess.Popen(["bash", "-c", command], cwd="/")
    try:
        deadline = time.monotonic() + 5
        while process.pid not in snakemake_processes(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert snakemake_processes(tmp_path) == [process.pid]
        assert process.pid not in snakemake_processes(tmp_path / "elsewhere")
    finally:
        process.kill()
        process.wait()


def test_a_wrapper_that_started_this_run_is_not_another_run(tmp_path: Path) -> None:
    """`nice snakemake`, `/usr/bin/time python -m snakemake`: the wrapper's command line names Snakemake and works in
    the same folder, but it is this run's parent, not a second run."""
    code = "import pathlib; from provincial_plans.core import runs; print(runs.snakemake_processes(pathlib.Path()))"
    inner = f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}; exit $?"  # a child, not an exec
    wrapped = subprocess.run(
        ["bash", "-c", f"exec -a snakemake bash -c {shlex.quote(inner)}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert wrapped.stdout.strip() == "[]", wrapped.stderr


def regenerate(workdir: Path) -> subprocess.CompletedProcess[str]:
    """The scheduled command, as the timer runs it: in the workflow folder."""
    command = [sys.executable, "-m", "provincial_plans", "regenerate", "--cores", "2"]
    command += ["--configfile", "config/tiny.yaml"]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=900)
