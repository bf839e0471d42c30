"""The keyword matcher on other automaton libraries, for benchmarks/coding.py to measure against Hyperscan.

coding.matcher.Matcher keeps its automaton in two methods, _build(words) and _find(text) -> (end, word) arrays
ordered by end, longer word first. Each class here overrides only those two, so its scan() is the whole scan
(exclusions, crediting) on another library, and its results can be checked hit for hit against reference_match.
Each library is given the text in the form it runs fastest on (measured), and, where it can take the Python str
itself, also that way:

- pyahocorasick 2.3.1 (C): the text in a 2-symbol-a-character alphabet (_Symbols), as coding.matcher used it
  until Hyperscan replaced it;
- ahocorasick-rs 1.0.3 (Rust, the aho-corasick crate), overlapping search: on the text's UTF-16 bytes, and on
  the str (the binding maps UTF-8 byte offsets to characters);
- daachorse 0.5.0 (Rust, double-array Aho-Corasick), overlapping search: bytewise on the UTF-16 bytes, and
  charwise on the str;
- Hyperscan (python-hyperscan 0.9.1, Vectorscan) in its pure-literal mode, which cannot take UTF-16 (see
  Matcher._build), on the UTF-8 bytes: byte offsets then have to be turned into characters.

`valgrind --tool=callgrind --instr-atstart=no python -m benchmarks.matchers NAME {dense,real} MB` builds one text
of MB megabytes, scans it once with one matcher, and has callgrind count a second scan alone: a count of
instructions that, unlike seconds, the VM's drift does not move.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from importlib.metadata import version
from itertools import chain
from math import isqrt
from typing import Any

import numpy as np

from provincial_plans.coding.matcher import Matcher, _by_end, _from_utf16, _matches, _utf16

KEPT = "hyperscan"  # provincial_plans.coding.matcher's own Matcher


class Pyahocorasick(Matcher):
    """pyahocorasick over the text in _Symbols."""

    def _build(self, words: Sequence[str]) -> None:
        import ahocorasick

        self._symbols = _Symbols(words)
        self._automaton: Any = ahocorasick.Automaton()
        for index, word in enumerate(words):
            self._automaton.add_word(self._symbols.text(word), index)
        self._automaton.make_automaton()

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        # (end, word) of each hit, flat: numpy converts plain integers faster than pairs of them
        found = np.fromiter(chain.from_iterable(self._automaton.iter(self._symbols.text(text))), np.int64)
        return (found[::2] >> 1) + 1, found[1::2]  # the last symbol's offset: two symbols a character


class _Symbols:
    """pyahocorasick's alphabet: each character as a pair of symbols (high, low) from a small set.

    Why: pyahocorasick looks a character up among a node's children one by one, and with a root child for each of
    the ~100 characters keywords start with, most of a pass went on misses at the root. As pairs, the characters
    keywords start with come first, so the root has a child per high symbol of those (~7 for ~100), and no node
    more than ~sqrt(characters) children: the pass over twice the symbols takes a third less time. Characters in
    no word are one filler pair. High and low symbols differ, so a word matches only from a character's first
    symbol.
    """

    def __init__(self, words: Sequence[str]) -> None:
        starts = {word[0] for word in words}
        chars = sorted({char for word in words for char in word}, key=lambda char: (char not in starts, char))
        width = isqrt(max(len(chars) - 1, 0)) + 1  # low symbols: at least sqrt(characters)
        highs = -(-len(chars) // width)
        small = 3 + highs + width <= 256
        self._codec, shift = ("latin-1", 8) if small else ("utf-16-le", 16)
        # a character's pair as one little-endian number, 1 and 2 the filler pair
        self._pairs = np.full(0x110000, 1 | 2 << shift, dtype="<u2" if small else "<u4")
        for index, char in enumerate(chars):
            self._pairs[ord(char)] = 3 + index // width | (3 + highs + index % width) << shift

    def text(self, text: str) -> str:
        """The text (or a word) in symbols, twice as long."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        return str(self._pairs[points].data, self._codec)


def _columns(found: list[tuple[int, int, int]]) -> np.ndarray:
    """A list of 3-tuples of integers as 3 int64 rows, one column a tuple."""
    return np.fromiter(chain.from_iterable(found), np.int64, 3 * len(found)).reshape(-1, 3).T


