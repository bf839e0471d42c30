"""Indicators reproduce the study's counts; unknown stays unknown; the region scheme is honoured."""

from dataclasses import replace
from pathlib import Path

import pytest

from provincial_plans.analysis.figures import Figures, adoption, competition_ranks, named, national, profile, regional
from provincial_plans.analysis.records import Adoption, Rank
from provincial_plans.contexts.national import national_context
from provincial_plans.contexts.province import unit_context

ROOT = Path(__file__).resolve().parents[2]


def test_task_indicators_match_the_study(data_2017):
    counts = {
        code: national(data_2017, code)
        for code in ("task.platform", "task.catalogue", "task.assessment", "task.portal_column")
    }
    assert [(figure.count, figure.of) for figure in counts.values()] == [(30, 31), (30, 31), (27, 31), (27, 31)]
    assert all(figure.basis == "cells" for figure in counts.values())


def test_content_categories_use_the_study_counts(data_2017):
    expected = {
        "content.reengineering": (31, "cells"),
        "content.platform_integration": (30, "aggregate"),
        "content.supporting_systems": (31, "cells"),
        "content.cross_level": (17, "aggregate"),
        "content.smart_city": (9, "aggregate"),
        "content.service_model": (8, "cells"),
    }
    for code, (count, basis) in expected.items():
        figure = national(data_2017, code)
        assert (figure.count, figure.of, figure.basis) == (count, 31, basis), code
    assert len(named(data_2017, "content.service_model")) == 8


def test_unknown_cells_are_not_counted_as_absent(data_2017):
    figure = adoption(data_2017, "content.smart_city", data_2017.units)
    assert figure == Adoption(count=1, known=1, of=31, share=None, basis="partial")
    beijing = unit_context(data_2017, data_2017.unit("beijing"), Figures(data_2017, "three"))
    row = next(r for f in beijing.families for r in f.rows if r.code == "content.cross_level")
    assert row.value is None and row.status == "unknown"
    assert row.national.share is not None  # the study's national count still applies
    assert row.region.share is None  # but no regional share can be computed


def test_region_scheme_moves_liaoning(data_2017):
    liaoning = data_2017.unit("liaoning")
    assert liaoning.region("three")["en"] == "East"
    assert liaoning.region("nbs")["en"] == "Northeast"
    regions_three = [entry.region["en"] for entry in regional(data_2017, "task.platform", "three")]
    regions_nbs = [entry.region["en"] for entry in regional(data_2017, "task.platform", "nbs")]
    assert regions_three == ["East", "Central", "West"]
    assert sorted(regions_nbs) == ["Central", "East", "Northeast", "West"]


def test_regional_counts_add_up_to_the_nation(data_2017):
    for code in ("task.platform", "task.assessment"):
        entries = regional(data_2017, code, "three")
        assert sum(entry.count for entry in entries) == national(data_2017, code).count
        assert sum(entry.of for entry in entries) == 31


def test_national_context_lists_every_unit_once(data_2017):
    context = national_context(data_2017, "three")
    slugs = [line.unit.slug for line in context.task_matrix]
    assert len(slugs) == len(set(slugs)) == 31
    assert "inner-mongolia" in slugs


def test_competition_rank_shares_ties_and_leaves_unknown_unranked():
    scores = {"a": 1.0, "b": 0.5, "c": 1.0, "d": None, "e": 0.25}
    ranks = competition_ranks(scores)
    assert ranks["a"] == Rank(rank=1, of=4, tied=1, unranked=1)
    assert ranks["b"] == Rank(rank=3, of=4, tied=0, unranked=1)
    assert ranks["d"].rank is None


def test_profile_counts_unknown_cells_apart(data_2017):
    liaoning = profile(data_2017, data_2017.unit("liaoning"), Figures(data_2017, "three"))
    overall = liaoning.overall
    assert overall.known + overall.unknown == len(data_2017.codebook.codes)
    assert overall.present == sum(
        cell.value for (gb, _), cell in data_2017.cells.items() if gb == data_2017.unit("liaoning").gb_code
    )
    assert [label["en"] for label in liaoning.missing] == ["Integrated online service platform"]
    tasks = next(family for family in liaoning.families if family.id == "task")
    assert (tasks.unit.present, tasks.unit.known) == (3, 4)
    assert (tasks.national.present, tasks.national.known) == (30 + 30 + 27 + 27, 124)


def test_rank_correlation_with_the_outside_index_is_reused_only_for_the_same_points(data_2017):
    from provincial_plans.analysis.external import relation

    reference = ROOT / "data" / "reference"
    fresh = relation(data_2017, reference)
    assert fresh.n >= 5 and -1 <= fresh.rho <= 1 and 0 <= fresh.p <= 1
    assert all(point.coverage is not None for point in fresh.points)  # unknown coverage is left out
    saved = replace(fresh, rho=0.123, p=0.456)
    assert (relation(data_2017, reference, saved).rho, relation(data_2017, reference, saved).p) == (0.123, 0.456)
    moved = replace(saved, points=fresh.points[1:])
    assert relation(data_2017, reference, moved).rho == fresh.rho  # other points: computed again


def test_rank_correlation_equals_scipy_spearmanr(data_2017):
    """analysis.external.spearman (pandas ranks, scipy.special's t) against scipy.stats.spearmanr: on the shipped
    points, with ties, perfectly (anti-)monotone, and on noise."""
    import random

    from scipy.stats import spearmanr

    from provincial_plans.analysis.external import relation, spearman

    shipped = relation(data_2017, ROOT / "data" / "reference")
    xs, ys = [p.coverage for p in shipped.points], [p.value for p in shipped.points]
    generator = random.Random(7)
    noise = [generator.random() for _ in range(40)]
    cases = [
        (xs, ys),
        ([1, 2, 2, 3, 3, 3, 4, 5], [2, 1, 4, 3, 3, 6, 5, 8]),
        ([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]),
        ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
        (noise[:20], noise[20:]),
    ]
    for x, y in cases:
        expected = spearmanr(x, y)
        rho, p = spearman(x, y)
        assert rho == pytest.approx(float(expected.statistic), rel=1e-12, abs=1e-15)
        assert p == pytest.approx(float(expected.pvalue), rel=1e-9, abs=1e-15)
