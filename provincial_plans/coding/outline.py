"""Outline of a plan: where each sentence stands in the document, as a reader of a Chinese plan sees it.

A plan numbers its parts 一、 （一） 1. （1） ① (and ⑴ ⒈ 第一条 ——), often runs a heading into its first line
("（一）指导思想。全面贯彻…"), and opens and closes with blocks that are not the plan's text: the notice's header
(文号, addressee, "现将…印发给你们") and its signature (issuer, date, 此件公开发布, 抄送). The coder needs to know, for
every sentence, the headings it stands under (a principle counts under 基本原则), the paragraph it belongs to (a
year at the head of a goal paragraph governs all its clauses) and the sentence that introduces its list.

Levels are not fixed by marker kind: each kind of marker ranks by its first appearance, as a reader learns a
document's scheme, so a plan that skips a level (一、 then 1.) or numbers in another order still nests right. A
document with no recognisable structure gets empty sections and headings: the coder then relies on cue words.
This module reads markers, headings and the frame; coding.places walks a document with them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

CN = "一二三四五六七八九十百零〇"


# A marker at the start of a sentence; its group name is its kind. ⑴ is a (1) and ⒈ a 1. set as one character.
MARKER = re.compile(
    rf"(?P<cn>[{CN}]{{1,4}})、(?![{CN}])"
    rf"|(?P<cn_paren>[（(][{CN}]{{1,4}}[）)])"
    r"|(?P<arabic>[0-9]{1,3})[.．、](?![0-9.．])|(?P<arabic_one>[⒈-⒛])"
    r"|(?P<arabic_paren>[（(][0-9]{1,3}[）)]|[⑴-⒇])"
    r"|(?P<circled>[①-⑳])"
    rf"|(?P<article>第[{CN}0-9]{{1,4}}(?:条|章|节|部分))"
    r"|(?P<dash>——|--)"
)


MARKER_START = frozenset(f"{CN}（(0123456789第—-") | {chr(c) for c in range(0x2460, 0x249C)}  # ①…⒛


KIND = {"arabic_one": "arabic"}  # kinds that are another kind in one character


LEAVES = frozenset({"run-in", "dash"})


RESTART = "-restart"  # a kind whose numbering began again under a heading of that kind (see _Walk._restarts)


CN_VALUES = {char: value for value, char in enumerate("零一二三四五六七八九十")} | {"〇": 0}


LEAF = 1000  # added to the rank of a leaf kind


SHORT_HEADING = 24  # a run-in heading (marker, phrase, 。 or ：, body) is at most this long after its marker


LONE_HEADING = 40  # a marker line without terminal punctuation up to this long is a heading, longer an item


STYLED_HEADING = 60  # a paragraph styled as a heading (docx, HTML) longer than this is emphasis, not a heading


TERMINAL = re.compile(r"[。！？；!?;][”’」』）)]*$")


COLON = re.compile(r"[：:][”’」』）)]*$")


RUN_IN = re.compile(rf"[^，,；;。！？!?（(《]{{1,{SHORT_HEADING}}}[。：:]")


TRAILING = re.compile(r"[\s。：:；;，,、.．！？!?]+$")


ANNEX = re.compile(rf"附件[0-9{CN}]*[：:]?")  # a paragraph that is only this opens an appendix


ANNEX_LIST = re.compile(r"附件[：:]")  # the list of attachments at the end of a notice


SHI = re.compile(rf"[{CN}]是")  # 一是…二是…: a list written in the sentence, not numbered


FIRST_SHI = re.compile("一是")


COLON_SHI = re.compile("[：:]一是")


# Header and signature blocks of a notice, paragraph by paragraph (see `regions`).
DOC_TYPES = (
    "通知|意见|方案|规划|计划|办法|要点|细则|决定|通告|函|批复|报告|纲要|指南|安排|规定|条例|制度|措施|进度表|分解表"
)


TITLE_LINE = re.compile(rf"[^。！？；!?;]{{4,80}}(?:{DOC_TYPES})(?:[（(][^）)]{{1,10}}[）)])?")
# Titles are often set letter-spaced (实  施  方  案); the spaces between hanzi are not part of the name.
LETTER_SPACING = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[【(（][0-9]{4}[〕］\]】)）]\s*(?:第\s*)?[0-9]{1,4}\s*号")


# A title printed twice in a web page's table cell (T T |): the cell repeats the page's heading.
TWICE_IN_A_CELL = re.compile(r"(?P<title>[^|]{4,90}?)\s+(?P=title)\s*\|?")
# A title followed on its line by its 文号 (…的通知 鹤政〔2017〕6号), as web pages print it.
TITLE_NUMBER = re.compile(rf"\s+(?:{DOC_NUMBER.pattern})\s*$")
# A 文号 with the title run after it on one line (示政办字〔2019〕5号 关于印发《…》的通知), as web copies flatten it.
NUMBER_TITLE = re.compile(rf"(?:{DOC_NUMBER.pattern})\s*(?:关于|印发)[^。！？]*")


# A row of the facts table a government web page puts above a notice (索引号 | 发布机构 | 发布日期 …): it describes
# the page, and its 名称 cell repeats the title.
PAGE_FACTS = re.compile(r"索\s*引\s*号|发\s*布\s*日\s*期|成\s*文\s*日\s*期|发\s*文\s*字\s*号|主\s*题\s*分\s*类")


# The rule under a table's header row (---|---|---): a row of the table, not a "--" dash item.
TABLE_RULE = re.compile(r"[-|:：\s]*-[-|:：\s]*")


RED_HEAD = re.compile(r"[^。！？；，,]{2,30}文件")


# 各市县人民政府，省直各单位： / …试点市党委和人民政府，省委各部、委，…各人民团体： / a list that opens with the
# province's own units (省直各单位、各市（州）发展改革委、…政务信息共享主管部门：)
ADDRESSEE = re.compile(r"(?:省直|市直|县直|区直)?各[^。！？；]{0,100}(?:政府|部门|单位|机构|厅局|团体|党委)[：:]")


TRANSMITTAL = re.compile("(?:印发|转发|发)给你们|印发给你单位|现予印发|现予发布")


DATE = re.compile(
    r"[（(]?(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})月"
    r"(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})日[）)]?"
)


ISSUER = re.compile(r"[^。！？；，,：:、]{2,40}(?:政府|办公厅|办公室|委员会|领导小组|厅|局|委|中心|小组)")


RELEASE_NOTE = r"[（(]此件[^）)]{1,10}[）)]"  # （此件公开发布）
CLOSING = re.compile(
    rf"{RELEASE_NOTE}|[（(]?联系人[：:].*|抄送[：:].*|.*[0-9]{{4}}年[0-9]{{1,2}}月[0-9]{{1,2}}日\s*印发"
)
# a web copy may run the release note, the issuer and the date into one line
# (（此件公开发布） 示例省人民政府办公厅 2017年3月1日)
CLOSING_RUN = re.compile(rf"{RELEASE_NOTE}\s*(?:{ISSUER.pattern})?\s*(?:{DATE.pattern})?")


class SentenceLike(Protocol):
    id: str
    start: int
    text: str


class Place(NamedTuple):
    """Where a sentence stands: see the README's "Coding documents" for each field."""

    section: str = ""  # markers of the enclosing nodes, outermost first: 二/（三）/2
    headings: tuple[str, ...] = ()  # texts of the enclosing headings, outermost first
    heading: bool = False  # the sentence is (part of) a heading
    paragraph: int = 0  # 1-based number of the non-empty line it is on
    lead: str = ""  # id of the sentence ending in ： that introduces the list it belongs to


