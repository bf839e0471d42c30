"""Atomic, durable writes: a reader (or a killed build) never sees half a file, nor a power cut an empty one."""

from __future__ import annotations

import csv
import errno
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
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


# Text a spreadsheet program would run as a formula when it opens a CSV file (a cell starting with =, +, -, @,
# or tab or carriage return, which some programs skip before looking again), with the apostrophes before it: OWASP's
# advice against CSV injection is a leading apostrophe, which makes the cell text. Apostrophes already before such
# text get one more, so that csv_value gives back exactly what was written.
_FORMULA = re.compile("'*[=+\\-@\t\r]")
# A plain number written as text ("-0.5", "+3", "1e-3"): a spreadsheet reads it as that number and runs nothing,
# so it is written as it is, and every reader (pandas, R, the workbook's column types) keeps it a number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: None empty, numbers as they are, formula-like text made inert with a leading "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and _FORMULA.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_value(cell: str) -> str:
    """The text a cell written by csv_cell stands for (its leading "'" dropped where csv_cell added one)."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def csv_records(stream: Iterable[str]) -> Iterator[list[str]]:
    """The records of a CSV table written by csv_text, each cell as the text it stands for."""
    for record in csv.reader(stream):
        yield [csv_value(cell) for cell in record]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV table with a BOM (so spreadsheet programs read the Chinese as UTF-8); cells as csv_cell writes them.

    Every CSV the project writes comes from here. Rows end in LF; a cell holding a carriage return is quoted (the
    csv module quotes only cells that hold a character of its line terminator, so it writes CR LF, and each row's
    end is set back to LF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in itertools.chain([header], rows):
        writer.writerow([csv_cell(value) for value in row])
        buffer.seek(buffer.tell() - 2)
        buffer.write("\n")
        buffer.truncate()
    return "\ufeff" + buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    write_text(path, csv_text(header, rows))
