"""Findings and recommendations from a report's figures, by the rules in data/conclusions.yaml.

Rules are data: a condition over named figures and a text in both languages. This module computes the
figures of each scope (a province report, each reported row of a family, each family of the standing table,
the national report), evaluates the conditions with simpleeval (no Python `eval`), and keeps the figures a
finding cites. A figure that is not reported is None, and a rule that would use it is skipped: no finding is
ever drawn from unknown data. A finding is language-neutral; provincial_plans.core.i18n words it in each edition.

Conditions are checked when the rules are loaded (before Snakemake runs any job), against a small grammar
(docs/conclusions.md): comparisons, and/or/not, + - * /, bounded number literals, short text literals and the
names of the rule's scope, each used as its type allows. So no condition can reach an attribute, call a
function, build a large value or run for long, and none can fail on types when it is evaluated.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError
from provincial_plans.core.i18n import placeholders
from provincial_plans.core.inputs import read_text, read_yaml, yaml_line

ROW_NAMES = frozenset(
    {"unit", "region", "item", "value", "national_count", "national_of", "national_share"}
    | {"region_count", "region_of", "region_share"}
)
FAMILY_NAMES = frozenset(
    {"unit", "region", "family"}
    | {f"{part}_{measure}" for part in ("unit", "region", "national") for measure in ("present", "known", "share")}
)
PROVINCE_REPORT_NAMES = frozenset(
    {"unit", "region", "tasks_total", "tasks_known", "tasks_present", "items_total", "items_known"}
    | {"items_unknown", "items_present", "share", "named", "named_n"}
)
NATIONAL_REPORT_NAMES = frozenset(
    {"of", "tasks_n", "tasks_min_count", "tasks_items", "high_region", "high_share", "low_region", "low_share"}
    | {"common", "common_n", "differentiated", "differentiated_n"}
)
CHANGE_NAMES = frozenset({"unit", "region", "item", "family_id", "then", "now", "since", "year"})
# a province report's plan timing (analysis.timing via analysis.themes): None where the plan is undated or the
# gap has another unit (gap_days: a day; gap_days_max: an upper bound; gap_months: a month; _low/_high: a band)
TIMING_NAMES = frozenset(
    {"plan_date", "plan_order", "plan_of", "plan_tied", "plan_doubtful", "gap_days", "gap_days_max", "gap_months"}
    | {"gap_months_low", "gap_months_high", "region_dated", "region_earlier", "region_later"}
)
# a province report's rank by share of known items present, and the items its themes leave open
STANDING_NAMES = frozenset({"rank", "rank_of", "rank_tied", "rank_unranked", "open_items", "open_items_n", "plan"})
THEME_NAMES = frozenset(
    ROW_NAMES
    | {"theme", "theme_id", "known", "unknown", "unknown_n", "plan", "named_units", "named_units_n"}
    | {"related_present", "related_present_n", "related_absent", "related_absent_n"}
)
FIGURE_PARTS = ("count", "of", "share", "missing", "named", "named_n")
# Names whose values are text, and names only the texts may use (labels in both languages, lists); every other
# name is a number.
TEXT_NAMES = frozenset({"family_id", "theme_id"})
WORDING_NAMES = frozenset(
    {"unit", "region", "item", "family", "named", "tasks_items", "high_region", "low_region", "common"}
    | {"differentiated", "theme", "unknown", "plan", "named_units", "related_present", "related_absent"}
    | {"plan_date", "open_items"}
)

MAX_CONDITION_CHARS = 300  # bounds a condition's work: no loops, calls or powers, so one step a character at most
MAX_NUMBER = 1_000_000  # the largest number a condition or a constant may write (a threshold, a count, a year)
MAX_TEXT_CHARS = 50  # the longest text literal ('task')
OPERATORS = {  # what simpleeval may apply: and/or are its own; nothing else is allowed
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_FORBIDDEN = {  # what the grammar leaves out, as the error names it
    ast.Attribute: "attribute access (x.y)",
    ast.Call: "function or method calls",
    ast.Subscript: "subscripts (x[i])",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.NamedExpr: "assignments (:=)",
    ast.IfExp: "conditional expressions (a if b else c)",
    ast.JoinedStr: "f-strings",
    ast.List: "lists, tuples, sets or dicts",
    ast.Tuple: "lists, tuples, sets or dicts",
    ast.Set: "lists, tuples, sets or dicts",
    ast.Dict: "lists, tuples, sets or dicts",
    ast.Starred: "starred expressions",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Pow: "the power operator **",
    ast.Mod: "the operator %",
    ast.FloorDiv: "the operator //",
    ast.MatMult: "the operator @",
    ast.LShift: "bit operators",
    ast.RShift: "bit operators",
    ast.BitOr: "bit operators",
    ast.BitXor: "bit operators",
    ast.BitAnd: "bit operators",
    ast.Invert: "bit operators",
    ast.In: "in / not in",
    ast.NotIn: "in / not in",
    ast.Is: "is / is not",
    ast.IsNot: "is / is not",
}


RULE = {
    "type": "object",
    "required": ["id", "over", "when", "text"],
    "properties": {
        "id": schemas.SLUG,
        "over": schemas.SLUG,
        "when": schemas.NONEMPTY,
        "group": schemas.SLUG,
        "kind": {"enum": ["finding", "recommendation"]},
        "cites": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+){0,2}$"}},
        "text": schemas.BILINGUAL,
    },
    "additionalProperties": False,
}

THEME = {  # a recommendation theme of the province reports: the code that judges it, the codes that inform it
    "type": "object",
    "required": ["label", "code"],
    "properties": {
        "label": schemas.BILINGUAL,
        "code": schemas.CODE_ID,
        "related": {"type": "array", "items": schemas.CODE_ID},
    },
    "additionalProperties": False,
}

SCHEMA = {
    "type": "object",
    "required": ["version", "province", "national"],
    "properties": {
        "version": schemas.VERSION,
        "constants": {"type": "object", "additionalProperties": {"type": "number"}},
        "national_figures": {"type": "object", "additionalProperties": schemas.CODE_ID},
        "themes": {"type": "object", "additionalProperties": THEME},
        "province": {"type": "array", "items": RULE},
        "national": {"type": "array", "items": RULE},
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Rule:
    id: str
    scope: str  # province | national
    over: str  # report | families | a codebook family id
    when: str
    names: frozenset[str]  # names the condition and the texts use
    group: str | None
    kind: str
    cites: tuple[str, ...]
    text: dict[str, str]


@dataclass(frozen=True)
class Theme:
    """A recommendation theme: rules `over: themes` see its code's figures and which of its codes are unknown."""

    id: str
    label: dict[str, str]
    code: str
    related: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    version: str
    constants: dict[str, float]
    figures: dict[str, str]  # national figure name -> code
    rules: tuple[Rule, ...]
    themes: tuple[Theme, ...] = ()

    def of(self, scope: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.scope == scope]


