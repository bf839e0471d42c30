"""The warm render server: a job without one renders itself and leaves one behind; its copies make the same
reports, relay errors and exit status; a killed job stops its copy; the socket is private."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..conftest import SOURCE_DATE_EPOCH

EDITIONS = ("zh.html", "zh.pdf", "en.html", "en.pdf")


def render(workdir: Path, out: Path, env: dict[str, str], *extra: str, unit: str = "liaoning") -> subprocess.Popen[str]:
    """`python -m provincial_plans render` of one province's four editions into `out`, as the workflow runs it."""
    out.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "provincial_plans",
        "render",
        "--context",
        f"build/2017/units/{unit}.json",
        "--messages",
        "data/messages",
        "--templates",
        "templates",
        *extra,
        "--",
        *(str(out / f"{unit}.{edition}") for edition in EDITIONS),
    ]
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=300)
    return process.returncode, stdout, stderr


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    """An environment of its own (so a server of its own), recording each job's process in a usage file."""
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PIPELINE_RENDER_USAGE": str(tmp_path / "usage.jsonl"),
        "TEST_SERVER": uuid.uuid4().hex,
    }


def usage(env: dict[str, str]) -> list[dict[str, object]]:
    path = Path(env["PIPELINE_RENDER_USAGE"])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_job_renders_itself_then_leaves_a_warm_server_whose_copies_match_it(built, tmp_path, server_env):
    first = render(built, tmp_path / "first", server_env)
    assert finish(first)[0] == 0  # no server yet: rendered in its own process, then forked one
    later = [render(built, tmp_path / name, server_env) for name in ("second", "third")]  # at the same time
    for job in later:
        assert finish(job)[0] == 0
    alone = render(built, tmp_path / "alone", server_env, "--no-server")
    assert finish(alone)[0] == 0
    for name in ("first", "second", "third"):
        for edition in EDITIONS:
            served, own = tmp_path / name / f"liaoning.{edition}", tmp_path / "alone" / f"liaoning.{edition}"
            assert served.read_bytes() == own.read_bytes(), f"{name}: {edition} differs from in-process rendering"
    itself, *copies, in_process = usage(server_env)
    assert itself["pid"] == first.pid and in_process["pid"] == alone.pid
    assert len(copies) == 2 and not {copy["pid"] for copy in copies} & {job.pid for job in later}
    server = {copy["ppid"] for copy in copies}  # both copies forked by one server...
    assert len(server) == 1 and Path(f"/proc/{server.pop()}").exists()  # ...which outlives the jobs
    assert "reports done" not in finish(render(built, tmp_path / "fourth", server_env))[1]  # no --progress given


