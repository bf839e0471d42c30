"""Ending a finished process at once: pending Timers are cancelled without running, and after
skip_final_collections the exit no longer collects what was alive (a cycle's finaliser shows whether it did)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from provincial_plans.core.shutdown import cancel_timers

ROOT = Path(__file__).resolve().parents[2]

# A reference cycle with a finaliser, reachable only from a module global: at exit, only a garbage collection
# of the cleared module finds it, and its finaliser says so.
CYCLE = """
import sys
from provincial_plans.core.shutdown import skip_final_collections
class Node:
    def __del__(self):
        sys.stdout.write("collected at exit\\n")
        sys.stdout.flush()
node = Node()
node.self = node
if sys.argv[1] == "skip":
    skip_final_collections()
"""


def test_cancel_timers_ends_pending_timers_without_running_them() -> None:
    fired: list[str] = []
    timers = [threading.Timer(60, fired.append, args=(name,)) for name in ("first", "second")]
    for timer in timers:
        timer.start()
    try:
        assert cancel_timers() >= 2
        for timer in timers:
            timer.join(timeout=10)
            assert not timer.is_alive()
    finally:
        for timer in timers:
            timer.cancel()
    assert fired == []
    assert cancel_timers() == 0


def test_skip_final_collections_leaves_the_heap_out_of_the_exit_collections() -> None:
    def run(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", CYCLE, mode], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
        )
        return done.stdout

    assert run("collect") == "collected at exit\n"  # the control: without it, the exit collects the cycle
    assert run("skip") == ""
