"""Findings and recommendations from a report's figures, by the rules of data/conclusions.yaml (model.rules).

Each scope has its subjects (a province report; each reported row of a family; each family of the standing table;
each item known in both years; the national report), and each subject its named figures, computed here from the
typed records of the analysis. Conditions are evaluated with simpleeval (no Python `eval`), and a finding keeps the
figures it cites. A figure that is not reported is None, and a rule that would use it is skipped: no finding is ever
drawn from unknown data. A finding is language-neutral; core.i18n words it in each edition.
"""

from __future__ import annotations

import ast
from datetime import date
from functools import cache
from typing import Any

from simpleeval import SimpleEval

from provincial_plans.analysis.records import (
    Adoption,
    Bilingual,
    CellRow,
    Family,
    Finding,
    NationalFamily,
    NationalRow,
    Profile,
    UnitChanges,
    UnitInfo,
)
from provincial_plans.analysis.themes import PlanRef, ProvinceInputs, date_words, plan_words
from provincial_plans.analysis.timing import PlanTiming
from provincial_plans.model.rules import NATIONAL_REPORT_NAMES, OPERATORS, TIMING_NAMES, Rule, Rules, Theme

Subject = tuple[dict[str, Any], tuple[str, ...]]  # a subject's named figures, and what it cites by itself


@cache
def _parsed(condition: str) -> ast.AST:
    """A condition parsed once (a county-scale build evaluates each rule thousands of times)."""
    return SimpleEval.parse(condition)


def _apply(rules: Rules, rule_list: list[Rule], subjects: list[Subject]) -> list[Finding]:
    """Each subject's figures against the rules in order; the first rule of a group wins for that subject."""
    findings: list[Finding] = []
    for names, own_cites in subjects:
        values = {**rules.constants, **names}
        evaluator = SimpleEval(operators=OPERATORS, functions={}, names=values)
        fired: set[str] = set()
        for rule in rule_list:
            if rule.group is not None and rule.group in fired:
                continue
            if any(values.get(name) is None for name in rule.names):
                continue  # a figure it needs is not reported
            try:
                holds = evaluator.eval(rule.when, previously_parsed=_parsed(rule.when))
            except ArithmeticError:  # a division by zero: undefined, as an unreported figure is
                continue
            if not holds:
                continue
            if rule.group is not None:
                fired.add(rule.group)
            params = {name: values[name] for name in sorted(rule.names)}
            findings.append(Finding(rule.id, rule.kind, rule.text, params, [*own_cites, *rule.cites]))
    return findings


def _figure_names(prefix: str, figure: Adoption | None) -> dict[str, Any]:
    return {f"{prefix}_{measure}": getattr(figure, measure, None) for measure in ("count", "of", "share")}


def _rows(families: list[Family], family: str) -> list[CellRow]:
    return next((f.rows for f in families if f.id == family), [])


def _report_subject(common: dict[str, Any], families: list[Family], profile: Profile) -> dict[str, Any]:
    """The figures of a province report as a whole."""
    rows = [row for family in families for row in family.rows]
    tasks = _rows(families, "task")
    others = [family for family in families if family.id not in ("task", "content")]
    named = [row.label for family in others for row in family.rows if row.value == 1]
    return {
        **common,
        "tasks_total": len(tasks),
        "tasks_known": sum(row.value is not None for row in tasks),
        "tasks_present": sum(row.value == 1 for row in tasks),
        "items_total": len(rows),
        "items_known": profile.overall.known,
        "items_present": profile.overall.present,
        "items_unknown": sum(row.value is None for row in rows),
        "share": profile.overall.share,
        "named": named,
        "named_n": len(named),
    }


def _family_subjects(common: dict[str, Any], profile: Profile) -> list[Subject]:
    """Each family of the standing table: the unit's, its region's and the nation's share of items present."""
    parts = ("unit", "region", "national")
    return [
        (
            {
                **common,
                "family": family.label,
                **{
                    f"{part}_{measure}": getattr(getattr(family, part), measure)
                    for part in parts
                    for measure in ("present", "known", "share")
                },
            },
            (family.id,),
        )
        for family in profile.families
    ]


