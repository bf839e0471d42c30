"""Wordings a codebook misses, found in a reader's gold (`python -m provincial_plans evaluate --wordings`).

Recall on new text is lost to wording no rule holds. This lists the character sequences that the reader's named
sentences of one code share across documents the machine did not code for it, with what each would cost: how many
of the sentences holding it anywhere the reader named for the code, and in how many documents the reader did not
code it. A lead for whoever keeps the codebook, not a rule: a sequence is a fragment of the reader's sentences, and
only a person can tell a formula (提供全流程一体化在线政务服务) from a coincidence of two plans copying a third.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from provincial_plans.coding.gold import overlapping

SHORTEST, LONGEST = 3, 8  # characters: shorter sequences are words of every plan, longer ones one plan's sentence
PLAIN = re.compile(r"[\u4e00-\u9fff]+")  # runs of Chinese characters: no sequence crosses punctuation or digits
PER_CODE = 5


@dataclass(frozen=True)
class Reading:
    """One document as the reader and the machine saw it: its reader sentences (spans of the normalised text),
    the codes the reader found (with parents), the sentences the reader named per code, and the machine's codes."""

    name: str
    text: str
    sentences: list[tuple[int, int]]
    gold: set[str]
    named: dict[str, list[tuple[int, int]]]
    machine: set[str]


@dataclass(frozen=True)
class Wording:
    """A sequence the reader's missed sentences of `code` share, and what a rule finding it would do."""

    code: str
    wording: str
    documents_added: int  # documents the reader coded and the machine missed, whose named sentences hold it
    documents_risked: int  # documents the reader did not code and the machine does not, whose text holds it
    named: int  # sentences holding it that the reader named for the code
    sentences: int  # every reader sentence holding it, in all documents


def missed_wordings(readings: Sequence[Reading], codes: Iterable[str], least: int = 2) -> list[Wording]:
    """Per code, the best few sequences found in the named sentences of at least `least` documents the machine
    missed, ranked by documents added less documents risked, then by the share of their sentences the reader named."""
    found: list[Wording] = []
    for code in codes:
        missed = [doc for doc in readings if code in doc.gold and code not in doc.machine and doc.named.get(code)]
        holders: dict[str, set[str]] = {}
        for doc in missed:
            for sequence in _sequences(doc.text[start:end] for start, end in doc.named[code]):
                holders.setdefault(sequence, set()).add(doc.name)
        candidates = [_scored(code, sequence, readings) for sequence, docs in holders.items() if len(docs) >= least]
        useful = [
            item
            for item in candidates
            if item.documents_added > item.documents_risked and item.named * 2 > item.sentences
        ]
        useful.sort(key=_rank)
        found += _widest(useful)[:PER_CODE]
    return found


def _rank(item: Wording) -> tuple[int, float, int, str]:
    """Net documents added, then the share named, then the longer; ties by the wording itself, so that the list does
    not follow the order a set of strings happens to iterate in (which changes with every run's hash seed)."""
    return item.documents_risked - item.documents_added, -item.named / item.sentences, -len(item.wording), item.wording


def _sequences(texts: Iterable[str]) -> set[str]:
    """Every run of SHORTEST to LONGEST Chinese characters in the texts."""
    sequences: set[str] = set()
    for text in texts:
        for run in PLAIN.findall(text):
            for size in range(SHORTEST, min(LONGEST, len(run)) + 1):
                sequences.update(run[index : index + size] for index in range(len(run) - size + 1))
    return sequences


def _scored(code: str, sequence: str, readings: Sequence[Reading]) -> Wording:
    added = risked = named = sentences = 0
    for doc in readings:
        if sequence not in doc.text:
            continue
        spans = doc.named.get(code, [])
        holding = [(start, end) for start, end in doc.sentences if sequence in doc.text[start:end]]
        sentences += len(holding)
        named_here = [span for span in holding if any(overlapping(*span, *named) for named in spans)]
        named += len(named_here)
        if code not in doc.machine:
            added += bool(named_here) and code in doc.gold
            risked += code not in doc.gold
    return Wording(code, sequence, added, risked, named, sentences)


def _widest(ranked: list[Wording]) -> list[Wording]:
    """Drop a sequence that a longer one holds and matches in every count: the longer says more. Rank kept."""
    groups: dict[tuple[int, int, int, int], list[Wording]] = {}
    for item in ranked:
        groups.setdefault((item.documents_added, item.documents_risked, item.named, item.sentences), []).append(item)
    dropped: set[int] = set()
    for group in groups.values():
        longest_first = sorted(group, key=lambda item: -len(item.wording))
        for index, item in enumerate(longest_first):
            if any(item.wording in other.wording for other in longest_first[:index] if id(other) not in dropped):
                dropped.add(id(item))
    return [item for item in ranked if id(item) not in dropped]
