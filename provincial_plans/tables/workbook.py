"""Parquet copies of the tables and one bilingual Excel workbook holding them all, from their typed values.

Every table of tables.registry gets a `{name}.parquet` (string, int64 and double columns as its columns' kinds say)
and a sheet of `indicators_{year}.xlsx`: a `README` sheet, then one sheet per table with two header rows (Chinese,
then English column labels) and the data from row 3. None is not reported: a null in Parquet and an empty cell in
the workbook, never 0.

Output is byte-for-byte reproducible: the workbook's dates and its zip entries' times come from SOURCE_DATE_EPOCH,
or 1980-01-01 (the earliest time a zip entry can carry) when it is unset.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from provincial_plans import __version__
from provincial_plans.core.atomic import write_bytes, write_csv
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import Messages, both_catalogues
from provincial_plans.core.provenance import archive_time
from provincial_plans.model.codebook import Codebook
from provincial_plans.tables.registry import Table

README_SHEET = "README"
SHEET_NAME_LIMIT = 31
CELL_TEXT_LIMIT = 32767  # Excel's limit on the text of one cell
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


SHARE_PLACES = 4  # the places every output shows a share with
DTYPES = {"text": "string", "int": "Int64", "share": "Float64"}


@dataclass(frozen=True)
class Sheet:
    """A table as typed columns: `frame` holds string, Int64 and Float64 columns; `decimals` the places of each
    Float64 column."""

    name: str
    frame: pd.DataFrame
    decimals: dict[str, int]


def sheet(table: Table) -> Sheet:
    columns = {
        column.name: pd.array([row[index] for row in table.rows], dtype=DTYPES[column.kind])
        for index, column in enumerate(table.columns)
    }
    names = [column.name for column in table.columns]
    frame = pd.DataFrame(columns, columns=names, index=pd.RangeIndex(len(table.rows)))
    return Sheet(table.name, frame, {column.name: SHARE_PLACES for column in table.columns if column.kind == "share"})


def write_tables(
    tables: list[Table], tables_dir: Path, messages_dir: Path, year: int, codebook: Codebook
) -> list[Path]:
    """Every table as `{name}.csv` and `{name}.parquet` in tables_dir, and `indicators_{year}.xlsx` there.

    Column labels come from the message keys `column.<column>` of both catalogues; a column named by a code id of
    `codebook` (the code columns of codes_by_document and codes_by_unit) is labelled with the code's labels. A missing
    key raises PipelineError naming it (before any file is written)."""
    zh, en = both_catalogues(messages_dir)
    codes = codebook.by_id()
    labels = {
        table.name: [_labels(table.name, column.name, zh, en, codes) for column in table.columns] for table in tables
    }
    sheets = [sheet(table) for table in tables]
    written = []
    for table, typed in zip(tables, sheets, strict=True):
        header = [column.name for column in table.columns]
        write_csv(tables_dir / f"{table.name}.csv", header, ([_cell(value) for value in row] for row in table.rows))
        write_bytes(tables_dir / f"{table.name}.parquet", parquet_bytes(typed.frame))
        written += [tables_dir / f"{table.name}.csv", tables_dir / f"{table.name}.parquet"]
    when = archive_time().replace(tzinfo=None)  # openpyxl writes naive times
    path = tables_dir / f"indicators_{year}.xlsx"
    write_bytes(path, workbook_bytes(sheets, labels, zh, en, year, when))
    return [*written, path]


def _cell(value: Any) -> Any:
    """A CSV cell: a share with its four places, None empty (atomic.csv_cell), anything else as it is."""
    return f"{value:.{SHARE_PLACES}f}" if isinstance(value, float) else value


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as Parquet (plain `string`, `int64`, `double` columns with pandas' metadata; snappy)."""
    types = {"Int64": pa.int64(), "Float64": pa.float64()}
    schema = pa.schema([(name, types.get(str(dtype), pa.string())) for name, dtype in frame.dtypes.items()])
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="snappy")
    return buffer.getvalue()


