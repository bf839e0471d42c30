"""Shapes researchers load: the province × code matrix (CSV, Parquet, Stata) and a Frictionless Data Package.

From the long cells table (`tables/cells.csv`: one row per province × code, value 1, 0 or empty) this writes into
the year's `tables/`:

- `cells_wide.csv` and `cells_wide.parquet`: one row per province, its identifiers, then one column per code of the
  codebook holding 1 (present), 0 (absent) or nothing (not reported: empty in the CSV, null in Parquet);
- `cells_wide.dta` (Stata 14+, format 118, so Chinese text reads as UTF-8): the same matrix with English variable
  labels and the value labels 0 absent / 1 present; not reported is Stata's system missing `.`. Stata names may not
  hold dots and have at most 32 characters, so each code id is renamed by a documented rule (stata_name) and
  `cells_wide_stata_names.csv` maps every variable to its column, English and Chinese label. The Chinese labels are
  in that file only: pandas writes no Stata notes or characteristics;
- `datapackage.json`: a Frictionless tabular data package describing every CSV table of the folder (fields, types
  taken from the Parquet copy beside each table, English and Chinese descriptions from the `column.*` messages or
  the codebook's labels, empty = not reported), with the licence and the sources.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from provincial_plans.core.atomic import csv_records, write_bytes, write_csv, write_text
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import Messages, both_catalogues
from provincial_plans.core.provenance import archive_time

if TYPE_CHECKING:
    import pandas as pd

    from provincial_plans.model.codebook import Codebook

IDENTIFIERS = ("gb_code", "slug", "province_zh", "province_en", "region_zh", "region_en")
WIDE = "cells_wide"
NAMES = "cells_wide_stata_names"
STATA_NAME_LIMIT = 32
STATA_LABEL_LIMIT = 80
STATA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")
VALUE_LABELS = {0: "absent", 1: "present"}
PARQUET_TYPES = {"int64": "integer", "double": "number", "string": "string", "large_string": "string"}
LICENCE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}
# Where the tables' facts come from (data/reference/README.md lists the reference tables' licences).
SOURCES = (
    {
        "title": "Li Yunxin and Yu Yeqin, a study of the 31 provinces' 2017 'Internet + government services' plans "
        "(电子政务)"
    },
    {"title": "GB/T 2260 province codes", "path": "https://github.com/modood/Administrative-divisions-of-China"},
    {"title": "ISO 3166-2:CN codes and English names", "path": "https://github.com/turbanisch/chinautils"},
    {"title": "NBS four-region classification", "path": "http://www.stats.gov.cn/tjzs/t20110613_402731597.htm"},
)


@dataclass(frozen=True)
class Wide:
    """The province × code matrix: identifier columns, then a code column each, cells 1, 0 or None."""

    codes: tuple[str, ...]
    rows: tuple[dict[str, str | int | None], ...]


def wide_matrix(cells_csv: Path) -> Wide:
    """The long cells table pivoted: provinces in the table's order, codes in the order they first appear (the
    codebook's). A province × code given twice, or a value other than 1, 0 or empty, is an error."""
    with cells_csv.open(encoding="utf-8-sig", newline="") as stream:
        records = list(csv_records(stream))
    if not records:
        raise PipelineError(f"{cells_csv}: empty file, no header row")
    header, body = records[0], records[1:]
    missing = [name for name in (*IDENTIFIERS, "code", "value") if name not in header]
    if missing:
        raise PipelineError(f"{cells_csv}: no column '{missing[0]}'")
    rows: dict[str, dict[str, str | int | None]] = {}
    codes: dict[str, None] = {}
    for line, record in enumerate(body, start=2):
        values = dict(zip(header, record, strict=True))
        row = rows.setdefault(values["slug"], {name: values[name] for name in IDENTIFIERS})
        code = values["code"]
        codes.setdefault(code)
        if code in row:
            raise PipelineError(f"{cells_csv}, line {line}: {values['slug']} × {code} appears twice")
        if values["value"] not in ("1", "0", ""):
            raise PipelineError(f"{cells_csv}, line {line}: value '{values['value']}' is not 1, 0 or empty")
        row[code] = int(values["value"]) if values["value"] else None
    for row in rows.values():
        for code in codes:
            row.setdefault(code, None)
    return Wide(tuple(codes), tuple(rows.values()))


def stata_names(columns: Sequence[str]) -> dict[str, str]:
    """A Stata variable name per column: dots become underscores; a name still over 32 characters has its parent
    parts (all but the last) cut to their initials, longest first (content.platform_integration.one_number ->
    content_pi_one_number), and then, if need be, its end cut. Names must come out distinct."""
    names: dict[str, str] = {}
    for column in columns:
        parts = column.split(".")
        while len("_".join(parts)) > STATA_NAME_LIMIT and len(parts) > 1:
            longest = max(range(len(parts) - 1), key=lambda index: len(parts[index]))
            initials = "".join(word[0] for word in parts[longest].split("_") if word)
            if initials == parts[longest]:
                break
            parts[longest] = initials
        name = "_".join(parts)[:STATA_NAME_LIMIT]
        if not STATA_NAME.fullmatch(name):
            raise PipelineError(f"column '{column}' gives no valid Stata name ('{name}')")
        names[column] = name
    seen: dict[str, str] = {}
    for column, name in names.items():
        if name in seen:
            raise PipelineError(f"columns '{seen[name]}' and '{column}' both become the Stata name '{name}'")
        seen[name] = column
    return names


