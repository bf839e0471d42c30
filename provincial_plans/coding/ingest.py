"""Ingest: plan documents (.txt, .docx, .pdf, .html) in, normalised text and numbered sentences with offsets out.

Every later stage cites a sentence by id and character offsets into the normalised text, so normalisation is
deterministic and idempotent, and `text[start:end] == sentence.text` holds for every sentence. A file that cannot
be read stops the run with one line naming it (InputError), never a traceback.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from provincial_plans.coding.hanzi import chinese_share, to_simplified, unreadable_count
from provincial_plans.coding.masks import sentence_masks, triggered
from provincial_plans.coding.outline import MARKER_START, paragraph_spans, places, regions, run_in_cut
from provincial_plans.coding.styles import (
    INVISIBLE,
    MARKS,
    DocxStyles,
    clean,
    html_styles,
    mark,
    strip_marks,
    take_marks,
)
from provincial_plans.core import schemas
from provincial_plans.core.atomic import write_text
from provincial_plans.core.errors import InputError, display_path
from provincial_plans.core.inputs import read_csv, unique

EXTENSIONS = (".txt", ".docx", ".pdf", ".html", ".htm")
MAX_BYTES = 20_000_000  # a document's size limit unless the config's `max_document_bytes` says otherwise
UNPACK_FACTOR = 10  # a .docx may unpack to 10 times max_bytes (XML compresses about that well), no more


@dataclass(frozen=True)
class Sentence:
    """One sentence: id `{doc_id}:{n:04d}` (from 1, in document order), its span in the normalised text, its place
    in the document's outline (coding.outline.Place) and the spans of it that must not code (coding.masks)."""

    id: str
    start: int
    end: int
    text: str
    section: str = ""
    headings: tuple[str, ...] = ()
    heading: bool = False
    paragraph: int = 0
    lead: str = ""
    masks: tuple[tuple[int, int, str], ...] = ()

    def row(self) -> dict[str, Any]:
        """The sentence as a row of the sentences JSON."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "section": self.section,
            "headings": list(self.headings),
            "heading": self.heading,
            "paragraph": self.paragraph,
            "lead": self.lead,
            "masks": [list(mask) for mask in self.masks],
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Sentence:
        """A sentence from its JSON row (rows written before outlines existed lack the outline fields)."""
        return cls(
            row["id"],
            row["start"],
            row["end"],
            row["text"],
            row.get("section", ""),
            tuple(row.get("headings", ())),
            row.get("heading", False),
            row.get("paragraph", 0),
            row.get("lead", ""),
            tuple(tuple(mask) for mask in row.get("masks", ())),
        )


@dataclass(frozen=True)
class ManifestEntry:
    """One row of data/{year}/documents.csv, its file resolved against the manifest's folder."""

    unit: str
    doc_id: str
    title: str
    doc_number: str
    issue_date: str
    file: Path
    source_url: str
    line: int


