"""Machine coding: every keyword of the codebook found in a sentence in one Aho-Corasick pass, less exclusions.

A hit is (code, keyword, start, end) with sentence[start:end] == keyword, on the already normalised sentence
(pipeline.ingest). Rules, in the order they apply:

- one automaton holds every keyword of every text code; a keyword several codes list is found once and
  credited to each of them; overlapping keywords are all found;
- a hit of a sub-code `family.code.sub` is also a hit of its parent `family.code` when the parent is a code,
  so the parent never needs to repeat its sub-codes' keywords;
- an exclusion of a code that matches anywhere in the sentence cancels every hit of that code in the sentence
  (a hit rolled up from a sub-code is cancelled by the sub-code's exclusions too). Exclusions are compiled once
  and run only on sentences where their code hit, at most once per sentence;
- one hit per (code, keyword, position); `coded_by: human` codes get no hits.

Speed matters (hundreds of documents per year, re-coded on every codebook edit): see benchmarks/coding.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from pathlib import Path
from re import _constants as sre_constants  # private; pipeline.codebook parses patterns the same way
from re import _parser as sre_parser
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import ahocorasick

from .atomic import write_csv
from .codebook import Codebook, load_codebook
from .errors import InputError, display_path

if TYPE_CHECKING:
    import pandas as pd

SEPARATOR = "\n"  # joins sentences for one automaton pass; load_codebook rejects a keyword containing it
EVIDENCE_COLUMNS = ("unit", "doc_id", "sentence_id", "start", "end", "code", "keyword", "sentence")
CLI_COLUMNS = ("doc", "sentence_id", "start", "end", "code", "keyword", "sentence")


class Hit(NamedTuple):
    """A code's keyword found in a sentence; start/end index that sentence."""

    code: str
    keyword: str
    start: int
    end: int


class SentenceLike(Protocol):
    """What coding needs of a sentence (pipeline.ingest.Sentence has it)."""

    id: str
    text: str


class Matcher:
    """The codebook compiled for matching: build once, then call match() or, faster, match_many()."""

    def __init__(self, codebook: Codebook) -> None:
        codes = {code.id: code for code in codebook.text_codes()}
        # keyword -> {code id: ids of the codes whose exclusions guard this hit}
        targets: dict[str, dict[str, tuple[str, ...]]] = {}
        for code in codes.values():
            for keyword in code.keywords:
                targets.setdefault(keyword, {})[code.id] = (code.id,)
        for code in codes.values():
            if code.parent in codes:
                for keyword in code.keywords:
                    targets[keyword].setdefault(code.parent, (code.id, code.parent))
        keywords_of: dict[str, list[str]] = {}
        for keyword, credited in targets.items():
            for code_id in credited:
                keywords_of.setdefault(code_id, []).append(keyword)
        self._excluded: dict[str, Callable[[str], object]] = {
            code.id: _excluder(code.exclusions, keywords_of[code.id]) for code in codes.values() if code.exclusions
        }
        self._automaton: Any = ahocorasick.Automaton()
        for keyword, credited in targets.items():
            if SEPARATOR in keyword:
                raise ValueError(f"keyword {keyword!r} contains a line break")  # load_codebook rejects these
            entries = tuple(
                (code_id, *(guard for guard in guards if guard in self._excluded), None, None)[:3]
                for code_id, guards in credited.items()
            )  # (code id, None or the code whose exclusions guard it, None or a second such code)
            self._automaton.add_word(keyword, (keyword, len(keyword), entries))
        self._empty = not targets
        if not self._empty:
            self._automaton.make_automaton()
        self.codes: list[str] = list(codes)

    def match(self, sentence: str) -> list[Hit]:
        """Hits in one normalised sentence, ordered by where the keyword ends."""
        return self.match_many([sentence])[0]

    def match_many(self, sentences: Sequence[str]) -> list[list[Hit]]:
        """match() of each sentence, in one automaton pass over them all.

        Why: each call into the automaton costs about as much as scanning a short sentence, so matching
        sentence by sentence would spend most of its time on calls. The sentences are joined with a line break,
        which no keyword contains, so no hit spans two sentences; each hit is handed back to its sentence by offset.
        """
        results: list[list[Hit]] = [[] for _ in sentences]
        if self._empty or not sentences:
            return results
        text = SEPARATOR.join(sentences)
        ends = list(accumulate(len(sentence) + 1 for sentence in sentences))  # each sentence's end + separator
        excluded_by = self._excluded
        new = tuple.__new__
        bound = base = -1
        index = 0
        sentence, append, excluded = "", results[0].append, {}
        for last, (keyword, length, entries) in self._automaton.iter(text):
            if last >= bound:  # the hit is in a later sentence
                index = bisect_right(ends, last, index)
                bound = ends[index]
                sentence = sentences[index]
                base = bound - len(sentence) - 1
                append = results[index].append
                excluded = {None: False}  # code id -> whether its exclusions match this sentence (None: no code)
            end = last + 1 - base
            start = end - length
            for code, guard, parent_guard in entries:
                verdict = excluded.get(guard)
                if verdict is None:
                    verdict = excluded[guard] = excluded_by[guard](sentence) is not None
                if verdict:
                    continue
                if parent_guard is not None:
                    verdict = excluded.get(parent_guard)
                    if verdict is None:
                        verdict = excluded[parent_guard] = excluded_by[parent_guard](sentence) is not None
                    if verdict:
                        continue
                append(new(Hit, (code, keyword, start, end)))
        return results

    def codes_of(self, sentence: str) -> set[str]:
        """The codes a sentence gets."""
        return {hit.code for hit in self.match(sentence)}


