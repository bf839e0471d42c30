"""The codebook (data/codebook.yaml): families and codes, each with the keywords that code it in a plan's text.

Loading validates everything a coding run relies on, so a bad codebook stops with one line naming the file and
line rather than silently coding nothing: the JSON Schema (SCHEMA), unique ids, known families, no
empty keyword, exclusions that compile and cannot make matching slow (model.patterns). Its own examples (each
positive example must be coded by its code, no negative example may be) are checked by coding.examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError
from provincial_plans.core.inputs import read_text, read_yaml, yaml_line
from provincial_plans.model.patterns import SPLICE, pattern_problem, splice_problem

DEFAULT_GAP = 8  # characters between neighbouring proximity terms, unless a rule says otherwise
MIN_KEYWORD_LENGTH = 2  # a single character (的, 网) is in most sentences of a plan


# A pattern written once under `patterns:` and used by name ({pattern: name}) wherever a regex may stand
REFERENCE = {
    "type": "object",
    "required": ["pattern"],
    "properties": {"pattern": schemas.SLUG},
    "additionalProperties": False,
}
PATTERN = {"anyOf": [schemas.NONEMPTY, REFERENCE]}  # an empty pattern would cancel every hit
PATTERNS = {"type": "array", "items": PATTERN}

# data/codebook.yaml, checked before anything is built from it
SCHEMA = {
    "type": "object",
    "required": ["version", "families", "codes"],
    "properties": {
        "version": schemas.VERSION,
        "year_words": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "words"],
                "properties": {
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2099},
                    "words": {"type": "array", "minItems": 1, "items": schemas.NONEMPTY},
                    "relative": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
        },
        "patterns": {
            "type": "object",
            "propertyNames": schemas.SLUG,
            "additionalProperties": {
                "anyOf": [schemas.NONEMPTY, {"type": "array", "minItems": 1, "items": schemas.NONEMPTY}]
            },
        },
        "background": {
            "type": "object",
            "properties": {"headings": {"type": "array", "items": schemas.NONEMPTY}, "cues": PATTERNS},
            "additionalProperties": False,
        },
        "families": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "properties": {"id": schemas.SLUG, "label": schemas.BILINGUAL},
                "additionalProperties": False,
            },
        },
        "codes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label", "definition", "keywords", "exclusions", "examples"],
                "properties": {
                    "id": schemas.CODE_ID,
                    "family": schemas.SLUG,
                    "label": schemas.BILINGUAL,
                    "definition": schemas.BILINGUAL,
                    # emptiness is checked by model.codebook, which names the keyword; an empty one would code
                    # every sentence
                    "keywords": {"type": "array", "items": {"type": "string"}},
                    "exclusions": PATTERNS,
                    "ignore": PATTERNS,
                    "examples": {
                        "type": "object",
                        "required": ["positive", "negative"],
                        "properties": {
                            "positive": {"type": "array", "items": schemas.NONEMPTY},
                            "negative": {"type": "array", "items": schemas.NONEMPTY},
                        },
                        "additionalProperties": False,
                    },
                    "coded_by": {"enum": ["text", "human"]},
                    "origin": {"enum": ["national", "provincial"]},
                    "near": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sets"],
                            "properties": {
                                "sets": {
                                    "type": "array",
                                    "minItems": 2,
                                    "maxItems": 3,
                                    "items": {"type": "array", "minItems": 1, "items": schemas.NONEMPTY},
                                },
                                "gap": {"type": "integer", "minimum": 0, "maximum": 30},
                            },
                            "additionalProperties": False,
                        },
                    },
                    "scope": {
                        "type": "object",
                        "minProperties": 1,
                        "properties": {
                            "headings": {"type": "array", "items": schemas.NONEMPTY},
                            "cues": PATTERNS,
                            "outside": {"type": "array", "items": schemas.NONEMPTY},
                        },
                        "additionalProperties": False,
                    },
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2099},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


class Near(NamedTuple):
    """A proximity rule: a term of every set within one clause, neighbours at most `gap` characters apart."""

    sets: tuple[tuple[str, ...], ...]
    gap: int


@dataclass(frozen=True)
class Scope:
    """Where a code counts: under headings holding one of `headings`, or in sentences matching one of `cues`
    (regular expressions), and never under headings holding one of `outside` (provincial_plans.coding.coder)."""

    headings: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()

    @property
    def cue_patterns(self) -> tuple[re.Pattern[str], ...]:
        return _compiled(self.cues)


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


@dataclass(frozen=True)
class Code:
    """One code: what it means, and the text signal (keywords less exclusions) that codes a sentence with it."""

    id: str
    family: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()  # stock phrases: a candidate inside one does not count, the rest of the sentence may
    examples: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"positive": (), "negative": ()})
    coded_by: str = "text"
    origin: str = "national"  # the national framework's item, or a province's own variant (provincial)
    near: tuple[Near, ...] = ()
    scope: Scope | None = None
    year: int | None = None  # a goal code: counts only in sentences governed by this year

    @property
    def parent(self) -> str | None:
        """`family.code` of a sub-code `family.code.sub`: a hit of the sub-code is also one of its parent."""
        parts = self.id.split(".")
        return ".".join(parts[:2]) if len(parts) == 3 else None


@dataclass(frozen=True)
class Codebook:
    version: str
    families: list[dict[str, Any]]
    codes: list[Code]
    year_words: dict[int, tuple[str, ...]] = field(default_factory=dict)  # 今年 -> 2017 …
    background: Scope = Scope()  # headings and cues of text that commits to nothing: no code counts there
    # years whose words say "this year" (今年底, 年内): a document dated by another year means that one
    relative_years: frozenset[int] = frozenset()

    def by_id(self) -> dict[str, Code]:
        return {code.id: code for code in self.codes}

    def in_family(self, family: str) -> list[Code]:
        return [code for code in self.codes if code.family == family]

    def text_codes(self) -> list[Code]:
        """Codes the machine assigns; `coded_by: human` codes are left to people."""
        return [code for code in self.codes if code.coded_by == "text"]


Line = Callable[..., int | None]  # the line of a place in the codebook's YAML: line("codes", 3, "keywords", 0)


def load_codebook(path: Path) -> Codebook:
    """The codebook at `path`, validated; raises InputError on the first problem, naming its line."""
    document = read_yaml(path)
    text = read_text(path)

    def line(*where: str | int) -> int | None:
        return yaml_line(text, list(where))

    _unique_ids(path, document, line)  # first: a pasted copy of a code is the likeliest mistake
    error = schemas.check(document, SCHEMA)
    if error is not None:
        raise InputError(path, schemas.describe(error), yaml_line(text, error.absolute_path))
    shared = _Shared(path, document.get("patterns", {}), partial(line, "patterns"))
    family_ids = [family["id"] for family in document["families"]]
    items = enumerate(document["codes"])
    codes = [_code(path, item, family_ids, shared, partial(line, "codes", index)) for index, item in items]
    year_words = {entry["year"]: tuple(entry["words"]) for entry in document.get("year_words", [])}
    relative = frozenset(entry["year"] for entry in document.get("year_words", []) if entry.get("relative"))
    background = _scope(path, "background", document.get("background"), shared, partial(line, "background")) or Scope()
    shared.all_used()
    return Codebook(str(document["version"]), document["families"], codes, year_words, background, relative)


class _Shared:
    """The codebook's named patterns (`patterns:`): each checked once, like an exclusion, where it is written;
    a reference {pattern: name} stands for them wherever a pattern may (exclusions, ignore, cues), and (?&name)
    inside a pattern splices a one-string name in, so that a shared part of several patterns is written once."""

    def __init__(self, path: Path, table: dict[str, str | list[str]], line: Line) -> None:
        self.path, self.line, self.used = path, line, set[str]()
        self.named: dict[str, tuple[str, ...]] = {}
        for name, value in table.items():
            if isinstance(value, str):
                self.named[name] = (self._checked(f"pattern '{name}':", value, partial(line, name)),)
                continue
            where = [partial(line, name, number) for number in range(len(value))]
            self.named[name] = tuple(map(partial(self._checked, f"pattern '{name}':"), value, where))

    def _checked(self, what: str, pattern: str, where: Callable[[], int | None]) -> str:
        """`pattern` with its splices made (only names written above it in the table), refused if unusable;
        `where` finds its line, which costs a parse of the file, so only for an error."""
        spliced = SPLICE.sub(lambda found: self._fragment(what, found[1], where), pattern)
        problem = pattern_problem(spliced)
        if problem is not None:
            shown = repr(pattern) if spliced == pattern else f"{pattern!r} (spliced: {spliced!r})"
            raise InputError(self.path, f"{what} {shown} {problem}", where())
        return spliced

    def _fragment(self, what: str, name: str, where: Callable[[], int | None]) -> str:
        problem = splice_problem(name, self.named.get(name))
        if problem is not None:
            raise InputError(self.path, f"{what} {problem}", where())
        self.used.add(name)
        return self.named[name][0]

    def expand(self, what: str, items: list[str | dict[str, str]], line: Line) -> tuple[str, ...]:
        """`items` with every reference replaced by its patterns; each pattern written out is checked here."""
        patterns: list[str] = []
        for number, item in enumerate(items):
            if isinstance(item, str):
                patterns.append(self._checked(what, item, partial(line, number)))
            elif item["pattern"] in self.named:
                self.used.add(item["pattern"])
                patterns.extend(self.named[item["pattern"]])
            else:
                problem = f"{what} refers to unknown pattern '{item['pattern']}' (not named under patterns:)"
                raise InputError(self.path, problem, line(number))
        return tuple(patterns)

    def all_used(self) -> None:
        """A named pattern no code refers to is a rule that silently does nothing."""
        unused = next((name for name in self.named if name not in self.used), None)
        if unused is not None:
            problem = f"pattern '{unused}' is used nowhere (refer to it as {{pattern: {unused}}}, or remove it)"
            raise InputError(self.path, problem, self.line(unused))


def _unique_ids(path: Path, document: Any, line: Line) -> None:
    """No code id twice: says more than a schema error would."""
    items = document.get("codes") if isinstance(document, dict) else None
    first: dict[str, int] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        code_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(code_id, str):
            continue
        if code_id in first:
            where = line("codes", index, "id")
            raise InputError(
                path, f"duplicate code id '{code_id}' (first at line {line('codes', first[code_id], 'id')})", where
            )
        first[code_id] = index


def _code(path: Path, item: dict[str, Any], family_ids: list[str], shared: _Shared, line: Line) -> Code:
    """One code of the codebook (the schema has checked its shape); `line(*where)` is relative to the code."""
    code_id = item["id"]
    prefix = code_id.split(".", 1)[0]
    family = item.get("family", prefix)
    for name in dict.fromkeys((prefix, family)):
        if name not in family_ids:
            raise InputError(path, f"code '{code_id}' belongs to unknown family '{name}'", line())
    if prefix != family:
        raise InputError(path, f"code '{code_id}': id prefix '{prefix}' is not its family '{family}'", line())
    keywords = item["keywords"]
    coded_by = item.get("coded_by", "text")
    _keywords(path, code_id, keywords, partial(line, "keywords"))
    near = _near_rules(path, code_id, item.get("near", []), partial(line, "near"))
    scope = _scope(path, code_id, item.get("scope"), shared, partial(line, "scope"))
    if coded_by == "text" and not keywords and not near:
        problem = "has no keywords or proximity rules (say `coded_by: human` if people code it)"
        raise InputError(path, f"code '{code_id}' {problem}", line())
    if coded_by == "human" and (keywords or near or scope or "year" in item):
        raise InputError(
            path, f"code '{code_id}' is coded_by human but has keywords, proximity rules, a scope or a year", line()
        )
    exclusions = shared.expand(f"code '{code_id}': exclusion", item["exclusions"], partial(line, "exclusions"))
    ignore = shared.expand(f"code '{code_id}': stock phrase", item.get("ignore", []), partial(line, "ignore"))
    examples = item["examples"]
    return Code(
        id=code_id,
        family=family,
        label=item["label"],
        definition=item["definition"],
        keywords=tuple(keywords),
        exclusions=exclusions,
        ignore=ignore,
        examples={kind: tuple(examples.get(kind, ())) for kind in ("positive", "negative")},
        coded_by=coded_by,
        origin=item.get("origin", "national"),
        near=near,
        scope=scope,
        year=item.get("year"),
    )


def _keywords(path: Path, code_id: str, keywords: list[str], line: Line) -> None:
    """A code's keywords: none empty, padded, on two lines, shorter than MIN_KEYWORD_LENGTH or given twice."""
    for number, keyword in enumerate(keywords):
        problem = None
        if not keyword.strip():
            problem = "empty keyword"
        elif "\n" in keyword or "\r" in keyword:
            problem = f"keyword {keyword!r} contains a line break (sentences never do)"
        elif keyword != keyword.strip():
            problem = f"keyword {keyword!r} has leading or trailing spaces"
        elif len(keyword) < MIN_KEYWORD_LENGTH:
            problem = (
                f"keyword '{keyword}' is shorter than {MIN_KEYWORD_LENGTH} characters "
                "(it would code every sentence that holds it)"
            )
        elif keyword in keywords[:number]:
            problem = f"keyword '{keyword}' twice"
        if problem is not None:
            raise InputError(path, f"code '{code_id}': {problem}", line(number))