# ---------------------------------------------------------------------------------------------------- reading


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of one document, by extension; any unreadable file is an InputError naming it."""
    return strip_marks(_read_marked(Path(path), max_bytes))


def _read_marked(path: Path, max_bytes: int) -> str:
    """The text with the marks of its format's heading styles (coding.styles), checked to be readable text."""
    extension = path.suffix.lower()
    if extension not in EXTENSIONS:
        raise InputError(path, f"unsupported file type '{path.suffix}' (expected .txt, .docx, .pdf, .html or .htm)")
    check_file(path, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    if extension == ".docx":
        text = _read_docx(path, data, max_bytes)
    elif extension == ".pdf":
        text = clean(_read_pdf(path, data))
    elif extension == ".txt":
        text = clean(decode_bytes(path, data))
    else:
        text = _html_text(decode_bytes(path, data, declared=_declared_charset(data)), marks=True)
    if not text.strip():
        raise InputError(path, "no text layer; OCR it first" if extension == ".pdf" else "no text")
    unreadable, visible = unreadable_count(text)
    if 2 * unreadable > visible:
        raise InputError(
            path, f"{unreadable} of its {visible} characters are private-use or unassigned: not readable text"
        )
    return text


def check_file(path: Path, max_bytes: int) -> None:
    """What a document's size says before it is read: it is a file, not empty, not over the limit."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    if not path.is_file():
        raise InputError(path, "not a file")
    if size > max_bytes:
        raise InputError(path, f"file is {size} bytes, over the limit of {max_bytes}")
    if size == 0:
        raise InputError(path, "empty file")


# Legacy encodings tried after strict UTF-8 and the byte-order marks: charset-normalizer ranks them with UTF-16, and
# the share of common hanzi decides between the decodings that are valid (Big5 bytes are valid GB18030 too).
LEGACY = ["gb18030", "cp950", "big5hkscs"]
DETECTED = [*LEGACY, "utf_16_le", "utf_16_be"]
PLAUSIBLE = 0.5  # a decoding whose visible non-ASCII characters are less than half common Chinese is not the text
# Declared (<meta charset>) encodings we honour; labels outside it are ignored in favour of detection.
DECLARED = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5", "big5hkscs": "big5hkscs"}
DECLARED |= {"cp950": "cp950", "utf-16": "utf-16", "utf-16-le": "utf_16_le", "utf-16-be": "utf_16_be"}
META_CHARSET = re.compile(
    rb"""(?:<meta[^>]*?charset|<\?xml[^>]*?encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
UNREADABLE = "not UTF-8, UTF-16, GB18030 or Big5"


def decode_bytes(path: Path, data: bytes, declared: str | None = None) -> str:
    """Text from bytes: strict UTF-8 (with or without BOM), UTF-16 by BOM, a declared charset, then detection.

    Only decodings that are valid for every byte are accepted: a mojibake guess is worse than a one-line error.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_offset = error.start
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _invalid(path, data, error.start, "byte-order mark says UTF-16, but it is not") from None
    if _mostly_utf8(data):
        # A UTF-8 file with a few damaged bytes may still pass as GB18030 mojibake; name the damage instead.
        raise _invalid(path, data, utf8_offset, UNREADABLE)
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError as error:
            raise _invalid(path, data, error.start, f"not {declared} as its <meta charset> declares") from None
    return _detect(path, data, utf8_offset)


def _detect(path: Path, data: bytes, utf8_offset: int) -> str:
    """The most Chinese of the valid decodings that charset-normalizer proposes (in its order, which breaks ties)
    and of the legacy encodings; one that is not plausibly Chinese at all is an error, not mojibake."""
    import charset_normalizer  # 70 ms: only for a file that is not UTF-8

    candidates: dict[str, str] = {}
    offset = utf8_offset  # where GB18030 decoding failed, if every decoding does
    for encoding in [match.encoding for match in charset_normalizer.from_bytes(data, cp_isolation=DETECTED)] + LEGACY:
        if encoding in candidates or encoding.startswith("utf_16") and not _utf16_plausible(data, encoding):
            continue
        try:
            candidates[encoding] = data.decode(encoding)
        except UnicodeDecodeError as error:
            if encoding == "gb18030":
                offset = max(offset, error.start)
    if not candidates:
        raise _invalid(path, data, offset, UNREADABLE)
    shares = {encoding: chinese_share(text) for encoding, text in candidates.items()}
    best = max(shares, key=shares.__getitem__)
    if shares[best] < PLAUSIBLE:
        raise InputError(
            path,
            f"not Chinese text in any encoding tried: at best {shares[best]:.0%} of its characters are common hanzi "
            f"or punctuation ({best})",
        )
    return candidates[best]


def _invalid(path: Path, data: bytes, offset: int, why: str) -> InputError:
    return InputError(path, f"invalid bytes at offset {offset} ({why})", data.count(b"\n", 0, offset) + 1)


def _mostly_utf8(data: bytes) -> bool:
    """Most non-ASCII characters decode as UTF-8: GB18030 or UTF-16 bytes almost never do."""
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    damaged = text.count("\ufffd")
    return non_ascii - damaged > 4 * damaged


def _utf16_plausible(data: bytes, encoding: str) -> bool:
    """UTF-16 without a BOM only when the zero high bytes of ASCII (line breaks, digits) sit on one side.

    GB18030 and UTF-8 text has no zero bytes at all; random binary has them on both sides alike.
    """
    even, odd = data[0::2].count(0), data[1::2].count(0)
    ascii_side, other = (odd, even) if encoding == "utf_16_le" else (even, odd)
    return ascii_side >= 2 and ascii_side > 2 * other


def _declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares (<meta charset>, or an XHTML page's XML declaration) in its first 4 KB,
    if it is one we honour."""
    found = META_CHARSET.search(data[:4096])
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None
    return DECLARED.get(name)


# HTML: what is not the document's text, and which elements end a line.
HTML_DROP = (
    "//head|//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//iframe|//svg"
    "|//select|//button|//textarea|//*[@hidden]"
)
HTML_BLOCKS = frozenset(
    {"address", "article", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "fieldset", "figcaption"}
    | {"figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)
HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
# A line break in the page's source between two hanzi is no space when shown (CSS Text: segment break
# transformation); marked while walking, then dropped between wide characters and made a space elsewhere.
SOURCE_BREAK = "\ufdd0"  # a noncharacter: never in a real page
WIDE = "\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
SOURCE_BREAK_CJK = re.compile(rf"(?<=[{WIDE}])[ {SOURCE_BREAK}]*{SOURCE_BREAK}[ {SOURCE_BREAK}]*(?=[{WIDE}])")


def _html_space(match: re.Match[str]) -> str:
    return SOURCE_BREAK if "\n" in match.group() or "\r" in match.group() else " "


def _html_text(html: str, marks: bool = False) -> str:
    """Main text of a page: chrome dropped, each paragraph, heading, list item and table cell on its own line;
    with `marks`, headings and bold paragraphs marked (provincial_plans.coding.styles)."""
    import lxml.etree  # 80 ms with lxml.html: only for an HTML document
    import lxml.html  # (see the line above)

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in root.xpath(HTML_DROP):
        if element.getparent() is not None:
            element.drop_tree()
    container = next(iter(root.xpath("//main")), None)
    if container is None:
        container = root.find("body") if root.find("body") is not None else root
    styled = html_styles(container) if marks else {}
    parts: list[str] = []
    in_pre = 0
    for event, element in lxml.etree.iterwalk(container, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            in_pre += tag == "pre"
            if tag in HTML_BLOCKS or tag == "br":
                parts.append("\n")
            if element in styled:
                parts.append(MARKS[styled[element]])
            if element.text:
                parts.append(clean(element.text if in_pre else HTML_SPACE.sub(_html_space, element.text)))
        else:
            in_pre -= tag == "pre"
            if tag in HTML_BLOCKS:
                parts.append("\n")
            if element.tail and element is not container:
                parts.append(clean(element.tail if in_pre else HTML_SPACE.sub(_html_space, element.tail)))
    text = SOURCE_BREAK_CJK.sub("", "".join(parts)).replace(SOURCE_BREAK, " ")
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if strip_marks(line).strip())


def _read_docx(path: Path, data: bytes, max_bytes: int) -> str:
    """Body paragraphs and table cells (each its own line) in document order; headers and footers left out."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(path, "not a valid .docx file") from None
    if unpacked > UNPACK_FACTOR * max_bytes:
        raise InputError(path, f"unpacks to {unpacked} bytes, over the limit of {UNPACK_FACTOR * max_bytes}")
    import docx  # 140 ms: only for a .docx document

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, XML errors… on damaged packages
        raise InputError(path, "not a valid .docx file") from None
    try:
        styles = DocxStyles(document)
    except Exception:  # a damaged styles part: the text is still there, read without heading styles
        styles = None
    return "\n".join(_docx_lines(document.element.body, styles))


def _docx_lines(element: Any, styles: DocxStyles | None) -> Iterator[str]:
    """Lines of a body or table cell: a paragraph is one line; tables, rows and content controls are walked.
    Body paragraphs carry the mark of their heading style (`styles`); table cells none (a bold cell is a column
    head, not a heading of the plan)."""
    from docx.oxml.ns import qn  # only for a .docx document (140 ms)

    for child in element.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            # Runs, hyperlinks, tracked insertions; not deletions, moved-away text or text boxes' paragraphs.
            runs = child.xpath(".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]")
            text = clean("".join(run.text for run in runs))
            yield mark(text, styles.style(child, runs)) if styles is not None else text
        elif tag == qn("w:tc"):
            if child.vMerge != "continue":  # a vertically merged cell's text sits in its first row only
                yield from _docx_lines(child, None)
        elif tag in (qn("w:tbl"), qn("w:tr")):
            yield from _docx_lines(child, None)
        elif tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _docx_lines(child, styles)


def _read_pdf(path: Path, data: bytes) -> str:
    """The text layer, page by page, with lines that a PDF wrapped only for width joined up again."""
    with _quiet("pypdf"):
        return _read_pdf_quietly(path, data)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's warnings about damage it repaired: the user gets our one line or nothing."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf_quietly(path: Path, data: bytes) -> str:
    import pypdf  # 175 ms: only for a PDF document
    from pypdf.errors import DependencyError  # (see the line above)

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # an owner-only password opens with an empty user password
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise InputError(path, "encrypted PDF; remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf raises PdfReadError, but also KeyError, TypeError… on damaged files
        raise InputError(path, "not a valid PDF file") from None
    return "\n".join(_unwrap(page) for page in pages)


PDF_KEEP_BREAK = re.compile(r"[。！？；：:!?;…”’」』）)】》]$")
CJK_SPACE = re.compile(r"[\u3400-\u9fff] | [\u3400-\u9fff]")
ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")


def _unwrap(page: str) -> str:
    """Join a PDF line to the next when it runs the full width and does not end a sentence.

    Short lines (headings, paragraph ends), lines ending in punctuation, lines before a list item and lines
    with spaces next to hanzi (table rows) keep their break. Width counts a hanzi as two (its GB18030 length).
    """
    lines = page.split("\n")
    if len(lines) < 2:
        return page
    widths = [len(line.rstrip().encode("gb18030", errors="replace")) for line in lines]
    full = 0.85 * max(widths)
    out = [lines[0]]
    for index in range(1, len(lines)):
        previous, line = lines[index - 1].rstrip(), lines[index].lstrip()
        joinable = (
            widths[index - 1] >= full
            and previous
            and line
            and not PDF_KEEP_BREAK.search(previous)
            and not CJK_SPACE.search(previous)
            and not _starts_item(line)
        )
        if joinable:
            glue = " " if ASCII_ALNUM.match(previous[-1]) and ASCII_ALNUM.match(line[0]) else ""
            out[-1] = out[-1].rstrip() + glue + line
        else:
            out.append(lines[index])
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------ normalising

NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
FOLDED = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2000-\u200a\u202f\u205f"
    "\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]"
)
SPACES = re.compile(r"[ \t]{2,}|\t")
# Reposts that gloss characters with their pinyin: 协(xié)同发(fā)展. A gloss has a tone mark, so it is never a
# code, an abbreviation or a number in brackets.
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}[)）]")
# Web copies write , ; : ( ) between hanzi; plans' own punctuation (and every exclusion, cut and window of the
# codebook) is full width. Between digits or Latin letters (1,000, 8:30, http://) they stay.
HAN = "\u3400-\u9fff“”《》"
ASCII_PUNCTUATION = re.compile(rf"(?<=[{HAN}])[,;:(]|[,;:)](?=[{HAN}])|(?<=[{HAN}])\)|\((?=[{HAN}])")
CHINESE_PUNCTUATION = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}


def _chinese_punctuation(match: re.Match[str]) -> str:
    return CHINESE_PUNCTUATION[match.group()]
BLANK_LINES = re.compile(r"\n{3,}")


@cache
def _fold_table() -> dict[int, str]:
    """Full-width letters and digits to ASCII, odd spaces to one space, Kangxi radicals and compatibility
    ideographs (which PDFs often carry) to the unified hanzi. Full-width punctuation (，。；：) stays."""
    table = {chr(code): chr(code - 0xFEE0) for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B))}
    table |= {chr(code): chr(code - 0xFEE0) for code in range(0xFF41, 0xFF5B)}
    table |= {space: " " for space in "\u3000\u00a0\u202f\u205f"} | {chr(c): " " for c in range(0x2000, 0x200B)}
    for code in (*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and folded != chr(code):
            table[chr(code)] = folded
    return {ord(char): folded for char, folded in table.items()}


def normalise(text: str, taiwan: bool | None = None) -> str:
    """One canonical form for matching and citing: folded widths, simplified hanzi, tidy whitespace, Chinese
    punctuation where web copies put ASCII marks between hanzi, no pinyin glosses. `taiwan` as in to_simplified.

    Idempotent: normalise(normalise(x)) == normalise(x). Lines lose the spaces at both ends.
    """
    text = NEWLINES.sub("\n", text)
    text = INVISIBLE.sub("", text)
    if FOLDED.search(text):
        text = text.translate(_fold_table())
    text = PINYIN.sub("", text)
    text = ASCII_PUNCTUATION.sub(_chinese_punctuation, text)
    text = to_simplified(text, taiwan)
    text = SPACES.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    text = BLANK_LINES.sub("\n\n", text)
    return text.strip(" \n")


# -------------------------------------------------------------------------------------------------- splitting

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
    rf"(?<=[{CN_DIGITS}])(?<![第{CN_DIGITS}、].)[{CN_DIGITS}]{{0,3}}、(?![{CN_DIGITS}])"  # 一、 not 第一、 or 一、二等
    rf"|(?<=[（(])(?:[{CN_DIGITS}]{{1,4}}|(?<![0-9A-Za-z].)[0-9]{{1,3}})[）)]"  # （一） (1), not f(1)
    r"|(?<=[0-9])(?<![0-9A-Za-z.．第].)[0-9]{0,2}[.．、](?![0-9.．])"  # 1. 1、, not 1.5 or 第1、2条
    rf"|(?<=第)[{CN_DIGITS}0-9]{{1,4}}[条章节](?=[ \t\u3000])"  # 第一条 followed by a space, as regulations set it
    rf"|(?<=[{CIRCLED}])"
    r"))"
)


def _starts_item(line: str) -> bool:
    match = CUTS.match(line)
    return match is not None and match.group("item") is not None


class Piece(NamedTuple):
    """A sentence before its place in the outline is known."""

    id: str
    start: int
    end: int
    text: str


def split_sentences(text: str, doc_id: str, run_in: frozenset[int] = frozenset()) -> list[Piece]:
    """Sentences in document order with exact offsets (text[start:end] == sentence.text), blank pieces dropped.

    A numbered line's run-in heading that ends in ： ("（二）工作目标：到2017年底，…") is a sentence of its own, and
    so is that of a paragraph its format starts with a bold phrase (its start offset is in `run_in`).
    """
    cuts = [0]
    for match in CUTS.finditer(text):
        cuts.append(match.start() if match.group("after") is None else match.end())
    cuts.append(len(text))
    pieces: list[Piece] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        if piece[0].isspace():
            start += len(piece) - len(piece.lstrip())
        heads = ("：" in stripped or ":" in stripped) and (stripped[0] in MARKER_START or start in run_in)
        cut = run_in_cut(stripped, start in run_in) if heads else None
        if cut is not None:
            rest = stripped[cut:]
            pieces.append(Piece(f"{doc_id}:{len(pieces) + 1:04d}", start, start + cut, stripped[:cut]))
            start += cut + len(rest) - len(rest.lstrip())
            stripped = rest.lstrip()
        pieces.append(Piece(f"{doc_id}:{len(pieces) + 1:04d}", start, start + len(stripped), stripped))
    return pieces


def structure(text: str, doc_id: str, styles: dict[int, str] | None = None) -> list[Sentence]:
    """Sentences of a normalised text with their places in its outline and their masks; `styles` are the heading
    styles of its paragraphs (provincial_plans.coding.styles.take_marks)."""
    styles = styles or {}
    spans = paragraph_spans(text)
    pieces = split_sentences(text, doc_id, frozenset(spans[n - 1][0] for n, s in styles.items() if s == "run-in"))
    found = regions(text, spans)
    title = found.title.keys() | {number for number, style in styles.items() if style == "title"}
    outside = found.header | found.signature
    masked = triggered(text, [piece.start for piece in pieces])
    return [
        Sentence(
            *piece,
            *place,
            sentence_masks(piece.text, place.paragraph in outside, place.paragraph in title)
            if index in masked or place.paragraph in outside or place.paragraph in title
            else (),
        )
        for index, (piece, place) in enumerate(zip(pieces, places(text, pieces, styles, spans, found), strict=True))
    ]


def ingest_document(path: Path, doc_id: str, max_bytes: int = MAX_BYTES) -> tuple[str, list[Sentence]]:
    """Read → normalise → split, outline and mask; the normalised text is what the sentences' offsets point into."""
    text, styles = take_marks(normalise(_read_marked(Path(path), max_bytes)))
    sentences = structure(text, doc_id, styles)
    if not sentences:
        raise InputError(path, "no text")
    return text, sentences


# --------------------------------------------------------------------------------------- manifest and output


def read_manifest(path: Path, data_root: Path, units: set[str], max_bytes: int = MAX_BYTES) -> list[ManifestEntry]:
    """The documents of a year, each file checked to exist inside data_root, not empty and not over the size limit
    (cheap checks, so that they fail while Snakemake plans rather than in a job); errors name the line."""
    path = Path(path)
    rows = read_csv(path, schemas.DOCUMENTS_MANIFEST)
    unique(path, rows, ("doc_id",), "doc_id")
    root = Path(data_root).resolve()
    entries: list[ManifestEntry] = []
    for row in rows:
        values = row.values
        if values["unit"] not in units:
            raise InputError(
                path, f"unknown unit '{values['unit']}' (expected a province slug or 'national')", row.line
            )
        file = _manifest_file(path, root, values["file"], row.line)
        check_file(file, max_bytes)
        entries.append(
            ManifestEntry(
                unit=values["unit"],
                doc_id=values["doc_id"],
                title=values["title"],
                doc_number=values["doc_number"],
                issue_date=values["issue_date"],
                file=file,
                source_url=values["source_url"],
                line=row.line,
            )
        )
    return entries


def _manifest_file(manifest: Path, root: Path, name: str, line: int) -> Path:
    """A manifest's `file`, relative to its folder; it must stay inside data_root, even through symlinks."""
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise InputError(manifest, f"file '{name}' is absolute; path must stay inside data/", line)
    if ".." in parts:
        raise InputError(manifest, f"file '{name}' has a '..' component; path must stay inside data/", line)
    file = manifest.parent.joinpath(*(part for part in parts if part not in ("", ".")))
    if not file.resolve().is_relative_to(root):
        raise InputError(
            manifest, f"file '{name}' resolves outside {display_path(root)}; path must stay inside data/", line
        )
    if not file.exists():
        raise InputError(manifest, f"file '{name}' not found", line)
    if not file.is_file():
        raise InputError(manifest, f"file '{name}' is not a file", line)
    if file.suffix.lower() not in EXTENSIONS:
        raise InputError(
            manifest,
            f"file '{name}' has unsupported type '{file.suffix}' (expected .txt, .docx, .pdf, .html or .htm)",
            line,
        )
    return file


def write_sentences(path: Path, entry: ManifestEntry, text: str, sentences: list[Sentence]) -> None:
    """The document's metadata, normalised text and sentences as JSON, one sentence per line for readable diffs."""
    head = {
        "unit": entry.unit,
        "doc_id": entry.doc_id,
        "title": entry.title,
        "doc_number": entry.doc_number,
        "issue_date": entry.issue_date,
        "source_url": entry.source_url,
        "file": display_path(entry.file),
        "text": text,
    }
    rows = ",\n".join(json.dumps(sentence.row(), ensure_ascii=False) for sentence in sentences)
    document = json.dumps(head, ensure_ascii=False)[:-1] + ',\n"sentences": [\n' + rows + "\n]}\n"
    write_text(Path(path), document)