def _searcher(patterns: Sequence[str]) -> Callable[[str], object]:
    """One search function for a code's exclusions, as few regex searches per sentence as keep the meaning.

    Patterns without capturing groups (so without back-references) are joined as alternatives; patterns anchored
    at the start (`\\A…`, as the goal codes' year checks are) stay apart, because in a joined pattern `re` could no
    longer skip ahead to the characters the other alternatives start with. Anything else is tried in turn.
    """
    compiled = [re.compile(pattern) for pattern in patterns]
    joinable = [p.pattern for p in compiled if p.groups == 0 and not p.pattern.startswith(("\\A", "^"))]
    rest = [p for p in compiled if p.pattern not in joinable]
    if len(joinable) > 1:
        try:
            rest.insert(0, re.compile("|".join(f"(?:{pattern})" for pattern in joinable)))
        except re.error:  # e.g. an inline global flag, allowed only at the very start
            rest = compiled
    elif joinable:
        rest.insert(0, re.compile(joinable[0]))
    if len(rest) == 1:
        return rest[0].search
    searches = tuple(pattern.search for pattern in rest)
    return lambda sentence: next((found for search in searches if (found := search(sentence))), None)


def _excluder(patterns: Sequence[str], keywords: Sequence[str]) -> Callable[[str], object]:
    """A code's exclusions as one search (None: not excluded), which skips the regex search where it cannot match.

    A regex search costs microseconds; `literal in sentence` a few dozen nanoseconds. So a pattern that can only
    match where one of some literals is (e.g. a negation cue: 未, 没有) is searched for only in sentences that
    hold one of them, and a pattern `\\A(?![\\s\\S]*(?:a|b))` (no literal anywhere) is decided by `in` alone.
    What is left is searched as _searcher does. The verdict is exactly that of searching every pattern.
    """
    absent: list[tuple[str, ...]] = []
    needed: set[str] = set()
    filtered: list[str] = []
    rest: list[str] = []
    for pattern in patterns:
        lacking = _absent_literals(pattern)
        if lacking is not None:
            absent.append(tuple(sorted(lacking)))
            continue
        need = _needed_literals(pattern, keywords)
        if need is None:
            rest.append(pattern)
        else:
            needed |= need
            filtered.append(pattern)
    if not absent and not filtered:
        return _searcher(patterns)
    absent_sets = tuple(absent)
    literals = tuple(sorted(needed))
    search_filtered = _searcher(filtered) if filtered else None
    search_rest = _searcher(rest) if rest else None

    def search(sentence: str) -> object:
        for lacking in absent_sets:
            for literal in lacking:
                if literal in sentence:
                    break
            else:
                return True  # no literal of a `\\A(?![\\s\\S]*…)` exclusion: it matches
        if search_rest is not None and (found := search_rest(sentence)) is not None:
            return found
        if search_filtered is not None:
            for literal in literals:
                if literal in sentence:
                    return search_filtered(sentence)
        return None

    return search