def _near_rules(path: Path, code_id: str, items: list[dict[str, Any]], line: Any) -> tuple[Near, ...]:
    """A code's proximity rules (the schema has checked their shape): no blank term, none twice in a rule."""
    rules = []
    for number, item in enumerate(items):
        terms = [term for terms in item["sets"] for term in terms]
        blank = next((term for term in terms if not term.strip() or term != term.strip()), None)
        if blank is not None:
            raise InputError(path, f"code '{code_id}': proximity term {blank!r} is blank or padded", line(number))
        twice = next((term for term in terms if terms.count(term) > 1), None)
        if twice is not None:
            raise InputError(path, f"code '{code_id}': proximity term '{twice}' is in a rule twice", line(number))
        rules.append(Near(tuple(tuple(terms) for terms in item["sets"]), item.get("gap", DEFAULT_GAP)))
    return tuple(rules)


def _scope(path: Path, owner: str, item: dict[str, Any] | None, shared: _Shared, line: Any) -> Scope | None:
    """A code's scope (or the codebook's background); each cue pattern must be usable (pattern_problem), like an
    exclusion."""
    if item is None:
        return None
    what = f"code '{owner}': scope cue" if owner != "background" else "background cue"
    cues = shared.expand(what, item.get("cues", []), partial(line, "cues"))
    return Scope(tuple(item.get("headings", ())), cues, tuple(item.get("outside", ())))
