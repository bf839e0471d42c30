"""Shapes researchers load (tables.exports): the wide matrix against cells.csv, the Stata file and its labels,
the Frictionless data package validated by frictionless, and CITATION.cff."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from frictionless import validate

from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import load_messages
from provincial_plans.tables.exports import stata_names, write_exports
from provincial_plans.tables.registry import IDENTIFIERS, Year, year_tables
from provincial_plans.tables.workbook import write_tables

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "data" / "messages"
HANZI = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def tables(data_2017, codebook, tmp_path_factory):
    """The 2017 tables as the `indicators` rule writes them (CSV, Parquet, workbook), then the exports."""
    folder = tmp_path_factory.mktemp("tables")
    tables = year_tables(Year(data_2017, "three"))
    write_tables(tables, folder, MESSAGES, 2017, codebook)
    write_exports(tables, folder, codebook, MESSAGES, 2017)
    return folder


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_wide_matrix_agrees_cell_for_cell_with_cells_csv_and_is_a_workbook_sheet(tables, codebook):
    long = {(row["slug"], row["code"]): row["value"] for row in read(tables / "cells.csv")}
    wide = read(tables / "cells_wide.csv")
    codes = [code.id for code in codebook.codes]
    assert len(wide) == 31 and list(wide[0]) == [*IDENTIFIERS, *codes]
    compared = 0
    for row in wide:
        for code in codes:
            assert row[code] == long[(row["slug"], code)], (row["slug"], code)
            compared += 1
    assert compared == len(long) == 31 * len(codes)
    assert {row[code] for row in wide for code in codes} == {"1", "0", ""}  # unknown cells stay empty
    parquet = pd.read_parquet(tables / "cells_wide.parquet")
    for row, (_, record) in zip(wide, parquet.iterrows(), strict=True):
        for code in codes:
            expected = None if row[code] == "" else int(row[code])
            assert (None if pd.isna(record[code]) else int(record[code])) == expected
    sheet = pd.read_excel(tables / "indicators_2017.xlsx", sheet_name=None)
    assert any(name.startswith("cells_wide") for name in sheet)


def test_stata_file_opens_with_its_variable_and_value_labels(tables, codebook):
    path = tables / "cells_wide.dta"
    with pd.io.stata.StataReader(path) as reader:
        frame = reader.read(convert_categoricals=False)
        variables = reader.variable_labels()
        values = reader.value_labels()
    mapping = read(tables / "cells_wide_stata_names.csv")
    assert [row["stata_name"] for row in mapping] == list(frame.columns)
    assert all(len(name) <= 32 and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) for name in frame.columns)
    by_code = codebook.by_id()
    for row in mapping[len(IDENTIFIERS) :]:
        code = by_code[row["code"]]
        assert variables[row["stata_name"]] == code.label["en"]
        assert (row["label_en"], row["label_zh"]) == (code.label["en"], code.label["zh"])
        assert HANZI.search(row["label_zh"])
    code_variables = [row["stata_name"] for row in mapping[len(IDENTIFIERS) :]]
    assert sorted(values) == sorted(code_variables)  # pandas names each variable's value labels after it
    assert all(values[name] == {0: "absent", 1: "present"} for name in code_variables)
    wide = read(tables / "cells_wide.csv")
    platform = next(row["stata_name"] for row in mapping if row["code"] == "task.platform")
    beijing = frame[frame["slug"] == "beijing"].iloc[0]
    assert frame["province_zh"].tolist() == [row["province_zh"] for row in wide]  # Chinese text survives
    unknown = [(row["slug"], row["code"]) for row in read(tables / "cells.csv") if row["value"] == ""]
    slug, code = unknown[0]
    name = next(row["stata_name"] for row in mapping if row["code"] == code)
    assert pd.isna(frame[frame["slug"] == slug].iloc[0][name])  # not reported is missing, not 0
    assert beijing[platform] == 1


def test_stata_names_shorten_parents_to_initials_and_must_stay_distinct():
    names = stata_names(["content.platform_integration.one_number", "mech.mobilisation.purchase_services", "slug"])
    assert names == {
        "content.platform_integration.one_number": "content_pi_one_number",
        "mech.mobilisation.purchase_services": "mech_m_purchase_services",
        "slug": "slug",
    }
    with pytest.raises(PipelineError, match="both become the Stata name 'a_b'"):
        stata_names(["a.b", "a_b"])


def test_data_package_describes_every_table_and_validates(tables, codebook):
    zh, en = load_messages(MESSAGES, "zh"), load_messages(MESSAGES, "en")
    codes = codebook.by_id()
    descriptor = json.loads((tables / "datapackage.json").read_text(encoding="utf-8"))
    csvs = sorted(path.name for path in tables.glob("*.csv"))
    assert sorted(resource["path"] for resource in descriptor["resources"]) == csvs
    assert descriptor["licenses"][0]["name"] == "MIT" and descriptor["sources"]
    for resource in descriptor["resources"]:
        assert resource["schema"]["missingValues"] == [""]
        assert HANZI.search(resource["description"])
        for field in resource["schema"]["fields"]:
            name = field["name"]
            labels = (
                (codes[name].label["en"], codes[name].label["zh"])
                if name in codes
                else (en(f"column.{name}"), zh(f"column.{name}"))
            )
            assert (field["title"], field["description"]) == (labels[0], " / ".join(labels))
    cells = next(resource for resource in descriptor["resources"] if resource["path"] == "cells.csv")
    types = {field["name"]: field["type"] for field in cells["schema"]["fields"]}
    assert (types["value"], types["gb_code"]) == ("integer", "string")
    report = validate(tables / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:5]


def test_data_package_validation_catches_a_value_of_the_wrong_type(tables, tmp_path):
    copy = tmp_path / "tables"
    shutil.copytree(tables, copy)
    text = (copy / "cells.csv").read_text(encoding="utf-8-sig")
    (copy / "cells.csv").write_text(text.replace(",task.platform,1,", ",task.platform,yes,", 1), encoding="utf-8-sig")
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert [task.name for task in report.tasks if not task.valid] == ["cells"]
    assert {error[0] for error in report.flatten(["type"])} == {"type-error"}


def test_citation_file_is_cff_1_2_0_with_its_required_keys():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert citation[key], key
    assert all("name" in author or "family-names" in author for author in citation["authors"])
    assert citation["license"] == "MIT"
    project = next(line for line in (ROOT / "pyproject.toml").read_text().splitlines() if line.startswith("version"))
    assert citation["version"] == project.split('"')[1]
    for reference in citation["references"]:
        assert reference["type"] and reference["title"] and reference["authors"]
