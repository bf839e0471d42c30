"""The tables as CSV, Parquet and one bilingual workbook, from the typed values of tables.registry."""

from __future__ import annotations

import csv
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from provincial_plans.coding.evidence import EVIDENCE_COLUMNS, write_evidence
from provincial_plans.core.atomic import csv_records
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import load_messages
from provincial_plans.model.coded import read_evidence
from provincial_plans.tables.registry import TABLE_NAMES as TABLES
from provincial_plans.tables.registry import Column, Table, Year, year_tables
from provincial_plans.tables.workbook import README_SHEET, write_tables

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "data" / "messages"


@pytest.fixture(scope="module")
def built(data_2017, codebook, tmp_path_factory):
    """The 2017 tables, their Parquet copies and the workbook, in a temporary folder."""
    tables = tmp_path_factory.mktemp("tables")
    written = write_tables(year_tables(Year(data_2017, "three")), tables, MESSAGES, 2017, codebook)
    return tables, written


@pytest.fixture(scope="module")
def book(built):
    return load_workbook(built[1][-1])


def _csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1:]


def test_writes_a_csv_and_a_parquet_for_every_table_and_one_workbook(built):
    tables, written = built
    files = [f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")]
    assert [path.name for path in written] == [*files, "indicators_2017.xlsx"]
    assert all(path.parent == tables for path in written)
    assert not [path for path in tables.iterdir() if path.name.endswith(".tmp")]


def test_parquet_holds_the_csv_with_nulls_and_codes_as_text(built):
    tables, _ = built
    for path in sorted(tables.glob("*.csv")):
        header, rows = _csv(path)
        frame = pd.read_parquet(path.with_suffix(".parquet"))
        assert list(frame.columns) == header, path.name
        assert len(frame) == len(rows), path.name
        for index, name in enumerate(header):
            for text, value in zip((row[index] for row in rows), frame[name].tolist(), strict=True):
                if text == "":
                    assert value is pd.NA, (path.name, name)
                elif isinstance(value, str):
                    assert value == text, (path.name, name)
                elif isinstance(value, float):
                    assert math.isclose(value, float(text)), (path.name, name)
                else:
                    assert isinstance(value, int) and str(value) == text, (path.name, name)
    cells = pd.read_parquet(tables / "cells.parquet")
    assert str(cells["gb_code"].dtype) == "string" and cells["gb_code"].iloc[0] == "11"
    assert str(cells["value"].dtype) == "Int64"
    assert cells["value"].isna().any() and not (cells["value"].dropna() > 1).any()
    national = pd.read_parquet(tables / "indicators_national.parquet")
    assert {str(national[name].dtype) for name in ("count", "of", "known_cells")} == {"Int64"}
    assert str(national["share"].dtype) == "Float64"
    documents = pd.read_parquet(tables / "documents.parquet")
    assert documents["gb_code"].isna().any() and "11" in set(documents["gb_code"].dropna())


def test_workbook_has_bilingual_headers_and_every_cell(built, book, codebook):
    tables, _ = built
    zh, en = load_messages(MESSAGES, "zh"), load_messages(MESSAGES, "en")
    labels = {code.id: code.label for code in codebook.codes}
    workbook = book
    assert workbook.sheetnames == [README_SHEET, *TABLES]
    for name in TABLES:
        header, rows = _csv(tables / f"{name}.csv")
        sheet = workbook[name]
        assert sheet.freeze_panes == "A3"
        assert sheet.max_column == len(header) and sheet.max_row == len(rows) + 2, name
        first, second = ([cell.value for cell in row] for row in sheet.iter_rows(min_row=1, max_row=2))
        for column, zh_label, en_label in zip(header, first, second, strict=True):
            label = labels.get(column) or {"zh": zh(f"column.{column}"), "en": en(f"column.{column}")}
            assert (zh_label, en_label) == (label["zh"], label["en"]), (name, column)
        for row, values in zip(rows, sheet.iter_rows(min_row=3, values_only=True), strict=True):
            for text, value in zip(row, values, strict=True):
                assert (value is None) == (text == ""), name
                if isinstance(value, str):
                    assert value == text, name
                elif value is not None:  # numbers; openpyxl reads a float 1.0 back as the int 1
                    assert math.isclose(value, float(text)), name
    cells = workbook["cells"]
    assert cells["A3"].value == "11" and cells["A3"].data_type == "s"
    assert workbook["codes_by_unit"]["B1"].value == labels["task.platform"]["zh"]
    assert workbook["codes_by_unit"]["B2"].value == labels["task.platform"]["en"]
    national = workbook["indicators_national"]
    assert national["G3"].value == pytest.approx(0.9677) and national["G3"].number_format == "0.0000"
    assert isinstance(national["E3"].value, int)


def test_readme_says_what_the_workbook_is_in_both_languages(book):
    zh, en = load_messages(MESSAGES, "zh"), load_messages(MESSAGES, "en")
    text = [value for row in book[README_SHEET].iter_rows(values_only=True) for value in row]
    for key in ("workbook.missing", "method.sources"):
        assert zh(key) in text and en(key) in text
    assert zh("workbook.title", year=2017) in text and en("workbook.title", year=2017) in text
    assert "未报告" in zh("workbook.missing") and "not reported" in en("workbook.missing")
    assert set(TABLES) <= set(text)


def test_two_runs_are_byte_identical(data_2017, built, codebook, tmp_path):
    _, first = built
    second = write_tables(year_tables(Year(data_2017, "three")), tmp_path, MESSAGES, 2017, codebook)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_source_date_epoch_sets_the_workbook_dates(codebook, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_tables([Table("documents", [Column("scope")], [["national"]])], tmp_path, MESSAGES, 2017, codebook)[-1]
    properties = load_workbook(path).properties
    assert properties.created.isoformat() == properties.modified.isoformat() == "2023-11-14T22:13:20"


def test_each_column_has_its_declared_type_in_parquet_even_when_empty(built):
    """Types come from the registry, never from the values: a table with no rows (no documents coded) has the same
    columns as one with rows, and a text column of digits stays text."""
    tables, _ = built
    evidence = pd.read_parquet(tables / "evidence.parquet")
    assert len(evidence) == 0
    assert {name: str(dtype) for name, dtype in evidence.dtypes.items() if name in ("start", "sentence")} == {
        "start": "Int64",
        "sentence": "string",
    }
    assert str(pd.read_parquet(tables / "reliability.parquet")["cohen_kappa"].dtype) == "Float64"


def test_a_missing_column_label_names_its_key_before_any_file_is_written(tmp_path, codebook):
    table = Table("documents", [Column("scope"), Column("no_such_column", "int")], [["national", 1]])
    with pytest.raises(PipelineError, match=r"missing message key 'column\.no_such_column'"):
        write_tables([table], tmp_path, MESSAGES, 2017, codebook)
    assert not list(tmp_path.iterdir())


def test_a_code_column_takes_the_codes_labels_and_an_unknown_code_has_none(codebook, tmp_path):
    table = Table("codes_by_unit", [Column("unit"), Column("task.nothing", "int")], [["beijing", 1]])
    with pytest.raises(PipelineError, match=r"missing message key 'column\.task\.nothing'"):
        write_tables([table], tmp_path, MESSAGES, 2017, codebook)


# Text a spreadsheet would run as a formula (OWASP's CSV injection list), and text that only looks like it.
FORMULA_LIKE = ["=1+2", "+3+4", "-5+6", "@SUM(7)", "\tcmd", "\rcmd", "'=already quoted", "''+twice"]
PLAIN = ["-0.5", "+3", "plain", "'s apostrophe"]


def test_formula_like_text_is_inert_in_the_csv_and_text_in_parquet_and_workbook(tmp_path, codebook):
    texts = FORMULA_LIKE + PLAIN
    columns = [Column("code"), Column("note"), Column("count", "int"), Column("share", "share")]
    table = Table("cells", columns, [["task.platform", text, -3, -0.25] for text in texts])
    write_tables([table], tmp_path, MESSAGES, 2017, codebook)
    header, written = _csv(tmp_path / "cells.csv")
    assert [row[1] for row in written] == ["'" + text for text in FORMULA_LIKE] + PLAIN
    assert {(row[2], row[3]) for row in written} == {("-3", "-0.2500")}  # numbers stay numbers
    with (tmp_path / "cells.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert [row[1] for row in list(csv_records(stream))[1:]] == texts

    assert pd.read_parquet(tmp_path / "cells.parquet")["note"].tolist() == texts
    sheet = load_workbook(tmp_path / "indicators_2017.xlsx")["cells"]
    notes = [sheet.cell(row=row, column=2) for row in range(3, 3 + len(texts))]
    assert [cell.value for cell in notes] == texts and {cell.data_type for cell in notes} == {"s"}
    assert sheet["C3"].value == -3 and sheet["C3"].data_type == "n"
    with zipfile.ZipFile(tmp_path / "indicators_2017.xlsx") as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not [name for name in sheets if b"<f>" in archive.read(name)]  # no formula anywhere


def test_evidence_sentences_that_look_like_formulas_come_back_as_written(tmp_path):
    path, documents = tmp_path / "evidence.csv", tmp_path / "documents.tsv"
    sentences = FORMULA_LIKE + PLAIN
    row = {"unit": "beijing", "doc_id": "bj", "sentence_id": "s1", "section": "一", "heading": "总体要求"}
    row |= {"start": 0, "end": 1, "code": "task.platform"}
    write_evidence(path, [{**row, "keyword": "=", "sentence": sentence} for sentence in sentences])
    documents.write_text("beijing\tbj\n", encoding="utf-8")
    assert "\n'=1+2," not in path.read_text(encoding="utf-8")  # the keyword column is first made inert: '=
    evidence = read_evidence(path, documents).evidence[("beijing", "task.platform")]
    assert [item.sentence for item in evidence] == sentences and {item.keyword for item in evidence} == {"="}
    _, written = _csv(path)
    column = EVIDENCE_COLUMNS.index("sentence")
    assert [line[column] for line in written] == ["'" + text for text in FORMULA_LIKE] + PLAIN
