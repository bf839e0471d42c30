"""Findings computed from a report's context: a message key plus the figures it cites.

Findings are language-neutral (numbers, shares as floats, names as {zh, en}); pipeline.i18n words them in
each edition. A cell that is unknown never produces a finding: only 1/0 cells and known shares are used.
"""

from __future__ import annotations

from typing import Any

Finding = dict[str, Any]

DISTINCTIVE_BELOW = 0.5  # a practice fewer than half the provinces adopt
COMMON_FROM = 0.9  # a practice nine in ten provinces adopt
DIFFERENTIATED_BELOW = 0.6


def family_rows(context: dict[str, Any], family: str) -> list[dict[str, Any]]:
    """The rows of one codebook family in a report context (empty when the family has no codes)."""
    return next((f["rows"] for f in context["families"] if f["id"] == family), [])


def _figures(prefix: str, figure: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_count": figure["count"], f"{prefix}_of": figure["of"], f"{prefix}_share": figure["share"]}


def province_findings(context: dict[str, Any]) -> list[Finding]:
    unit = context["unit"]["short_name"]
    region = context["unit"]["region"]
    findings: list[Finding] = []

    tasks = family_rows(context, "task")
    known_tasks = [row for row in tasks if row["value"] is not None]
    if tasks and len(known_tasks) == len(tasks) and all(row["value"] == 1 for row in tasks):
        findings.append({"key": "finding.province.tasks_all", "params": {"unit": unit, "n": len(tasks)}})
    for row in known_tasks:
        if row["value"] == 0 and row["national"]["share"] is not None:
            params = {"unit": unit, "item": row["label"], "region": region, **_figures("national", row["national"])}
            key = "finding.province.task_missing"
            if row["region"]["share"] is not None:
                params.update(_figures("region", row["region"]))
                key = "finding.province.task_missing_region"
            findings.append({"key": key, "params": params})

    for row in family_rows(context, "content"):
        share = row["national"]["share"]
        if row["value"] is None or share is None:
            continue
        params = {"unit": unit, "item": row["label"], **_figures("national", row["national"])}
        if row["value"] == 1 and share < DISTINCTIVE_BELOW:
            findings.append({"key": "finding.province.content_distinctive", "params": params})
        elif row["value"] == 0 and share >= DISTINCTIVE_BELOW:
            findings.append({"key": "finding.province.content_gap", "params": params})

    named = [
        row["label"]
        for family in context["families"]
        if family["id"] not in ("task", "content")
        for row in family["rows"]
        if row["value"] == 1
    ]
    if named:
        findings.append({"key": "finding.province.named_practices", "params": {"unit": unit, "items": named}})

    all_rows = [row for family in context["families"] for row in family["rows"]]
    unknown = sum(row["value"] is None for row in all_rows)
    if unknown:
        findings.append(
            {"key": "finding.province.unknown", "params": {"unit": unit, "n": unknown, "total": len(all_rows)}}
        )
    return findings


def national_findings(context: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    of = context["unit_count"]
    tasks = [row for row in family_rows(context, "task") if row["national"]["share"] is not None]
    if tasks:
        lowest = min(tasks, key=lambda row: row["national"]["count"])
        findings.append(
            {
                "key": "finding.national.tasks",
                "params": {
                    "n": len(tasks),
                    "min_count": lowest["national"]["count"],
                    "of": of,
                    "items": [_labelled(row) for row in tasks],
                },
            }
        )
        region_rates = _region_task_rates(tasks)
        if len(region_rates) > 1:
            high = max(region_rates, key=lambda r: r["share"])
            low = min(region_rates, key=lambda r: r["share"])
            if high["share"] > low["share"]:
                findings.append(
                    {
                        "key": "finding.national.regional_gap",
                        "params": {
                            "high": high["region"],
                            "high_share": high["share"],
                            "low": low["region"],
                            "low_share": low["share"],
                        },
                    }
                )

    content = [row for row in family_rows(context, "content") if row["national"]["share"] is not None]
    common = [_labelled(row) for row in content if row["national"]["share"] >= COMMON_FROM]
    differentiated = [_labelled(row) for row in content if row["national"]["share"] < DIFFERENTIATED_BELOW]
    if common and differentiated:
        findings.append(
            {"key": "finding.national.content_split", "params": {"common": common, "differentiated": differentiated}}
        )
    findings.extend(_recommendations(context))
    return findings


def _labelled(row: dict[str, Any]) -> dict[str, Any]:
    figure = row["national"]
    return {"label": row["label"], "count": figure["count"], "of": figure["of"], "share": figure["share"]}


def _region_task_rates(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Share of task-indicator cells set to 1 per region, over regions whose cells are all known."""
    totals: dict[str, dict[str, Any]] = {}
    for row in tasks:
        for entry in row["regions"]:
            total = totals.setdefault(
                entry["region"]["en"], {"region": entry["region"], "count": 0, "cells": 0, "complete": True}
            )
            total["count"] += entry["count"]
            total["cells"] += entry["of"]
            total["complete"] &= entry["known"] == entry["of"]
    return [
        {"region": total["region"], "share": total["count"] / total["cells"]}
        for total in totals.values()
        if total["complete"] and total["cells"]
    ]


def _national_figure(context: dict[str, Any], code: str) -> dict[str, Any] | None:
    for family in context["families"]:
        for row in family["rows"]:
            if row["code"] == code:
                return row["national"]
    return None


def _recommendations(context: dict[str, Any]) -> list[Finding]:
    """The study's four recommendation themes, each raised only when a measured figure calls for it."""
    found: list[Finding] = []
    cross = _national_figure(context, "content.cross_level")
    platform = _national_figure(context, "task.platform")
    if (
        cross
        and platform
        and cross["share"] is not None
        and platform["share"] is not None
        and cross["share"] < platform["share"]
    ):
        found.append(
            {
                "key": "recommendation.platforms_and_staff",
                "params": {
                    "cross_count": cross["count"],
                    "cross_of": cross["of"],
                    "cross_share": cross["share"],
                    "platform_count": platform["count"],
                    "platform_of": platform["of"],
                },
            }
        )
    assessment = _national_figure(context, "task.assessment")
    if assessment and assessment["share"] is not None and assessment["share"] < 1:
        found.append(
            {
                "key": "recommendation.incentives_and_supervision",
                "params": {
                    "missing": assessment["of"] - assessment["count"],
                    "of": assessment["of"],
                    "share": assessment["share"],
                },
            }
        )
    model = _national_figure(context, "content.service_model")
    if model and model["share"] is not None and model["share"] < DISTINCTIVE_BELOW:
        found.append(
            {
                "key": "recommendation.streamline_and_one_stop",
                "params": {"count": model["count"], "of": model["of"], "share": model["share"]},
            }
        )
    pilots = _national_figure(context, "mech.exploration.pilots")
    if pilots and pilots["named"]:
        found.append(
            {
                "key": "recommendation.pilots_then_rollout",
                "params": {"units": pilots["named"], "n": len(pilots["named"])},
            }
        )
    return found
