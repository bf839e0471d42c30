"""Every province report has findings and recommendations from the study's four themes, each citing known figures;
an unknown cell yields the sentence that says which evidence would decide its theme; the timing finding follows the
catalogue."""

from dataclasses import replace
from pathlib import Path

import pytest

from provincial_plans.analysis.conclusions import province_findings
from provincial_plans.analysis.figures import Figures
from provincial_plans.analysis.themes import PlanRef, plan_words, province_inputs
from provincial_plans.contexts.province import unit_context
from provincial_plans.core.i18n import load_messages
from provincial_plans.model.dataset import YearData
from provincial_plans.report.glance_text import timing_sentence

ROOT = Path(__file__).resolve().parents[2]
THEME_IDS = ("platforms", "incentives", "reform", "pilots")


@pytest.fixture(scope="module")
def contexts(data_2017):
    figures = Figures(data_2017, "three")
    return {unit.slug: unit_context(data_2017, unit, figures) for unit in data_2017.units}


def test_every_province_has_two_findings_and_two_recommendations_in_both_languages(contexts):
    editions = [load_messages(ROOT / "data" / "messages", lang) for lang in ("zh", "en")]
    counts = {}
    for slug, context in contexts.items():
        for finding in context.findings:
            assert all(value is not None for value in finding.params.values()), (slug, finding.id)
        for messages in editions:
            worded = [(f.kind, messages.finding(f)) for f in context.findings]  # as the reports word them
            assert all(text.strip() for _, text in worded)
            found = sum(kind == "finding" for kind, _ in worded)
            advised = sum(kind == "recommendation" for kind, _ in worded)
            counts[slug, messages.lang] = (found, advised)
    assert len(counts) == 62
    assert min(found for found, _ in counts.values()) >= 2
    assert min(advised for _, advised in counts.values()) >= 2


def test_each_theme_is_judged_or_says_which_evidence_would_decide_it(contexts, data_2017):
    assert tuple(theme.id for theme in data_2017.rules.themes) == THEME_IDS
    over_themes = {rule.id for rule in data_2017.rules.of("province") if rule.over == "themes"}
    for slug, context in contexts.items():
        themed = [f for f in context.findings if f.id in over_themes]
        assert len(themed) == len(THEME_IDS), slug  # one sentence per theme
        for finding in themed:
            if "value" in finding.params:  # judged: it rests on the province's own known cell and cites it
                assert finding.params["value"] in (0, 1)
                assert finding.cites
            else:  # which items are unknown, and which document would settle them
                assert finding.params["unknown"] and finding.params["plan"]


def test_an_unknown_cell_turns_its_theme_into_the_evidence_sentence(data_2017):
    figures = Figures(data_2017, "three")
    unit = data_2017.unit("anhui")
    context = unit_context(data_2017, unit, figures)
    (before,) = [f for f in context.findings if f.id.startswith("reform_")]
    assert (before.id, before.params["value"]) == ("reform_catalogue_missing", 0)
    families = [
        replace(
            family,
            rows=[
                replace(row, value=None, status="unknown") if row.code == "task.catalogue" else row
                for row in family.rows
            ],
        )
        for family in context.families
    ]
    inputs = province_inputs(unit, figures)
    after = province_findings(context.unit, families, context.profile, None, data_2017.rules, inputs)
    assert not [f for f in after if f.id.startswith("reform_")]
    reform = [f for f in after if f.id == "theme_undecided" and f.params["theme"]["en"] == "Adapting to the reform"]
    assert len(reform) == 1
    assert reform[0].params["unknown"][0]["en"] == "Catalogue of service items"
    assert "task.catalogue" not in reform[0].cites
    zh, en = (load_messages(ROOT / "data" / "messages", lang) for lang in ("zh", "en"))
    assert "安徽省加快推进“互联网+政务服务”工作方案" in zh.finding(reform[0])
    assert "皖政〔2017〕25号" in en.finding(reform[0]) and "Catalogue of service items" in en.finding(reform[0])
    # no other finding uses the now unknown cell
    assert not [f for f in after if f.id.startswith("task_missing") and "Catalogue" in f.params["item"]["en"]]


