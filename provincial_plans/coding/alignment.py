"""Alignment of a province's plan with the central guidance it implements.

Two measures, computed only when a national document is in the manifest: how many of the codes the central text
carries the province's documents carry too, and what share of the province's sentences closely reuse a central
sentence. "Closely reuse" = at least REUSE_THRESHOLD of the sentence's character 4-grams occur in one single
central sentence (containment, so a province sentence that copies part of a longer central one still counts).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

SHINGLE = 4
REUSE_THRESHOLD = 0.7
MIN_CHARS = 8  # shorter sentences (headings, list numbers) say nothing about reuse
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+")


def shingles(sentence: str) -> set[str]:
    """Character n-grams of the sentence's letters, digits and hanzi (punctuation and spaces dropped)."""
    text = "".join(_KEEP.findall(sentence))
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


class CentralIndex:
    """Inverted index of the central sentences' shingles, so each province sentence is checked in one pass."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, sentence in enumerate(sentences):
            for shingle in shingles(sentence):
                self._postings[shingle].append(number)

    def reuses(self, sentence: str) -> bool:
        own = shingles(sentence)
        if len("".join(_KEEP.findall(sentence))) < MIN_CHARS or not own:
            return False
        shared: Counter[int] = Counter()
        for shingle in own:
            shared.update(self._postings.get(shingle, ()))
        return bool(shared) and shared.most_common(1)[0][1] / len(own) >= REUSE_THRESHOLD


def alignment(
    central_sentences: list[str], central_codes: set[str], unit_sentences: list[str], unit_codes: set[str]
) -> dict[str, object]:
    """Code coverage and sentence reuse of one unit against the central guidance."""
    index = CentralIndex(central_sentences)
    counted = [sentence for sentence in unit_sentences if len("".join(_KEEP.findall(sentence))) >= MIN_CHARS]
    reused = sum(index.reuses(sentence) for sentence in counted)
    covered = central_codes & unit_codes
    return {
        "central_codes": len(central_codes),
        "covered": len(covered),
        "coverage": len(covered) / len(central_codes) if central_codes else None,
        "sentences": len(counted),
        "reused": reused,
        "reuse_share": reused / len(counted) if counted else None,
    }
