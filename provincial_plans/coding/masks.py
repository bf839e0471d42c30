"""Masks: spans of a sentence that stay in its text and evidence but must never produce a code.

A keyword inside a cited title (《…试点实施方案》), inside the name of an office that issues or carries out the
plan (…网络安全和信息化领导小组办公室, （省政务服务办牵头，省财政厅配合）) or in the notice's header and signature is
no commitment of the plan. Each function below finds one kind, in sentence-relative offsets; `sentence_masks`
joins them sorted and without overlap: [start, end, reason] with reason title, office or signature.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

Span = tuple[int, int, str]

# -------------------------------------------------------------------------------------------------- titles

TITLE_BRACKETS = re.compile("[《》]")


def cited_titles(text: str) -> Iterator[Span]:
    """《…》 with the brackets, nested 《》 and 〈〉 inside; a 《 whose 》 never comes in the sentence masks nothing."""
    for start, end in _balanced(TITLE_BRACKETS, text, "《"):
        yield start, end, "title"


def _balanced(brackets: re.Pattern[str], text: str, opening: str) -> Iterator[tuple[int, int]]:
    """Outermost balanced spans, brackets included, found by `brackets` (a class of the opening and closing
    characters); a closing one without its opening is ignored, an opening one never closed yields nothing."""
    depth = 0
    start = 0
    for found in brackets.finditer(text):
        if found.group() in opening:
            if depth == 0:
                start = found.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield start, found.end()


# ------------------------------------------------------------------------------------------------- offices

ROLE = "牵头|配合|负责|参与|协办|主办|落实"
ROLE_LABEL = r"(?:牵头|责任|配合|参与|协办|主办)(?:单位|部门)"
# Inside task-assignment parentheses: a segment is a unit list with a role after it (省财政厅、省人社厅配合) or
# after a label (责任单位：…). What is left unmasked is the role and label words, which the coder needs.
ROLE_AFTER = re.compile(rf"\s*(?P<units>.+?)(?:按职责分工|按职责|分别|共同)?(?:{ROLE})+")
ROLE_BEFORE = re.compile(rf"{ROLE_LABEL}[：:]\s*(?P<units>.+)")
SEGMENT = re.compile(r"[^，,；;]+")
PARENTHESES = re.compile("[（()）]")
UNIT = re.compile(r"[^、\s和及]+")
ASSIGNMENT = re.compile(rf"{ROLE_LABEL}|(?:{ROLE})")
DEADLINE = re.compile(r"[0-9]{4}年|年底|月底|前完成|长期|持续")
# Outside parentheses: "牵头单位：省政务服务办；配合单位：省财政厅" (a table cell, a line of its own).
LABELLED = re.compile(rf"{ROLE_LABEL}[：:]\s*(?P<units>[^；;。，,（）()]+)")
# Office names by their ending, wherever they stand. A bare 领导小组 is not among them: "成立…工作领导小组" sets
# one up, which is a commitment. 政务服务办 and its kind only where no 理/结/事/件 follows (政务服务办理 is work).
OFFICE_END = re.compile(
    "领导小组办公室|委员会办公室|办公厅|办公室|管理办公室|网信办|大数据局|数据管理局|管理局|信息中心"
    "|(?:政务服务|政务|服务)办(?![理结事件公法])"
)
# A name starts at a level (省, 市, 国务院 …) or, failing one, after the last word that cannot be inside a name.
LEVEL = re.compile("国务院|中共|中央|全国|自治区|自治州|省|市|县|区|州|盟")
PLACE = re.compile(r"[\u4e00-\u9fff]{1,3}$")
NOT_IN_NAME = re.compile(
    "由|经|请|向|会同|联合|按照|根据|交由|委托|设在|依托|通过|负责|牵头|配合|推进|推动|加强|加快|建立|建设|成立"
    "|组织|指导|统筹|协调|做好|开展|实现|完善|落实|要|将|对|在|并"
)
NAME_BREAK = re.compile(r"[，。；：！？、,;:!?\s（）()《》〈〉【】\[\]]")
MAX_NAME = 30


def assignment_units(text: str) -> Iterator[Span]:
    """Unit names in task-assignment parentheses: （省政务服务办牵头，省发展改革委、省财政厅配合）,
    （责任单位：…）, （各市（州）人民政府负责）. Segments that name no role (2017年底前完成) stay unmasked."""
    for start, end in _balanced(PARENTHESES, text, "（("):
        inner = text[start + 1 : end - 1]
        if not ASSIGNMENT.search(inner):
            continue
        for segment in SEGMENT.finditer(inner):
            chunk = segment.group()
            units = ROLE_BEFORE.search(chunk) or ROLE_AFTER.fullmatch(chunk)
            if units is not None and not DEADLINE.search(units.group("units")):
                yield from _units(units.group("units"), start + 1 + segment.start() + units.start("units"))


def labelled_units(text: str) -> Iterator[Span]:
    """Unit names after 牵头单位：/责任单位：… outside parentheses."""
    for found in LABELLED.finditer(text):
        yield from _units(found.group("units"), found.start("units"))


def _units(names: str, offset: int) -> Iterator[Span]:
    for unit in UNIT.finditer(names):
        yield offset + unit.start(), offset + unit.end(), "office"


def office_names(text: str) -> Iterator[Span]:
    """Names ending in 领导小组办公室, 办公厅, 委员会办公室, 管理局 …: back from the ending to the start of its name
    (a level such as 省 or 国务院, with a place name of up to three hanzi before it, within the clause), or,
    without a level, to the last word that cannot be part of a name."""
    for end_match in OFFICE_END.finditer(text):
        end = end_match.end()
        clause_start = end_match.start()
        while clause_start > 0 and end - clause_start < MAX_NAME and not NAME_BREAK.match(text[clause_start - 1]):
            clause_start -= 1
        window = text[clause_start : end_match.start()]
        start = clause_start + _name_start(window)
        yield start, end, "office"


def _name_start(window: str) -> int:
    """Offset in `window` (the clause before an office ending) where the office's name begins."""
    cut = 0
    for word in NOT_IN_NAME.finditer(window):
        cut = word.end()
    level = LEVEL.search(window, cut)
    if level is None:
        return cut
    place = PLACE.search(window[cut : level.start()])
    return cut + place.start() if place else level.start()


