"""Codebook patterns (exclusions, stock phrases, scope cues) proved cheap to search before any is used.

Python's `re` backtracks, so a careless pattern can take time that grows exponentially, or with the square of a
sentence's length. safe_pattern parses a pattern with `re`'s own parser and refuses every kind that could.
"""

from __future__ import annotations

import re
from functools import cache
from re import _compiler as sre_compiler  # private, but the only parser (and compiler) of Python's regex syntax
from re import _constants as sre_constants
from re import _parser as sre_parser
from typing import Any

MAX_PATTERN_LENGTH = 200  # longer exclusions are hard to review and to bound in cost
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
MAX_WAYS = 10_000  # ways a pattern may try at one position: the shipped codebook's most is 108
_ONE_CHARACTER = {sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY}
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_GROUPING = {sre_constants.SUBPATTERN, sre_constants.BRANCH, *_REPEATS}


def pattern_problem(pattern: str) -> str | None:
    """Why a codebook pattern is unusable (too long to review, does not compile, could make matching slow), or None.

    Every kind of pattern a codebook holds is checked here on load, so that the error names its line.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is longer than {MAX_PATTERN_LENGTH} characters ({len(pattern)}); split it into several exclusions"
    try:
        safe_pattern(pattern)
    except UnsafePattern as error:
        return str(error)
    return None


SPLICE = re.compile(r"\(\?&([a-z0-9_]+)\)")  # (?&name): PCRE's call of a named part, which Python's re refuses


def splice_problem(name: str, fragment: tuple[str, ...] | None) -> str | None:
    """Why the named pattern `fragment` cannot be spliced into another by (?&name), or None."""
    if fragment is None:
        return f"splices unknown pattern '{name}' (not named under patterns: above it)"
    if len(fragment) != 1:
        return f"splices pattern '{name}', a list; only a pattern of one string can be spliced"
    if alternatives_at_top(fragment[0]):
        return f"splices pattern '{name}', whose alternatives would leak into it; wrap them in (?:…)"
    return None


def alternatives_at_top(pattern: str) -> bool:
    """Whether `pattern` has a | outside every group (a|b, not (?:a|b)): spliced into another, it would cut it in
    two. Scanned by hand: re's parser turns single-character alternatives into a class and so hides them."""
    depth, class_from, escaped = 0, -1, False  # class_from: where the open [ or [^ ends, -1 outside a class
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif class_from >= 0:
            if char == "]" and position > class_from:  # a ] first in a class ([]a], [^]a]) is a character
                class_from = -1
        elif char == "[":
            class_from = position + (2 if pattern.startswith("^", position + 1) else 1)
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


class UnsafePattern(ValueError):
    """A pattern refused by safe_pattern; its text completes "exclusion '…' …"."""


