"""Shapes researchers load beyond the tables themselves: the province × code matrix for Stata, and a Frictionless
Data Package describing every CSV table of the year.

The matrix itself is a table of the registry (`cells_wide`: CSV, Parquet and a workbook sheet like every table);
from its typed values this writes into the year's `tables/`:

- `cells_wide.dta` (Stata 14+, format 118, so Chinese text reads as UTF-8): the same matrix with English variable
  labels and the value labels 0 absent / 1 present; not reported is Stata's system missing `.`. Stata names may not
  hold dots and have at most 32 characters, so each code id is renamed by a documented rule (stata_name) and
  `cells_wide_stata_names.csv` (and .parquet) maps every variable to its column, English and Chinese label. The
  Chinese labels are in that file only: pandas writes no Stata notes or characteristics;
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
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from provincial_plans.core.atomic import write_bytes, write_csv, write_text
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import Messages, both_catalogues
from provincial_plans.core.provenance import archive_time
from provincial_plans.model.codebook import Codebook
from provincial_plans.tables.registry import IDENTIFIERS, NAMES, WIDE, Table
from provincial_plans.tables.workbook import parquet_bytes, sheet

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


def write_stata(wide: Table, tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int) -> list[Path]:
    """cells_wide.dta and the Stata names' mapping (CSV, Parquet), from the registry's `cells_wide` table."""
    zh, en = both_catalogues(messages_dir)
    frame = sheet(wide).frame
    columns = [column.name for column in wide.columns]
    labels = {column: _labels(column, codebook, zh, en) for column in columns}
    names = stata_names(columns)
    write_bytes(tables_dir / f"{WIDE}.dta", _stata(frame, names, labels, year))
    header = ["stata_name", "code", "label_en", "label_zh"]
    rows = [[names[column], column, labels[column][1], labels[column][0]] for column in columns]
    write_csv(tables_dir / f"{NAMES}.csv", header, rows)
    write_bytes(tables_dir / f"{NAMES}.parquet", parquet_bytes(pd.DataFrame(rows, columns=header, dtype="string")))
    return [tables_dir / f"{WIDE}.dta", tables_dir / f"{NAMES}.csv", tables_dir / f"{NAMES}.parquet"]


def _field_types(parquet: Path) -> dict[str, str]:
    """Each column's Table Schema type, from the Parquet copy written beside the CSV (tables.workbook types
    them: identifiers and text as string, whole numbers integer, decimals number)."""
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
        key = f"workbook.table.{path.stem}"
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


def write_exports(
    tables: list[Table], tables_dir: Path, codebook: Codebook, messages_dir: Path, year: int
) -> list[Path]:
    """Everything above, after the tables and their Parquet copies are written (the rule `indicators`)."""
    wide = next(table for table in tables if table.name == WIDE)
    return [
        *write_stata(wide, tables_dir, codebook, messages_dir, year),
        write_data_package(tables_dir, codebook, messages_dir, year),
    ]