def _needed_literals(pattern: str, keywords: Sequence[str]) -> frozenset[str] | None:
    """Literals one of which is in every string the pattern matches in (None if no such set is found).

    Of the sets the pattern's top-level sequence requires, the first that no keyword of the code contains (a
    sentence that hit the code contains such a set anyway).
    """
    compiled = re.compile(pattern)
    if compiled.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = [
        frozenset(literal for literal in need if not any(other in literal for other in need if other != literal))
        for need in _required(sre_parser.parse(pattern).data)
        if need and not any(SEPARATOR in literal for literal in need)
    ]
    if not found:
        return None

    # negation cues come first in these patterns; a set a keyword contains is no filter on sentences that hit it
    return next((need for need in found if not any(lit in kw for lit in need for kw in keywords)), found[0])


def _absent_literals(pattern: str) -> frozenset[str] | None:
    """For a pattern `\\A(?![\\s\\S]*(?:a|b|…))` of plain literals (it matches where none is), those literals."""
    if re.compile(pattern).flags & (re.IGNORECASE | re.VERBOSE):
        return None
    items = sre_parser.parse(pattern).data
    if len(items) != 2 or items[0] != (sre_constants.AT, sre_constants.AT_BEGINNING_STRING):
        return None
    op, (direction, body) = items[1]
    if op is not sre_constants.ASSERT_NOT or direction != 1 or len(body.data) != 2:
        return None
    (repeat, (low, high, anything)), rest = body.data
    every = (
        sre_constants.IN,
        [
            (sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE),
            (sre_constants.CATEGORY, sre_constants.CATEGORY_NOT_SPACE),
        ],
    )
    if (repeat, low, high, list(anything.data)) != (sre_constants.MAX_REPEAT, 0, sre_constants.MAXREPEAT, [every]):
        return None  # not `[\\s\\S]*`
    if rest[0] is sre_constants.SUBPATTERN and not rest[1][1] and not rest[1][2] and len(rest[1][3].data) == 1:
        rest = rest[1][3].data[0]  # a group of one item: that item
    branches = rest[1][1] if rest[0] is sre_constants.BRANCH else [[rest]]
    alternatives = {_literal(alternative) for alternative in branches}
    literals = {literal for literal in alternatives if literal is not None and SEPARATOR not in literal}
    return frozenset(literals) if literals and len(literals) == len(alternatives) else None


def _required(items: Any) -> list[set[str]]:
    """Sets of literals of a parsed sequence: every match contains at least one literal of each set."""
    sets: list[set[str]] = []
    run = ""
    for op, argument in items:
        if op is sre_constants.LITERAL:
            run += chr(argument)
            continue
        if run:
            sets.append({run})
            run = ""
        if op is sre_constants.BRANCH:
            alternatives = {_literal(alternative) for alternative in argument[1]}
            if None not in alternatives:
                sets.append({literal for literal in alternatives if literal is not None})
        elif op is sre_constants.IN:
            if argument and all(kind is sre_constants.LITERAL for kind, _ in argument):
                sets.append({chr(value) for _, value in argument})
        elif op is sre_constants.SUBPATTERN:
            _, add_flags, del_flags, body = argument
            if not add_flags and not del_flags:
                sets += _required(body)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            low, _, body = argument
            if low >= 1:
                sets += _required(body)
    if run:
        sets.append({run})
    return sets


def _literal(items: Any) -> str | None:
    """The string a parsed sequence of plain literals matches, or None (also for an empty sequence)."""
    if not items or any(op is not sre_constants.LITERAL for op, _ in items):
        return None
    return "".join(chr(value) for _, value in items)


def evidence_rows(
    matcher: Matcher, documents: Iterable[tuple[str, str, Iterable[SentenceLike]]]
) -> list[dict[str, Any]]:
    """One row per hit over many documents, given as (unit, doc_id, sentences); offsets index the sentence."""
    rows: list[dict[str, Any]] = []
    for unit, doc_id, sentences in documents:
        sentences = list(sentences)
        for sentence, hits in zip(sentences, matcher.match_many([s.text for s in sentences]), strict=True):
            for hit in hits:
                rows.append(
                    {
                        "unit": unit,
                        "doc_id": doc_id,
                        "sentence_id": sentence.id,
                        "start": hit.start,
                        "end": hit.end,
                        "code": hit.code,
                        "keyword": hit.keyword,
                        "sentence": sentence.text,
                    }
                )
    return rows


