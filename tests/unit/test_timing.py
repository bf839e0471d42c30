"""When each province answered (model.dates, analysis.timing): the real catalogue and synthetic edge cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from provincial_plans.analysis.timing import GUIDANCE, diffusion, plan_timings
from provincial_plans.model.dataset import Document
from provincial_plans.model.dates import catalogue_date, plan_date


@pytest.fixture(scope="module")
def timings(data_2017):
    return {timing.slug: timing for timing in plan_timings(data_2017.units, data_2017.documents)}


def test_signed_day_gives_the_day_its_order_and_gap_in_days(timings):
    heilongjiang = timings["heilongjiang"]
    assert (heilongjiang.date.text, heilongjiang.date.precision, heilongjiang.source) == (
        "2017-02-07",
        "day",
        "date_signed",
    )
    # the six provinces the catalogue dates to the day: Hainan 2016-12-09 comes first, Heilongjiang second
    assert (heilongjiang.order, heilongjiang.of, heilongjiang.tied) == (2, 6, 0)
    assert timings["hainan"].order == 1
    assert (heilongjiang.gap.unit, heilongjiang.gap.low, heilongjiang.gap.high) == ("days", 131, 131)
    assert (date(2017, 2, 7) - date(2016, 9, 29)).days == 131


def test_month_only_date_stays_a_month_with_a_gap_in_months(timings):
    liaoning = timings["liaoning"]
    assert (liaoning.date.precision, liaoning.date.earliest, liaoning.date.latest) == (
        "month",
        date(2016, 12, 1),
        date(2016, 12, 31),
    )
    assert (liaoning.gap.unit, liaoning.gap.low, liaoning.gap.high) == ("months", 3, 3)


def test_repost_date_is_an_upper_bound_on_signing_not_a_signing_day(timings):
    jilin = timings["jilin"]  # gov.cn reposted it on 2017-05-13; the earlier catalogue gives only 2017
    assert (jilin.date.precision, jilin.date.earliest, jilin.date.latest) == ("bound", None, date(2017, 5, 13))
    assert jilin.date.text == "on/before 2017-05-13"
    assert (jilin.gap.low, jilin.gap.high) == (None, 226)
    # Guangdong's and Jilin's bounds fall on the same day: they share an order among the nine bounds
    assert (jilin.order, timings["guangdong"].order, jilin.of, jilin.tied) == (5, 5, 9, 1)


def test_year_only_date_is_a_band_never_a_day(timings):
    tianjin = timings["tianjin"]
    assert (tianjin.date.precision, tianjin.date.earliest, tianjin.date.latest) == (
        "year",
        date(2017, 1, 1),
        date(2017, 12, 31),
    )
    assert (tianjin.gap.unit, tianjin.gap.low, tianjin.gap.high) == ("months", 4, 15)
    fujian = timings["fujian"]  # 2016: the band starts at the guidance, which a plan cannot precede
    assert (fujian.date.precision, fujian.gap.low, fujian.gap.high) == ("year", 0, 3)


def test_provinces_without_a_plan_are_not_reported_not_zero(timings, data_2017):
    for slug in ("beijing", "shanghai"):
        assert (timings[slug].date, timings[slug].gap, timings[slug].order) == (None, None, None)
    national = diffusion(list(timings.values()), data_2017.units, "three").curves[0]
    assert (national.members, national.undated) == (31, 2)
    assert national.low[-1] == national.high[-1] == 29


def test_document_number_year_that_contradicts_the_catalogue_makes_the_date_doubtful(timings):
    guangxi = timings["guangxi"]  # 桂政发〔2016〕65号, while the earlier catalogue says 2017
    assert (guangxi.date.text, guangxi.source, guangxi.doubtful) == ("2016", "doc_number", True)
    assert [(item.source, item.span.text) for item in guangxi.conflicts] == [("issue_date", "2017")]


def test_inferred_bound_is_doubtful_and_strictly_before(timings):
    anhui = timings["anhui"]
    assert (anhui.date.text, anhui.doubtful, anhui.date.latest) == ("before 2017-06-20?", True, date(2017, 6, 19))


def test_diffusion_counts_each_plan_once_at_its_month_and_bands_only_as_possible(timings, data_2017):
    result = diffusion(list(timings.values()), data_2017.units, "three")
    months = result.months
    assert (months[0], months[-1], len(months)) == ("2016-09", "2017-12", 16)
    national = result.curves[0]
    # by the end of 2016-12: Hainan (day), Liaoning (month) and the three 2016 years (Fujian, Guangxi, Guizhou)
    assert national.low[months.index("2016-12")] == 5
    # the 2017 year bands (Tianjin, Hebei, Shanxi, Tibet, Ningxia) and Hubei's 2016-12/2017-01 may be out from
    # their first month on, and are out for certain only at their last
    assert national.high[months.index("2017-01")] - national.low[months.index("2017-01")] == 5
    assert national.high[months.index("2016-12")] - national.low[months.index("2016-12")] == 1
    # six plans dated by an upper bound are counted in May 2017 (the gov.cn reposts of 13-15 May among them)
    assert national.bounds[months.index("2017-05")] == 6
    assert sum(national.bounds) == 9 and national.bands == 9


@pytest.mark.parametrize("scheme", ["three", "nbs"])
def test_regional_curves_add_up_to_the_national_one(timings, data_2017, scheme):
    result = diffusion(list(timings.values()), data_2017.units, scheme)
    national, regions = result.curves[0], result.curves[1:]
    assert len(regions) == (3 if scheme == "three" else 4)
    for series in ("low", "high", "bounds"):
        assert [sum(values) for values in zip(*(getattr(c, series) for c in regions), strict=True)] == list(
            getattr(national, series)
        )
    assert sum(curve.members for curve in regions) == 31


def _synthetic(data_2017, rows: dict[str, dict[str, str]]) -> list[Document]:
    """A synthetic catalogue: one row per province given, with the fields given."""
    by_slug = {unit.slug: unit for unit in data_2017.units}
    blank = Document("province", "", "synthetic plan", "", "", "", "title only")
    return [replace(blank, gb_code=by_slug[slug].gb_code, **fields) for slug, fields in rows.items()]


def test_more_exact_dates_move_a_province_without_code_changes(data_2017):
    before = _synthetic(data_2017, {"tianjin": {"issue_date": "2017"}})
    after = _synthetic(data_2017, {"tianjin": {"issue_date": "2017", "date_signed": "2017-03-02"}})
    first = next(t for t in plan_timings(data_2017.units, before) if t.slug == "tianjin")
    second = next(t for t in plan_timings(data_2017.units, after) if t.slug == "tianjin")
    assert (first.date.precision, second.date.precision, second.gap.high) == ("year", "day", 154)


def test_ties_share_the_best_order(data_2017):
    documents = _synthetic(
        data_2017,
        {
            "hebei": {"date_signed": "2017-01-10"},
            "shanxi": {"date_signed": "2017-01-10"},
            "henan": {"date_signed": "2017-02-01"},
            "hunan": {"date_signed": "2017-03"},
        },
    )
    found = {t.slug: t for t in plan_timings(data_2017.units, documents)}
    assert [(found[s].order, found[s].of, found[s].tied) for s in ("hebei", "shanxi", "henan")] == [
        (1, 3, 1),
        (1, 3, 1),
        (3, 3, 0),
    ]
    assert (found["hunan"].order, found["hunan"].of) == (1, 1)  # months are ordered among months only


def test_narrowest_evidence_wins_over_a_wider_one_from_a_preferred_column(data_2017):
    # signed "2017" (a year) against a repost bound in February: the bound leaves fewer days open
    documents = _synthetic(data_2017, {"hubei": {"date_signed": "2017", "date_published": "2017-02-03"}})
    hubei = next(t for t in plan_timings(data_2017.units, documents) if t.slug == "hubei")
    assert (hubei.date.text, hubei.source, hubei.doubtful, hubei.conflicts) == (
        "on/before 2017-02-03",
        "date_published",
        False,
        (),
    )


def test_plan_dates_read_at_their_precision():
    assert plan_date("on/before 2017-05").latest == date(2017, 5, 31)
    assert plan_date("before 2017-06-20?").doubtful is True
    assert plan_date("2016-02").latest == date(2016, 2, 29)  # a leap year's February
    assert plan_date("") is None
    spans = catalogue_date("2016-09 (published 2016-09-29)")
    assert [(span.precision, span.latest) for span in spans] == [("month", date(2016, 9, 30)), ("bound", GUIDANCE)]
    assert catalogue_date("2017?")[0].doubtful is True
    assert catalogue_date("2016-12/2017-01")[0].precision == "span"
