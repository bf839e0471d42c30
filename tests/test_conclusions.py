"""Findings follow from the data, cite their figures, and are never drawn from unknown cells."""

import copy

from pipeline.conclusions import national_findings, province_findings
from pipeline.indicators import national_context, unit_context


def keys(findings):
    return [finding["key"] for finding in findings]


def test_liaoning_misses_the_platform_target(data_2017):
    context = unit_context(data_2017, data_2017.unit("liaoning"), "three")
    missing = [f for f in context["findings"] if f["key"].startswith("finding.province.task_missing")]
    assert len(missing) == 1
    params = missing[0]["params"]
    assert params["item"]["en"] == "Integrated online service platform"
    assert (params["national_count"], params["national_of"]) == (30, 31)
    assert (params["region_count"], params["region_of"]) == (10, 11)


def test_guizhou_is_distinctive_for_service_model_innovation(data_2017):
    context = unit_context(data_2017, data_2017.unit("guizhou"), "three")
    assert "finding.province.tasks_all" in keys(context["findings"])
    distinctive = [f for f in context["findings"] if f["key"] == "finding.province.content_distinctive"]
    assert [f["params"]["item"]["en"] for f in distinctive] == ["Service-model innovation"]


def test_no_finding_from_unknown_cells(data_2017):
    context = unit_context(data_2017, data_2017.unit("beijing"), "three")
    blank = copy.deepcopy(context)
    for family in blank["families"]:
        for row in family["rows"]:
            row.update(value=None, status="unknown", basis=None)
    assert keys(province_findings(blank)) == ["finding.province.unknown"]


def test_national_recommendations_are_backed_by_figures(data_2017):
    context = national_context(data_2017, "three")
    found = {f["key"]: f["params"] for f in national_findings(context)}
    assert found["finding.national.tasks"]["min_count"] == 27
    assert found["recommendation.platforms_and_staff"]["cross_count"] == 17
    assert found["recommendation.incentives_and_supervision"]["missing"] == 4
    assert found["recommendation.streamline_and_one_stop"]["count"] == 8
    assert found["recommendation.pilots_then_rollout"]["n"] == 2
