"""The warm render server: a job without one renders itself and leaves one behind; its copies make the same
reports, relay errors and exit status; a killed job stops its copy; the socket is private."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from provincial_plans.report import render_server

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


def test_a_changed_module_or_folder_gets_another_server(tmp_path, monkeypatch):
    package = tmp_path / "provincial_plans"
    (package / "report").mkdir(parents=True)
    module = package / "report" / "render.py"  # a module of a stage's package counts as well
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(render_server, "PACKAGE", package)
    before = render_server.socket_path(tmp_path)
    assert before == render_server.socket_path(tmp_path)
    module.write_text("x = 22\n", encoding="utf-8")
    assert render_server.socket_path(tmp_path) != before
    assert render_server.socket_path(tmp_path / "other") != render_server.socket_path(tmp_path)


def test_without_fcntl_the_module_imports_and_offers_no_server():
    """Windows has no fcntl: importing must not fail, and with no socket path every job renders in its process."""
    code = (
        "import sys; sys.modules['fcntl'] = None; "
        "from provincial_plans.report import render_server as s; print(s.socket_path())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "None\n", "")
