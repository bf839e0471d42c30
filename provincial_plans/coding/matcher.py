"""Machine coding: every keyword of the codebook found in a sentence in one Hyperscan pass, less exclusions.

A hit is (code, keyword, start, end) with sentence[start:end] == keyword, on the already normalised sentence
(provincial_plans.coding.ingest). Rules, in the order they apply:

- one automaton holds every keyword of every text code; a keyword several codes list is found once and
  credited to each of them; overlapping keywords are all found;
- a hit of a sub-code `family.code.sub` is also a hit of its parent `family.code` when the parent is a code,
  so the parent never needs to repeat its sub-codes' keywords;
- an exclusion of a code that matches anywhere in the sentence cancels every hit of that code in the sentence
  (a hit rolled up from a sub-code is cancelled by the sub-code's exclusions too). Exclusions are compiled once
  and run only on sentences where their code hit, at most once per sentence;
- one hit per (code, keyword, position); `coded_by: human` codes get no hits.

Speed matters (hundreds of documents per year, re-coded on every codebook edit; see benchmarks/coding.py, which
measures Hyperscan against pyahocorasick, ahocorasick-rs and daachorse), so Matcher.scan works on columns:
sentences are joined into texts of about CHUNK_CHARS characters, one automaton pass each, whose hits come back as
numpy arrays; crediting codes and deciding exclusions are a fixed number of array operations per pass, whatever
the number of codes. Python loops only over the regex searches that the literals found in a sentence could not
decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import call, is_not
from typing import Any, NamedTuple

import hyperscan
import numpy as np

from provincial_plans.coding.prefilter import SEPARATOR, Exclusions, Filtered, _exclusions
from provincial_plans.model.codebook import Codebook

CHUNK_CHARS = 1 << 21  # characters per automaton pass: bounds its arrays to tens of MB, and calls stay few


CHUNK_PAIRS = 1 << 24  # at most this many (sentence, code) pairs a pass: bounds its tables (a byte a pair)


class Hit(NamedTuple):
    """A code's keyword found in a sentence; start/end index that sentence."""

    code: str
    keyword: str
    start: int
    end: int


class Hits(NamedTuple):
    """Hits as columns (int64 arrays), one row per hit, ordered by sentence, then as match() orders them."""

    sentence: np.ndarray  # index into the sentences scanned
    start: np.ndarray  # offsets in that sentence
    end: np.ndarray
    code: np.ndarray  # index into Matcher.codes
    keyword: np.ndarray  # index into Matcher.keywords