@dataclass(frozen=True)
class Regions:
    """Paragraphs (1-based) that are not the plan's own text, and the document's title."""

    title: dict[int, str] = field(default_factory=dict)  # paragraph → the text of the title it is (part of)
    header: frozenset[int] = frozenset()  # 文号, 红头 (…文件), addressee, transmittal sentence
    signature: frozenset[int] = frozenset()  # issuer and date, 此件公开发布, 联系人, 抄送, 印发


@dataclass(frozen=True)
class Marker:
    kind: str
    label: str  # as the section path shows it: 一 for 一、, 1 for 1., （一） and (1) as written, "" for ——
    end: int  # where the text after the marker begins


class Node(NamedTuple):
    rank: int
    kind: str
    section: str  # the section path down to this node
    headings: tuple[str, ...]  # the headings down to this node
    heading: bool  # a heading, not an item


@dataclass
class Lead:
    id: str
    depth: int  # stack depth under which the list's items open
    parent: Node | None
    kind: str  # kind of the list's items; "" for a 一是…二是… list
    paragraph: int  # for a 一是 list: the last paragraph that continued it


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line: the physical paragraphs, numbered from 1 in this order."""
    spans = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def paragraph_numbers(spans: Sequence[tuple[int, int]], sentences: Sequence[SentenceLike]) -> list[int]:
    """The paragraph of each sentence (sentences never cross a line break)."""
    starts = [start for start, _ in spans]
    return [bisect_right(starts, sentence.start) for sentence in sentences]


def marker(text: str) -> Marker | None:
    if text[:1] not in MARKER_START:  # most sentences: decided without the regex
        return None
    match = MARKER.match(text)
    if match is None:
        return None
    kind = match.lastgroup or ""
    if kind == "article":
        label = match.group()
        kind = "article_" + label[-1]
    elif kind in ("cn", "arabic"):
        label = match.group(kind)
    else:
        label = "" if kind == "dash" else match.group()
    end = match.end()
    return Marker(KIND.get(kind, kind), label, end + len(text[end:]) - len(text[end:].lstrip()))


def number_of(label: str) -> int | None:
    """The count a marker's label stands for (一 → 1, （十二） → 12, 3 → 3, ② → 2), None for other labels."""
    core = label.strip("（()）")
    if len(core) == 1 and "①" <= core <= "⑳":
        return ord(core) - ord("①") + 1
    if core.isascii() and core.isdigit():
        return int(core)
    if not core or any(char not in CN_VALUES for char in core):
        return None
    if "十" not in core:
        return CN_VALUES[core] if len(core) == 1 else None
    tens, _, units = core.partition("十")
    return (CN_VALUES[tens] if tens else 1) * 10 + (CN_VALUES[units] if units else 0)


