"""What every stage's command shares: its parser, and one line on error (a traceback only for a bug)."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence

from provincial_plans.core.errors import PipelineError

PROG = "python -m provincial_plans"
Stages = Callable[[argparse._SubParsersAction], None]  # adds a package's stages to a parser


def parser(*add_stages: Stages, description: str | None = None) -> argparse.ArgumentParser:
    """The command line with the stages of the given packages."""
    parser = argparse.ArgumentParser(prog=PROG, description=description)
    stages = parser.add_subparsers(dest="stage", required=True)
    for add in add_stages:
        add(stages)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the parsed stage: 0; bad input or set-up: its one line, 1; a bug: the traceback and one line, 2."""
    try:
        args.func(args)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not bad input: keep the traceback, end with one line that says so
        traceback.print_exc()
        print(f"error: stage '{args.stage}' failed unexpectedly: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    return 0


def main(add_stages: Stages, argv: Sequence[str]) -> int:
    """Parse `argv` against one package's stages and run it."""
    return run(parser(add_stages).parse_args(list(argv)))
