"""When each province answered the central guidance: its plan's date at the precision the catalogue has, its order
among provinces dated as precisely, the gap to the guidance, and the cumulative count by month (the diffusion curve).

A province's catalogue rows give several pieces of evidence: the signing date, the date a page (re)posted the plan
(which bounds the signing from above: gov.cn reposted many plans on 13-15 May 2017), the earlier catalogue's date,
and the year of its document number. The narrowest of them (fewest days it leaves open after the guidance; on a tie
the one not inferred, then in that order of sources) is the province's date; evidence that cannot hold together
with it is kept as a conflict, and such a date is doubtful as an inferred one is. So the sentences and charts follow
the catalogue without code changes as more exact dates arrive. A year or a span stays a band and a bound a bound:
nothing here places them on a day. A province with no dated evidence has no date ("not reported").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from provincial_plans.analysis.figures import competition_ranks
from provincial_plans.analysis.records import Curve, Diffusion, Evidence, Gap, PlanTiming, Rank
from provincial_plans.core import schemas
from provincial_plans.model.dataset import Document, Unit
from provincial_plans.model.dates import PRECISIONS, Span, catalogue_date, months_between, number_year, plan_date

GUIDANCE = date(2016, 9, 29)  # 国发〔2016〕55号, published by the State Council
SOURCES = ("date_signed", "date_published", "issue_date", "doc_number")  # in order of preference on a tie
# the regions of each scheme in the order reports list them (the reference tables' own order)
REGION_ORDER = {
    "three": tuple(schemas.REGIONS_THREE["properties"]["region3_en"]["enum"]),
    "nbs": tuple(schemas.REGIONS_NBS["properties"]["nbs_region_en"]["enum"]),
}


def evidence(documents: Sequence[Document]) -> tuple[Evidence, ...]:
    """Every date the rows give, in SOURCES order; a posting date counts as the bound it sets on the signing."""
    found: list[Evidence] = []
    for document in documents:
        signed = plan_date(document.date_signed)
        published = plan_date(document.date_published)
        year = number_year(document.doc_number)
        if signed:
            found.append(Evidence("date_signed", signed))
        if published:
            found.append(Evidence("date_published", published.as_bound()))
        found.extend(Evidence("issue_date", span) for span in catalogue_date(document.issue_date))
        if year:
            found.append(Evidence("doc_number", year))
    return tuple(sorted(found, key=lambda item: SOURCES.index(item.source)))


def _open_days(span: Span, guidance: date) -> int:
    """How many days a span leaves open, none before the guidance (a plan answers it) unless it lies wholly before."""
    start = span.earliest or guidance
    if span.latest >= guidance:
        start = max(start, guidance)
    return (span.latest - start).days


def _choose(items: tuple[Evidence, ...], guidance: date) -> Evidence | None:
    ranked = sorted(
        items, key=lambda item: (_open_days(item.span, guidance), item.span.doubtful, SOURCES.index(item.source))
    )
    return ranked[0] if ranked else None


def gap(span: Span, guidance: date = GUIDANCE) -> Gap:
    """The gap from the guidance to a plan date, as its precision allows."""
    if span.precision == "day":
        days = (span.latest - guidance).days
        return Gap("days", days, days)
    if span.precision == "bound":
        return Gap("days", None, (span.latest - guidance).days)
    first = max(span.earliest or guidance, guidance) if span.latest >= guidance else span.earliest or guidance
    return Gap("months", months_between(guidance, first), months_between(guidance, span.latest))


def _order_key(span: Span) -> tuple[date, date]:
    """Dates of one precision compare by their last day; spans by first day, then last."""
    return (span.earliest or span.latest, span.latest) if span.precision == "span" else (span.latest, span.latest)


def plan_timings(units: Sequence[Unit], documents: Sequence[Document], guidance: date = GUIDANCE) -> list[PlanTiming]:
    """Every unit's plan timing, in the order of `units`, from the province rows of the catalogue."""
    rows: dict[str, list[Document]] = {}
    for document in documents:
        if document.scope == "province":
            rows.setdefault(document.gb_code, []).append(document)
    chosen: dict[str, tuple[tuple[Evidence, ...], Evidence | None]] = {}
    for unit in units:
        items = evidence(rows.get(unit.gb_code, []))
        chosen[unit.slug] = (items, _choose(items, guidance))
    ranks: dict[str, Rank] = {}
    for precision in PRECISIONS:
        keys = {
            slug: _order_key(pick.span)
            for slug, (_, pick) in chosen.items()
            if pick and pick.span.precision == precision
        }
        ranks |= competition_ranks(keys, highest_first=False)
    timings = []
    for unit in units:
        items, pick = chosen[unit.slug]
        if pick is None:
            timings.append(PlanTiming(unit.slug, unit.gb_code, None, "", False, (), items, None, 0, 0, None))
            continue
        conflicts = tuple(item for item in items if not item.span.overlaps(pick.span))
        timings.append(
            PlanTiming(
                unit.slug,
                unit.gb_code,
                pick.span,
                pick.source,
                pick.span.doubtful or bool(conflicts),
                conflicts,
                items,
                ranks[unit.slug].rank,
                ranks[unit.slug].of,
                ranks[unit.slug].tied,
                gap(pick.span, guidance),
            )
        )
    return timings


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def diffusion(
    timings: Sequence[PlanTiming], units: Sequence[Unit], scheme: str, guidance: date = GUIDANCE
) -> Diffusion:
    """Cumulative provinces by month after the guidance, nationally and by the regions of `scheme` (three, nbs)."""
    dated = [timing.date for timing in timings if timing.date is not None]
    last = max((span.latest for span in dated), default=guidance)
    count = months_between(guidance, last) + 1
    months = tuple(
        _month(date(guidance.year + (guidance.month - 1 + i) // 12, (guidance.month - 1 + i) % 12 + 1, 1))
        for i in range(count)
    )

    def index(day: date) -> int:
        return min(max(months_between(guidance, day), 0), count - 1)

    by_slug = {unit.slug: unit for unit in units}
    groups: list[tuple[Mapping[str, str] | None, list[PlanTiming]]] = [(None, list(timings))]
    for name in REGION_ORDER[scheme]:
        members = [timing for timing in timings if by_slug[timing.slug].region(scheme)["en"] == name]
        if members:
            groups.append((by_slug[members[0].slug].region(scheme), members))
    curves = []
    for region, members in groups:
        low, high, bounds = [0] * count, [0] * count, [0] * count
        for timing in members:
            span = timing.date
            if span is None:
                continue
            done = index(span.latest)
            for month in range(done, count):
                low[month] += 1
                high[month] += 1
            if span.precision == "bound":
                bounds[done] += 1
            if span.precision in ("year", "span"):
                for month in range(index(max(span.earliest or guidance, guidance)), done):
                    high[month] += 1
        undated = sum(timing.date is None for timing in members)
        bands = sum(timing.date is not None and timing.date.precision in ("year", "span") for timing in members)
        curves.append(Curve(region, len(members), undated, bands, tuple(low), tuple(high), tuple(bounds)))
    return Diffusion(guidance, months, tuple(curves))