@cache
def load_rules(path: Path, families: frozenset[str], codes: frozenset[str]) -> Rules:
    """The rules file, validated: schema, condition syntax, known names, the same placeholders in zh and en."""
    document = read_yaml(path, SCHEMA)

    def fail(problem: str, *where: str | int) -> NoReturn:
        raise InputError(path, problem, yaml_line(read_text(path), list(where)))

    constants = document.get("constants", {})
    for name, value in constants.items():
        if not _bounded(value):
            fail(f"constant '{name}' is {value}: numbers in rules are limited to ±{MAX_NUMBER}", "constants", name)
    figures = document.get("national_figures", {})
    for name, code in figures.items():
        if code not in codes:
            fail(f"national figure '{name}': unknown code '{code}'", "national_figures", name)
    themes = tuple(
        Theme(name, dict(theme["label"]), theme["code"], tuple(theme.get("related", [])))
        for name, theme in document.get("themes", {}).items()
    )
    for theme in themes:
        for code in (theme.code, *theme.related):
            if code not in codes:
                fail(f"theme '{theme.id}': unknown code '{code}'", "themes", theme.id)
    figure_names = {f"{name}_{part}" for name in figures for part in FIGURE_PARTS}
    rules: list[Rule] = []
    for scope in ("province", "national"):
        for index, entry in enumerate(document[scope]):
            where = (scope, index)
            if entry["id"] in {rule.id for rule in rules}:
                fail(f"rule '{entry['id']}' is defined twice", *where)
            available = _scope_names(scope, entry["over"], families)
            if available is None:
                fail(f"rule '{entry['id']}': cannot go over '{entry['over']}' in a {scope} report", *where)
            available |= constants.keys() | (figure_names if scope == "national" else set())

            def at_rule(problem: str, *field: str, where: tuple[str, int] = where) -> NoReturn:
                fail(problem, *where, *field)

            rules.append(_rule(entry, scope, available, figures, codes | families, at_rule))
    return Rules(document["version"], dict(constants), dict(figures), tuple(rules), themes)


