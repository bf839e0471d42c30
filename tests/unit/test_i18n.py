"""Message catalogues: the same keys and placeholders in both languages, each edition's typography."""

from pathlib import Path

import pytest

from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import both_catalogues, check_catalogues, load_messages

MESSAGES = Path(__file__).resolve().parents[2] / "data" / "messages"


def test_shipped_catalogues_agree():
    check_catalogues(MESSAGES)


def test_missing_key_names_itself():
    with pytest.raises(PipelineError, match="zh.yaml: missing message key 'no.such.key'"):
        load_messages(MESSAGES, "zh")("no.such.key")


def test_a_message_that_is_not_text_is_named_with_its_line(tmp_path):
    """Checked without jsonschema where the catalogue is valid; a broken one still gets the schema's wording."""
    for lang in ("zh", "en"):
        text = (MESSAGES / f"{lang}.yaml").read_text(encoding="utf-8")
        (tmp_path / f"{lang}.yaml").write_text(text.replace("\nindex.title:", "\nindex.title: [a, b]\nx.old:"), "utf-8")
    line = (tmp_path / "en.yaml").read_text(encoding="utf-8").splitlines().index("index.title: [a, b]") + 1
    with pytest.raises(PipelineError) as raised:
        load_messages(tmp_path, "en")
    assert str(raised.value) == f"{tmp_path / 'en.yaml'}, line {line}: index.title: ['a', 'b'] is not of type 'string'"
    (tmp_path / "en.yaml").write_text((MESSAGES / "en.yaml").read_text(encoding="utf-8").replace(": ", ": ''\n#", 1))
    with pytest.raises(PipelineError, match=r"en\.yaml, line \d+: .* should be non-empty"):
        load_messages(tmp_path, "en")


def test_catalogue_missing_a_key_is_caught(tmp_path):
    for lang in ("zh", "en"):
        (tmp_path / f"{lang}.yaml").write_text((MESSAGES / f"{lang}.yaml").read_text(encoding="utf-8"), "utf-8")
    text = (tmp_path / "zh.yaml").read_text(encoding="utf-8")
    (tmp_path / "zh.yaml").write_text(text.replace("status.unknown: 未报告\n", ""), encoding="utf-8")
    with pytest.raises(PipelineError, match="zh.yaml: missing message key 'status.unknown'"):
        check_catalogues(tmp_path)


def test_fractions_in_each_typography():
    zh, en = both_catalogues(MESSAGES)
    assert zh.fraction(30, 31, 30 / 31) == "30/31（96.8%）"
    assert en.fraction(30, 31, 30 / 31) == "30/31 (96.8%)"
    assert zh.fraction(None, 31, None) == "未报告"
    assert en.fraction(1, 31, None) == "Not reported"
    assert zh.join(["甲", "乙", "丙"]) == "甲、乙、丙"
    assert en.join(["a", "b", "c"]) == "a, b, and c"


def test_catalogue_dates_in_each_typography():
    zh, en = both_catalogues(MESSAGES)
    assert zh.date("2016-09 (published 2016-09-29)") == "2016-09（2016-09-29公布）"
    assert en.date("2017 (reported 2017-04-07)") == "2017 (reported 2017-04-07)"
    assert zh.date("2017?") == "2017（存疑）"
    assert en.date("2017?") == "2017 (uncertain)"
    assert zh.date("2016-12/2017-01") == "2016-12/2017-01"