class AhocorasickRsUtf16(Matcher):
    """ahocorasick-rs (its default automaton for the words) over the text's UTF-16 bytes."""

    def _build(self, words: Sequence[str]) -> None:
        import ahocorasick_rs

        self._automaton = ahocorasick_rs.BytesAhoCorasick([_utf16(word) for word in words])

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        data = _utf16(text)
        word, _, ends = _columns(self._automaton.find_matches_as_indexes(data, overlapping=True))
        return _from_utf16(text, data, ends, word)


class AhocorasickRsStr(Matcher):
    """ahocorasick-rs on the str: offsets come back in characters."""

    def _build(self, words: Sequence[str]) -> None:
        import ahocorasick_rs

        self._automaton = ahocorasick_rs.AhoCorasick(words)

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        word, _, ends = _columns(self._automaton.find_matches_as_indexes(text, overlapping=True))
        return ends, word


class DaachorseUtf16(Matcher):
    """daachorse's bytewise automaton over the text's UTF-16 bytes."""

    def _build(self, words: Sequence[str]) -> None:
        import daachorse

        self._automaton = daachorse.DoubleArrayAhoCorasick([_utf16(word) for word in words])

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        data = _utf16(text)
        _, ends, word = _columns(self._automaton.find_overlapping(data))
        return _from_utf16(text, data, ends, word)


class DaachorseStr(Matcher):
    """daachorse's charwise automaton on the str: offsets come back in characters."""

    def _build(self, words: Sequence[str]) -> None:
        import daachorse

        self._automaton = daachorse.CharwiseDoubleArrayAhoCorasick(list(words))

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        _, ends, word = _columns(self._automaton.find_overlapping(text))
        return ends, word


class HyperscanLiteralUtf8(Matcher):
    """Hyperscan's pure-literal mode over the text's UTF-8 bytes; byte offsets counted back into characters."""

    def _build(self, words: Sequence[str]) -> None:
        import hyperscan

        self._database: Any = hyperscan.Database()
        encoded = [word.encode("utf-8", "surrogatepass") for word in words]
        self._database.compile(expressions=encoded, ids=list(range(len(words))), elements=len(words), literal=True)

    def _find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        data = text.encode("utf-8", "surrogatepass")
        ends, word = _matches(self._database, data)
        if len(data) != len(text):  # not all ASCII: the byte offset of each character's first byte
            first = np.flatnonzero((np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80)
            ends = np.searchsorted(first, ends)  # characters that start before the end
        return _by_end(ends, word, self._lengths)


# name -> (the PyPI distribution, how the text is given, the class); the kept one first
MATCHERS: dict[str, tuple[str, str, type[Matcher]]] = {
    KEPT: ("hyperscan", "UTF-16 bytes", Matcher),
    "hyperscan-literal": ("hyperscan", "UTF-8 bytes, pure-literal mode", HyperscanLiteralUtf8),
    "pyahocorasick": ("pyahocorasick", "2 symbols a character", Pyahocorasick),
    "ahocorasick-rs": ("ahocorasick-rs", "UTF-16 bytes", AhocorasickRsUtf16),
    "ahocorasick-rs-str": ("ahocorasick-rs", "the str", AhocorasickRsStr),
    "daachorse": ("daachorse", "UTF-16 bytes, bytewise", DaachorseUtf16),
    "daachorse-str": ("daachorse", "the str, charwise", DaachorseStr),
}


def label(name: str) -> str:
    """'library version, how the text is given', for tables."""
    distribution, form, _ = MATCHERS[name]
    return f"{distribution} {version(distribution)}, {form}"


def main(argv: Sequence[str]) -> int:
    """One matcher, one text, one scan counted by callgrind (see the module docstring)."""
    from .coding import CODEBOOK, corpus_sentences, filler_sentences, load_codebook, texts

    name, density, megabytes = argv
    matcher = MATCHERS[name][2](load_codebook(CODEBOOK))
    unique = corpus_sentences()
    sentences = texts(matcher, unique, filler_sentences(matcher.keywords), float(megabytes))[density][0]
    matcher.scan(sentences)  # a first scan, not counted: what a process does once (allocations, caches)
    _callgrind("on")
    matcher.scan(sentences)
    _callgrind("off")
    return 0


def _callgrind(state: str) -> None:
    """Turn callgrind's counting on or off in this process (a no-op outside callgrind: nothing listens)."""
    subprocess.run(["callgrind_control", "--instr=" + state, str(os.getpid())], capture_output=True, check=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