def _change_subjects(common: dict[str, Any], changes: UnitChanges | None) -> list[Subject]:
    """Each item known in both years (and only those)."""
    if changes is None:
        return []
    return [
        (
            {
                **common,
                "item": row.label,
                "family_id": row.family,
                "then": row.then,
                "now": row.now,
                "since": changes.since,
                "year": changes.year,
            },
            (row.code,),
        )
        for row in changes.rows
    ]


def _row_subjects(common: dict[str, Any], rows: list[CellRow]) -> list[Subject]:
    """Each reported row of a family with its national and regional figures; never a finding from an unknown cell."""
    return [
        (
            {
                **common,
                "item": row.label,
                "value": row.value,
                **_figure_names("national", row.national),
                **_figure_names("region", row.region),
            },
            (row.code,),
        )
        for row in rows
        if row.value is not None
    ]


def _timing_names(timing: PlanTiming | None, region: tuple[PlanTiming, ...]) -> dict[str, Any]:
    """The plan's date at its precision, its order among the provinces dated as precisely, the gap to the guidance
    in the unit its precision allows (the other gap names None), and how many of its region's other dated plans
    are certainly earlier or later (their spans do not overlap). All None for an undated plan."""
    names: dict[str, Any] = dict.fromkeys(TIMING_NAMES)
    if timing is None or timing.date is None or timing.gap is None:
        return names
    span, gap = timing.date, timing.gap
    names.update(
        plan_date=date_words(span, timing.doubtful),
        plan_order=timing.order,
        plan_of=timing.of,
        plan_tied=timing.tied,
        plan_doubtful=int(timing.doubtful),
    )
    if span.precision == "day":
        names["gap_days"] = gap.high
    elif span.precision == "bound":
        names["gap_days_max"] = gap.high
    elif span.precision == "month":
        names["gap_months"] = gap.high
    else:
        names.update(gap_months_low=gap.low, gap_months_high=gap.high)
    dated = [other.date for other in region if other.date is not None]
    start = span.earliest or date.min
    names.update(
        region_dated=len(dated),
        region_earlier=sum(other.latest < start for other in dated),
        region_later=sum((other.earliest or date.min) > span.latest for other in dated),
    )
    return names


def _standing_names(profile: Profile, themes: list[Subject], plan: PlanRef) -> dict[str, Any]:
    """The rank by share of known items present, and the unknown items of the themes that can be judged."""
    rank = profile.rank
    judged = [names for names, _ in themes if names["known"]]
    open_items = [label for names in judged for label in names["unknown"]]
    return {
        "rank": rank.rank,
        "rank_of": rank.of,
        "rank_tied": rank.tied,
        "rank_unranked": rank.unranked,
        "open_items": open_items,
        "open_items_n": len(open_items),
        "plan": plan_words(plan),
    }


def _theme_subjects(
    common: dict[str, Any], families: list[Family], themes: tuple[Theme, ...], inputs: ProvinceInputs
) -> list[Subject]:
    """Each recommendation theme: its code's row (value None where unknown: the rules that use it are skipped),
    which of its codes are unknown, present or absent, and the provinces named for its code."""
    rows = {row.code: row for family in families for row in family.rows}
    subjects: list[Subject] = []
    for theme in themes:
        row = rows.get(theme.code)
        if row is None:
            continue
        related = [rows[code] for code in theme.related if code in rows]
        unknown = [other.label for other in (row, *related) if other.value is None]
        present = [other.label for other in related if other.value == 1]
        absent = [other.label for other in related if other.value == 0]
        named_units = inputs.named.get(theme.code, [])
        names = {
            **common,
            "theme": theme.label,
            "theme_id": theme.id,
            "item": row.label,
            "value": row.value,
            "known": int(row.value is not None),
            **_figure_names("national", row.national),
            **_figure_names("region", row.region),
            "unknown": unknown,
            "unknown_n": len(unknown),
            "plan": plan_words(inputs.plan),
            "named_units": named_units,
            "named_units_n": len(named_units),
            "related_present": present,
            "related_present_n": len(present),
            "related_absent": absent,
            "related_absent_n": len(absent),
        }
        subjects.append((names, (theme.code,) if row.value is not None else ()))  # related codes: by `cites:`
    return subjects


