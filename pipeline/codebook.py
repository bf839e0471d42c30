"""The codebook (data/codebook.yaml): families and codes, each with the keywords that code it in a plan's text.

Loading validates everything a coding run relies on, so a bad codebook stops with one line naming the file and
line rather than silently coding nothing: the JSON Schema (schemas.CODEBOOK), unique ids, known families, no
empty keyword, exclusions that compile and cannot make matching slow, and the codebook's own examples (each
positive example must be coded by its code, no negative example may be).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from re import _constants as sre_constants  # private, but the only parser of Python's own regex syntax
from re import _parser as sre_parser
from typing import Any

from . import schemas
from .errors import InputError
from .inputs import read_text, read_yaml, yaml_line

MIN_KEYWORD_LENGTH = 2  # a single character (的, 网) is in most sentences of a plan
MAX_PATTERN_LENGTH = 200  # longer exclusions are hard to review and to bound in cost
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


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
            if len(keyword) < MIN_KEYWORD_LENGTH:
                raise InputError(
                    path,
                    f"code '{code_id}': keyword '{keyword}' is shorter than {MIN_KEYWORD_LENGTH} characters "
                    "(it would code every sentence that holds it)",
                    line("codes", index, "keywords", number),
                )
            if keyword in keywords[:number]:
                raise InputError(
                    path, f"code '{code_id}': keyword '{keyword}' twice", line("codes", index, "keywords", number)
                )
        if coded_by == "text" and not keywords:
            raise InputError(
                path,
                f"code '{code_id}' has no keywords (say `coded_by: human` if people code it)",
                line("codes", index),
            )
        if coded_by == "human" and keywords:
            raise InputError(
                path, f"code '{code_id}' is coded_by human but lists keywords", line("codes", index, "keywords")
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
            )
        )
    codebook = Codebook(str(document["version"]), document["families"], codes)
    _check_examples(path, codebook, line)
    return codebook


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

    All examples are matched in one call (each call has a fixed cost, and this runs at every Snakemake start).
    """
    from .coding import Matcher

    codes = codebook.text_codes()
    texts = [example for code in codes for kind in ("positive", "negative") for example in code.examples[kind]]
    found = iter(Matcher(codebook).match_many(texts))
    index_of = {code.id: index for index, code in enumerate(codebook.codes)}
    for code in codes:
        index = index_of[code.id]
        if not code.examples["positive"]:
            raise InputError(path, f"code '{code.id}' has no positive example", line("codes", index, "examples"))
        for number, example in enumerate(code.examples["positive"]):
            if code.id not in {hit.code for hit in next(found)}:
                raise InputError(
                    path,
                    f"code '{code.id}': positive example '{example}' is not coded by it",
                    line("codes", index, "examples", "positive", number),
                )
        for number, example in enumerate(code.examples["negative"]):
            hits = [hit for hit in next(found) if hit.code == code.id]
            if hits:
                raise InputError(
                    path,
                    f"code '{code.id}': negative example '{example}' is coded by it (keyword '{hits[0].keyword}')",
                    line("codes", index, "examples", "negative", number),
                )
