"""Chinese scripts and legacy encodings: which decoding of a file reads as Chinese, and one simplified form of it.

Two questions ingest cannot answer with a codec alone. A Big5 file is valid GB18030 byte for byte, and reads as a
stream of rare characters; only the characters say which decoding is the text, so candidates are scored by their
share of common hanzi and punctuation. And traditional text from Taiwan keeps its own vocabulary through OpenCC's
character conversion (網際網路 → 网际网路, not 互联网), so such a document gets a Taiwan → mainland vocabulary
map after `t2s`; mainland text, and traditional text in mainland vocabulary, is never put through it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from operator import ne
from typing import Any

# ------------------------------------------------------------------------------------------------ plausibility

SAMPLE = 65_536  # characters scored per candidate decoding: enough to decide, cheap on a 20 MB file
PUNCTUATION = re.compile("[\u2000-\u206f\u2460-\u24ff\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef·×÷°]")
NON_ASCII_VISIBLE = re.compile(r"[^\x00-\x7f\s]")
MARKS = frozenset(map(chr, range(0xFDD0, 0xFDF0)))


@cache
def common_characters() -> frozenset[str]:
    """Hanzi of GB 2312 (6,763, simplified) and of Big5's common level (5,401, traditional).

    Mojibake of one legacy encoding read as another lands mostly outside both: Big5 bytes read as GB18030 give
    GBK's extension hanzi, kana and Cyrillic; GB 2312 bytes read as Big5 give Big5's rarer level.
    """
    chars: set[str] = set()
    for encoding, leads, trails in (
        ("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    ):
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes((lead, trail)).decode(encoding))
                except UnicodeDecodeError:
                    continue
    return frozenset(char for char in chars if "\u4e00" <= char <= "\u9fff")


def chinese_share(text: str) -> float:
    """Share of a text's visible non-ASCII characters (its first SAMPLE characters) that are common hanzi or
    CJK punctuation; 1.0 for a text without any."""
    sample = NON_ASCII_VISIBLE.findall(text[:SAMPLE])
    if not sample:
        return 1.0
    common = common_characters()
    good = sum(1 for char in sample if char in common or PUNCTUATION.match(char))
    return good / len(sample)


def unreadable_count(text: str) -> tuple[int, int]:
    """(private-use, unassigned and surrogate characters, visible characters): what a broken PDF text layer or a
    wrong decoding leaves. Counted over distinct characters first, so a clean text costs one pass of set().
    Noncharacters are not counted: they are the marks of provincial_plans.coding.styles, which readers have put in."""
    bad = {char for char in set(text) if unicodedata.category(char) in ("Co", "Cn", "Cs") and char not in MARKS}
    if not bad:
        return 0, len(text)
    visible = len(text) - sum(text.count(char) for char in " \t\n\r\u3000")
    return sum(text.count(char) for char in bad), visible


# -------------------------------------------------------------------------------------------------- scripts

# Taiwan vocabulary as OpenCC's `t2s` leaves it (網際網路 → 网际网路), and the mainland word. Only unambiguous
# terms: 智慧 (both 智能 and 智慧 on the mainland), 執行 (执行 and 运行) and 整合 (a mainland word too, which
# OpenCC's `tw2sp` turns into 集成) stay as `t2s` gives them. An entry that maps to itself guards a mainland
# phrase from a shorter entry (线上线下 is no 在线线下; 即时办结 is no 实时办结); the longest entry wins.
TAIWAN_TERMS = {
    "网际网路": "互联网",
    "网路": "网络",
    "资讯": "信息",
    "资料": "数据",
    "最佳化": "优化",
    "视窗": "窗口",
    "线上": "在线",
    "线上线下": "线上线下",
    "即时": "实时",
    "即时办结": "即时办结",
    "即时办理": "即时办理",
    "即时受理": "即时受理",
    "入口网站": "门户网站",
    "软体": "软件",
    "硬体": "硬件",
    "程式": "程序",
    "伺服器": "服务器",
    "云端计算": "云计算",
    "人工智慧": "人工智能",
    "使用者": "用户",
    "介面": "界面",
    "影片": "视频",
    "数位": "数字",
    "宽频": "宽带",
    "讯号": "信号",
    "简讯": "短信",
    "登入": "登录",
    "列印": "打印",
    "预设": "默认",
    "释出": "发布",
    "专案": "项目",
    "支援": "支持",
    "对口支援": "对口支援",
    "著力": "着力",
    "著眼": "着眼",
    "著重": "着重",
    "著手": "着手",
    "随著": "随着",
}
# Words that only one side writes, once converted to simplified characters: the vote that decides whether a
# traditional document is in Taiwan vocabulary (a mainland page offered in traditional script writes 網絡, 數據).
# A mainland plan put into Taiwan vocabulary by a converter may hold none of the general words, only the
# platform's name (線上政務服務平臺, the mainland's 在线政务服务平台) and 大資料 (大数据): both count.
TAIWAN_WORDS = re.compile("网际网路|网路|资讯|软体|硬体|伺服器|最佳化|数位|视窗|线上政务服务平台|大资料")
MAINLAND_WORDS = re.compile("互联网|网络|信息|数据|软件|硬件|服务器|优化|数字化")
TRADITIONAL_SHARE = 0.05  # at least this share of non-ASCII characters changed by t2s: the text was traditional


@cache
def _t2s() -> Any:
    """OpenCC's t2s converter (the `opencc` package; `opencc-python-reimplemented` has the same interface)."""
    import opencc  # 25 ms: only for a document written in traditional characters

    return opencc.OpenCC("t2s")


@cache
def _taiwan_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(TAIWAN_TERMS, key=len, reverse=True)))


def to_simplified(text: str, taiwan: bool | None = None) -> str:
    """Traditional → simplified; repeated until stable, as a few OpenCC mappings chain (薴 → 苧 → 苎). A text that
    was traditional and is in Taiwan vocabulary (see `is_taiwan`) gets its words mapped to the mainland's too;
    `taiwan` decides that instead where a short piece of a document must be read as the whole was."""
    converted = _until_stable(text)
    if taiwan is None:
        taiwan = converted != text and was_traditional(text, converted) and is_taiwan(converted)
    if taiwan:
        converted = _taiwan_pattern().sub(lambda match: TAIWAN_TERMS[match.group()], converted)
    return converted


def _until_stable(text: str) -> str:
    converter = _t2s()
    for _ in range(4):
        converted = converter.convert(text)
        if converted == text:
            break
        text = converted
    return text


def was_traditional(text: str, converted: str) -> bool:
    """t2s changed at least TRADITIONAL_SHARE of the non-ASCII characters: a simplified text quoting a traditional
    name stays below it, a traditional text (a quarter to a third of its hanzi change) is far above."""
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return sum(map(ne, text, converted)) >= TRADITIONAL_SHARE * max(non_ascii, 1)


def is_taiwan(simplified: str) -> bool:
    """As many Taiwan-only words as mainland-only ones (a short text with neither counts as Taiwan's)."""
    return len(TAIWAN_WORDS.findall(simplified)) >= len(MAINLAND_WORDS.findall(simplified))