def test_a_failing_job_reports_its_one_error_line_and_status(built, tmp_path, server_env):
    job = subprocess.run(
        [sys.executable, "-m", "provincial_plans", "render", "--context", "build/2017/units/liaoning.json"]
        + ["--messages", "data/messages", "--", str(tmp_path / "liaoning.fr.html")],
        cwd=built,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert job.returncode == 1
    target = tmp_path / "liaoning.fr.html"
    assert job.stderr.splitlines() == [f"error: {target}: not a report name (NAME.zh|en.html|pdf)"]
    assert not Path(server_env["PIPELINE_RENDER_USAGE"]).exists()  # the job ended before rendering anything


def rendering(job: subprocess.Popen[str], out: Path) -> None:
    """Return as soon as the job has written anything into `out`: its copy is then in the middle of its work, however
    fast this machine renders (a fixed wait let a warm server finish all four editions first)."""
    deadline = time.monotonic() + 300
    while not any(out.iterdir()):
        assert job.poll() is None, finish(job)  # a job that ended without writing failed: its error says why
        assert time.monotonic() < deadline, "the job wrote nothing in five minutes"
        time.sleep(0.002)


def test_a_killed_job_stops_its_copy(built, tmp_path, server_env):
    assert finish(render(built, tmp_path / "warm", server_env))[0] == 0  # the server is up and warm
    job = render(built, tmp_path / "killed", server_env)
    rendering(job, tmp_path / "killed")  # killed once its first edition is out, with three still to render
    job.send_signal(signal.SIGKILL)
    job.wait()
    written = sorted(path.name for path in (tmp_path / "killed").iterdir())
    time.sleep(5)  # longer than the job would have taken
    assert sorted(path.name for path in (tmp_path / "killed").iterdir()) == written  # nothing written since
    assert "liaoning.en.pdf" not in written
    assert len(usage(server_env)) == 1  # only the warm-up job ended


def test_the_socket_is_private_and_an_unsafe_folder_means_rendering_in_process(built, tmp_path, server_env):
    assert finish(render(built, tmp_path / "served", server_env))[0] == 0
    folder = Path(server_env.get("TMPDIR", "/tmp")) / f"provincial-plans-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700
    sockets = list(folder.glob("render-*.sock"))
    assert sockets and all(path.stat().st_mode & 0o777 == 0o600 for path in sockets)

    unsafe = tmp_path / "tmp"
    (unsafe / f"provincial-plans-{os.getuid()}").mkdir(parents=True, mode=0o777)
    (unsafe / f"provincial-plans-{os.getuid()}").chmod(0o777)
    env = {**server_env, "TMPDIR": str(unsafe)}
    job = render(built, tmp_path / "alone", env)
    assert finish(job)[0] == 0
    assert usage(server_env)[-1]["pid"] == job.pid  # rendered in the job's own process
    assert not list((unsafe / f"provincial-plans-{os.getuid()}").iterdir())


@pytest.fixture
def private_tmp(server_env: dict[str, str]) -> Iterator[Path]:
    """A temporary folder of the test's own for the server's socket, lock and log (a short path: a socket's
    name holds 108 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="pp-", dir="/tmp"))
    server_env["TMPDIR"] = str(folder)
    yield folder / f"provincial-plans-{os.getuid()}"
    shutil.rmtree(folder, ignore_errors=True)


def server_pid(folder: Path) -> int:
    """The process id of the server this test started, which it writes into its lock file."""
    [lock] = [path for path in folder.glob("render-*.lock") if len(path.stem) == len("render-") + 20]
    return int(lock.read_text(encoding="ascii"))


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def stop_server(folder: Path) -> None:
    """SIGTERM, which ends a server as IDLE_S without a job does; returns once it has cleaned up."""
    pid = server_pid(folder)
    os.kill(pid, signal.SIGTERM)
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or b") Z " in Path(f"/proc/{pid}/stat").read_bytes(), "alive")


def test_a_server_that_ends_removes_its_socket_lock_and_log(built, tmp_path, server_env, private_tmp):
    assert finish(render(built, tmp_path / "first", server_env))[0] == 0
    wait_for(lambda: list(private_tmp.glob("render-*.sock")), "no server started")
    assert sorted(path.suffix for path in private_tmp.iterdir()) == [".lock", ".log", ".sock"]
    stop_server(private_tmp)
    assert list(private_tmp.iterdir()) == []


def test_the_next_server_removes_what_killed_servers_left_and_keeps_live_ones(built, tmp_path, server_env, private_tmp):
    private_tmp.mkdir(mode=0o700)
    for name in ("render-killed.lock", "render-killed.log", "render-killed.sock", "render-older.log"):
        (private_tmp / name).write_text("", encoding="ascii")  # a lock nobody holds; a socket nobody listens on
    (private_tmp / "render-live.log").write_text("", encoding="ascii")
    earlier = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a live server of an earlier version: no lock
    earlier.bind(str(private_tmp / "render-earlier.sock"))
    earlier.listen(1)
    with (private_tmp / "render-live.lock").open("w") as lock, earlier:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a live server holds its lock
        assert finish(render(built, tmp_path / "first", server_env))[0] == 0
        wait_for(lambda: not (private_tmp / "render-killed.lock").exists(), "a killed server's files were kept")
        left = sorted(path.name for path in private_tmp.iterdir() if len(path.stem) != len("render-") + 20)
        assert left == ["render-earlier.sock", "render-live.lock", "render-live.log"]
        stop_server(private_tmp)
