"""Ingest: plan documents (.txt, .docx, .pdf, .html) in, normalised text and numbered sentences with offsets out.

Every later stage cites a sentence by id and character offsets into the normalised text, so normalisation is
deterministic and idempotent, and `text[start:end] == sentence.text` holds for every sentence. A file that cannot
be read stops the run with one line naming it (InputError), never a traceback.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from provincial_plans.coding.cuts import CUTS
from provincial_plans.coding.formats import EXTENSIONS, MAX_BYTES, _read_marked, check_file
from provincial_plans.coding.hanzi import to_simplified
from provincial_plans.coding.masks import sentence_masks, triggered
from provincial_plans.coding.outline import MARKER_START, paragraph_spans, regions, run_in_cut
from provincial_plans.coding.places import places
from provincial_plans.coding.styles import (
    INVISIBLE,
    take_marks,
)
from provincial_plans.core import schemas
from provincial_plans.core.atomic import write_text
from provincial_plans.core.errors import InputError, display_path
from provincial_plans.core.inputs import read_csv, unique


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


NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")


FOLDED = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2000-\u200a\u202f\u205f"
    "\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]"
)


SPACES = re.compile(r"[ \t]{2,}|\t")


# Reposts that gloss characters with their pinyin: 协(xié)同发(fā)展, 创(chuàng )新. A gloss has a tone mark, so it
# is never a code, an abbreviation or a number in brackets.
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（] ?[a-zü]{{0,6}}[{TONED}][a-zü]{{0,6}} ?[)）]")
# A gloss cut by the edge of a fragment quoted from such a repost (…服務(wù or 鄉鎮(z at its end, ǒng)一技術 at its
# start): what is left of it is dropped too, as the whole gloss is dropped from the text.
CUT_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（] ?[a-zü{TONED}]{{0,7}}\Z|\A[(（]? ?[a-zü{TONED}]{{0,7}} ?[)）](?=[\u3400-\u9fff])"
)


# Web copies write , ; : ( ) between hanzi; plans' own punctuation (and every exclusion, cut and window of the
# codebook) is full width. Between digits or Latin letters (1,000, 8:30, http://) they stay.
HAN = "\u3400-\u9fff“”《》"


ASCII_PUNCTUATION = re.compile(rf"(?<=[{HAN}])[,;:(]|[,;:)](?=[{HAN}])|(?<=[{HAN}])\)|\((?=[{HAN}])")


CHINESE_PUNCTUATION = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}

# Web copies and typed text quote with straight marks ("一网通办"); plans, and the codebook's slogans, with “”. A line
# whose straight quotes pair up and each stand beside a hanzi or a Chinese mark gets them as opening and closing
# marks in turn; an odd one (a quotation running over lines), or quotes of code or markup (src="…"), are left.
QUOTED_LINE = re.compile(r'[^\n"]*"[^\n]*')
BESIDE_HANZI = re.compile(f'(?<=[{HAN}，。；：、！？（）])"|"(?=[{HAN}，。；：、！？（）])')


def _paired_quotes(match: re.Match[str]) -> str:
    line = match.group()
    if line.count('"') % 2 or len(BESIDE_HANZI.findall(line)) != line.count('"'):
        return line
    marks = iter("“”" * (line.count('"') // 2))
    return "".join(next(marks) if char == '"' else char for char in line)


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
    if '"' in text:
        text = QUOTED_LINE.sub(_paired_quotes, text)
    text = ASCII_PUNCTUATION.sub(_chinese_punctuation, text)
    text = to_simplified(text, taiwan)
    text = SPACES.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    text = BLANK_LINES.sub("\n\n", text)
    return text.strip(" \n")


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
