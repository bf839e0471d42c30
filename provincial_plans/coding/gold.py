"""A reader's gold coding (README, "Measuring the coder against a reader"): which codes each document holds and
which sentences are their instances, read from the gold CSV and found in the documents' normalised text.

A reader's sentence runs from one 。！？ or line break to the next, so clauses the splitter cuts at ； count as
parts of it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from provincial_plans.coding.ingest import CUT_PINYIN, normalise
from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError
from provincial_plans.core.inputs import read_csv
from provincial_plans.model.codebook import Codebook

MIN_FRAGMENT = 4  # characters: a shorter fragment would name too many places to say which sentence is meant
SENTENCE_END = re.compile(r"[。！？!?\n]")


def overlapping(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Whether two half-open spans of a text share a character: a reader's sentence and the machine's, or a
    reader's sentence and one holding a wording."""
    return start < other_end and other_start < end


@dataclass(frozen=True)
class Span:
    """Where in a document's normalised text a reader's sentence lies, and the gold line that named it."""

    start: int
    end: int
    line: int


@dataclass
class GoldDocument:
    """A reader's coding of one document: codes present, and for some of them every instance sentence."""

    name: str
    codes: set[str] = field(default_factory=set)
    fragments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # code -> [(line, fragment)]


def read_gold(path: Path, codebook: Codebook) -> dict[str, GoldDocument]:
    """The gold file by document name; an unknown code, a code people code or a too-short fragment names its line."""
    codes = codebook.by_id()
    gold: dict[str, GoldDocument] = {}
    for row in read_csv(path, schemas.GOLD):
        doc, code_id, fragment = row.values["doc"], row.values["code"], row.values.get("sentence", "")
        document = gold.setdefault(doc, GoldDocument(doc))
        if not code_id:
            if fragment:
                raise InputError(path, "a sentence without a code; name the code it is an instance of", row.line)
            continue
        code = codes.get(code_id)
        if code is None:
            raise InputError(path, f"unknown code '{code_id}' (not in the codebook {codebook.version})", row.line)
        if code.coded_by != "text":
            raise InputError(path, f"code '{code_id}' is coded by people, not by the machine; leave it out", row.line)
        document.codes.add(code_id)
        if fragment:
            if len(fragment) < MIN_FRAGMENT:
                raise InputError(
                    path, f"sentence fragment '{fragment}' is shorter than {MIN_FRAGMENT} characters", row.line
                )
            document.fragments.setdefault(code_id, []).append((row.line, fragment))
    return gold


def with_parents(codes: Iterable[str], text_codes: set[str]) -> set[str]:
    """Codes plus the parent `family.code` of each sub-code that is itself a text code."""
    found = set(codes)
    for code in list(found):
        parts = code.split(".")
        if len(parts) == 3 and ".".join(parts[:2]) in text_codes:
            found.add(".".join(parts[:2]))
    return found


def reader_spans(path: Path, text: str, doc: str, fragments: Sequence[tuple[int, str]]) -> list[Span]:
    """Each fragment's reader sentence(s) in the normalised text; a fragment found nowhere names its gold line."""
    spans: dict[tuple[int, int], Span] = {}  # a sentence named twice (two fragments, a sub-code's too) counts once
    cuts = sentence_cuts(text)
    for line, fragment in fragments:
        # a fragment is too short to tell Taiwan vocabulary as its document was told: read it both ways
        needles = (normalise(CUT_PINYIN.sub("", fragment), taiwan) for taiwan in (None, False, True))
        needle = next((needle for needle in needles if needle in text), None)
        if needle is None:
            raise InputError(path, f"sentence fragment '{fragment}' is not in {doc} (after normalisation)", line)
        start = text.find(needle)
        while start >= 0:
            before = cuts[bisect_right(cuts, start) - 1]  # the last cut at or before the fragment
            after = bisect_right(cuts, start + len(needle))  # the first cut after it
            end = cuts[after] if after < len(cuts) else len(text)
            spans.setdefault((before, end), Span(before, end, line))
            start = text.find(needle, start + 1)
    return list(spans.values())


def fragments_with_parents(reader: GoldDocument, text_codes: list[str]) -> dict[str, list[tuple[int, str]]]:
    """The reader's sentence fragments by code; a sub-code's sentences are its parent's too."""
    fragments = {code: list(named) for code, named in reader.fragments.items()}
    for code, named in reader.fragments.items():
        parent = ".".join(code.split(".")[:2])
        if parent != code and parent in text_codes:
            # also where the reader listed the parent's own sentences: a sentence of a sub-code is one of its parent
            fragments.setdefault(parent, []).extend(named)
    return fragments


def sentence_cuts(text: str) -> list[int]:
    """Where a reader's sentences begin and end: from one 。！？ or line break to the next (the text's start, the end
    of each, the text's end)."""
    return [0, *(match.end() for match in SENTENCE_END.finditer(text)), len(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """The text cut as a reader's sentences are (sentence_cuts), blank stretches left out."""
    cuts = sentence_cuts(text)
    return [(start, end) for start, end in zip(cuts, cuts[1:], strict=False) if text[start:end].strip()]