def _rule(
    entry: dict[str, Any], scope: str, available: set[str], figures: dict[str, str], citable: frozenset[str], fail: Any
) -> Rule:
    """One rule, checked: its condition within the grammar and its names, the same placeholders in zh and en,
    citations of known codes and families. `fail(problem, *where)` raises at the rule's line (or a field's)."""
    rule_id, over, condition = entry["id"], entry["over"], entry["when"]
    if len(condition) > MAX_CONDITION_CHARS:
        fail(
            f"rule '{rule_id}': condition is {len(condition)} characters long, over the limit of {MAX_CONDITION_CHARS}",
            "when",
        )
    try:
        tree = ast.parse(condition, mode="eval")
    except SyntaxError as error:
        fail(f"rule '{rule_id}': condition is not an expression ({error.msg})")
    try:
        _type(tree.body, {name: _kind(name, figures) for name in available})
    except _Refused as refused:
        fail(f"rule '{rule_id}': condition {str(refused).format(over=over)}", "when")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    fields = {lang: placeholders(text) for lang, text in entry["text"].items()}
    if fields["zh"] != fields["en"]:
        fail(f"rule '{rule_id}': zh and en texts use different placeholders")
    unknown = sorted((names | fields["en"]) - available)
    if unknown:
        fail(f"rule '{rule_id}': unknown name '{unknown[0]}' for over: {over}")
    for cited in entry.get("cites", []):
        if cited not in citable:
            fail(f"rule '{rule_id}': cites unknown code or family '{cited}'")
    cites = tuple(entry.get("cites", []))
    kind = entry.get("kind", "finding")
    used = frozenset(names | fields["en"])
    return Rule(rule_id, scope, over, condition, used, entry.get("group"), kind, cites, dict(entry["text"]))


class _Refused(Exception):
    """A condition outside the grammar; its text completes "condition …" ({over}: the rule's `over`)."""


def _kind(name: str, figures: dict[str, str]) -> str:
    """What a name holds: 'number', 'text', or 'wording' (for the texts only)."""
    if name in TEXT_NAMES:
        return "text"
    if name in WORDING_NAMES or any(name == f"{figure}_named" for figure in figures):
        return "wording"
    return "number"


def _bounded(value: object) -> bool:
    """A number a rule may write: finite and at most MAX_NUMBER either way (so no product of them overflows)."""
    return isinstance(value, int | float) and math.isfinite(value) and abs(value) <= MAX_NUMBER


def _type(node: ast.AST, kinds: dict[str, str]) -> str:
    """The type ('number' or 'text') of a condition's node, or _Refused saying what the grammar does not allow.

    Truth values are numbers (as in Python), so that `(a > 1) + (b > 1) >= 1` counts conditions.
    """
    if type(node) in _FORBIDDEN:
        raise _Refused(f"may not use {_FORBIDDEN[type(node)]}")
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, str | int | float):
            raise _Refused(f"may not use the constant {node.value!r}")
        if isinstance(node.value, str):
            if len(node.value) > MAX_TEXT_CHARS:
                raise _Refused(f"has a text longer than {MAX_TEXT_CHARS} characters")
            return "text"
        if not _bounded(node.value):
            raise _Refused(f"writes the number {node.value!r}: numbers in rules are limited to ±{MAX_NUMBER}")
        return "number"
    if isinstance(node, ast.Name):
        kind = kinds.get(node.id)
        if kind is None:
            raise _Refused(f"uses unknown name '{node.id}' for over: {{over}}")
        if kind == "wording":
            raise _Refused(f"uses '{node.id}', a label or list that only the texts may use")
        return kind
    if isinstance(node, ast.BinOp):
        return _numbers(node.op, [node.left, node.right], kinds, "arithmetic")
    if isinstance(node, ast.UnaryOp):
        return _numbers(node.op, [node.operand], kinds, "not" if isinstance(node.op, ast.Not) else "a sign")
    if isinstance(node, ast.BoolOp):
        return _numbers(node.op, node.values, kinds, "and/or")
    if isinstance(node, ast.Compare):
        for op in node.ops:
            _type(op, kinds)
        types = {_type(operand, kinds) for operand in (node.left, *node.comparators)}
        if types == {"text"} and any(not isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            raise _Refused("orders texts: texts compare with == and != only")
        if len(types) > 1:
            raise _Refused("compares a number with a text")
        return "number"
    if type(node) in OPERATORS or isinstance(node, ast.And | ast.Or):
        return "number"
    raise _Refused(f"may not use {type(node).__name__}")


def _numbers(op: ast.AST, operands: list[ast.expr], kinds: dict[str, str], what: str) -> str:
    """The type of an operation that takes numbers only (arithmetic, not, and/or)."""
    _type(op, kinds)
    if any(_type(operand, kinds) != "number" for operand in operands):
        raise _Refused(f"applies {what} to a text")
    return "number"


def _scope_names(scope: str, over: str, families: frozenset[str]) -> set[str] | None:
    """The names a rule of this scope may use, or None where the scope cannot go over `over`."""
    if over == "report" and scope == "province":
        return set(PROVINCE_REPORT_NAMES | TIMING_NAMES | STANDING_NAMES)
    if over == "report":
        return set(NATIONAL_REPORT_NAMES)
    if scope == "province" and over == "themes":
        return set(THEME_NAMES)
    if scope == "province" and over == "families":
        return set(FAMILY_NAMES)
    if scope == "province" and over == "changes":
        return set(CHANGE_NAMES)
    if scope == "province" and over in families:
        return set(ROW_NAMES)
    return None