def _targets(codes: dict[str, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
    """keyword -> {code id: ids of the codes whose exclusions guard this hit}; a sub-code's keyword also credits its
    parent, guarded by both codes' exclusions."""
    targets: dict[str, dict[str, tuple[str, ...]]] = {}
    for code in codes.values():
        for keyword in code.keywords:
            targets.setdefault(keyword, {})[code.id] = (code.id,)
    for code in codes.values():
        if code.parent in codes:
            for keyword in code.keywords:
                targets[keyword].setdefault(code.parent, (code.id, code.parent))
    return targets


class Matcher:
    """The codebook compiled for matching: build once, then call scan() (columns), match_many() or match()."""

    def __init__(self, codebook: Codebook) -> None:
        codes = {code.id: code for code in codebook.text_codes()}
        self.codes: list[str] = list(codes)
        targets = _targets(codes)
        keywords_of: dict[str, list[str]] = {}
        for keyword, credited in targets.items():
            if SEPARATOR in keyword:
                raise ValueError(f"keyword {keyword!r} contains a line break")  # load_codebook rejects these
            for code_id in credited:
                keywords_of.setdefault(code_id, []).append(keyword)
        self.keywords: list[str] = list(targets)
        # (parent, keyword) -> the sub-code through which that keyword credits the parent
        self.via: dict[tuple[str, str], str] = {
            (credited, keyword): guards[0]
            for keyword, credits in targets.items()
            for credited, guards in credits.items()
            if guards[0] != credited
        }
        self.exclusions: dict[str, Exclusions] = {
            code.id: _exclusions(code.exclusions, keywords_of.get(code.id, ()))
            for code in codes.values()
            if code.exclusions
        }
        # the automaton's words: the keywords, then the exclusions' literals that are not keywords
        cues = {
            literal
            for rule in self.exclusions.values()
            for group in (*rule.absent, *(filtered.needed for filtered in rule.filtered))
            for literal in group
        }
        # The automaton's words, each known by its index here: the keywords (in self.keywords' order), then words
        # that are not keywords, whose hits _occurrences() reports like the keywords' and that credit no code
        # (today the exclusions' literals).
        self.words: list[str] = self.keywords + sorted(cues - set(targets))
        self._lengths = np.array([len(word) for word in self.words], dtype=np.int64)
        # A (sentence, code) pair is the key sentence << _shift | number, numbers 1… in self.codes' order, 0: none
        # (a power of two apart, so that keys split with shifts and masks: integer division is slow).
        number = {code_id: index + 1 for index, code_id in enumerate(self.codes)}
        self._shift = len(self.codes).bit_length()
        self._base = 1 << self._shift
        self._credits(targets, number)
        self._exclusion_tables(sorted(cues), number)
        self._empty = not self.words
        if not self._empty:
            self._build(self.words)

    def _credits(self, targets: dict[str, dict[str, tuple[str, ...]]], number: dict[str, int]) -> None:
        """Each keyword's entries: the code credited, the codes whose exclusions guard it (0: none)."""
        entries = [
            (number[code_id], *(number[guard] for guard in guards if guard in self.exclusions), 0, 0)[:3]
            for credited in targets.values()
            for code_id, guards in credited.items()
        ]
        counts = [len(credited) for credited in targets.values()] + [0] * (len(self.words) - len(targets))
        self._entries = _csr(counts)
        self._credit, self._guard, self._second_guard = np.array(entries, dtype=np.int64).reshape(-1, 3).T
        self._credit -= 1  # the code's index in self.codes

    def _exclusion_tables(self, cues: list[str], number: dict[str, int]) -> None:
        """The exclusions' literals as bits (a row of 64-bit words): which of them a sentence holds is one row, the
        literals a code's filtered patterns need and each absent set are rows, and testing them one `&`."""
        word_index = {word: index for index, word in enumerate(self.words)}
        width = max(1, -(-len(cues) // 64))
        self._bits = np.zeros((len(self.words), width), dtype=np.uint64)  # word -> its bit, if an exclusion literal
        for bit, literal in enumerate(cues):
            self._bits[word_index[literal], bit // 64] = np.uint64(1 << bit % 64)
        self._cue = self._bits.any(axis=1)
        self._rest = np.full(self._base, None, dtype=object)  # code number -> Search or None
        sets_of: list[list[np.ndarray]] = [[] for _ in range(self._base)]  # code number -> its absent sets' bits
        filters_of: list[list[Filtered]] = [[] for _ in range(self._base)]  # code number -> its Filtered

        def bits(literals: Iterable[str]) -> np.ndarray:
            return np.bitwise_or.reduce(self._bits[[word_index[literal] for literal in literals]])

        for code_id, rule in self.exclusions.items():
            self._rest[number[code_id]] = rule.rest
            sets_of[number[code_id]] = [bits(group) for group in rule.absent]
            filters_of[number[code_id]] = list(rule.filtered)
        self._sets_of = _csr(sets_of)
        self._set_bits = np.array([row for found in sets_of for row in found], dtype=np.uint64).reshape(-1, width)
        self._dated = self._sets_of[1] > 0  # code number -> whether it has absent sets
        self._filters_of = _csr(filters_of)
        filters = [filtered for found in filters_of for filtered in found]
        filter_bits = [bits(filtered.needed) for filtered in filters]
        self._filter_bits = np.array(filter_bits, dtype=np.uint64).reshape(-1, width)
        self._filter_search = np.empty(len(filters), dtype=object)
        self._filter_search[:] = [filtered.search for filtered in filters]
        self._needs = np.array(  # code number -> the literals any of its filtered patterns needs
            [bits(literal for filtered in found for literal in filtered.needed) for found in filters_of],
            dtype=np.uint64,
        )
        self._has_rest = np.array([search is not None for search in self._rest.tolist()])

    def _build(self, words: Sequence[str]) -> None:
        """A Hyperscan database of the words (none empty, none twice), each as its UTF-16 bytes (see _find).

        Each byte is written `\\xHH`: the pattern is that literal byte string, which Hyperscan compiles into the same
        literal matcher as its pure-literal mode; python-hyperscan measures a pure literal with strlen, so it cannot
        hold a zero byte, and UTF-16 of 一 (U+4E00) holds one.
        """
        self._database: Any = hyperscan.Database()
        self._database.compile(
            expressions=["".join(map("\\x{:02x}".format, _utf16(word))).encode("ascii") for word in words],
            ids=list(range(len(words))),
            elements=len(words),
        )

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(end, word) of every occurrence of every word in the text, as int64 arrays ordered by end, then longer
        word first; end: the offset just after the word's last character.

        Hyperscan scans the text's UTF-16 (little-endian) bytes: CPython keeps Chinese text in 2-byte units, so
        encoding it is a copy, and a character of the Basic Multilingual Plane is 2 bytes, so offsets in bytes
        halve into characters (UTF-8's would have to be counted).
        """
        data = _utf16(text)
        ends, word = _from_utf16(text, data, *_matches(self._database, data))
        return _by_end(ends, word, self._lengths)

    def scan(self, sentences: Sequence[str]) -> Hits:
        """Every hit in the sentences, as columns: what match_many() and the evidence tables are made of."""
        lengths = np.fromiter(map(len, sentences), np.int64, len(sentences))
        if self._empty or not len(lengths):
            return _no_hits()
        offsets = np.cumsum(lengths + 1) - (lengths + 1)  # where each sentence starts in all of them joined
        cuts = np.searchsorted(offsets, np.arange(CHUNK_CHARS, offsets[-1] + lengths[-1], CHUNK_CHARS)).tolist()
        # sentences a pass, so that its tables (a sentence: a byte a code, a row of bits) stay under CHUNK_PAIRS bytes
        per_pass = max(1, CHUNK_PAIRS // max(self._base, 8 * self._bits.shape[1]))
        bounds = sorted({0, len(lengths), *cuts, *range(per_pass, len(lengths), per_pass)})
        parts = [
            self._pass(sentences[first:stop], offsets[first:stop] - offsets[first], first)
            for first, stop in zip(bounds, bounds[1:], strict=False)
        ]
        return Hits(*(np.concatenate(column) for column in zip(*parts, strict=True)))

    def _pass(self, sentences: Sequence[str], starts: np.ndarray, first: int) -> Hits:
        """scan() of the sentences, joined into one text (starts: each one's offset in it), numbered from `first`.

        The sentences are joined with a line break, which no keyword contains, so no hit spans two sentences;
        each hit is handed back to its sentence by offset.
        """
        sentence, ends, word = self._occurrences(sentences, starts)
        if not len(word):  # nothing more to decide: spares a sentence without keywords the array work (~0.2 ms)
            return _no_hits()
        hit, entry = _expand(word, self._entries)  # each keyword hit once per code it credits, in order
        keys = sentence[hit] << self._shift
        guards = keys + self._guard[entry], keys + self._second_guard[entry]
        excluded = self._excluded(sentences, sentence, word, guards)
        kept = ~(excluded[guards[0]] | excluded[guards[1]])
        hit, entry = hit[kept], entry[kept]
        word, end = word[hit], ends[hit]
        return Hits(first + sentence[hit], end - self._lengths[word], end, self._credit[entry], word)

    def _occurrences(self, sentences: Sequence[str], starts: np.ndarray) -> tuple[np.ndarray, ...]:
        """(sentence, end, word) of every occurrence of every word of self.words in the sentences (starts: each
        one's offset in them joined), ordered by sentence, then by end, longer word first; end: in the sentence."""
        ends, word = self._find(SEPARATOR.join(sentences))
        sentence = np.searchsorted(starts, ends) - 1  # the last sentence that starts before the end
        return sentence, ends - starts[sentence], word

    def _excluded(
        self, sentences: Sequence[str], sentence: np.ndarray, word: np.ndarray, guards: tuple[np.ndarray, ...]
    ) -> np.ndarray:
        """Whether the exclusions of code number c match sentence s, at s << _shift | c, for the pairs in `guards`.

        sentence, word: of each automaton hit in the sentences. Tables indexed by pair keys, rather than sorted
        keys, so that every set operation is one array operation.
        """
        shift, mask = self._shift, self._base - 1
        evaluated = np.zeros(len(sentences) << shift, dtype=bool)
        for keys in guards:
            evaluated[keys] = True
        evaluated[:: self._base] = False  # number 0: no code
        pairs = np.flatnonzero(evaluated)
        code = pairs & mask
        # the exclusion literals each sentence holds, as bits: the OR of its literal hits' bits (hits by sentence)
        cue = self._cue[word]
        cue_sentence = sentence[cue]
        firsts = np.flatnonzero(np.diff(cue_sentence, prepend=-1))
        holds = np.zeros((len(sentences), self._bits.shape[1]), dtype=np.uint64)
        if len(firsts):
            holds[cue_sentence[firsts]] = np.bitwise_or.reduceat(self._bits[word[cue]], firsts, axis=0)
        # an absent set fires where its code was evaluated and the sentence holds none of its literals
        dated = pairs[self._dated[code]]
        owner, item = _expand(dated & mask, self._sets_of)
        excluded = np.zeros_like(evaluated)
        excluded[dated[owner[~(holds[dated[owner] >> shift] & self._set_bits[item]).any(axis=1)]]] = True
        # a regex search decides the rest: patterns where a literal they need is, and those no literal decides
        needing = pairs[(holds[pairs >> shift] & self._needs[code]).any(axis=1)]
        needing = needing[~excluded[needing]]
        owner, item = _expand(needing & mask, self._filters_of)
        held = (holds[needing[owner] >> shift] & self._filter_bits[item]).any(axis=1)
        rest = pairs[self._has_rest[code]]
        rest = rest[~excluded[rest]]
        keys = np.concatenate((needing[owner[held]], rest))
        searches = np.concatenate((self._filter_search[item[held]], self._rest[rest & mask])).tolist()
        texts = map(sentences.__getitem__, (keys >> shift).tolist())
        # looped over in C (map): a Python loop's step costs about as much as a search of a short sentence
        excluded[keys[np.fromiter(map(is_not, map(call, searches, texts), repeat(None)), bool, len(keys))]] = True
        return excluded

    def match_many(self, sentences: Sequence[str]) -> list[list[Hit]]:
        """match() of each sentence: scan() as Hit lists."""
        results: list[list[Hit]] = [[] for _ in sentences]
        codes, keywords = self.codes, self.keywords
        for sentence, start, end, code, keyword in zip(
            *(column.tolist() for column in self.scan(sentences)), strict=True
        ):
            results[sentence].append(Hit(codes[code], keywords[keyword], start, end))
        return results

    def match(self, sentence: str) -> list[Hit]:
        """Hits in one normalised sentence, ordered by where the keyword ends, longer keyword first."""
        return self.match_many([sentence])[0]

    def codes_of(self, sentence: str) -> set[str]:
        """The codes a sentence gets."""
        return {hit.code for hit in self.match(sentence)}


def _utf16(text: str) -> bytes:
    """The text's UTF-16 (little-endian) bytes; a lone surrogate, which str allows, as its own 2 bytes."""
    return text.encode("utf-16-le", "surrogatepass")


def _from_utf16(text: str, data: bytes, ends: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matches found in the text's UTF-16 bytes `data`, ends in bytes, as (end in characters, word).

    A match that ends at an odd byte is a word's bytes found across two characters, not the word: dropped. A
    character outside the Basic Multilingual Plane is two 2-byte units (a surrogate pair) but one character.
    """
    aligned = (ends & 1) == 0
    units, word = ends[aligned] >> 1, word[aligned]
    if len(data) == 2 * len(text):  # no such character
        return units, word
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    wide = np.flatnonzero(points > 0xFFFF)
    after = wide + np.arange(2, len(wide) + 2)  # the unit offset just after each of them
    return units - np.searchsorted(after, units, side="right"), word


def _matches(database: Any, data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(end, id) of every match of a Hyperscan database in the data, as int64 arrays in the order it reports them:
    by end, but matches that end together in any order.

    Hyperscan hands each match to a callback, which its Python binding can only make a Python call (~1,750
    instructions a match, against 7-14 a byte for the scan): _on_match, given the list to add to as its context.
    """
    found: list[int] = []
    database.scan(data, match_event_handler=_on_match, context=found.append)
    ends, pattern = np.fromiter(found, dtype=np.int64, count=len(found)).reshape(-1, 2).T
    return ends, pattern


def _on_match(pattern: int, _start: int, end: int, _flags: int, add: Callable[[int], None]) -> None:
    add(end)
    add(pattern)


def _by_end(ends: np.ndarray, word: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matches ordered by end, then longer word first (lengths: each word's): the order scan() hands hits back in."""
    key = ends * (int(lengths.max()) + 1) - lengths[word]
    if (key[1:] >= key[:-1]).all():
        return ends, word
    order = np.argsort(key, kind="stable")
    return ends[order], word[order]


def _no_hits() -> Hits:
    return Hits(*(np.zeros(0, np.int64) for _ in Hits._fields))


def _csr(rows: Sequence[Sequence[int]] | Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(start, count) of each row of a ragged table stored flat; rows given as lists or as their lengths."""
    counts = np.array([row if isinstance(row, int) else len(row) for row in rows], dtype=np.int64)
    return np.cumsum(counts) - counts, counts


def _expand(rows: np.ndarray, table: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each item of each of `rows` in a _csr table, in order: (position in `rows`, index into the flat items)."""
    starts, counts = table
    count = counts[rows]
    owner = np.repeat(np.arange(len(rows)), count)
    item = np.arange(len(owner)) + np.repeat(starts[rows] - (np.cumsum(count) - count), count)
    return owner, item
