"""Headings a document's format shows: .docx heading styles and bold, HTML h1–h6 and <strong>.

Readers put a mark (a Unicode noncharacter, never in a real document, which normalisation keeps) at the start of
each line their format styles as a heading; ingest takes the marks out after normalising and hands the outline a
style per paragraph. So the text the sentences point into is the same as without styles, and every step of
normalising (which can join, split and shorten lines) needs to know nothing of them.

Styles: h1…h6 and title (heading styles and elements), bold (every visible character of the paragraph is bold),
run-in (the paragraph starts with a bold phrase, "**坚持问题导向。**强化…").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Control characters (not tab or line feed) and invisible format characters: zero-width spaces and joiners,
# direction marks and embeddings, word joiners, BOMs inside the text, soft hyphens.
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

STYLES = ("h1", "h2", "h3", "h4", "h5", "h6", "title", "bold", "run-in")
MARKS = {style: chr(0xFDD1 + index) for index, style in enumerate(STYLES)}
MARK_STYLE = {mark: style for style, mark in MARKS.items()}
MARKED_LINE = re.compile("^([\ufdd1-\ufdd9]) *", re.MULTILINE)
NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
LINE_BREAKS = re.compile(r"\r\n?|[\n\x0b\x0c\x85\u2028\u2029]")


def clean(text: str) -> str:
    """A document's own text without noncharacters, so that none of it can pass for a mark."""
    return NONCHARACTERS.sub("", text)


def mark(text: str, style: str | None) -> str:
    """`text` with the style's mark before its first visible line (a mark on a blank line would be dropped)."""
    if not style:
        return text
    lines = LINE_BREAKS.split(text)
    for index, line in enumerate(lines):
        if INVISIBLE.sub("", line).strip():
            lines[index] = MARKS[style] + line
            return "\n".join(lines)
    return text


def strip_marks(text: str) -> str:
    return MARKED_LINE.sub("", text)


def take_marks(text: str) -> tuple[str, dict[int, str]]:
    """Normalised text without its marks, and the style of each marked paragraph (1-based, non-empty lines).
    A single h1 that comes before every other styled paragraph is the page's title (a web page's <h1>)."""
    if MARKED_LINE.search(text) is None:
        return text, {}
    styles: dict[int, str] = {}
    lines = text.split("\n")
    number = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        number += 1
        found = MARKED_LINE.match(line)
        if found:
            styles[number] = MARK_STYLE[found.group(1)]
            lines[index] = line[found.end() :]
    h1 = [number for number, style in styles.items() if style == "h1"]
    if len(h1) == 1 and h1[0] == min(styles):
        styles[h1[0]] = "title"
    return "\n".join(lines), styles


# ------------------------------------------------------------------------------------------------------ docx


class DocxStyles:
    """What a .docx's styles part says: which paragraph styles are headings, which styles make text bold."""

    def __init__(self, document: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE  # only for a .docx document (140 ms)

        self.headings: dict[str, str] = {}
        self.bold: set[str] = set()
        for style in document.styles:
            chain = list(_base_chain(style))
            heading = next((found for found in map(_heading_style, chain) if found), None)
            if heading and style.type == WD_STYLE_TYPE.PARAGRAPH:
                self.headings[style.style_id] = heading
            fonts = [s.font for s in chain if hasattr(s, "font")]  # numbering styles have none
            if next((font.bold for font in fonts if font.bold is not None), False):
                self.bold.add(style.style_id)
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default = default.style_id if default is not None else ""

    def style(self, paragraph: Any, runs: list[Any]) -> str | None:
        """The style of one body paragraph (a w:p element) with its text runs, or None."""
        from docx.oxml.ns import qn  # only for a .docx document (140 ms)

        properties = paragraph.find(qn("w:pPr"))
        style_id = self.default
        if properties is not None:
            chosen = properties.find(qn("w:pStyle"))
            style_id = chosen.get(qn("w:val")) if chosen is not None else style_id
            level = properties.find(qn("w:outlineLvl"))
            if level is not None and level.get(qn("w:val"), "9").isdigit() and int(level.get(qn("w:val"))) < 6:
                return f"h{int(level.get(qn('w:val'))) + 1}"
        if style_id in self.headings:
            return self.headings[style_id]
        bold = [self._run_bold(run, style_id) for run in runs if (run.text or "").strip()]
        if bold and all(bold):
            return "bold"
        if bold and bold[0]:
            return "run-in"
        return None

    def _run_bold(self, run: Any, paragraph_style: str) -> bool:
        from docx.oxml.ns import qn  # only for a .docx document (140 ms)

        properties = run.find(qn("w:rPr"))
        if properties is not None:
            weight = properties.find(qn("w:b"))
            if weight is not None:
                return weight.get(qn("w:val"), "true").lower() not in ("0", "false", "off")
            character = properties.find(qn("w:rStyle"))
            if character is not None and character.get(qn("w:val")) in self.bold:
                return True
        return paragraph_style in self.bold


def _base_chain(style: Any) -> Iterator[Any]:
    """A style and the styles it is based on, nearest first (a cycle in a damaged file ends the chain)."""
    seen: set[str] = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        yield style
        style = getattr(style, "base_style", None)


def _heading_style(style: Any) -> str | None:
    """h1…h6 for a style named Heading 1…6 (or 标题 1…6), title for Title; by outline level otherwise."""
    from docx.oxml.ns import qn  # only for a .docx document (140 ms)

    name = (style.name or "").strip().lower()
    if name in ("title", "标题"):
        return "title"
    found = re.fullmatch(r"(?:heading|标题)\s*([1-6])", name)
    if found:
        return f"h{found.group(1)}"
    properties = style.element.find(qn("w:pPr"))
    level = properties.find(qn("w:outlineLvl")) if properties is not None else None
    value = level.get(qn("w:val"), "9") if level is not None else "9"
    return f"h{int(value) + 1}" if value.isdigit() and int(value) < 6 else None


# ------------------------------------------------------------------------------------------------------ HTML

HTML_HEADINGS = {f"h{level}": f"h{level}" for level in range(1, 7)}


def html_styles(container: Any) -> dict[Any, str]:
    """h1–h6 elements, and <p> elements whose visible text is all inside <strong>/<b> (bold) or starts inside
    one and goes on outside (run-in)."""
    styles: dict[Any, str] = {}
    for element in container.iter("h1", "h2", "h3", "h4", "h5", "h6", "p"):
        if element.tag in HTML_HEADINGS:
            styles[element] = HTML_HEADINGS[element.tag]
            continue
        bold = [_html_bold(piece, element) for piece in element.xpath(".//text()") if piece.strip()]
        if bold and all(bold):
            styles[element] = "bold"
        elif bold and bold[0]:
            styles[element] = "run-in"
    return styles


def _html_bold(piece: Any, paragraph: Any) -> bool:
    owner = piece.getparent()
    if piece.is_tail:
        owner = owner.getparent()
    while owner is not None and owner is not paragraph:
        if owner.tag in ("strong", "b"):
            return True
        owner = owner.getparent()
    return False
