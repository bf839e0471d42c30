"""Every bad input stops with one line naming the file, the line and the problem."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from pipeline import schemas
from pipeline.dataset import load_codebook, load_year
from pipeline.errors import InputError
from pipeline.inputs import MAX_FIELD_CHARS, Row, read_csv, read_text, read_yaml

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


# --- strict reading of every data file (issue 17: 1, 2, 4, 6)


def rows_of(path: Path, text: str) -> list[Row]:
    path.write_text(text, encoding="utf-8", newline="")
    return read_csv(path, schemas.FACTS)


HEADER = "year,gb_code,province,code,value,basis,source_section,note,note_zh\n"
ROW = "2017,{code},,task.platform,1,stated,synthetic,{note},synthetic test row\n"


def test_a_stray_quote_that_would_swallow_rows_is_refused_at_its_line(tmp_path):
    # csv.reader (not strict) reads these four lines as two rows of nine fields, rows 3 and 4 lost in a note
    text = HEADER + ROW.format(code=11, note='"about 5, lacking') + ROW.format(code=12, note="plain")
    text += ROW.format(code=13, note='"a quoted note"')
    with pytest.raises(InputError) as caught:
        rows_of(tmp_path / "facts.csv", text)
    assert str(caught.value).endswith(
        "facts.csv, line 2: a quoted field opened in this row is still open at line 3, which reads as a row of its "
        "own (a stray '\"'?)"
    )


def test_a_quote_never_closed_is_refused_at_the_row_it_opened_in(tmp_path):
    text = HEADER + ROW.format(code=11, note="plain") + ROW.format(code=12, note='"never closed')
    with pytest.raises(InputError, match=r"facts\.csv, line 3: a quoted field opened in this row is never closed"):
        rows_of(tmp_path / "facts.csv", text)


def test_text_after_a_closing_quote_is_refused(tmp_path):
    text = HEADER + ROW.format(code=11, note='"quoted" and then not')
    with pytest.raises(InputError, match=r"facts\.csv, line 2: text after the closing '\"' of a quoted field"):
        rows_of(tmp_path / "facts.csv", text)


def test_a_quoted_note_may_hold_tabs_and_line_breaks_and_rows_keep_their_first_line(tmp_path):
    note = '"first line,\tthen a tab\n2017,99,not a row\nlast line"'
    text = HEADER + ROW.format(code=11, note=note) + ROW.format(code=12, note="plain")
    rows = rows_of(tmp_path / "facts.csv", text)
    assert [row.line for row in rows] == [2, 5]
    assert rows[0].values["note"] == "first line,\tthen a tab\n2017,99,not a row\nlast line"
    assert rows[1].values["gb_code"] == "12"


def test_a_row_run_on_by_a_quote_into_too_many_fields_names_both_lines(tmp_path):
    # the quote opened on line 2 closes on line 3, which reads as no row: one record of ten fields
    text = HEADER + ROW.format(code=11, note='"x').replace("synthetic test row\n", "a\n") + 'b",c,d\n'
    with pytest.raises(InputError, match=r"line 2: 10 fields where the header has 9 \(the row runs on to line 3"):
        rows_of(tmp_path / "facts.csv", text)


def test_a_field_over_the_limit_is_refused_and_one_at_the_limit_is_read(tmp_path):
    limit = csv.field_size_limit()
    at_limit = "x" * MAX_FIELD_CHARS
    rows = rows_of(tmp_path / "facts.csv", HEADER + ROW.format(code=11, note=at_limit))
    assert rows[0].values["note"] == at_limit
    for note in (at_limit + "x", '"' + "y" * 200_000 + '"'):
        with pytest.raises(InputError, match=r"line 2: a field longer than 10,000 characters"):
            rows_of(tmp_path / "facts.csv", HEADER + ROW.format(code=11, note=note))
    assert csv.field_size_limit() == limit  # the process-wide limit is restored for other readers


def test_crlf_line_endings_read_as_lf_and_cr_only_is_refused(data):
    facts = data / "2017" / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    facts.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert load_year(data, 2017).cells == load_year(ROOT / "data", 2017).cells
    facts.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    assert error_of(data).endswith(
        "facts.csv, line 1: carriage return (U+000D) without a line feed: save the file with LF or CRLF line endings"
    )


@pytest.mark.parametrize("name", ["2017/facts.csv", "2017/aggregates.csv", "codebook.yaml", "messages/en.yaml"])
def test_a_data_file_without_a_final_line_break_is_refused_as_truncated(data, name):
    path = data / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:-1], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_text(path)
    lines = text.count("\n")
    assert str(caught.value).endswith(
        f"{name}, line {lines}: no line break at the end of the file: it may be truncated"
    )


def test_facts_cut_at_a_line_break_are_refused_where_a_basis_settles_every_province(data):
    facts = data / "2017" / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    facts.write_text("".join(lines[: len(lines) * 2 // 3]), encoding="utf-8")  # the last third gone
    message = error_of(data)
    first = next(number for number, line in enumerate(lines, 1) if ",content.reengineering," in line)
    assert f"facts.csv, line {first}: code content.reengineering: basis 'stated_all' settles every province" in message
    assert "but 16 of 31 have no row, e.g. 41 河南 (a truncated file?)" in message


@pytest.mark.parametrize(
    ("old", "new", "line", "problem"),
    [
        ("2017,21,辽宁,task.platform,0,", "2017,21,辽宁,task.platform,1,", 10, "31 provinces present (1), but the 30"),
        ("2017,11,北京,content.reengineering,1,", "2017,11,北京,content.reengineering,0,", 4, "1 provinces absent (0)"),
    ],
)
def test_facts_may_not_exceed_the_counts_the_study_states(data, old, new, line, problem):
    facts = data / "2017" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    message = error_of(data)
    assert f"aggregates.csv, line {line}: code " in message and "facts.csv marks " + problem in message


@pytest.mark.parametrize(
    ("char", "problem"),
    [
        ("\x00", "control character U+0000"),
        ("\x07", "control character U+0007"),
        ("\x1b", "control character U+001B"),
        ("\x0c", "control character U+000C"),
        ("\x7f", "control character U+007F"),
        ("\x85", "control character U+0085"),
        ("\r", "carriage return (U+000D) without a line feed"),
        ("\u2028", "line separator (U+2028): use a line break"),
        ("\u202a", "bidirectional control U+202A (LEFT-TO-RIGHT EMBEDDING)"),
        ("\u202e", "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u2067", "bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE)"),
        ("\u2069", "bidirectional control U+2069 (POP DIRECTIONAL ISOLATE)"),
    ],
)
def test_control_and_bidirectional_characters_are_refused_naming_the_code_point(tmp_path, char, problem):
    path = tmp_path / "facts.csv"
    text = HEADER + ROW.format(code=11, note="plain") + ROW.format(code=12, note=f"before{char}after")
    with pytest.raises(InputError) as caught:
        rows_of(path, text)
    assert f"facts.csv, line 3: {problem}" in str(caught.value)
    (tmp_path / "messages.yaml").write_text(f'a: plain\nb: "before{char}after"\n', encoding="utf-8", newline="")
    with pytest.raises(InputError, match=re.escape(f"messages.yaml, line 2: {problem}")):
        read_yaml(tmp_path / "messages.yaml")


def test_control_characters_written_as_yaml_escapes_are_refused(tmp_path):
    path = tmp_path / "codebook.yaml"
    for escape, code in (("\\e", "U+001B"), ("\\0", "U+0000"), ("\\u202E", "U+202E"), ("\\x85", "U+0085")):
        path.write_text(f'version: 1.0.0\nlabel:\n  en: "text{escape}"\n', encoding="utf-8")
        with pytest.raises(InputError, match=rf"codebook\.yaml, line 3: .*{re.escape(code)}"):
            read_yaml(path)
    path.write_text('label: "a\\tb\\nc"\n', encoding="utf-8")
    assert read_yaml(path) == {"label": "a\tb\nc"}  # tab and line break stay allowed


def test_yaml_anchors_and_aliases_are_refused_before_anything_is_expanded(tmp_path):
    path = tmp_path / "config.yaml"
    levels = ["  - &l0 [" + ", ".join(["beijing"] * 9) + "]"]
    levels += [f"  - &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 12)]  # 9^12 once expanded
    path.write_text("years: [2017]\nunits:\n" + "\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.yaml, line 3: YAML anchor or alias '&l0': not allowed"):
        read_yaml(path, {"type": "object", "properties": {"units": {"type": "array", "items": {"type": "string"}}}})
    path.write_text("a: 1\nb: *missing\n", encoding="utf-8")  # an alias without its anchor is still named
    with pytest.raises(InputError, match=r"config\.yaml, line 2: "):
        read_yaml(path)


def test_duplicate_yaml_keys_are_refused_naming_both_lines_at_any_depth(tmp_path):
    path = tmp_path / "conclusions.yaml"
    path.write_text("version: 1.0.0\nconstants:\n  low: 0.5\n  high: 0.9\n  low: 0.4\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"conclusions\.yaml, line 5: duplicate key 'low' \(first at line 3\)$"):
        read_yaml(path)
    path.write_text("- {zh: 一, en: one, zh: 二}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: duplicate key 'zh' \(first at line 1\)$"):
        read_yaml(path)
    path.write_text("low: 0.5\nconstants: {low: 0.4}\n", encoding="utf-8")  # the same key in two mappings is fine
    assert read_yaml(path) == {"low": 0.5, "constants": {"low": 0.4}}


def test_a_one_character_keyword_is_refused(data):
    codebook = data / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    first = "keywords: [一体化政务服务平台,"
    codebook.write_text(text.replace(first, "keywords: [的, " + first[len("keywords: [") :], 1), encoding="utf-8")
    line = text[: text.index(first)].count("\n") + 1
    problem = rf"line {line}: code 'task\.platform': keyword '的' is shorter than 2 characters"
    with pytest.raises(InputError, match=problem):
        load_codebook(codebook)