@cache
def safe_pattern(pattern: str) -> re.Pattern[str]:
    """The pattern compiled, once proved cheap to search; else UnsafePattern saying why. Every pattern matching
    compiles goes through here (coding.matcher), so that no kind of pattern can bring back catastrophic backtracking.

    Python's `re` backtracks: a search tries each start position, and at each the ways the pattern can match. The
    proof bounds both, so that searching a sentence of n characters costs at most a constant (MAX_WAYS ways)
    times n:
    - a repeated part must have one length (`(?:ab){3}`, `[^，]+`): a part of varying length under a repeat, of
      any count (`(a+)+`, `(.*a){40}`, `(?:a|ab)+`), can split a text in exponentially many ways;
    - an unbounded repeat (`*`, `+`, `{n,}`) must repeat one way: its alternatives may not match the same
      text (`(?:a|a)+`, `(?:新建平台|[新旧]建平台)+`);
    - at most one unbounded repeat, and it must not be able to restart at every character: the pattern starts
      with `\\A`, or the repeat follows a character it cannot match (`专栏\\s*`, `未[^，]*` does not: a text of 未
      would be read to its end from each 未, a time that grows with the square of the sentence's length);
    - bounded repeats and alternatives multiply the ways to try at one position: at most MAX_WAYS.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise UnsafePattern(f"is not a valid regular expression ({error.msg} at position {error.pos})") from None
    parsed = sre_parser.parse(pattern)
    first = parsed.data[0] if parsed.data else None
    anchored = first == (sre_constants.AT, sre_constants.AT_BEGINNING_STRING) or (
        first == (sre_constants.AT, sre_constants.AT_BEGINNING) and not compiled.flags & re.MULTILINE
    )
    ways = _Cost(parsed.state, anchored).sequence(parsed.data, compiled.flags, [])
    if ways > MAX_WAYS:
        raise UnsafePattern(
            f"can try more than {MAX_WAYS} ways at each character of a sentence (its alternatives and bounded "
            "repeats multiply), which can make matching very slow; split it into several exclusions"
        )
    return compiled


Item = tuple[Any, Any]  # one node of a parsed pattern: (op, argument)
Chars = list[tuple[Item, int]]  # one-character items that may match some character, each with its flags


class _Cost:
    """safe_pattern's proof over a parsed pattern: the ways it can try at one position, or UnsafePattern."""

    def __init__(self, state: Any, anchored: bool) -> None:
        self.state = state
        self.anchored = anchored
        self.unbounded = 0

    def sequence(self, items: Any, flags: int, before: Chars | None) -> int:
        """Ways of a sequence of items; `before`: the characters just before it (None: unknown, [] at the start)."""
        ways = 1
        for op, argument in items:
            if op in _REPEATS:
                ways *= self.repeat(argument, flags, before)
            elif op is sre_constants.BRANCH:
                branches = argument[1]
                found = [self.sequence(branch, flags, before) for branch in branches]
                firsts = [_firsts(branch, flags) for branch in branches]
                ways *= max(found) if _apart(firsts) else sum(found)
            elif op is sre_constants.GROUPREF_EXISTS:
                _, yes, no = argument
                ways *= self.sequence(yes, flags, before) + (self.sequence(no, flags, before) if no else 1)
            elif op is sre_constants.SUBPATTERN:
                _, add, remove, body = argument
                ways *= self.sequence(body, (flags | add) & ~remove, before)
            elif op is sre_constants.ATOMIC_GROUP:
                ways *= self.sequence(argument, flags, before)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                direction, body = argument
                ways *= self.sequence(body, flags, before if direction == 1 else None)
            ways = min(ways, MAX_WAYS + 1)  # enough to tell that it is too many
            if op not in _ZERO_WIDTH:
                before = _lasts([(op, argument)], flags)
        return ways

    def repeat(self, argument: Any, flags: int, before: Chars | None) -> int:
        """Ways of a repeat {low, high}: the counts it may take, each a way of its body per round."""
        low, high, body = argument
        if high > 1:
            if any(op in _REPEATS and inner[0] != inner[1] for op, inner in _walk(body.data)):
                raise UnsafePattern(
                    "nests a quantifier inside another (a repeated group contains a repeat), which can make "
                    "matching very slow"
                )
            shortest, longest = body.getwidth()
            if shortest != longest:
                raise UnsafePattern(
                    "repeats a group whose alternatives differ in length, which can make matching very slow; "
                    "repeat each alternative on its own"
                )
        ways = self.sequence(body.data, flags, before if high <= 1 else None)
        if high != sre_constants.MAXREPEAT:
            return _counted(ways, low, high)
        if ways > 1:
            raise UnsafePattern(
                "repeats alternatives that can match the same text (overlapping alternatives under a repeat), "
                "which can make matching very slow"
            )
        self.unbounded += 1
        if self.unbounded > 1:
            raise UnsafePattern(
                "has more than one unbounded repeat (*, +, {n,}), so matching time grows with a power of the "
                "sentence's length; bound all but one, e.g. {0,20}"
            )
        if not (self.anchored or before and not _meet(before, _inside(body.data, flags))):
            raise UnsafePattern(
                "has an unbounded repeat (*, +, {n,}) that can restart at every character (it neither follows \\A "
                "nor a character it cannot match), so matching time grows with the square of the sentence's "
                "length; bound it, e.g. {0,20}"
            )
        return 1


def _counted(ways: int, low: int, high: int) -> int:
    """Ways of a bounded repeat whose body has `ways`: the sum over its counts of ways**count (capped)."""
    total, power = 0, 1
    for _ in range(min(low, MAX_WAYS)):
        power = min(power * ways, MAX_WAYS + 1)
    for _ in range(low, high + 1):
        total += min(power, MAX_WAYS + 1)
        power = min(power * ways, MAX_WAYS + 1)
        if total > MAX_WAYS:
            return MAX_WAYS + 1
    return total