def _frame(wide: Wide) -> pd.DataFrame:
    """The matrix as a frame: identifiers as text, each code as nullable Int64 (None stays null, never 0)."""
    import pandas as pd

    columns: dict[str, object] = {
        name: pd.array([row[name] for row in wide.rows], dtype="string") for name in IDENTIFIERS
    }
    for code in wide.codes:
        columns[code] = pd.array([row[code] for row in wide.rows], dtype="Int64")
    return pd.DataFrame(columns, columns=[*IDENTIFIERS, *wide.codes])


def _parquet(frame: pd.DataFrame) -> bytes:
    """Parquet as tables.workbook writes the tables' copies: text as string, whole numbers as int64."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(name, pa.int64() if str(dtype) == "Int64" else pa.string()) for name, dtype in frame.dtypes.items()]
    )
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), buffer, compression="snappy")
    return buffer.getvalue()


def _labels(column: str, codebook: Codebook, zh: Messages, en: Messages) -> tuple[str, str]:
    """(zh, en) label of a table column: a code's labels, else the `column.*` messages (a missing one is an
    error naming the key, as the workbook's)."""
    code = codebook.by_id().get(column)
    if code is not None:
        return code.label["zh"], code.label["en"]
    return zh(f"column.{column}"), en(f"column.{column}")


def _stata(frame: pd.DataFrame, names: Mapping[str, str], labels: Mapping[str, tuple[str, str]], year: int) -> bytes:
    renamed = frame.rename(columns=names)
    buffer = io.BytesIO()
    renamed.to_stata(
        buffer,
        write_index=False,
        version=118,
        data_label=f"provincial-plans {year}: province x code (1 present, 0 absent, . not reported)",
        variable_labels={names[column]: labels[column][1][:STATA_LABEL_LIMIT] for column in frame.columns},
        value_labels={names[code]: VALUE_LABELS for code in frame.columns if code not in IDENTIFIERS},
        time_stamp=archive_time().replace(tzinfo=None),
    )
    return buffer.getvalue()


def write_wide(tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int) -> list[Path]:
    """cells_wide.csv, .parquet and .dta, and the Stata names' mapping, from tables_dir/cells.csv."""
    zh, en = both_catalogues(messages_dir)
    wide = wide_matrix(tables_dir / "cells.csv")
    frame = _frame(wide)
    columns = [*IDENTIFIERS, *wide.codes]
    labels = {column: _labels(column, codebook, zh, en) for column in columns}
    names = stata_names(columns)
    paths = [tables_dir / f"{WIDE}.csv", tables_dir / f"{WIDE}.parquet", tables_dir / f"{WIDE}.dta"]
    write_csv(paths[0], columns, [[row[column] for column in columns] for row in wide.rows])
    write_bytes(paths[1], _parquet(frame))
    write_bytes(paths[2], _stata(frame, names, labels, year))
    import pandas as pd

    header = ["stata_name", "code", "label_en", "label_zh"]
    rows = [[names[column], column, labels[column][1], labels[column][0]] for column in columns]
    mapping = [tables_dir / f"{NAMES}.csv", tables_dir / f"{NAMES}.parquet"]
    write_csv(mapping[0], header, rows)
    write_bytes(mapping[1], _parquet(pd.DataFrame(rows, columns=header, dtype="string")))
    return [*paths, *mapping]


def _field_types(parquet: Path) -> dict[str, str]:
    """Each column's Table Schema type, from the Parquet copy written beside the CSV (tables.workbook types
    them: identifiers and text as string, whole numbers integer, decimals number)."""
    import pyarrow.parquet as pq

    if not parquet.exists():
        raise PipelineError(f"{parquet}: missing; the tables' Parquet copies give the data package its types")
    return {field.name: PARQUET_TYPES.get(str(field.type), "string") for field in pq.read_schema(parquet)}


def data_package(tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int) -> dict[str, object]:
    """The Frictionless descriptor of every CSV table in tables_dir (paths relative to it)."""
    zh, en = both_catalogues(messages_dir)
    resources = []
    for path in sorted(tables_dir.glob("*.csv")):
        if path.name.startswith("."):
            continue
        with path.open(encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream), [])
        types = _field_types(path.with_suffix(".parquet"))
        fields = []
        for column in header:
            label_zh, label_en = _labels(column, codebook, zh, en)
            fields.append(
                {
                    "name": column,
                    "type": types.get(column, "string"),
                    "title": label_en,
                    "description": f"{label_en} / {label_zh}",
                }
            )
        key = (
            f"workbook.table.{path.stem}" if path.stem != WIDE and path.stem != NAMES else f"exports.table.{path.stem}"
        )
        resources.append(
            {
                "name": path.stem.replace("_", "-"),
                "path": path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "title": en(key),
                "description": f"{en(key)} / {zh(key)}",
                "schema": {"fields": fields, "missingValues": [""]},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": f"provincial-plans-{year}",
        "title": en("exports.package.title", year=year),
        "description": " / ".join(messages("exports.package.description", year=year) for messages in (en, zh)),
        "licenses": [LICENCE],
        "sources": [dict(source) for source in SOURCES],
        "resources": resources,
    }


def write_data_package(tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int) -> Path:
    path = tables_dir / "datapackage.json"
    descriptor = data_package(tables_dir, codebook, messages_dir, year)
    write_text(path, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    return path


def write_exports(tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int) -> list[Path]:
    """Everything above, after the tables and their Parquet copies are written (the rule `indicators`)."""
    return [
        *write_wide(tables_dir, codebook, messages_dir, year),
        write_data_package(tables_dir, codebook, messages_dir, year),
    ]
