"""Load and validate every shipped input; a bad row stops the build with one line naming file, line, problem.

CSV files may open with attribution lines (`source:`, `title:`, `retrieved-via:`, or lines starting with `#`)
before their header, as the reference tables do. Rows are checked against JSON Schemas (core.schemas) and
cross-checked against the units and the codebook.

Every data and config file (CSV and YAML) is read strictly, because a file that parses but says something else
than its author wrote is worse than one that stops the build: it must end with a line break (else it may be
truncated), hold no control characters but tab and line breaks, no bidirectional controls and no Unicode line
separators; a CSV is parsed with strict quoting, no field longer than MAX_FIELD_CHARS, and no quoted field may
run on over a line that reads as a row of its own (a stray quote swallowing rows); a YAML file may not use
anchors or aliases (a 2 KB file of nested aliases expands to gigabytes) nor give a key twice.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster, same result
PREAMBLE = re.compile(r"^(#|source:|title:|retrieved-via:|edition:|notes:|\s)")
MAX_FIELD_CHARS = 10_000  # one CSV cell: 85 times the longest shipped one (117); more is a run-on or a paste
# Characters no data file may hold: C0 controls but tab and line feed (a carriage return is allowed only before a
# line feed), DEL, C1 controls, the Unicode line and paragraph separators (editors break lines there, the CSV
# parser does not, so line numbers would disagree) and the bidirectional embeddings, overrides and isolates
# (they reorder the text around them invisibly).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Row:
    """A CSV row with the physical line it starts on."""

    line: int
    values: dict[str, str]


def read_text(path: Path) -> str:
    """A data file's text, with LF line ends; refused when it is not UTF-8 (a BOM is allowed), does not end with
    a line break, or holds a FORBIDDEN character. Errors name the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            path, f"not UTF-8 (invalid byte 0x{data[error.start]:02x} at offset {error.start})", line
        ) from None
    text = text.replace("\r\n", "\n")
    found = FORBIDDEN.search(text)
    if found:
        raise InputError(path, forbidden_character(found[0]), text.count("\n", 0, found.start()) + 1)
    if text and not text.endswith("\n"):
        raise InputError(path, "no line break at the end of the file: it may be truncated", text.count("\n") + 1)
    return text


def forbidden_character(char: str) -> str:
    """Why a FORBIDDEN character is refused, naming it as U+XXXX."""
    code = f"U+{ord(char):04X}"
    if char == "\r":
        return f"carriage return ({code}) without a line feed: save the file with LF or CRLF line endings"
    if char in "\u2028\u2029":
        return f"{unicodedata.name(char).lower()} ({code}): use a line break"
    if unicodedata.category(char) == "Cf":
        return f"bidirectional control {code} ({unicodedata.name(char)}): it reorders text invisibly; remove it"
    return f"control character {code}: remove it (only tab and line breaks may appear in a data file)"


def read_csv(path: Path, schema: dict[str, Any]) -> list[Row]:
    """Rows of a CSV file checked against a row schema: header first, then each row."""
    limit = csv.field_size_limit(MAX_FIELD_CHARS)  # the csv module's limit holds for the whole process: restored
    try:
        return _rows(path, schema)
    finally:
        csv.field_size_limit(limit)


def _rows(path: Path, schema: dict[str, Any]) -> list[Row]:
    lines = read_text(path).splitlines(keepends=True)  # only "\n" ends a line here: read_text refuses the others
    skipped = 0
    while skipped < len(lines) and PREAMBLE.match(lines[skipped]):
        skipped += 1
    if skipped == len(lines):
        raise InputError(path, "no header row")
    records = _records(path, lines, skipped, schema)
    header = next(records)[2]
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
    for line, end, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            spans = f" (the row runs on to line {end}: a stray '\"'?)" if end > line else ""
            raise InputError(path, f"{len(record)} fields where the header has {len(header)}{spans}", line)
        values = _values(header, record)
        error = schemas.check(values, schema)
        if error is not None:
            raise InputError(path, schemas.describe(error), line)
        rows.append(Row(line, values))
    return rows


