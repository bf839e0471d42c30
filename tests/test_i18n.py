"""Message catalogues: the same keys and placeholders in both languages, each edition's typography."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.i18n import check_catalogues, load_messages

MESSAGES = Path(__file__).resolve().parent.parent / "data" / "messages"


def test_shipped_catalogues_agree():
    check_catalogues(MESSAGES)


def test_missing_key_names_itself():
    with pytest.raises(PipelineError, match="zh.yaml: missing message key 'no.such.key'"):
        load_messages(MESSAGES, "zh")("no.such.key")


def test_catalogue_missing_a_key_is_caught(tmp_path):
    for lang in ("zh", "en"):
        (tmp_path / f"{lang}.yaml").write_text((MESSAGES / f"{lang}.yaml").read_text(encoding="utf-8"), "utf-8")
    text = (tmp_path / "zh.yaml").read_text(encoding="utf-8")
    (tmp_path / "zh.yaml").write_text(text.replace("status.unknown: 未报告\n", ""), encoding="utf-8")
    with pytest.raises(PipelineError, match="zh.yaml: missing message key 'status.unknown'"):
        check_catalogues(tmp_path)


def test_fractions_in_each_typography():
    zh, en = load_messages(MESSAGES, "zh"), load_messages(MESSAGES, "en")
    assert zh.fraction(30, 31, 30 / 31) == "30/31（96.8%）"
    assert en.fraction(30, 31, 30 / 31) == "30/31 (96.8%)"
    assert zh.fraction(None, 31, None) == "未报告"
    assert en.fraction(1, 31, None) == "Not reported"
    assert zh.join(["甲", "乙", "丙"]) == "甲、乙、丙"
    assert en.join(["a", "b", "c"]) == "a, b, and c"