def province_findings(
    unit: UnitInfo,
    families: list[Family],
    profile: Profile,
    changes: UnitChanges | None,
    rules: Rules,
    inputs: ProvinceInputs | None = None,
) -> list[Finding]:
    """A province report's findings, in the order of the rules; `inputs` (analysis.themes): its plan, its timing
    and the provinces named for each theme's code (without them the timing rules are skipped)."""
    inputs = inputs or ProvinceInputs(PlanRef("", ""), None, (), {})
    common = {"unit": unit.short_name, "region": unit.region}
    themes = _theme_subjects(common, families, rules.themes, inputs)
    report = {
        **_report_subject(common, families, profile),
        **_timing_names(inputs.timing, inputs.region_timings),
        **_standing_names(profile, themes, inputs.plan),
    }
    by_over: dict[str, list[Rule]] = {}
    for rule in rules.of("province"):
        by_over.setdefault(rule.over, []).append(rule)
    findings: list[Finding] = []
    for over, rule_list in by_over.items():
        if over == "report":
            subjects = [(report, ())]
        elif over == "themes":
            subjects = themes
        elif over == "families":
            subjects = _family_subjects(common, profile)
        elif over == "changes":
            subjects = _change_subjects(common, changes)
        else:
            subjects = _row_subjects(common, _rows(families, over))
        findings.extend(_apply(rules, rule_list, subjects))
    order = {rule.id: index for index, rule in enumerate(rules.of("province"))}
    return sorted(findings, key=lambda finding: order[finding.id])


def national_findings(unit_count: int, families: list[NationalFamily], rules: Rules) -> list[Finding]:
    """The national report's findings and its recommendation themes."""
    report: dict[str, Any] = dict.fromkeys(NATIONAL_REPORT_NAMES) | {"of": unit_count}
    rows = {family.id: family.rows for family in families}
    tasks = [row for row in rows.get("task", []) if row.national.share is not None]
    if tasks:
        report.update(
            tasks_n=len(tasks),
            tasks_min_count=min(row.national.count for row in tasks),
            tasks_items=[_labelled(row) for row in tasks],
        )
        rates = _region_task_rates(tasks)
        if len(rates) > 1:
            high = max(rates, key=lambda rate: rate[1])
            low = min(rates, key=lambda rate: rate[1])
            report.update(high_region=high[0], high_share=high[1], low_region=low[0], low_share=low[1])
    content = [row for row in rows.get("content", []) if row.national.share is not None]
    common = [_labelled(row) for row in content if row.national.share >= rules.constants["common_from"]]
    differentiated = [_labelled(row) for row in content if row.national.share < rules.constants["differentiated_below"]]
    report.update(
        common=common, common_n=len(common), differentiated=differentiated, differentiated_n=len(differentiated)
    )
    by_code = {row.code: row.national for family in families for row in family.rows}
    for name, code in rules.figures.items():
        figure = by_code.get(code)
        report.update(_figure_names(name, figure))
        known = figure is not None and figure.share is not None
        report[f"{name}_missing"] = figure.of - figure.count if known else None
        # named provinces are stated positives: usable even where the full count is not reported
        report[f"{name}_named"] = figure.named if figure else None
        report[f"{name}_named_n"] = len(figure.named) if figure else None
    return _apply(rules, rules.of("national"), [(report, ())])


def _labelled(row: NationalRow) -> dict[str, Any]:
    figure = row.national
    return {"label": row.label, "count": figure.count, "of": figure.of, "share": figure.share}


def _region_task_rates(tasks: list[NationalRow]) -> list[tuple[Bilingual, float]]:
    """Share of task-indicator cells set to 1 per region, over regions whose cells are all known."""
    totals: dict[str, dict[str, Any]] = {}
    for row in tasks:
        for entry in row.regions:
            total = totals.setdefault(entry.region["en"], {"region": entry.region, "count": 0, "cells": 0, "all": True})
            total["count"] += entry.count
            total["cells"] += entry.of
            total["all"] &= entry.known == entry.of
    return [
        (total["region"], total["count"] / total["cells"])
        for total in totals.values()
        if total["all"] and total["cells"]
    ]
