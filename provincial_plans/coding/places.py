"""Where each sentence of a plan stands: its section numbering, the headings above it, its paragraph and the
sentence that leads its list (coding.outline has the markers, headings and frame this walk reads)."""

from __future__ import annotations

from collections.abc import Sequence

from provincial_plans.coding.outline import (
    ANNEX,
    ANNEX_LIST,
    COLON,
    COLON_SHI,
    FIRST_SHI,
    LEAF,
    LEAVES,
    LONE_HEADING,
    RESTART,
    RUN_IN,
    SHI,
    STYLED_HEADING,
    TERMINAL,
    TRAILING,
    Lead,
    Marker,
    Node,
    Place,
    Regions,
    SentenceLike,
    heading_text,
    marker,
    number_of,
    paragraph_numbers,
    paragraph_spans,
    regions,
)


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
