"""Atomic writes: a reader (or a killed build) never sees half a file."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import PipelineError, display_path

FULL = frozenset({errno.ENOSPC, errno.EDQUOT})  # no space left, or the user's quota reached


def write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file beside `path`, renamed into place. The file, then its folder, are flushed to
    the disk (fsync) before this returns: after a power cut a finished build has the new file, never an empty one.
    A full disk is one line naming the file, and the file keeps its old content."""
    try:
        _replace(path, data)
    except OSError as error:
        if error.errno in FULL:
            raise PipelineError(f"no space left on device writing {display_path(path)}") from None
        raise


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename, a new link) to the disk. Where a folder cannot be opened (Windows) or
    synced (some network file systems), the rename stands without it."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(handle)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV table with a BOM (so spreadsheet programs read the Chinese as UTF-8); None is written as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    write_text(path, csv_text(header, rows))
