"""A document's file to text, by format: .txt in any of the encodings plans come in (decoded, checked readable), .docx
with its heading styles, PDF with a text layer (lines unwrapped), HTML (the page's text, headings marked); the size
limits that keep a hostile file from exhausting memory. coding.ingest normalises the text and splits it."""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from provincial_plans.coding.hanzi import chinese_share, unreadable_count
from provincial_plans.coding.styles import (
    MARKS,
    DocxStyles,
    clean,
    html_styles,
    mark,
    strip_marks,
)
from provincial_plans.coding.wraps import unwrap, wrap_widths
from provincial_plans.core.errors import InputError

EXTENSIONS = (".txt", ".docx", ".pdf", ".html", ".htm")


MAX_BYTES = 20_000_000  # a document's size limit unless the config's `max_document_bytes` says otherwise


UNPACK_FACTOR = 10  # a .docx may unpack to 10 times max_bytes (XML compresses about that well), no more


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
        text = decode_bytes(path, data)
        wrap = wrap_widths(text)
        text = clean(unwrap(text, wrap) if wrap else text)
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
    return "\n".join(unwrap(page) for page in pages)