def _labels(table: str, column: str, zh: Messages, en: Messages, codes: dict[str, Any]) -> tuple[str, str]:
    code = codes.get(column)
    if code is not None:
        return code.label["zh"], code.label["en"]
    try:
        return zh(f"column.{column}"), en(f"column.{column}")
    except PipelineError as error:
        hint = "; a code column needs the codebook" if "." in column and not codes else ""
        raise PipelineError(f"{error} (column '{column}' of {table}.csv{hint})") from None


def workbook_bytes(
    tables: list[Sheet],
    labels: dict[str, list[tuple[str, str]]],
    zh: Messages,
    en: Messages,
    year: int,
    when: datetime,
) -> bytes:
    """The workbook: README, then one sheet per table; zip entries re-packed with fixed times."""
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    _write_readme(readme, tables, zh, en, year)
    taken = {README_SHEET.lower()}
    for table in tables:
        name = table.name
        if len(name) > SHEET_NAME_LIMIT or _SHEET_FORBIDDEN.search(name) or name.lower() in taken:
            raise PipelineError(f"table '{name}' cannot name a workbook sheet (at most 31 characters, unique)")
        taken.add(name.lower())
        _write_sheet(workbook.create_sheet(name), table, labels[name])
    properties = workbook.properties
    properties.created = properties.modified = when
    properties.creator = f"provincial-plans {__version__}"
    properties.lastModifiedBy = None
    properties.title = en("workbook.title", year=year)
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save_workbook stamps `modified` with the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_zip(buffer.getvalue(), when)


def _write_sheet(sheet: Any, table: Sheet, labels: list[tuple[str, str]]) -> None:
    frame = table.frame
    widths = [max(_width(zh_label), _width(en_label)) for zh_label, en_label in labels]
    for row, language in ((1, 0), (2, 1)):
        for column, pair in enumerate(labels, start=1):
            cell = sheet.cell(row=row, column=column, value=_text(pair[language]))
            cell.data_type = "s"
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for column, name in enumerate(frame.columns, start=1):
        formats = f"0.{'0' * table.decimals[name]}" if name in table.decimals else None
        for row, value in enumerate(frame[name].tolist(), start=3):
            if value is None or value is pd.NA:
                continue
            cell = sheet.cell(row=row, column=column, value=_text(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # text starting with '=' is data, never a formula
                widths[column - 1] = max(widths[column - 1], _width(value))
            else:
                widths[column - 1] = max(widths[column - 1], len(str(value)))
            if formats:
                cell.number_format = formats
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A3"
    if len(labels):
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(labels))}{len(frame) + 2}"


def _write_readme(sheet: Any, tables: list[Sheet], zh: Messages, en: Messages, year: int) -> None:
    """What the workbook is, in both languages (column B Chinese, C English), and a list of its sheets."""
    lines = [
        ("workbook.title", {"year": year}),
        ("workbook.year", {"year": year}),
        ("workbook.about", {}),
        ("workbook.headers", {}),
        ("workbook.missing", {}),
        ("method.sources", {}),
        ("workbook.generated", {"version": __version__}),
    ]
    row = 1
    for key, params in lines:
        for column, messages in ((2, zh), (3, en)):
            cell = sheet.cell(row=row, column=column, value=_text(messages(key, **params)))
            cell.data_type = "s"
            cell.alignment = _WRAP
            if row == 1:
                cell.font = _HEADER_FONT
        row += 1
    row += 1
    header = [
        f"{zh('workbook.col.sheet')} / {en('workbook.col.sheet')}",
        zh("workbook.col.description"),
        en("workbook.col.description"),
        f"{zh('workbook.col.rows')} / {en('workbook.col.rows')}",
    ]
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for table in tables:
        row += 1
        key = f"workbook.table.{table.name}"
        values = [table.name, zh(key), en(key), len(table.frame)]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.alignment = _WRAP
    for letter, width in (("A", 24), ("B", 60), ("C", 60), ("D", 12)):
        sheet.column_dimensions[letter].width = width


def _text(value: str) -> str:
    """Text a cell can hold: without the control characters XML forbids, cut to Excel's limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= CELL_TEXT_LIMIT else value[: CELL_TEXT_LIMIT - 1] + "…"


def _width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry's time set to `when` (zipfile stamps entries with the current time)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return output.getvalue()
