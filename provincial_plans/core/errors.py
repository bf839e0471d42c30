"""One error type whose message is the single line a user sees: file, row or line, problem."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """An input or set-up problem the user must fix; its text is printed alone, without a traceback."""


class InputError(PipelineError):
    """A problem located in an input file, optionally at a line (1-based, as an editor counts)."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = display_path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


def display_path(path: str | Path) -> str:
    """A path as the user typed it: relative to the working directory when it lies below it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
