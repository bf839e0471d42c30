"""Findings follow the rules in data/conclusions.yaml, cite their figures, and never use unknown cells."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from provincial_plans.analysis.conclusions import national_findings, province_findings
from provincial_plans.analysis.figures import Figures
from provincial_plans.contexts.national import national_context
from provincial_plans.contexts.province import unit_context
from provincial_plans.core.errors import InputError
from provincial_plans.core.i18n import load_messages, placeholders
from provincial_plans.model.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]


def ids(findings):
    return [finding.id for finding in findings]


def context_of(data, slug):
    return unit_context(data, data.unit(slug), Figures(data, "three"))


def findings_of(context, rules):
    """A province context's findings by other rules."""
    return province_findings(context.unit, context.families, context.profile, context.changes, rules)


def test_liaoning_misses_the_platform_target(data_2017):
    context = context_of(data_2017, "liaoning")
    missing = [f for f in context.findings if f.id.startswith("task_missing")]
    assert len(missing) == 1  # the region-level wording wins its group; the national-only one is not repeated
    params = missing[0].params
    assert params["item"]["en"] == "Integrated online service platform"
    assert (params["national_count"], params["national_of"]) == (30, 31)
    assert (params["region_count"], params["region_of"]) == (10, 11)
    assert missing[0].cites == ["task.platform"]
    advice = [f for f in context.findings if f.kind == "recommendation"]
    # the platform theme asks for the missing target (it replaced adopt_common_task), the other themes follow
    assert ids(advice) == [
        "platforms_first",
        "incentives_and_supervision_kept",
        "reform_catalogue_next",
        "pilots_undecided",
        "evidence_open",
    ]
    platform = advice[0].params
    assert (platform["national_count"], platform["national_of"], platform["region_count"]) == (30, 31, 10)
    assert advice[0].cites == ["task.platform"]


def test_guizhou_is_distinctive_for_service_model_innovation(data_2017):
    context = context_of(data_2017, "guizhou")
    assert "tasks_all" in ids(context.findings)
    distinctive = [f for f in context.findings if f.id == "content_distinctive"]
    assert [f.params["item"]["en"] for f in distinctive] == ["Service-model innovation"]
    ahead = {f.params["family"]["en"] for f in context.findings if f.id == "family_ahead"}
    assert ahead == {"Task indicators", "Policy content"}


def test_no_finding_from_unknown_cells(data_2017):
    context = context_of(data_2017, "beijing")
    families = [
        replace(family, rows=[replace(row, value=None, status="unknown", basis=None) for row in family.rows])
        for family in context.families
    ]
    nothing = replace(context.profile.overall, present=0, known=0, share=None)
    standing = [replace(family, unit=nothing) for family in context.profile.families]
    profile = replace(context.profile, families=standing, overall=nothing)
    found = province_findings(context.unit, families, profile, None, data_2017.rules)
    # every theme's code unknown: each theme says which evidence would decide it, and nothing else is stated
    assert ids(found) == ["unknown", *["theme_undecided"] * 4]
    assert [f.params["theme"]["en"] for f in found[1:]] == [theme.label["en"] for theme in data_2017.rules.themes]


def test_national_recommendations_are_backed_by_figures(data_2017):
    context = national_context(data_2017, "three")
    found = {f.id: f.params for f in national_findings(context.unit_count, context.families, data_2017.rules)}
    assert found["tasks"]["tasks_min_count"] == 27
    assert found["platforms_and_staff"]["cross_count"] == 17
    assert found["incentives_and_supervision"]["assessment_missing"] == 4
    assert found["streamline_and_one_stop"]["model_count"] == 8
    assert found["pilots_then_rollout"]["pilots_named_n"] == 2
    kinds = {f.id: f.kind for f in context.findings}
    assert [i for i, kind in kinds.items() if kind == "recommendation"] == [
        "platforms_and_staff",
        "incentives_and_supervision",
        "streamline_and_one_stop",
        "pilots_then_rollout",
    ]