# ------------------------------------------------------------------------------------------------- joining

# What every mask but a whole-sentence one needs somewhere in the sentence: searched once over a whole document.
TRIGGER = re.compile(f"《|{ASSIGNMENT.pattern}|{OFFICE_END.pattern}")


def triggered(text: str, starts: Sequence[int]) -> set[int]:
    """Indices of the sentences (by their sorted start offsets in `text`) that may hold a mask: the others need
    no look at all, which on a long document saves most of the work."""
    return {bisect_right(starts, found.start()) - 1 for found in TRIGGER.finditer(text)}


def sentence_masks(text: str, signature: bool = False, title: bool = False) -> tuple[Span, ...]:
    """Every mask of one sentence, sorted and without overlap: of two overlapping spans the one that starts first
    keeps its reason and grows to cover both. A signature or title sentence is one span, the whole sentence."""
    if signature or title:
        return ((0, len(text), "signature" if signature else "title"),)
    spans = [*office_names(text)] if OFFICE_END.search(text) else []
    if "《" in text:
        spans += cited_titles(text)
    if ("（" in text or "(" in text) and ASSIGNMENT.search(text):
        spans += assignment_units(text)
    if "：" in text or ":" in text:
        spans += labelled_units(text)
    spans.sort()
    merged: list[Span] = []
    for start, end, reason in spans:
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(previous[1], end), previous[2])
        elif start < end:
            merged.append((start, end, reason))
    return tuple(merged)
