"""The codebook (data/codebook.yaml): families and codes, each with the keywords that code it in a plan's text.

Loading validates everything a coding run relies on, so a bad codebook stops with one line naming the file and
line rather than silently coding nothing: the JSON Schema (schemas.CODEBOOK), unique ids, known families, no
empty keyword, exclusions that compile and cannot make matching slow, and the codebook's own examples (each
positive example must be coded by its code, no negative example may be).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from re import _constants as sre_constants  # private, but the only parser of Python's own regex syntax
from re import _parser as sre_parser
from typing import Any, NamedTuple

from . import schemas
from .errors import InputError
from .inputs import read_text, read_yaml, yaml_line

DEFAULT_GAP = 8  # characters between neighbouring proximity terms, unless a rule says otherwise
MAX_PATTERN_LENGTH = 200  # longer exclusions are hard to review and to bound in cost
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


class Near(NamedTuple):
    """A proximity rule: a term of every set within one clause, neighbours at most `gap` characters apart."""

    sets: tuple[tuple[str, ...], ...]
    gap: int


@dataclass(frozen=True)
class Scope:
    """Where a code counts: under headings holding one of `headings`, or in sentences matching one of `cues`
    (regular expressions), and never under headings holding one of `outside` (pipeline.coder)."""

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
    background: tuple[str, ...] = ()  # heading words of sections under which no code counts

    def by_id(self) -> dict[str, Code]:
        return {code.id: code for code in self.codes}

    def in_family(self, family: str) -> list[Code]:
        return [code for code in self.codes if code.family == family]

    def text_codes(self) -> list[Code]:
        """Codes the machine assigns; `coded_by: human` codes are left to people."""
        return [code for code in self.codes if code.coded_by == "text"]


def load_codebook(path: Path) -> Codebook:
    """The codebook at `path`, validated; raises InputError on the first problem, naming its line."""
    document = read_yaml(path)
    text = read_text(path)

    def line(*where: str | int) -> int | None:
        return yaml_line(text, list(where))

    # Duplicate ids first: a pasted copy of a code is the likeliest mistake and says more than a schema error.
    items = document.get("codes") if isinstance(document, dict) else None
    if isinstance(items, list):
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            code_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(code_id, str):
                continue
            if code_id in first:
                where = line("codes", index, "id")
                raise InputError(
                    path, f"duplicate code id '{code_id}' (first at line {line('codes', first[code_id], 'id')})", where
                )
            first[code_id] = index
    error = schemas.check(document, schemas.CODEBOOK)
    if error is not None:
        raise InputError(path, schemas.describe(error), yaml_line(text, error.absolute_path))

    family_ids = [family["id"] for family in document["families"]]
    codes: list[Code] = []
    for index, item in enumerate(document["codes"]):
        code_id = item["id"]
        prefix = code_id.split(".", 1)[0]
        family = item.get("family", prefix)
        for name in dict.fromkeys((prefix, family)):
            if name not in family_ids:
                raise InputError(path, f"code '{code_id}' belongs to unknown family '{name}'", line("codes", index))
        if prefix != family:
            raise InputError(
                path, f"code '{code_id}': id prefix '{prefix}' is not its family '{family}'", line("codes", index)
            )
        keywords = item["keywords"]
        coded_by = item.get("coded_by", "text")
        for number, keyword in enumerate(keywords):
            if not keyword.strip():
                raise InputError(path, f"code '{code_id}': empty keyword", line("codes", index, "keywords", number))
            if "\n" in keyword or "\r" in keyword:
                raise InputError(
                    path,
                    f"code '{code_id}': keyword {keyword!r} contains a line break (sentences never do)",
                    line("codes", index, "keywords", number),
                )
            if keyword != keyword.strip():
                raise InputError(
                    path,
                    f"code '{code_id}': keyword {keyword!r} has leading or trailing spaces",
                    line("codes", index, "keywords", number),
                )
            if keyword in keywords[:number]:
                raise InputError(
                    path, f"code '{code_id}': keyword '{keyword}' twice", line("codes", index, "keywords", number)
                )
        near = _near_rules(path, code_id, item.get("near", []), partial(line, "codes", index, "near"))
        scope = _scope(path, code_id, item.get("scope"), partial(line, "codes", index, "scope"))
        if coded_by == "text" and not keywords and not near:
            raise InputError(
                path,
                f"code '{code_id}' has no keywords or proximity rules (say `coded_by: human` if people code it)",
                line("codes", index),
            )
        if coded_by == "human" and (keywords or near or scope or "year" in item):
            raise InputError(
                path,
                f"code '{code_id}' is coded_by human but has keywords, proximity rules, a scope or a year",
                line("codes", index),
            )
        for number, pattern in enumerate(item["exclusions"]):
            problem = pattern_problem(pattern)
            if problem is not None:
                raise InputError(
                    path,
                    f"code '{code_id}': exclusion {pattern!r} {problem}",
                    line("codes", index, "exclusions", number),
                )
        examples = item["examples"]
        codes.append(
            Code(
                id=code_id,
                family=family,
                label=item["label"],
                definition=item["definition"],
                keywords=tuple(keywords),
                exclusions=tuple(item["exclusions"]),
                examples={kind: tuple(examples.get(kind, ())) for kind in ("positive", "negative")},
                coded_by=coded_by,
                origin=item.get("origin", "national"),
                near=near,
                scope=scope,
                year=item.get("year"),
            )
        )
    year_words = {entry["year"]: tuple(entry["words"]) for entry in document.get("year_words", [])}
    codebook = Codebook(
        str(document["version"]), document["families"], codes, year_words, tuple(document.get("background", []))
    )
    _check_examples(path, codebook, line)
    return codebook


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


def _scope(path: Path, code_id: str, item: dict[str, Any] | None, line: Any) -> Scope | None:
    """A code's scope; each cue pattern must be usable (pattern_problem), like an exclusion."""
    if item is None:
        return None
    for number, cue in enumerate(item.get("cues", [])):
        problem = pattern_problem(cue)
        if problem is not None:
            raise InputError(path, f"code '{code_id}': scope cue {cue!r} {problem}", line("cues", number))
    return Scope(tuple(item.get("headings", ())), tuple(item.get("cues", ())), tuple(item.get("outside", ())))


