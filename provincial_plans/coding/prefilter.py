"""Which of a code's exclusions can apply to a sentence, decided by literals the keyword automaton finds anyway: a
pattern that can only match where one of some literals is (a negation cue: 未, 没有) is searched only in sentences
that hold one, and a pattern `\\A(?![\\s\\S]*(?:a|b))` is decided by its literals alone. The verdict is exactly that of
searching every pattern (coding.matcher)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _constants as sre_constants  # private; model.patterns parses patterns the same way
from re import _parser as sre_parser
from typing import Any, NamedTuple

from provincial_plans.model.patterns import safe_pattern

Search = Callable[[str], object]  # re.Pattern.search or alike: None where nothing matches

SEPARATOR = "\n"  # joins sentences for one automaton pass; load_codebook rejects a keyword containing it


class Filtered(NamedTuple):
    """Exclusion patterns of a code that can only match where one of some literals is: searched only there."""

    needed: tuple[str, ...]
    search: Search


class Exclusions(NamedTuple):
    """A code's exclusions, split by what decides them in a sentence where the code hit.

    Regex searches cost microseconds; the automaton finds literals anyway. So a pattern that can only match where
    one of some literals is (e.g. a negation cue: 未, 没有) is searched for only in sentences that hold one of
    them, and a pattern `\\A(?![\\s\\S]*(?:a|b))` is decided by its literals alone. The verdict is exactly that
    of searching every pattern.
    """

    absent: tuple[tuple[str, ...], ...]  # literal sets: the code is excluded where no literal of a set is
    filtered: tuple[Filtered, ...]  # patterns by the literals they need, each set searched only where one is
    rest: Search | None  # patterns no literal decides: searched wherever the code hit


def _searcher(patterns: Sequence[str]) -> Search:
    """One search function for a code's exclusions, as few regex searches per sentence as keep the meaning.

    Each pattern is compiled by model.patterns.safe_pattern, which proves it cheap to search (joined as alternatives,
    proven patterns stay so: their costs add). Patterns without capturing groups (so without back-references) are
    joined as alternatives; patterns anchored at the start (`\\A…`, as the goal codes' year checks are) stay apart,
    because in a joined pattern `re` could no longer skip ahead to the characters the other alternatives start with.
    Anything else is tried in turn.
    """
    compiled = [safe_pattern(pattern) for pattern in patterns]
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


def _exclusions(patterns: Sequence[str], keywords: Sequence[str]) -> Exclusions:
    """A code's exclusion patterns as Exclusions; `keywords`: the code's, which every sentence it hit holds."""
    absent: list[tuple[str, ...]] = []
    needing: dict[tuple[str, ...], list[str]] = {}
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
            needing.setdefault(tuple(sorted(need)), []).append(pattern)
    return Exclusions(
        tuple(absent),
        tuple(Filtered(need, _searcher(found)) for need, found in needing.items()),
        _searcher(rest) if rest else None,
    )


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
