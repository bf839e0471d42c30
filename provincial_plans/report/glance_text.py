"""The words of the glance: a plan date and its gap in each edition, the sentence a province report gives its plan's
date, the tile maps' classes, and each glance chart's text alternative. No drawing here (render jobs import this
module, and matplotlib costs them a second and a half); report.glance draws from the same classes and orders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from provincial_plans.analysis.records import Diffusion, PlanTiming
from provincial_plans.contexts.contract import Glance, Standing, TileMeasure
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import Messages
from provincial_plans.model.dates import Span

BINS = 5  # classes of a continuous measure on the tile map


def span_text(span: Span, messages: Messages, doubtful: bool = False) -> str:
    """A plan date in the edition's words: '2017-05-13或之前', 'before 2017-06-20', '2016-12 to 2017-01'; a doubtful
    one (inferred by its source, or `doubtful` for another reason, such as contradicting evidence) says so."""
    text = span.text.removesuffix("?")
    if text.startswith("on/before "):
        text = messages("glance.date.on_or_before", date=text.removeprefix("on/before "))
    elif text.startswith("before "):
        text = messages("glance.date.before", date=text.removeprefix("before "))
    elif "/" in text:
        start, end = text.split("/")
        text = messages("glance.date.span", start=start, end=end)
    return messages("date.uncertain", date=text) if span.doubtful or doubtful else text


def _gap_text(timing: PlanTiming, messages: Messages) -> str:
    gap = timing.gap
    assert gap is not None  # a dated timing has a gap
    if gap.low is None:
        return messages(f"glance.gap.{gap.unit}.at_most", n=gap.high)
    if gap.high < 0:
        return messages(f"glance.gap.{gap.unit}.before", n=-gap.high)
    if gap.low != gap.high:
        return messages(f"glance.gap.{gap.unit}.band", low=gap.low, high=gap.high)
    return messages(f"glance.gap.{gap.unit}", n=gap.high)


def timing_sentence(timing: PlanTiming, messages: Messages) -> str:
    """What a province report says of its plan's date: the date and where it comes from, its order among the
    provinces dated as precisely, the gap to the guidance, and any evidence that disagrees."""
    if timing.date is None:
        return messages("glance.timing.none")
    key = "glance.timing.tied" if timing.tied else "glance.timing.order"
    sentence = messages(
        "glance.timing.sentence",
        date=span_text(timing.date, messages, timing.doubtful),
        source=messages(f"glance.source.{timing.source}"),
        position=messages(
            key, order=timing.order, of=timing.of, precision=messages(f"glance.precision.{timing.date.precision}")
        ),
        gap=_gap_text(timing, messages),
    )
    if timing.conflicts:
        others = [
            messages(
                "glance.timing.other",
                date=span_text(item.span, messages),
                source=messages(f"glance.source.{item.source}"),
            )
            for item in timing.conflicts
        ]
        sentence += messages("glance.timing.conflict", others=messages.join(others))
    return sentence


@dataclass(frozen=True)
class Classes:
    """A tile map's legend classes (the last: not reported), each unit's class, and whether they are categories."""

    labels: list[str]
    members: dict[str, int]
    categorical: bool


def tile_classes(measure: TileMeasure, slugs: Sequence[str], messages: Messages) -> Classes:
    """Categories in their legend order; whole numbers over a short range one class each (0-4 task indicators);
    other numbers in BINS equal classes of the scale. A value outside its categories or scale is an error."""
    known = {slug: value for slug, value in measure.values.items() if value is not None}
    unknown = messages("status.unknown")
    if measure.categories:
        keys = [category.key for category in measure.categories]
        stray = next((value for value in known.values() if value not in keys), None)
        if stray is not None:
            raise PipelineError(f"tile map '{measure.id}': {stray!r} is not one of its categories")
        labels = [category.label[messages.lang] for category in measure.categories]
        members = {slug: keys.index(str(value)) for slug, value in known.items()}
    else:
        numbers = {slug: float(value) for slug, value in known.items()}
        default = [min(numbers.values(), default=0.0), max(numbers.values(), default=0.0)]
        low, high = (float(end) for end in measure.scale or default)
        outside = next((number for number in numbers.values() if not low <= number <= high), None)
        if outside is not None:
            raise PipelineError(f"tile map '{measure.id}': {outside:g} is outside its scale {low:g}-{high:g}")
        whole = not measure.percent and all(number.is_integer() for number in (low, high, *numbers.values()))
        if whole and high - low < 8:
            labels = [f"{low + step:g}" for step in range(int(high - low) + 1)]
            members = {slug: int(number - low) for slug, number in numbers.items()}
        else:
            width = (high - low) / BINS or 1.0
            edges = [(low + step * width, low + (step + 1) * width) for step in range(BINS)]
            labels = [
                messages("glance.tiles.percent_bin", low=round(first * 100), high=round(last * 100))
                if measure.percent
                else f"{first:g}–{last:g}"
                for first, last in edges
            ]
            members = {slug: min(max(int((number - low) / width), 0), BINS - 1) for slug, number in numbers.items()}
    members = {slug: members.get(slug, len(labels)) for slug in slugs}
    return Classes([*labels, unknown], members, bool(measure.categories))


def tile_alt(glance: Glance, measure: TileMeasure, messages: Messages) -> str:
    lang = messages.lang
    classes = tile_classes(measure, [tile.unit.slug for tile in glance.tiles], messages)
    groups = []
    for index, label in enumerate(classes.labels):
        names = [tile.unit.short_name[lang] for tile in glance.tiles if classes.members[tile.unit.slug] == index]
        if names:
            groups.append(messages("glance.tiles.group", label=label, names=messages.join(names)))
    title = messages(f"glance.tiles.{measure.id}.title")
    return messages("glance.tiles.alt", n=len(glance.tiles), title=title, groups="".join(groups).strip())


def ranked(standings: Sequence[Standing]) -> tuple[list[Standing], list[Standing]]:
    """The ranked units, best first (ties by GB code), and the unranked (no known item)."""
    order = sorted(
        (row for row in standings if row.rank.rank is not None), key=lambda row: (row.rank.rank, row.unit.gb_code)
    )
    return order, [row for row in standings if row.rank.rank is None]


def ranking_alt(standings: Sequence[Standing], messages: Messages) -> str:
    lang = messages.lang
    order, unranked = ranked(standings)

    def described(row: Standing) -> str:
        return messages(
            "glance.ranking.entry", name=row.unit.short_name[lang], share=row.overall.share, known=row.overall.known
        )

    alt = messages(
        "glance.ranking.alt",
        ranked=len(order),
        top=described(order[0]) if order else messages("status.unknown"),
        bottom=described(order[-1]) if order else messages("status.unknown"),
    )
    return alt + (messages("glance.ranking.alt.unranked", unranked=len(unranked)) if unranked else "")


def diffusion_alt(diffusion: Diffusion, messages: Messages) -> str:
    national = diffusion.curves[0]
    return messages(
        "glance.diffusion.alt",
        start=diffusion.months[0],
        end=diffusion.months[-1],
        regions=len(diffusion.curves) - 1,
        count=national.low[-1],
        of=national.members,
        undated=national.undated,
        bands=national.bands,
        bounds=sum(national.bounds),
    )


def timeline_alt(timings: Sequence[PlanTiming], diffusion: Diffusion, messages: Messages) -> str:
    dated = [timing for timing in timings if timing.date is not None]
    counts = Counter(timing.date.precision for timing in dated if timing.date is not None)
    return messages(
        "glance.timeline.alt",
        guidance=diffusion.guidance.isoformat(),
        n=len(timings),
        day=counts["day"],
        month=counts["month"],
        bands=counts["span"] + counts["year"],
        bounds=counts["bound"],
        doubtful=sum(timing.doubtful for timing in dated),
        undated=len(timings) - len(dated),
    )


def glance_alt(glance: Glance, chart: str, messages: Messages) -> str:
    """The text alternative of a glance chart by its name (tiles_<measure>, ranking, diffusion, timeline)."""
    if chart.startswith("tiles_"):
        measure = next(m for m in glance.measures if m.id == chart.removeprefix("tiles_"))
        return tile_alt(glance, measure, messages)
    if chart == "ranking":
        return ranking_alt(glance.standings, messages)
    if chart == "diffusion":
        return diffusion_alt(glance.diffusion, messages)
    return timeline_alt(glance.timings, glance.diffusion, messages)
