"""Every bad input stops with one line naming the file, the line and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.dataset import load_codebook, load_year
from pipeline.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def edit_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def error_of(data: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_year(data, 2017)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_value_outside_zero_one(data):
    facts = data / "2017" / "facts.csv"
    edit_line(facts, 5, ",1,inferred_complement", ",2,inferred_complement")
    message = error_of(data)
    assert "facts.csv, line 5:" in message and "'2'" in message


def test_unknown_province_code(data):
    facts = data / "2017" / "facts.csv"
    edit_line(facts, 3, "2017,12,天津", "2017,19,")
    assert "facts.csv, line 3: unknown province code '19'" in error_of(data)


def test_province_name_must_match_its_code(data):
    facts = data / "2017" / "facts.csv"
    edit_line(facts, 3, "2017,12,天津", "2017,12,北京")
    assert "facts.csv, line 3: province '北京' does not match code 12" in error_of(data)


def test_duplicate_unit_code_row(data):
    facts = data / "2017" / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    facts.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    message = error_of(data)
    assert f"line {len(lines) + 1}: duplicate unit × code row 11 × task.platform (first at line 2)" in message


def test_missing_column(data):
    facts = data / "2017" / "facts.csv"
    edit_line(facts, 1, ",value,", ",valeur,")
    message = error_of(data)
    assert "facts.csv, line 1: missing column 'value'" in message


def test_unexpected_column(data):
    facts = data / "2017" / "facts.csv"
    text = facts.read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",extra"] + [line + "," for line in text[1:]]
    facts.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert "facts.csv, line 1: unexpected column 'extra'" in error_of(data)


def test_short_row(data):
    facts = data / "2017" / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = "2017,11,北京\n"
    facts.write_text("".join(lines), encoding="utf-8")
    assert "facts.csv, line 10: 3 fields where the header has 9" in error_of(data)


def test_not_utf8(data):
    facts = data / "2017" / "facts.csv"
    facts.write_bytes(facts.read_text(encoding="utf-8").encode("gb18030"))
    message = error_of(data)
    assert "facts.csv, line 2: not UTF-8 (invalid byte" in message and "at offset" in message


def test_year_must_match_folder(data):
    facts = data / "2017" / "facts.csv"
    edit_line(facts, 2, "2017,11", "2018,11")
    assert "facts.csv, line 2: year 2018 in a file for 2017" in error_of(data)


def test_code_outside_codebook(data):
    aggregates = data / "2017" / "aggregates.csv"
    edit_line(aggregates, 2, "prin.national_four_consistent", "prin.unheard_of")
    assert "aggregates.csv, line 2: code 'prin.unheard_of' is not in the codebook" in error_of(data)


def test_aggregate_larger_than_total(data):
    aggregates = data / "2017" / "aggregates.csv"
    edit_line(aggregates, 2, ",14,31,", ",32,31,")
    assert "aggregates.csv, line 2: provinces 32 exceeds of 31" in error_of(data)


def test_codebook_duplicate_id_and_yaml_errors(data):
    codebook = data / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(text + "  - id: task.platform\n    label: {zh: 重复, en: Duplicate}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"codebook.yaml, line \d+: duplicate code id 'task.platform'"):
        load_codebook(codebook)
    codebook.write_text(text.replace("codes:\n", "codes:\n  - id: [unclosed\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"codebook.yaml, line \d+: YAML syntax error"):
        load_codebook(codebook)
    codebook.write_text(text.replace("  - id: task.platform\n", "  - id: nofamily.platform\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match="belongs to unknown family 'nofamily'"):
        load_codebook(codebook)


def test_attribution_lines_are_skipped(data_2017):
    assert len(data_2017.units) == 31
    assert data_2017.unit("beijing").iso == "CN-BJ"
    assert data_2017.unit("inner-mongolia").name_zh == "内蒙古自治区"


def test_targets_are_validated(data):
    targets = data / "2017" / "targets.csv"
    header = "gb_code,province,levels_covered,departments_connected,source\n"
    targets.write_text(header + "11,北京,3,40,synthetic test\n12,天津,7,10,synthetic test\n", encoding="utf-8")
    assert "targets.csv, line 3: levels_covered '7' is not one of" in error_of(data)
    targets.write_text(header + "11,北京,3,40,synthetic test\n", encoding="utf-8")
    loaded = load_year(data, 2017)
    assert (loaded.targets["11"].levels, loaded.targets["11"].departments) == (3, 40)