def pattern_problem(pattern: str) -> str | None:
    """Why an exclusion pattern is unusable (does not compile, or could make matching slow), or None.

    The slowness check is a heuristic, not a proof: it rejects patterns longer than MAX_PATTERN_LENGTH and any
    quantifier of variable count (`*`, `+`, `?`-free `{m,n}` with m < n) nested inside another such quantifier,
    e.g. `(a+)+`, `(.*)*`, `(\\w+)*`, `(?:x{1,3})+` — the shape behind catastrophic backtracking. Fixed counts
    (`(?:ab){3}`) and optional parts (`(ab?)+`) pass; overlapping alternatives under one quantifier (`(a|a)*`)
    are not detected. Exclusions run on single sentences, so what passes stays cheap in practice.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is longer than {MAX_PATTERN_LENGTH} characters ({len(pattern)}); split it into several exclusions"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"is not a valid regular expression ({error.msg} at position {error.pos})"
    nested = _nested_quantifier(sre_parser.parse(pattern))
    if nested:
        return f"nests a quantifier inside another ({nested}), which can make matching very slow"
    return None


def _nested_quantifier(items: Any, outer: bool = False) -> str | None:
    """The first variable quantifier found inside another one in a parsed pattern, described; else None."""
    for op, argument in items:
        if op in _REPEATS:
            low, high, body = argument
            variable = high > 1 and low != high
            if variable and outer:
                return "a repeated group contains a repeat"
            found = _nested_quantifier(body, outer or variable)
            if found:
                return found
            continue
        for child in _subpatterns(argument):
            found = _nested_quantifier(child, outer)
            if found:
                return found
    return None


def _subpatterns(argument: Any) -> list[Any]:
    """Sub-patterns inside a parsed node's argument (groups, branches, lookarounds, conditionals)."""
    if isinstance(argument, sre_parser.SubPattern):
        return [argument]
    if isinstance(argument, tuple | list):
        return [child for part in argument for child in _subpatterns(part)]
    return []


def _check_examples(path: Path, codebook: Codebook, line: Any) -> None:
    """A codebook whose own examples fail would code documents wrongly: name the first failing example.

    An example is a small document (one sentence, or several lines with headings) coded exactly as documents are
    (pipeline.ingest's sentences and outline, pipeline.coder's judgement). All examples are coded in one call (each
    call has a fixed cost, and this runs at every Snakemake start).
    """
    from .coder import Coder
    from .ingest import normalise, split_sentences

    codes = codebook.text_codes()
    texts = [example for code in codes for kind in ("positive", "negative") for example in code.examples[kind]]
    documents = [("", str(number), split_sentences(normalise(text), str(number))) for number, text in enumerate(texts)]
    found: dict[str, dict[str, str]] = {}  # document -> code -> first keyword
    for row in Coder(codebook).code(documents):
        found.setdefault(row["doc_id"], {}).setdefault(row["code"], row["keyword"])
    number = iter(range(len(texts)))
    index_of = {code.id: index for index, code in enumerate(codebook.codes)}
    for code in codes:
        index = index_of[code.id]
        if not code.examples["positive"]:
            raise InputError(path, f"code '{code.id}' has no positive example", line("codes", index, "examples"))
        for position, example in enumerate(code.examples["positive"]):
            if code.id not in found.get(str(next(number)), {}):
                raise InputError(
                    path,
                    f"code '{code.id}': positive example '{_one_line(example)}' is not coded by it",
                    line("codes", index, "examples", "positive", position),
                )
        for position, example in enumerate(code.examples["negative"]):
            keyword = found.get(str(next(number)), {}).get(code.id)
            if keyword is not None:
                raise InputError(
                    path,
                    f"code '{code.id}': negative example '{_one_line(example)}' is coded by it (keyword '{keyword}')",
                    line("codes", index, "examples", "negative", position),
                )


def _one_line(example: str) -> str:
    return example.strip().replace("\n", " / ")