def evidence_table(matcher: Matcher, documents: Iterable[tuple[str, str, Iterable[SentenceLike]]]) -> pd.DataFrame:
    """evidence_rows as a DataFrame with EVIDENCE_COLUMNS (present even when nothing was found)."""
    import pandas as pd

    return pd.DataFrame(evidence_rows(matcher, documents), columns=list(EVIDENCE_COLUMNS))


def presence_matrix(evidence: pd.DataFrame, by: str, index: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """0/1 matrix of `by` (doc_id or unit) × code: 1 where the evidence has a hit.

    `index` lists every document or unit that was coded, so one without any hit gets a row of 0 (coded, nothing
    found) rather than no row (not coded); `codes` fixes the columns (Matcher.codes: the text codes).
    """
    import pandas as pd

    matrix = pd.DataFrame(0, index=pd.Index(list(index), name=by), columns=pd.Index(list(codes), name="code"))
    found = evidence.loc[evidence[by].isin(matrix.index) & evidence["code"].isin(matrix.columns), [by, "code"]]
    for key, code in found.drop_duplicates().itertuples(index=False):
        matrix.at[key, code] = 1
    return matrix


def document_matrix(evidence: pd.DataFrame, doc_ids: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """Document × code, 0/1."""
    return presence_matrix(evidence, "doc_id", doc_ids, codes)


def unit_matrix(evidence: pd.DataFrame, units: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """Unit (province) × code, 0/1: a unit has a code when any of its documents does."""
    return presence_matrix(evidence, "unit", units, codes)


def code_files(files: Sequence[Path], codebook_path: Path | None = None, out: Path | None = None) -> str:
    """Command `code`: ingest each file (doc id = its stem), match, write the evidence CSV, return the summary.

    The CSV (UTF-8 with BOM, for spreadsheets) has CLI_COLUMNS; start/end index the sentence. The summary lists
    every text code in codebook order, so a code that matched nothing shows as 0 rather than going missing.
    """
    from .ingest import ingest_document
    from .paths import DATA

    codebook = load_codebook(codebook_path or DATA / "codebook.yaml")
    matcher = Matcher(codebook)
    documents: list[tuple[str, str, list[Any]]] = []
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            raise InputError(path, f"doc id '{path.stem}' is also that of {stems[path.stem]}; rename one file")
        stems[path.stem] = path
        _, sentences = ingest_document(path, path.stem)
        documents.append((path.stem, path.stem, sentences))
    rows = evidence_rows(matcher, documents)
    if out is not None:
        write_csv(out, CLI_COLUMNS, ([row["doc_id"], *(row[name] for name in CLI_COLUMNS[1:])] for row in rows))
    return _summary(codebook, documents, rows, out)


def _summary(
    codebook: Codebook, documents: list[tuple[str, str, list[Any]]], rows: list[dict[str, Any]], out: Path | None
) -> str:
    """Per-code hits and documents as an aligned text table, with a line of totals."""
    hits: dict[str, int] = {}
    docs: dict[str, set[str]] = {}
    for row in rows:
        hits[row["code"]] = hits.get(row["code"], 0) + 1
        docs.setdefault(row["code"], set()).add(row["doc_id"])
    table = [("code", "label", "hits", "documents")]
    table += [
        (code.id, code.label["en"], str(hits.get(code.id, 0)), str(len(docs.get(code.id, ()))))
        for code in codebook.text_codes()
    ]
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    lines = [
        f"{code:<{widths[0]}}  {label:<{widths[1]}}  {count:>{widths[2]}}  {found:>{widths[3]}}".rstrip()
        for code, label, count, found in table
    ]
    sentences = sum(len(sentences) for _, _, sentences in documents)
    coded = sum(1 for code in codebook.text_codes() if code.id in docs)
    total = (
        f"{len(documents)} documents, {sentences} sentences, {len(rows)} hits, {coded} of "
        f"{len(codebook.text_codes())} codes found (codebook {codebook.version})"
    )
    if out is not None:
        total += f"; evidence written to {display_path(out)}"
    return "\n".join([*lines, total]) + "\n"
