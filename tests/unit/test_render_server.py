"""The warm render server's socket: one per code and folder, and none where fcntl is missing (the jobs that use
it are tests/workflow/test_render_server.py's)."""

from __future__ import annotations

import subprocess
import sys

from provincial_plans.report import render_server


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
