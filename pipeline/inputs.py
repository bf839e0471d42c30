"""Load and validate every shipped input; a bad row stops the build with one line naming file, line, problem.

CSV files may open with attribution lines (`source:`, `title:`, `retrieved-via:`, or lines starting with `#`)
before their header, as the reference tables do. Rows are checked against JSON Schemas (pipeline.schemas) and
cross-checked against the units and the codebook.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import schemas
from .errors import InputError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster, same result
PREAMBLE = re.compile(r"^(#|source:|title:|retrieved-via:|edition:|notes:|\s)")


@dataclass(frozen=True)
class Row:
    """A CSV row with the physical line it came from."""

    line: int
    values: dict[str, str]


def read_text(path: Path) -> str:
    """UTF-8 text (a BOM is allowed); anything else is an error naming the byte offset."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            path, f"not UTF-8 (invalid byte 0x{data[error.start]:02x} at offset {error.start})", line
        ) from None


def read_csv(path: Path, schema: dict[str, Any]) -> list[Row]:
    """Rows of a CSV file checked against a row schema: header first, then each row."""
    lines = read_text(path).splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and PREAMBLE.match(lines[skipped]):
        skipped += 1
    if skipped == len(lines):
        raise InputError(path, "no header row")
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    header = [name.strip() for name in next(reader)]
    header_line = skipped + 1
    required = schema.get("required", [])
    allowed = set(schema.get("properties", {}))
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(path, f"missing column '{missing[0]}' (expected {', '.join(required)})", header_line)
    if not schema.get("additionalProperties", True):
        extra = [name for name in header if name not in allowed]
        if extra:
            raise InputError(path, f"unexpected column '{extra[0]}'", header_line)
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(path, f"column '{duplicated[0]}' appears twice", header_line)
    rows: list[Row] = []
    for record in reader:
        line = skipped + reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise InputError(path, f"{len(record)} fields where the header has {len(header)}", line)
        values = {name: cell.strip() for name, cell in zip(header, record, strict=True)}
        error = schemas.check(values, schema)
        if error is not None:
            raise InputError(path, schemas.describe(error), line)
        rows.append(Row(line, values))
    return rows


def read_yaml(path: Path, schema: dict[str, Any] | None = None) -> Any:
    """A YAML document, optionally checked against a JSON Schema; errors name the line where known."""
    text = read_text(path)
    try:
        document = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(path, f"YAML syntax error: {problem}", mark.line + 1 if mark else None) from None
    if schema is not None:
        error = schemas.check(document, schema)
        if error is not None:
            raise InputError(path, schemas.describe(error), yaml_line(text, error.absolute_path))
    return document


def yaml_line(text: str, path: Any) -> int | None:
    """Line of the node at a JSON path, from the YAML node tree's marks."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def unique(path: Path, rows: list[Row], key: tuple[str, ...], what: str) -> None:
    """Reject a second row with the same key, naming both lines."""
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        value = tuple(row.values[name] for name in key)
        if value in seen:
            raise InputError(path, f"duplicate {what} {' × '.join(value)} (first at line {seen[value]})", row.line)
        seen[value] = row.line
