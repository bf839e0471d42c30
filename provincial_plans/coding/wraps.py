"""Lines broken only for width, joined again: a PDF page's text layer, and a plain text saved wrapped at a fixed
width (from a PDF or a fixed-width page), so that a sentence and a goal's paragraph are whole before they are cut."""

from __future__ import annotations

import re
from collections import Counter

from provincial_plans.coding.cuts import starts_item

KEEP_BREAK = re.compile(r"[。！？；：:!?;…”’」』）)】》]$")  # a line ending in these ends its sentence


TABLE_ROW = re.compile(r"[\u3400-\u9fff][ \t]|[ \t][\u3400-\u9fff]|\|")  # cells set apart by spaces, tabs or bars


ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")


NARROWEST_WRAP = 40  # GB18030 bytes (twenty hanzi): lines cut narrower than this are headings or lists, not a wrap


def _width(line: str) -> int:
    """A line's printed width, a hanzi counting as two (its GB18030 length)."""
    return len(line.rstrip().encode("gb18030", errors="replace"))


def _cut_mid_sentence(line: str) -> bool:
    """Whether a line's break may be only its width's: it does not end a sentence and is no table row."""
    return not KEEP_BREAK.search(line.rstrip()) and not TABLE_ROW.search(line.strip())


def wrap_widths(text: str) -> tuple[float, int] | None:
    """The widths (least, most) of the lines of a plain text wrapped at a fixed width (saved from a PDF or a
    fixed-width page), or None when it was not: at least five lines, and a fifth of all, end mid-sentence within a
    tenth of the most common such width. A text of one paragraph per line has few: its paragraphs differ in length
    and end with a full stop."""
    lines = [line for line in text.split("\n") if line.strip()]
    cut = [_width(line) for line in lines if _cut_mid_sentence(line)]
    if len(cut) < 5:
        return None
    common = Counter(cut).most_common(1)[0][0]
    most = max(width for width in cut if width <= 1.1 * common)
    least = 0.9 * most
    wrapped = sum(1 for width in cut if least <= width <= most)
    return (least, most) if most >= NARROWEST_WRAP and wrapped >= 5 and 5 * wrapped >= len(lines) else None


def unwrap(page: str, wrap: tuple[float, int] | None = None) -> str:
    """Join a line to the next when it runs the full width and does not end a sentence: a PDF page's lines, whose
    full width is the widest line's, or a wrapped plain text's, whose `wrap` widths wrap_widths found.

    Short lines (headings, paragraph ends), lines ending in punctuation, lines before a list item and lines
    with spaces next to hanzi (table rows) keep their break.
    """
    lines = page.split("\n")
    if len(lines) < 2:
        return page
    widths = [_width(line) for line in lines]
    least, most = wrap or (0.85 * max(widths), max(widths))
    out = [lines[0]]
    for index in range(1, len(lines)):
        previous, line = lines[index - 1].rstrip(), lines[index].lstrip()
        joinable = (
            least <= widths[index - 1] <= most
            and previous
            and line
            and _cut_mid_sentence(previous)
            and not starts_item(line)
        )
        if joinable:
            glue = " " if ASCII_ALNUM.match(previous[-1]) and ASCII_ALNUM.match(line[0]) else ""
            out[-1] = out[-1].rstrip() + glue + line
        else:
            out.append(lines[index])
    return "\n".join(out)