def test_every_finding_words_the_same_figures_in_both_editions(data_2017):
    zh, en = (load_messages(ROOT / "data" / "messages", lang) for lang in ("zh", "en"))
    for slug in ("liaoning", "guizhou", "tibet"):
        for finding in context_of(data_2017, slug).findings:
            shown = placeholders(finding.text["en"])
            numbers = [zh.value(v) for k, v in finding.params.items() if k in shown and isinstance(v, int | float)]
            assert all(n in zh.finding(finding) and n in en.finding(finding) for n in numbers)


def test_a_rule_whose_condition_changes_changes_the_findings(tmp_path, data_2017):
    """The rules are data: raising a threshold in the YAML removes the finding it no longer supports."""
    path = tmp_path / "conclusions.yaml"
    text = (ROOT / "data" / "conclusions.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("distinctive_below: 0.5", "distinctive_below: 0.2"), encoding="utf-8")
    families = frozenset(family["id"] for family in data_2017.codebook.families)
    codes = frozenset(code.id for code in data_2017.codebook.codes)
    rules = load_rules(path, families, codes)
    context = context_of(data_2017, "guizhou")
    assert "content_distinctive" in ids(context.findings)
    assert "content_distinctive" not in ids(findings_of(context, rules))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("when: value == 1 and national_share < distinctive_below", "when: value ==", "condition is not an expression"),
        ("when: named_n > 0", "when: named_count > 0", "unknown name 'named_count' for over: report"),
        ("over: content\n    when: value == 0 and", "over: contents\n    when: value == 0 and", "over 'contents'"),
        ("cites: [task.assessment]", "cites: [task.nothing]", "cites unknown code or family 'task.nothing'"),
        ("{unit}的方案未包含", "{units}的方案未包含", "zh and en texts use different placeholders"),
        ("  - id: unknown\n", "  - id: tasks_all\n", "rule 'tasks_all' is defined twice"),
        (
            "kind: recommendation\n    when: value == 0 and national",
            "kind: advice\n    when: value == 0 and national",
            "advice",
        ),
    ],
)
def test_a_bad_rule_is_one_line_naming_the_file_and_line(tmp_path, data_2017, old, new, message):
    path = tmp_path / "conclusions.yaml"
    text = (ROOT / "data" / "conclusions.yaml").read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    families = frozenset(family["id"] for family in data_2017.codebook.families)
    codes = frozenset(code.id for code in data_2017.codebook.codes)
    with pytest.raises(InputError) as raised:
        load_rules(path, families, codes)
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}, line ") or "conclusions.yaml, line " in str(raised.value)
    assert "\n" not in str(raised.value)
    shutil.rmtree(tmp_path)


