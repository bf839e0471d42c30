"""Outline of a plan: where each sentence stands in the document, as a reader of a Chinese plan sees it.

A plan numbers its parts 一、 （一） 1. （1） ① (and ⑴ ⒈ 第一条 ——), often runs a heading into its first line
("（一）指导思想。全面贯彻…"), and opens and closes with blocks that are not the plan's text: the notice's header
(文号, addressee, "现将…印发给你们") and its signature (issuer, date, 此件公开发布, 抄送). The coder needs to know, for
every sentence, the headings it stands under (a principle counts under 基本原则), the paragraph it belongs to (a
year at the head of a goal paragraph governs all its clauses) and the sentence that introduces its list.

Levels are not fixed by marker kind: each kind of marker ranks by its first appearance, as a reader learns a
document's scheme, so a plan that skips a level (一、 then 1.) or numbers in another order still nests right. A
document with no recognisable structure gets empty sections and headings: the coder then relies on cue words.
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
DOC_TYPES = "通知|意见|方案|规划|计划|办法|要点|细则|决定|通告|函|批复|报告|纲要|指南|安排|规定|条例"
TITLE_LINE = re.compile(rf"[^。！？；!?;]{{4,80}}(?:{DOC_TYPES})(?:[（(][^）)]{{1,10}}[）)])?")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[【(（][0-9]{4}[〕］\]】)）]\s*(?:第\s*)?[0-9]{1,4}\s*号")
RED_HEAD = re.compile(r"[^。！？；，,]{2,30}文件")
ADDRESSEE = re.compile(r"各[^。！？；]{0,100}(?:政府|部门|单位|机构|厅局)[：:]")  # 各市县人民政府，省直各单位：
TRANSMITTAL = re.compile("(?:印发|转发|发)给你们|印发给你单位|现予印发|现予发布")
DATE = re.compile(
    r"[（(]?(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})月"
    r"(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})日[）)]?"
)
ISSUER = re.compile(r"[^。！？；，,：:、]{2,40}(?:政府|办公厅|办公室|委员会|领导小组|厅|局|委|中心|小组)")
CLOSING = re.compile(
    r"[（(]此件[^）)]{1,10}[）)]|[（(]?联系人[：:].*|抄送[：:].*|.*[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日\s*印发"
)


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

    Before the first numbered paragraph: 文号 lines, 红头 lines (…文件), the addressee line (各…：), the transmittal
    sentence (现将《…》印发给你们), and titles (no sentence punctuation, ending in 通知/意见/方案…; a title may wrap
    over lines). Anywhere: a date alone on its line is a signature when an issuer line (a name ending in 政府, 办公厅,
    厅, 局 …) stands right above it and the next paragraph is the end, a closing line (此件公开发布, 联系人, 抄送,
    印发), an appendix, a title, or any paragraph before the plan's first numbered one (a notice's signature comes
    before the plan it transmits); closing lines are signature wherever they stand. A date inside a sentence
    ("到2017年12月31日前，建成…") is never a signature.
    """
    lines = [text[start:end].strip() for start, end in spans]
    first_numbered = next((n for n, line in enumerate(lines, 1) if marker(line)), len(lines) + 1)
    title: dict[int, str] = {}
    header: set[int] = set()
    signature: set[int] = set()
    for n, line in enumerate(lines[: first_numbered - 1], 1):
        if any(pattern.fullmatch(line) for pattern in (DOC_NUMBER, RED_HEAD, ADDRESSEE)) or TRANSMITTAL.search(line):
            header.add(n)
    for n, line in enumerate(lines, 1):
        if CLOSING.fullmatch(line):
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
    for n, line in enumerate(lines[: first_numbered - 1], 1):
        if n in header or n in signature or TERMINAL.search(line) or "。" in line or len(line) > 80:
            wrapped = []
            continue
        wrapped.append(n)
        joined = "".join(lines[k - 1] for k in wrapped[-3:])
        if TITLE_LINE.fullmatch(joined):
            title |= {k: TRAILING.sub("", joined) for k in wrapped[-3:]}
            wrapped = []
    return Regions(title, frozenset(header), frozenset(signature))


def places(
    text: str,
    sentences: Sequence[SentenceLike],
    styles: dict[int, str] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    found: Regions | None = None,
) -> list[Place]:
    """The Place of every sentence. `styles` maps a paragraph number to how its format styles it: h1…h6, title
    or bold (the whole paragraph), run-in (a bold phrase starts it); `spans` and `found` are computed unless the
    caller has them."""
    spans = paragraph_spans(text) if spans is None else spans
    found = regions(text, spans) if found is None else found
    return _Walk(text, spans, paragraph_numbers(spans, sentences), styles or {}, found).run(sentences)