def heading_text(text: str) -> str:
    """A heading as `headings` lists it: without its marker and trailing punctuation."""
    found = marker(text)
    return TRAILING.sub("", text[found.end :] if found else text)


def run_in_cut(text: str, styled: bool = False) -> int | None:
    """Where a run-in heading ending in ： stops in a sentence that starts with a marker ("（二）工作目标：到2017年
    底，…") or in a paragraph styled run-in: ingest cuts the sentence there, so that the heading is a sentence of
    its own. None if there is none."""
    found = marker(text)
    if found is None and not styled:
        return None
    head = RUN_IN.match(text, found.end if found else 0)
    if head is None or text[head.end() - 1] not in "：:" or not text[head.end() :].strip():
        return None
    return head.end()


def regions(text: str, spans: Sequence[tuple[int, int]]) -> Regions:
    """Title, header and signature paragraphs.

    Before the first numbered paragraph: 文号 lines (a cut title may run after one), 红头 lines (…文件), the addressee
    line (各…：), the transmittal sentence (现将《…》印发给你们), the rows of a web page's facts table (索引号, 发布日期
    …), and titles (no sentence punctuation, ending in 通知/意见/方案…, perhaps followed by their 文号; a title may wrap
    over lines); a table's rule line (---|---) is none of the plan's numbered paragraphs. Anywhere: a date alone on its
    line is a signature when an issuer line (a name ending in 政府, 办公厅, 厅, 局 …) stands right above it and the next
    paragraph is the end, a closing line (此件公开发布, 联系人, 抄送, 印发), an appendix, a title, or any paragraph
    before the plan's first numbered one (a notice's signature comes before the plan it transmits); closing lines are
    signature wherever they stand, and so is a release note run into one line with the issuer and date. A date inside a
    sentence ("到2017年12月31日前，建成…") is never a signature.
    """
    lines = [text[start:end].strip() for start, end in spans]
    first_numbered = next(
        (n for n, line in enumerate(lines, 1) if marker(line) and not TABLE_RULE.fullmatch(line)), len(lines) + 1
    )
    title: dict[int, str] = {}
    header: set[int] = set()
    signature: set[int] = set()
    for n, line in enumerate(lines[: first_numbered - 1], 1):
        whole = any(pattern.fullmatch(line) for pattern in (DOC_NUMBER, RED_HEAD, ADDRESSEE, TABLE_RULE))
        if whole or TRANSMITTAL.search(line) or PAGE_FACTS.search(line):
            header.add(n)
    for n, line in enumerate(lines, 1):
        if CLOSING.fullmatch(line) or CLOSING_RUN.fullmatch(line):
            signature.add(n)
        elif DATE.fullmatch(line) and n > 1 and ISSUER.fullmatch(lines[n - 2]):
            after = lines[n] if n < len(lines) else ""
            closes = not after or CLOSING.fullmatch(after) or ANNEX.fullmatch(after) or ANNEX_LIST.match(after)
            if closes or TITLE_LINE.fullmatch(after) or n < first_numbered:
                signature.add(n)
                k = n - 1
                while k >= 1 and n - k <= 3 and ISSUER.fullmatch(lines[k - 1]):
                    signature.add(k)
                    k -= 1
    wrapped: list[int] = []
    head = lines[: first_numbered - 1]  # a title stands before the plan's first numbered paragraph
    head = [twice.group("title") if (twice := TWICE_IN_A_CELL.fullmatch(line)) else line for line in head]
    for n, line in enumerate(head, 1):
        if n in header or n in signature or TERMINAL.search(line) or "。" in line or len(line) > 80:
            wrapped = []
            continue
        wrapped.append(n)
        # the title may wrap over up to three lines, or stand alone after a line that is not part of it (a web
        # page's heading that repeats it with its 文号)
        for size in range(min(3, len(wrapped)), 0, -1):
            joined = LETTER_SPACING.sub("", "".join(TITLE_NUMBER.sub("", head[k - 1]) for k in wrapped[-size:]))
            if TITLE_LINE.fullmatch(joined):
                title |= {k: TRAILING.sub("", joined) for k in wrapped[-size:]}
                wrapped = []
                break
    # a 文号 run into a title that web damage cut (…〔2019〕50号 关于印发《…“一窗受理?) is header; one whose title
    # reads whole, alone or wrapped over lines, stays title, which dates the plan
    header |= {
        n for n, line in enumerate(head, 1) if n not in title and NUMBER_TITLE.fullmatch(line)
    }
    return Regions(title, frozenset(header), frozenset(signature))