def test_a_province_without_a_plan_in_the_catalogue_is_sent_to_the_provinces_plan(contexts):
    undecided = next(f for f in contexts["beijing"].findings if f.id == "pilots_undecided")
    assert undecided.params["plan"] == {"zh": "该省的方案", "en": "the province's plan"}
    assert undecided.params["named_units_n"] == 2


def timing_of(data: YearData, slug: str):
    context = unit_context(data, data.unit(slug), Figures(data, "three"))
    return [f for f in context.findings if f.id.startswith("timing_") and not f.id.startswith("timing_region")]


def test_a_region_count_of_zero_reads_none_not_0(data_2017):
    zh, en = (load_messages(ROOT / "data" / "messages", lang) for lang in ("zh", "en"))
    said = {}
    for unit in data_2017.units:
        context = unit_context(data_2017, unit, Figures(data_2017, "three"))
        for finding in (f for f in context.findings if f.id.startswith("timing_region")):
            earlier, later = finding.params["region_earlier"], finding.params["region_later"]
            said[finding.id] = (zh.finding(finding), en.finding(finding))
            assert "0个" not in zh.finding(finding).replace("10个", "")
            assert (" 0 " not in en.finding(finding)) and ("none" in en.finding(finding)) == (0 in (earlier, later))
    assert {"timing_region_first", "timing_region_last", "timing_region"} <= set(said)  # 2017 has each case


def test_a_plan_dated_to_the_year_has_the_same_order_in_its_finding_and_its_document_section(data_2017):
    en = load_messages(ROOT / "data" / "messages", "en")
    banded = 0
    for unit in data_2017.units:
        context = unit_context(data_2017, unit, Figures(data_2017, "three"))
        found = next((f for f in timing_of(data_2017, unit.slug) if f.id.startswith("timing_band")), None)
        if found is None:
            continue
        banded += 1
        timing, sentence = context.timing, timing_sentence(context.timing, en)
        assert f"no. {timing.order}" in en.finding(found) and f"no. {timing.order}" in sentence
        assert f"of the {timing.of} provinces" in en.finding(found) and f"of the {timing.of} provinces" in sentence
        assert ("tied" in en.finding(found)) == ("tied" in sentence) == (timing.tied > 0)
        assert "from the the" not in sentence
    assert banded >= 2


def test_the_timing_finding_follows_the_catalogue(data_2017):
    (found,) = timing_of(data_2017, "heilongjiang")
    assert found.id == "timing_day"
    assert (found.params["gap_days"], found.params["plan_order"], found.params["plan_of"]) == (131, 2, 6)
    en = load_messages(ROOT / "data" / "messages", "en")
    assert "7 February 2017, 131 days after" in en.finding(found)
    documents = [
        replace(row, date_signed="2017-03-01", issue_date="2017-03-01") if row.gb_code == "23" else row
        for row in data_2017.documents
    ]
    (moved,) = timing_of(replace(data_2017, documents=documents), "heilongjiang")
    assert moved.params["gap_days"] == 153 and moved.params["plan_order"] == 3
    assert "1 March 2017, 153 days after" in en.finding(moved)


def test_an_undated_province_gets_no_timing_finding(data_2017):
    assert timing_of(data_2017, "shanghai") == []
    documents = [
        replace(row, date_signed="", date_published="", issue_date="", doc_number="") if row.gb_code == "23" else row
        for row in data_2017.documents
    ]
    assert timing_of(replace(data_2017, documents=documents), "heilongjiang") == []


def test_a_month_dated_plan_is_worded_at_its_month(data_2017):
    (found,) = timing_of(data_2017, "liaoning")
    assert found.id == "timing_month" and found.params["gap_months"] == 3
    zh = load_messages(ROOT / "data" / "messages", "zh")
    assert "2016年12月，在国务院指导意见（2016年9月）印发3个月后" in zh.finding(found)


def test_the_plan_is_named_in_each_languages_own_typography():
    words = plan_words(PlanRef("某省推进“互联网+政务服务”工作方案", "某政发〔2016〕1号"))
    assert words["zh"] == "《某省推进“互联网+政务服务”工作方案》（某政发〔2016〕1号）"
    assert words["en"] == "the plan “某省推进‘互联网+政务服务’工作方案” (某政发〔2016〕1号)"
    assert plan_words(PlanRef("", ""))["en"] == "the province's plan"