def load_with(tmp_path, data, old, new):
    """The shipped rules with one edit, loaded as the workflow loads them."""
    path = tmp_path / "conclusions.yaml"
    text = (ROOT / "data" / "conclusions.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    families = frozenset(family["id"] for family in data.codebook.families)
    codes = frozenset(code.id for code in data.codebook.codes)
    return load_rules(path, families, codes), text.replace(old, new)


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("().__class__", "may not use attribute access (x.y)"),
        ("named_n.real > 0", "may not use attribute access (x.y)"),
        ("\"'x'.zfill(10**8)\"", "may not use function or method calls"),
        ("len(named) > 0", "may not use function or method calls"),
        ("(named_n+7)**3999999 > 0", "may not use the power operator **"),
        ("9**9**9", "may not use the power operator **"),
        ("\"'a' * 1000000 == 'b'\"", "applies arithmetic to a text"),
        ("named_n > 100000000000000000000", "writes the number 100000000000000000000: numbers in rules are limited"),
        ("named_n > 1e999", "writes the number inf"),
        ("named_count > 0", "uses unknown name 'named_count' for over: report"),
        ("named == 1", "uses 'named', a label or list that only the texts may use"),
        ("\"unit == '北京'\"", "uses 'unit', a label or list that only the texts may use"),
        ('"lambda: 1"', "may not use lambda"),
        ('"[x for x in named] == 1"', "may not use comprehensions"),
        ("named[0] == 1", "may not use subscripts (x[i])"),
        ("(n := named_n) > 0", "may not use assignments (:=)"),
        ("named_n if named_n else 0", "may not use conditional expressions"),
        ("named_n in (1, 2)", "may not use in / not in"),
        ("named_n is 1", "may not use is / is not"),
        ("named_n % 2 == 1", "may not use the operator %"),
        ("named_n // 2 == 1", "may not use the operator //"),
        ("named_n & 1", "may not use bit operators"),
        ("None", "may not use the constant None"),
        ("\"f'{named_n}' == '1'\"", "may not use f-strings"),
        ("named_n > 0" + " and named_n > 0" * 20, "characters long, over the limit of 300"),
    ],
)
def test_a_condition_outside_the_grammar_is_refused_when_the_rules_load(tmp_path, data_2017, condition, problem):
    with pytest.raises(InputError) as raised:
        load_with(tmp_path, data_2017, "when: named_n > 0", f"when: {condition}")
    shipped = (ROOT / "data" / "conclusions.yaml").read_text(encoding="utf-8").splitlines()
    line = shipped.index("    when: named_n > 0") + 1  # the condition's own line, the same after a one-line edit
    assert str(raised.value).startswith(f"{tmp_path / 'conclusions.yaml'}, line {line}: rule 'named_practices': ")
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("family_id < 'task'", "orders texts: texts compare with == and != only"),
        ("family_id == 1", "compares a number with a text"),
        ("not family_id", "applies not to a text"),
        ("-family_id < 0", "applies a sign to a text"),
        ("family_id and now == 1", "applies and/or to a text"),
        ("\"family_id == '" + "x" * 51 + "'\"", "has a text longer than 50 characters"),
    ],
)
def test_texts_are_only_compared_for_equality(tmp_path, data_2017, condition, problem):
    old = "when: family_id == 'task' and then == 0 and now == 1"
    with pytest.raises(InputError) as raised:
        load_with(tmp_path, data_2017, old, f"when: {condition}")
    assert "rule 'task_target_new': condition " + problem in str(raised.value)


def test_a_constant_beyond_the_bound_is_refused_naming_its_line(tmp_path, data_2017):
    with pytest.raises(InputError) as raised:
        load_with(tmp_path, data_2017, "common_from: 0.9 ", "common_from: 2000000 ")
    assert str(raised.value) == (
        f"{tmp_path / 'conclusions.yaml'}, line 16: constant 'common_from' is 2000000: numbers in rules are limited "
        "to ±1000000"
    )


def test_arithmetic_and_counted_conditions_mean_what_they_say(tmp_path, data_2017):
    """The share written as count / of, and a count of conditions, find what the shipped rule finds."""
    context = context_of(data_2017, "guizhou")
    rules, _ = load_with(
        tmp_path,
        data_2017,
        "id: content_distinctive\n    over: content\n    when: value == 1 and national_share < distinctive_below",
        "id: content_distinctive\n    over: content\n    when: (value == 1) + (national_count / national_of < "
        "distinctive_below) >= 2 and not -value > 0",
    )
    found = [f.params["item"]["en"] for f in findings_of(context, rules) if f.id == "content_distinctive"]
    assert found == ["Service-model innovation"]


def test_a_division_by_zero_skips_the_rule_as_an_unreported_figure_would(tmp_path, data_2017):
    context = context_of(data_2017, "guizhou")
    rules, _ = load_with(
        tmp_path,
        data_2017,
        "id: content_distinctive\n    over: content\n    when: value == 1 and national_share < distinctive_below",
        "id: content_distinctive\n    over: content\n    when: value == 1 and national_count / (national_of - "
        "national_of) < distinctive_below",
    )
    found = ids(findings_of(context, rules))
    assert "content_distinctive" not in found
    assert "tasks_all" in found  # the other rules still hold