def _records(path: Path, lines: list[str], first: int, schema: dict[str, Any]) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record from lines[first:], parsed strictly; the header first, its
    names stripped.

    A record over several lines holds a quoted field with a line break, which a note may; one whose later line
    reads alone as a row of the file is a stray quote swallowing rows, and is refused at the line it began on.
    """
    consumed = first  # lines the parser has taken so far

    def feed() -> Iterator[str]:
        nonlocal consumed
        while consumed < len(lines):
            consumed += 1
            yield lines[consumed - 1]

    reader = csv.reader(feed(), strict=True)
    header: list[str] | None = None
    start = first + 1
    while True:
        try:
            record = next(reader, None)
        except csv.Error as error:
            problem = _run_on(lines, start, consumed, header, schema) if header else None
            raise InputError(path, problem or _quoting(str(error)), start) from None
        if record is None:
            return
        if header is None:
            header = record = [name.strip() for name in record]
        elif consumed > start:
            problem = _run_on(lines, start, consumed, header, schema)
            if problem:
                raise InputError(path, problem, start)
        yield start, consumed, record
        start = consumed + 1


def _run_on(lines: list[str], start: int, end: int, header: list[str], schema: dict[str, Any]) -> str | None:
    """The problem of a record from line `start` to `end` when one of its later lines reads as a row itself."""
    for number in range(start + 1, end + 1):
        try:
            fields = next(csv.reader([lines[number - 1]]), [])
        except csv.Error:  # a field over the limit: no row of the file
            continue
        if len(fields) == len(header) and schemas.check(_values(header, fields), schema) is None:
            return (
                f"a quoted field opened in this row is still open at line {number}, which reads as a row "
                "of its own (a stray '\"'?)"
            )
    return None


def _values(header: list[str], record: list[str]) -> dict[str, str]:
    """A record's cells by column, stripped of surrounding spaces."""
    return {name: cell.strip() for name, cell in zip(header, record, strict=True)}


def _quoting(error: str) -> str:
    """The csv module's complaint in a user's words."""
    if "field larger than field limit" in error:
        return f"a field longer than {MAX_FIELD_CHARS:,} characters (the limit of one cell; a stray '\"'?)"
    if "unexpected end of data" in error:
        return "a quoted field opened in this row is never closed (the file ends inside it: a stray '\"'?)"
    if "expected after" in error:
        return "text after the closing '\"' of a quoted field (quote the whole field and double each '\"' in it)"
    return f"malformed CSV ({error})"


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, problem: str, line: int) -> None:
        super().__init__(problem)
        self.problem, self.line = problem, line


class _Loader(SAFE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, refusing a mapping that gives a key twice (PyYAML keeps the last, silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key, line = self.construct_object(key_node, deep=True), key_node.start_mark.line + 1
            try:
                if key in first:
                    raise _DuplicateKey(f"duplicate key {key!r} (first at line {first[key]})", line)
                first[key] = line
            except TypeError:  # an unhashable key: the constructor below says so
                break
        return super().construct_mapping(node, deep)


def read_yaml(path: Path, schema: dict[str, Any] | None = None) -> Any:
    """A YAML document, optionally checked against a JSON Schema; errors name the line where known.

    Anchors and aliases are refused before anything is built from the document, so that no nest of aliases
    is ever expanded (by a schema check, a copy or an error message); so are FORBIDDEN characters that a
    double-quoted scalar writes as escapes."""
    text = read_text(path)
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise InputError(
                    path,
                    f"YAML anchor or alias '{sign}{anchor}': not allowed in data and config files (write the value "
                    "out; a few lines of nested aliases expand to gigabytes)",
                    event.start_mark.line + 1,
                )
            found = FORBIDDEN.search(event.value) if isinstance(event, yaml.ScalarEvent) else None
            if found:  # written as an escape such as "\e" or "\u202e"
                raise InputError(path, forbidden_character(found[0]), event.start_mark.line + 1)
        document = yaml.load(text, Loader=_Loader)
    except _DuplicateKey as error:
        raise InputError(path, error.problem, error.line) from None
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
