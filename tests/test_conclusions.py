"""Findings follow the rules in data/conclusions.yaml, cite their figures, and never use unknown cells."""

import copy
import shutil
from pathlib import Path

import pytest

from pipeline.conclusions import load_rules, national_findings, province_findings
from pipeline.errors import InputError
from pipeline.i18n import load_messages, placeholders
from pipeline.indicators import national_context, unit_context

ROOT = Path(__file__).resolve().parent.parent


def ids(findings):
    return [finding["id"] for finding in findings]


def test_liaoning_misses_the_platform_target(data_2017):
    context = unit_context(data_2017, data_2017.unit("liaoning"), "three")
    missing = [f for f in context["findings"] if f["id"].startswith("task_missing")]
    assert len(missing) == 1  # the region-level wording wins its group; the national-only one is not repeated
    params = missing[0]["params"]
    assert params["item"]["en"] == "Integrated online service platform"
    assert (params["national_count"], params["national_of"]) == (30, 31)
    assert (params["region_count"], params["region_of"]) == (10, 11)
    assert missing[0]["cites"] == ["task.platform"]
    advice = [f for f in context["findings"] if f["kind"] == "recommendation"]
    assert ids(advice) == ["adopt_common_task"]


def test_guizhou_is_distinctive_for_service_model_innovation(data_2017):
    context = unit_context(data_2017, data_2017.unit("guizhou"), "three")
    assert "tasks_all" in ids(context["findings"])
    distinctive = [f for f in context["findings"] if f["id"] == "content_distinctive"]
    assert [f["params"]["item"]["en"] for f in distinctive] == ["Service-model innovation"]
    ahead = {f["params"]["family"]["en"] for f in context["findings"] if f["id"] == "family_ahead"}
    assert ahead == {"Task indicators", "Policy content"}


def test_no_finding_from_unknown_cells(data_2017):
    context = unit_context(data_2017, data_2017.unit("beijing"), "three")
    blank = copy.deepcopy(context)
    for family in blank["families"]:
        for row in family["rows"]:
            row.update(value=None, status="unknown", basis=None)
    for family in blank["profile"]["families"]:
        family["unit"].update(present=0, known=0, share=None)
    blank["profile"]["overall"].update(present=0, known=0, share=None)
    assert ids(province_findings(blank, data_2017.rules)) == ["unknown"]


def test_national_recommendations_are_backed_by_figures(data_2017):
    context = national_context(data_2017, "three")
    found = {f["id"]: f["params"] for f in national_findings(context, data_2017.rules)}
    assert found["tasks"]["tasks_min_count"] == 27
    assert found["platforms_and_staff"]["cross_count"] == 17
    assert found["incentives_and_supervision"]["assessment_missing"] == 4
    assert found["streamline_and_one_stop"]["model_count"] == 8
    assert found["pilots_then_rollout"]["pilots_named_n"] == 2
    kinds = {f["id"]: f["kind"] for f in context["findings"]}
    assert [i for i, kind in kinds.items() if kind == "recommendation"] == [
        "platforms_and_staff",
        "incentives_and_supervision",
        "streamline_and_one_stop",
        "pilots_then_rollout",
    ]


def test_every_finding_words_the_same_figures_in_both_editions(data_2017):
    zh, en = (load_messages(ROOT / "data" / "messages", lang) for lang in ("zh", "en"))
    for slug in ("liaoning", "guizhou", "tibet"):
        for finding in unit_context(data_2017, data_2017.unit(slug), "three")["findings"]:
            shown = placeholders(finding["text"]["en"])
            numbers = [zh.value(v) for k, v in finding["params"].items() if k in shown and isinstance(v, int | float)]
            assert all(n in zh.finding(finding) and n in en.finding(finding) for n in numbers)


def test_a_rule_whose_condition_changes_changes_the_findings(tmp_path, data_2017):
    """The rules are data: raising a threshold in the YAML removes the finding it no longer supports."""
    path = tmp_path / "conclusions.yaml"
    text = (ROOT / "data" / "conclusions.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("distinctive_below: 0.5", "distinctive_below: 0.2"), encoding="utf-8")
    families = frozenset(family["id"] for family in data_2017.codebook.families)
    codes = frozenset(code.id for code in data_2017.codebook.codes)
    rules = load_rules(path, families, codes)
    context = unit_context(data_2017, data_2017.unit("guizhou"), "three")
    assert "content_distinctive" in ids(context["findings"])
    assert "content_distinctive" not in ids(province_findings(context, rules))


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