class _Walk:
    """One pass over the sentences with the stack of open nodes, as a reader keeps it."""

    def __init__(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        numbers: list[int],
        styles: dict[int, str],
        found: Regions,
    ) -> None:
        self.text, self.spans, self.numbers, self.styles, self.found = text, spans, numbers, styles, found
        self.ranks: dict[str, int] = {}
        self.stack: list[Node] = []
        self.leads: list[Lead] = []
        self.pending: tuple[str, int] | None = None  # a sentence ending in ：, waiting to see a list follow
        self.markers: list[Marker | None] = []
        self.first_of: dict[int, int] = {}  # paragraph → index of its first sentence

    def run(self, sentences: Sequence[SentenceLike]) -> list[Place]:
        self.markers = [marker(sentence.text) for sentence in sentences]
        for index in range(len(sentences) - 1, -1, -1):
            self.first_of[self.numbers[index]] = index
        result: list[Place] = []
        heading_paragraph = 0  # a styled heading paragraph: all its sentences are heading
        outside = self.found.signature | self.found.header
        for index, sentence in enumerate(sentences):
            number = self.numbers[index]
            first = self.first_of[number] == index
            same_line = index + 1 < len(sentences) and self.numbers[index + 1] == number
            after = (self.markers[index + 1],) if same_line else None  # the marker of what follows on its line
            if number in outside:
                result.append(Place(paragraph=number))
                continue
            if number in self.found.title or self.styles.get(number) == "title":
                title = self.found.title.get(number) or heading_text(self._line(number))
                result.append(Place(headings=(title,), heading=True, paragraph=number))
                continue
            is_heading = number == heading_paragraph
            opened = None
            if first:
                opened, is_heading, whole = self._open_paragraph(number, index, sentence.text, after)
                heading_paragraph = number if whole else 0
            elif not is_heading:
                opened, is_heading = self._open_sentence(index, sentence.text, after)
            lead = self._lead(sentence, number, first, opened)
            self._maybe_lead_in(sentence, number)
            top = self.stack[-1] if self.stack else None
            result.append(
                Place(top.section, top.headings, is_heading, number, lead)
                if top
                else Place("", (), is_heading, number, lead)
            )
        return result

    def _line(self, number: int) -> str:
        start, end = self.spans[number - 1]
        return self.text[start:end].strip()

    def _open_paragraph(
        self, number: int, index: int, first_sentence: str, after: tuple[Marker | None] | None
    ) -> tuple[Node | None, bool, bool]:
        """A paragraph's first sentence: an appendix, a styled heading, or whatever its marker says. The last
        flag: the whole paragraph is a heading (a styled one)."""
        style = self.styles.get(number, "")
        line = self._line(number) if style or first_sentence[:2] == "附件" else first_sentence
        if line[:2] == "附件":
            if ANNEX.fullmatch(line):
                self.stack = []
                return self._push("annex", TRAILING.sub("", line), TRAILING.sub("", line), rank=-1), True, True
            if ANNEX_LIST.match(line):
                self.stack = []
                return None, False, False
        if style in ("h1", "h2", "h3", "h4", "h5", "h6", "bold") and len(line) <= STYLED_HEADING:
            found = marker(line)
            kind = found.kind if found else style
            return self._push(kind, found.label if found else "", heading_text(line)), True, True
        if style == "run-in":
            found = self.markers[index]
            head = RUN_IN.fullmatch(first_sentence, found.end if found else 0)
            if head and after is not None:
                kind, label = (found.kind, found.label) if found else ("run-in", "")
                return self._push(kind, label, heading_text(first_sentence)), True, False
        return (*self._open_sentence(index, first_sentence, after), False)

    def _open_sentence(self, index: int, text: str, after: tuple[Marker | None] | None) -> tuple[Node | None, bool]:
        """A sentence that starts with a marker opens a node. It is a heading when it is short and unpunctuated;
        or ends in ： (工作目标：); or is a short phrase in 。 followed on its line by body text, not another item
        (run-in), or alone on its line with body text or a lower level's items on the next line ("（一）基本原则。"
        above "坚持…"; not "（一）建成平台。" above "（二）…"). Otherwise it is an item. —— counts only at the start
        of a paragraph. `after` holds the marker of the next sentence on the same line, if there is one."""
        found = self.markers[index]
        if found is None or (found.kind == "dash" and self.first_of[self.numbers[index]] != index):
            return None, False
        rest = text[found.end :]
        if TERMINAL.search(rest):
            short = RUN_IN.fullmatch(rest) is not None
            if after is not None:
                is_heading = short and after[0] is None
            else:
                is_heading = short and self._body_follows(found.kind, self.numbers[index] + 1)
                is_heading = is_heading and self._sibling_is_heading(found.kind)
        elif COLON.search(rest):
            is_heading = RUN_IN.fullmatch(rest) is not None
        else:
            is_heading = len(rest) <= LONE_HEADING
        kind = found.kind + RESTART if self._restarts(found) else found.kind
        return self._push(kind, found.label, TRAILING.sub("", rest) if is_heading else None), is_heading

    def _restarts(self, found: Marker) -> bool:
        """Numbering that starts again right under a heading of the same kind nests below it, and goes on there
        while it counts on: "（二）基本原则" followed by "（一）统筹规划…" "（二）问题导向…" lists the principles inside
        (二), as a reader takes it; "（三）工作目标" after "（四）开放融合…" is the outer count again."""
        top = self.stack[-1] if self.stack else None
        if top is None:
            return False
        value, top_value = number_of(found.label), number_of(top.section.rsplit("/", 1)[-1])
        if top.kind == found.kind + RESTART:
            return value is not None and top_value is not None and value == top_value + 1
        return top.heading and top.kind == found.kind and value == 1 and top_value not in (None, 1)

    def _body_follows(self, kind: str, following: int) -> bool:
        """The paragraph `following` is part of the plan and is body text, or starts an item of a kind nested
        below `kind` (or not seen before)."""
        if following not in self.first_of or following in self.found.signature or following in self.found.header:
            return False
        after = self.markers[self.first_of[following]]
        if after is None:
            return True
        return after.kind != kind and self.ranks.get(after.kind, len(self.ranks)) > self.ranks.get(kind, -1)

    def _sibling_is_heading(self, kind: str) -> bool:
        """The item before at this level (if any) was a heading too: "1. 建成平台。" above "2. 公开事项。" above
        body text does not make 2. a heading."""
        rank = self.ranks.get(kind)
        sibling = next((node for node in self.stack if node.rank == rank), None)
        return sibling is None or sibling.kind != kind or sibling.heading

    def _push(self, kind: str, label: str, heading: str | None, rank: int | None = None) -> Node:
        """Open a node (`heading` None for an item), closing the open ones of its rank or below. Run-in
        paragraphs and —— items rank below every numbered or styled kind, wherever they first appear: they are
        the leaves of a plan's outline."""
        if rank is None:
            rank = self.ranks.setdefault(kind, len(self.ranks) + (LEAF if kind in LEAVES else 0))
        stack = self.stack
        while stack and stack[-1].rank >= rank:
            stack.pop()
        section, headings = (stack[-1].section, stack[-1].headings) if stack else ("", ())
        if label:
            section = f"{section}/{label}" if section else label
        node = Node(rank, kind, section, (*headings, heading) if heading else headings, heading is not None)
        stack.append(node)
        return node

    def _lead(self, sentence: SentenceLike, number: int, first: bool, opened: Node | None) -> str:
        """The list this sentence belongs to: numbered items opened right under a sentence ending in ：, or a
        一是…二是… list after one; a list ends where its items' parent closes or, for 一是, at a paragraph that
        does not go on with …是."""
        if self.pending is not None:
            lead_id, depth = self.pending
            self.pending = None
            parent = self.stack[depth - 1] if 0 < depth <= len(self.stack) else None
            if opened is not None and len(self.stack) == depth + 1 and self.stack[-1] is opened:
                self.leads.append(Lead(lead_id, depth, parent, opened.kind, number))
            elif opened is None and FIRST_SHI.match(sentence.text):
                self.leads.append(Lead(lead_id, depth, parent, "", number))
        while self.leads:
            lead = self.leads[-1]
            if lead.kind:
                alive = (
                    len(self.stack) > lead.depth
                    and self.stack[lead.depth].kind == lead.kind
                    and (self.stack[lead.depth - 1] if lead.depth else None) is lead.parent
                )
            else:
                alive = number == lead.paragraph or (first and opened is None and SHI.match(sentence.text) is not None)
                if alive:
                    lead.paragraph = number
            if alive:
                return lead.id
            self.leads.pop()
        return ""

    def _maybe_lead_in(self, sentence: SentenceLike, number: int) -> None:
        """A sentence ending in ： may introduce a list; one that runs into 一是 (目标：一是…；) does at once."""
        if "：" not in sentence.text and ":" not in sentence.text:
            return
        if COLON.search(sentence.text):
            self.pending = (sentence.id, len(self.stack))
        elif COLON_SHI.search(sentence.text):
            parent = self.stack[-1] if self.stack else None
            self.leads.append(Lead(sentence.id, len(self.stack), parent, "", number))
