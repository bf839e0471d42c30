"""Ending a finished process at once: the last second and a half of a one-province rebuild went on waiting.

Two waits, both measured on a one-province change (strace and timestamps):
- Snakemake's scheduler starts, after each round, a non-daemon threading.Timer of the --max-jobs-per-timespan
  span (10 s in profiles/default, Snakemake's default 1 s) that wakes it to look again. When the run is over,
  the interpreter waits for the last of them before it exits: up to a span after "Elapsed time". cancel_timers()
  ends them once the run is decided (the Snakefile's onsuccess and onerror hooks); a cancelled Timer never calls
  its function.
- At exit, CPython's final garbage collections walk every object still alive, though the process is about to
  hand all its memory back: 0.45 s in Snakemake's process after a run, 0.2 s in an indicators job.
  skip_final_collections() moves them to the permanent generation (gc.freeze), which collections ignore.
  Objects are still freed by reference counting as modules are cleared; only reference cycles are left to the
  OS, and nothing here relies on a cycle's finaliser at exit (outputs are written and closed by core.atomic
  before a stage returns; CPython does not promise those finalisers run at exit anyway).
"""

from __future__ import annotations

import gc
import threading


def cancel_timers() -> int:
    """Cancel every pending threading.Timer of this process; how many there were."""
    timers = [thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)]
    for timer in timers:
        timer.cancel()
    return len(timers)


def skip_final_collections() -> None:
    """Leave the objects alive now out of the garbage collections still to come (call when the work is done)."""
    gc.freeze()
