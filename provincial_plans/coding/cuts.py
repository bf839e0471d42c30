"""Where a plan's text is cut into sentences: after terminal punctuation, at a line break, and before a numbered
list item, even mid-line (coding.ingest splits with these; coding.formats joins no PDF line that starts an item)."""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十百零〇"
CIRCLED = "①-⑳⑴-⒇⒈-⒛"
CLOSERS = "”’」』）)］\\]】》〉〗\"'»"
URLISH = "0-9A-Za-z=&/%#_~.-"  # after ! or ? these mean a URL or code, not a sentence end
TERMINAL = rf"(?:[。！？；]|[!?](?![{URLISH}])|;(?=[ \t]))"


# One pass finds every cut: after terminal punctuation (with the closing quotes and brackets that follow it), at
# a line break, and before a numbered list item (一、 （一） (1) 1. 1、 第一条 ① ⑴ ⒈) even mid-line. Every
# branch's first character is consumed by one leading class, which lets the regex engine skip ahead fast; the
# branches then look back at it.
CUTS = re.compile(
    rf"[。！？；!?;\n{CN_DIGITS}（(0-9第{CIRCLED}]"
    rf"(?:(?P<after>(?<=[。！？；])|(?<=[!?])(?![{URLISH}])|(?<=;)(?=[ \t])){TERMINAL}*[{CLOSERS}]*"
    r"|(?<=\n)"
    r"|(?P<item>"
    rf"(?<=[{CN_DIGITS}])(?<![\u4e00-\u9fff、].)[{CN_DIGITS}]{{0,3}}、(?![{CN_DIGITS}])"  # 一、 not 统一、 or 一、二等
    rf"|(?<=[（(])(?:[{CN_DIGITS}]{{1,4}}|(?<![0-9A-Za-z].)[0-9]{{1,3}})[）)]"  # （一） (1), not f(1)
    r"|(?<=[0-9])(?<![0-9A-Za-z.．第].)[0-9]{0,2}[.．、](?![0-9.．])"  # 1. 1、, not 1.5 or 第1、2条
    rf"|(?<=第)[{CN_DIGITS}0-9]{{1,4}}[条章节](?=[ \t\u3000])"  # 第一条 followed by a space, as regulations set it
    rf"|(?<=[{CIRCLED}])"
    r"))"
)


def starts_item(line: str) -> bool:
    """A line that begins with a numbered list item's marker."""
    match = CUTS.match(line)
    return match is not None and match.group("item") is not None