def _inside(items: Any, flags: int) -> Chars:
    """Every character item of a repeated body (with every flag a group in it sets): what it can match."""
    nodes = _walk(items)
    for op, argument in nodes:
        if op is sre_constants.SUBPATTERN:
            flags |= argument[1]
    inside = [(node, flags) for node in nodes if node[0] in _ONE_CHARACTER]
    unknown = [op for op, _ in nodes if op not in _ONE_CHARACTER and op not in _GROUPING]
    return [((sre_constants.ANY, None), flags)] if unknown else inside


def _walk(items: Any) -> list[Item]:
    """Every node of a parsed sequence, nested ones included."""
    found = []
    for op, argument in items:
        found.append((op, argument))
        for child in _subpatterns(argument):
            found += _walk(child.data)
    return found


def _subpatterns(argument: Any) -> list[Any]:
    """Sub-patterns inside a parsed node's argument (groups, branches, lookarounds, conditionals)."""
    if isinstance(argument, sre_parser.SubPattern):
        return [argument]
    if isinstance(argument, tuple | list):
        return [child for part in argument for child in _subpatterns(part)]
    return []


def _firsts(items: Any, flags: int) -> Chars | None:
    """The one-character items a match of the sequence can start with; None where that is not simple to say."""
    for op, argument in items:
        if op in _ZERO_WIDTH:
            continue
        if op in _ONE_CHARACTER:
            return [((op, argument), flags)]
        if op is sre_constants.SUBPATTERN and argument[3].getwidth()[0] > 0:
            return _firsts(argument[3].data, (flags | argument[1]) & ~argument[2])
        if op is sre_constants.BRANCH:
            found = [_firsts(branch, flags) for branch in argument[1]]
            return None if any(first is None for first in found) else [item for first in found for item in first]
        if op in _REPEATS and argument[0] >= 1:
            return _firsts(argument[2].data, flags)
        return None
    return None


def _lasts(items: Any, flags: int) -> Chars | None:
    """The one-character items a match of the sequence ends with; None where that is not simple to say."""
    for op, argument in reversed(items):
        if op in _ZERO_WIDTH:
            continue
        if op in _ONE_CHARACTER:
            return [((op, argument), flags)]
        if op is sre_constants.SUBPATTERN and argument[3].getwidth()[0] > 0:
            return _lasts(argument[3].data, (flags | argument[1]) & ~argument[2])
        if op is sre_constants.BRANCH:
            found = [_lasts(branch, flags) for branch in argument[1]]
            return None if any(last is None for last in found) else [item for last in found for item in last]
        return None
    return None


def _apart(firsts: list[Chars | None]) -> bool:
    """Whether no two alternatives can start with the same character (so at most one gets past its first)."""
    if any(first is None for first in firsts):
        return False
    return not any(_meet(one, other) for number, one in enumerate(firsts) for other in firsts[number + 1 :])


def _meet(one: Chars, other: Chars) -> bool:
    """Whether some character matches an item of each list (True where that cannot be told cheaply)."""
    for left, left_flags in one:
        for right, right_flags in other:
            flags = left_flags | right_flags
            listed = _listed(left) if _listed(left) is not None else _listed(right)
            if listed is None:
                return True
            if any(_matches(left, char, flags) and _matches(right, char, flags) for char in listed):
                return True
    return False


def _listed(item: Item) -> list[str] | None:
    """The characters a one-character item names outright (a literal, a set of literals and small ranges)."""
    op, argument = item
    if op is sre_constants.LITERAL:
        return [chr(argument)]
    if op is not sre_constants.IN:
        return None
    chars: list[str] = []
    for kind, value in argument:
        if kind is sre_constants.LITERAL:
            chars.append(chr(value))
        elif kind is sre_constants.RANGE and value[1] - value[0] < 256:
            chars += map(chr, range(value[0], value[1] + 1))
        else:
            return None
    return chars


def _matches(item: Item, char: str, flags: int) -> bool:
    """Whether a one-character item matches `char`, asked of `re` itself (with the pattern's flags)."""
    op, argument = item
    key = tuple(argument) if isinstance(argument, list) else argument
    return _one_character(op, key, flags).fullmatch(char) is not None


@cache
def _one_character(op: Any, argument: Any, flags: int) -> re.Pattern[str]:
    """A one-character item compiled alone (arguments as tuples, to be cached)."""
    item = (op, list(argument) if op is sre_constants.IN else argument)
    return sre_compiler.compile(sre_parser.SubPattern(sre_parser.State(), [item]), flags)
