"""The country at a glance, and when each province answered: SVG charts in both languages, each with its text
alternative, and the sentence a province report gives its plan's date.

- tile_map: the 31 provinces as squares in their usual relative places (data/reference/layout_province_tiles.csv),
  coloured by any measure, categorical or numeric, given as slug -> value;
- ranking_chart: the provinces ranked by their share of known items present, each with the number of known items
  the share rests on, ties sharing a rank;
- diffusion_chart and timeline_chart: plans after the central guidance, from analysis.timing.

Colours are the project's colour-blind-safe palettes (Okabe-Ito for categories, cividis for numbers), and every
chart carries a second channel (hatching, marker shape, printed values), so no reading depends on colour. An unknown
value is drawn and named "not reported", never 0. A year-only date stays a band and a bound an open marker: nothing
is placed on a day it does not name. Text is SVG text in the report's fonts, measured with the same font files.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from provincial_plans.analysis.timing import Diffusion, PlanTiming, competition_ranks
from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.core.i18n import Messages
from provincial_plans.core.inputs import read_csv, unique
from provincial_plans.model.dataset import Unit, YearData, province_of
from provincial_plans.model.dates import Span
from provincial_plans.report.charts import WIDTH_IN, presentation_attributes
from provincial_plans.report.fonts import register_matplotlib, report_families
from provincial_plans.report.profile import OKABE_ITO

UNKNOWN_FILL, UNKNOWN_HATCH = "#eeeeee", "////"
TEXT_GREY = "#5a5a5a"
HATCHES = ("", "//", "\\\\", "xx", "..", "++", "oo", "--")
LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("s", "^", "D", "o")
BINS = 5  # classes of a continuous measure on the tile map


@dataclass(frozen=True)
class Chart:
    """One chart in one language: the SVG, and its text alternative (a short description of what it shows)."""

    svg: str
    alt: str


@dataclass(frozen=True)
class Measure:
    """What a tile map shows: a value per province slug, a number or a category key; None or a missing slug is not
    reported. `categories` (key and label in both languages, in legend order) makes the measure categorical;
    `percent` shows numbers (shares, 0-1) as percentages; `scale` is the range the legend covers (default: 0-1
    for shares, else the values' own), so that a count of 4 indicators keeps its 0 class when no province has 0."""

    title: Mapping[str, str]
    values: Mapping[str, float | str | None]
    categories: tuple[tuple[str, Mapping[str, str]], ...] = ()
    percent: bool = False
    scale: tuple[float, float] | None = None


@dataclass(frozen=True)
class Standing:
    """A province's items known (present or absent) and how many of them its plan has."""

    present: int
    known: int

    @property
    def share(self) -> float | None:
        return self.present / self.known if self.known else None


# ------------------------------------------------------------------------------------------------ drawing


def _setup(lang: str) -> None:
    """The report's fonts and the charts' look (the call pattern of report.charts)."""
    import matplotlib

    register_matplotlib()
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": report_families(lang),
            "svg.fonttype": "none",
            "svg.hashsalt": "provincial-plans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def _figure(height_in: float, rows: int = 1, ratios: Sequence[float] | None = None):
    """A figure of the report's width with `rows` axes, on an Agg canvas (no pyplot, nothing to close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in))
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, gridspec_kw={"height_ratios": ratios} if ratios else None)
    return figure, axes


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return presentation_attributes(buffer.getvalue())


def _name(unit: Unit, lang: str) -> str:
    return unit.short_zh if lang == "zh" else unit.name_en


def _dark(colour: str) -> bool:
    """Whether white text reads better than black on the colour (relative luminance below 0.4)."""
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.4


# ----------------------------------------------------------------------------------------------- tile map


def load_tiles(path: Path, units: Sequence[Unit]) -> dict[str, tuple[int, int]]:
    """Each unit's square (column from the west, row from the north) from the layout file, by slug; every unit
    has one square and no two share one."""
    rows = read_csv(path, schemas.TILES)
    unique(path, rows, ("gb_code",), "province code")
    unique(path, rows, ("col", "row"), "square (col × row)")
    by_code = {unit.gb_code: unit for unit in units}
    tiles = {}
    for row in rows:
        unit = province_of(path, row.line, by_code, row.values["gb_code"], row.values.get("short_name_zh", ""))
        tiles[unit.slug] = (int(row.values["col"]), int(row.values["row"]))
    missing = [unit for unit in units if unit.slug not in tiles]
    if missing:
        raise InputError(path, f"no square for GB/T 2260 code {missing[0].gb_code} ({missing[0].short_zh})")
    return tiles


@dataclass(frozen=True)
class _Class:
    label: str
    colour: str
    hatch: str


def _classes(measure: Measure, messages: Messages) -> tuple[list[_Class], dict[str, int]]:
    """The legend's classes (the last: not reported) and each province's class."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    lang = messages.lang
    known = {slug: value for slug, value in measure.values.items() if value is not None}
    if measure.categories:
        keys = [key for key, _ in measure.categories]
        stray = next((value for value in known.values() if value not in keys), None)
        if stray is not None:
            raise PipelineError(f"tile map '{measure.title['en']}': {stray!r} is not one of its categories")
        classes = [
            _Class(label[lang], OKABE_ITO[index % len(OKABE_ITO)], HATCHES[index % len(HATCHES)])
            for index, (_, label) in enumerate(measure.categories)
        ]
        members = {slug: keys.index(value) for slug, value in known.items()}
    else:
        numbers = {slug: float(value) for slug, value in known.items()}
        default = (
            (0.0, 1.0) if measure.percent else (min(numbers.values(), default=0), max(numbers.values(), default=0))
        )
        low, high = (float(end) for end in measure.scale or default)
        outside = next((number for number in numbers.values() if not low <= number <= high), None)
        if outside is not None:
            raise PipelineError(f"tile map '{measure.title['en']}': {outside:g} is outside its scale {low:g}-{high:g}")
        whole = not measure.percent and all(number.is_integer() for number in (low, high, *numbers.values()))
        if whole and high - low < 8:
            labels = [f"{low + step:g}" for step in range(int(high - low) + 1)]
            members = {slug: int(number - low) for slug, number in numbers.items()}
        else:
            width = (high - low) / BINS or 1.0
            edges = [(low + step * width, low + (step + 1) * width) for step in range(BINS)]
            if measure.percent:
                labels = [
                    messages("glance.tiles.percent_bin", low=round(first * 100), high=round(last * 100))
                    for first, last in edges
                ]
            else:
                labels = [f"{first:g}–{last:g}" for first, last in edges]
            members = {slug: min(max(int((number - low) / width), 0), BINS - 1) for slug, number in numbers.items()}
        palette = colormaps["cividis"]
        classes = [
            _Class(label, to_hex(palette(0.15 + 0.8 * index / max(len(labels) - 1, 1))), "")
            for index, label in enumerate(labels)
        ]
    classes.append(_Class(messages("status.unknown"), UNKNOWN_FILL, UNKNOWN_HATCH))
    return classes, members


def _value_text(measure: Measure, value: float | str | None, messages: Messages) -> str:
    if value is None or measure.categories:
        return ""
    return messages.percent(float(value)) if measure.percent else f"{float(value):g}"


def tile_map(
    tiles: Mapping[str, tuple[int, int]], units: Sequence[Unit], measure: Measure, messages: Messages
) -> Chart:
    """A square per unit at its place in `tiles`, coloured (and, for categories, hatched) by its class of the
    measure, with its name and printed value; a legend, the not reported class last."""
    from matplotlib.patches import Patch, Rectangle

    lang = messages.lang
    _setup(lang)
    classes, membership = _classes(measure, messages)
    membership = {unit.slug: membership.get(unit.slug, len(classes) - 1) for unit in units}
    columns = max(col for col, _ in tiles.values()) + 1
    rows = max(row for _, row in tiles.values()) + 1
    figure, axes = _figure(0.72 * rows + 0.7)
    for unit in units:
        col, row = tiles[unit.slug]
        kind = classes[membership[unit.slug]]
        axes.add_patch(
            Rectangle(
                (col, -row - 1),
                0.94,
                0.94,
                facecolor=kind.colour,
                hatch=kind.hatch,
                edgecolor="#ffffff",
                linewidth=0.6,
            )
        )
        ink = "#ffffff" if _dark(kind.colour) and not kind.hatch else "#1a1a1a"
        name = _name(unit, lang)
        label = name if lang == "zh" else "\n".join(textwrap.wrap(name, 9, break_long_words=False))
        backing = {"facecolor": "#ffffff", "alpha": 0.85, "edgecolor": "none", "pad": 1} if kind.hatch else None
        value = _value_text(measure, measure.values.get(unit.slug), messages)
        axes.text(
            col + 0.47,
            -row - 0.38,
            label,
            ha="center",
            va="center",
            color=ink,
            fontsize=8 if lang == "zh" else 6,
            fontweight="bold",
            bbox=backing,
        )
        if value:
            axes.text(col + 0.47, -row - 0.75, value, ha="center", va="center", color=ink, fontsize=7)
    axes.set_xlim(-0.05, columns)
    axes.set_ylim(-rows - 0.05, 0.05)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(measure.title[lang], loc="left", fontsize=10, fontweight="bold")
    handles = [
        Patch(facecolor=kind.colour, hatch=kind.hatch, edgecolor="#777777", label=kind.label) for kind in classes
    ]
    axes.legend(handles=handles, loc="lower left", frameon=False, fontsize=7.5, bbox_to_anchor=(0.0, 0.0))
    groups = []
    for index, kind in enumerate(classes):
        names = [_name(unit, lang) for unit in units if membership[unit.slug] == index]
        if names:
            groups.append(messages("glance.tiles.group", label=kind.label, names=messages.join(names)))
    alt = messages("glance.tiles.alt", n=len(units), title=measure.title[lang], groups="".join(groups).strip())
    return Chart(_svg(figure), alt)


# ------------------------------------------------------------------------------------------------ ranking


def standings(data: YearData) -> dict[str, Standing]:
    """Each unit's known items over every code of the codebook, and how many are present."""
    codes = [code.id for code in data.codebook.codes]
    result = {}
    for unit in data.units:
        values = [cell.value for code in codes if (cell := data.cells.get((unit.gb_code, code))) is not None]
        result[unit.slug] = Standing(sum(values), len(values))
    return result


def ranking_chart(standing: Mapping[str, Standing], units: Sequence[Unit], messages: Messages) -> Chart:
    """A dot per province at its share of known items present, highest first, labelled with the number of known
    items (n) it rests on; equal shares share a rank; provinces with no known item are listed, not ranked."""
    lang = messages.lang
    _setup(lang)
    by_slug = {unit.slug: unit for unit in units}
    shares = {unit.slug: standing[unit.slug].share if unit.slug in standing else None for unit in units}
    ranks = competition_ranks(shares, highest_first=True)
    tied = {rank for rank in ranks.values() if rank is not None and list(ranks.values()).count(rank) > 1}
    ranked = sorted(
        (slug for slug in shares if ranks[slug] is not None), key=lambda slug: (ranks[slug], by_slug[slug].gb_code)
    )
    unranked = [slug for slug in shares if ranks[slug] is None]
    order = ranked + unranked
    figure, axes = _figure(0.17 * len(order) + 1.0)
    positions = list(range(len(order)))[::-1]
    labels = []
    for position, slug in zip(positions, order, strict=True):
        name, rank = _name(by_slug[slug], lang), ranks[slug]
        if rank is None:
            labels.append(name)
            axes.text(0.005, position, messages("status.unknown"), va="center", fontsize=7, color=TEXT_GREY)
            continue
        key = "glance.ranking.tied" if rank in tied else "glance.ranking.rank"
        labels.append(messages(key, rank=rank, name=name))
        share = shares[slug]
        axes.plot([0, share], [position, position], color="#d0d0d0", linewidth=0.6, zorder=1)
        axes.scatter([share], [position], s=18, color=OKABE_ITO[0], zorder=2)
        axes.text(
            share + 0.012,
            position,
            messages("glance.ranking.n", known=standing[slug].known),
            va="center",
            fontsize=6.5,
            color=TEXT_GREY,
        )
    axes.set_yticks(positions, labels, fontsize=7)
    axes.set_ylim(-0.7, len(order) - 0.3)
    axes.set_xlim(0, 1.12)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], [messages.percent(tick) for tick in (0, 0.25, 0.5, 0.75, 1.0)])
    axes.set_xlabel(messages("glance.ranking.axis"))
    axes.tick_params(axis="y", length=0)
    axes.set_title(messages("glance.ranking.title"), loc="left", fontsize=10, fontweight="bold")

    def described(slug: str) -> str:
        return messages(
            "glance.ranking.entry", name=_name(by_slug[slug], lang), share=shares[slug], known=standing[slug].known
        )

    alt = messages(
        "glance.ranking.alt",
        ranked=len(ranked),
        top=described(ranked[0]) if ranked else messages("status.unknown"),
        bottom=described(ranked[-1]) if ranked else messages("status.unknown"),
    )
    if unranked:
        alt += messages("glance.ranking.alt.unranked", unranked=len(unranked))
    return Chart(_svg(figure), alt)


# ------------------------------------------------------------------------------------------- plan dates


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


def diffusion_chart(diffusion: Diffusion, messages: Messages) -> Chart:
    """Cumulative provinces with a plan by month after the guidance: the nation above, the regions below. The solid
    line counts plans out for certain by each month's end, the band above it plans dated only to a year or period
    that may be out already; open markers show months in which plans dated by an upper bound are counted."""
    lang = messages.lang
    _setup(lang)
    figure, (top, bottom) = _figure(5.4, rows=2, ratios=(1, 1.15))
    xs = list(range(len(diffusion.months)))
    national, regions = diffusion.curves[0], diffusion.curves[1:]
    series = [(top, national, OKABE_ITO[7], "-", "o", messages("col.national"))]
    series += [
        (
            bottom,
            curve,
            OKABE_ITO[index],
            LINE_STYLES[index % 4],
            MARKERS[index % 4],
            messages("region.sized", name=curve.region[lang], size=curve.members),
        )
        for index, curve in enumerate(regions)
    ]
    for axes, curve, colour, style, marker, label in series:
        axes.fill_between(xs, curve.low, curve.high, color=colour, alpha=0.15, hatch="///", linewidth=0, step="post")
        axes.step(xs, curve.low, where="post", color=colour, linestyle=style, linewidth=1.4, label=label)
        axes.plot(xs, curve.low, linestyle="none", marker=marker, markersize=3, color=colour)
        marked = [x for x in xs if curve.bounds[x]]
        axes.plot(
            marked,
            [curve.low[x] for x in marked],
            linestyle="none",
            marker=marker,
            markersize=7,
            markerfacecolor="none",
            markeredgecolor=colour,
        )
        for x in marked:
            axes.annotate(
                str(curve.bounds[x]),
                (x, curve.low[x]),
                xytext=(4, -9),
                textcoords="offset points",
                fontsize=6.5,
                color=colour,
            )
    top.axhline(national.members, color=TEXT_GREY, linestyle=":", linewidth=0.8)
    top.text(
        0,
        national.members + 0.4,
        messages("glance.diffusion.members", members=national.members, undated=national.undated),
        fontsize=7,
        color=TEXT_GREY,
        va="bottom",
    )
    top.set_ylim(0, national.members + 4)
    bottom.set_ylim(0, max((curve.members for curve in regions), default=1) + 2)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    key = [
        Patch(facecolor=OKABE_ITO[7], alpha=0.15, hatch="///", label=messages("glance.diffusion.band")),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=7,
            markerfacecolor="none",
            markeredgecolor=OKABE_ITO[7],
            label=messages("glance.diffusion.bound"),
        ),
    ]
    top.legend(handles=key, loc="lower right", frameon=False, fontsize=7)
    bottom.legend(loc="upper left", frameon=False, fontsize=7)
    ticks = xs[::2]
    for axes in (top, bottom):
        axes.set_xticks(ticks, [diffusion.months[x] for x in ticks], fontsize=7)
        axes.set_xlim(-0.3, len(xs) - 0.2)
        axes.axvline(0, color=TEXT_GREY, linewidth=0.8, linestyle="--")
        axes.set_ylabel(messages("glance.diffusion.axis"), fontsize=8)
    top.text(
        0.1,
        national.members - 3,
        messages("glance.guidance", date=diffusion.guidance.isoformat()),
        fontsize=7,
        color=TEXT_GREY,
    )
    top.set_title(messages("glance.diffusion.title"), loc="left", fontsize=10, fontweight="bold")
    alt = messages(
        "glance.diffusion.alt",
        start=diffusion.months[0],
        end=diffusion.months[-1],
        regions=len(regions),
        count=national.low[-1],
        of=national.members,
        undated=national.undated,
        bands=national.bands,
        bounds=sum(national.bounds),
    )
    return Chart(_svg(figure), alt)


def timeline_chart(timings: Sequence[PlanTiming], units: Sequence[Unit], messages: Messages, guidance: date) -> Chart:
    """One row per province, earliest plan first: a dot for a day, a bar over its month for a month, a hatched band
    for a year or period, an open arrowhead at the bound (with a dotted line back to the guidance) for an upper
    bound; a doubtful date is hollow and its province marked '?'. Provinces with no date are listed last."""
    lang = messages.lang
    _setup(lang)
    by_slug = {unit.slug: unit for unit in units}
    dated = sorted(
        (timing for timing in timings if timing.date is not None),
        key=lambda timing: (timing.date.latest, timing.date.earliest or guidance, by_slug[timing.slug].gb_code),
    )
    undated = [timing for timing in timings if timing.date is None]
    order = dated + undated
    figure, axes = _figure(0.16 * len(order) + 1.3)
    positions = list(range(len(order)))[::-1]
    start = guidance.toordinal()
    colours = {"day": OKABE_ITO[0], "month": OKABE_ITO[2], "band": OKABE_ITO[4], "bound": OKABE_ITO[5]}
    labels = []
    for position, timing in zip(positions, order, strict=True):
        name = _name(by_slug[timing.slug], lang)
        span = timing.date
        if span is None:
            labels.append(name)
            axes.text(start + 3, position, messages("status.unknown"), va="center", fontsize=6.5, color=TEXT_GREY)
            continue
        labels.append(messages("glance.timeline.doubtful", name=name) if timing.doubtful else name)
        first = (
            max((span.earliest or guidance), guidance).toordinal()
            if span.latest >= guidance
            else (span.earliest or guidance).toordinal()
        )
        last = span.latest.toordinal() + 1
        fill = "none" if timing.doubtful else None
        if span.precision == "day":
            axes.plot(
                [first],
                [position],
                marker="o",
                markersize=4,
                color=colours["day"],
                markerfacecolor=fill or colours["day"],
            )
        elif span.precision == "month":
            axes.barh(
                position,
                last - first,
                left=first,
                height=0.55,
                color=fill or colours["month"],
                edgecolor=colours["month"],
            )
        elif span.precision == "bound":
            axes.plot([start, last - 1], [position, position], linestyle=":", linewidth=0.8, color=colours["bound"])
            axes.plot(
                [last - 1],
                [position],
                marker="<",
                markersize=5,
                color=colours["bound"],
                markerfacecolor=fill or colours["bound"],
            )
        else:
            axes.barh(
                position,
                last - first,
                left=first,
                height=0.55,
                color="none",
                edgecolor=colours["band"],
                hatch="////",
                linewidth=0.6,
            )
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    key = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            color=colours["day"],
            label=messages("glance.precision.key.day"),
        ),
        Patch(facecolor=colours["month"], label=messages("glance.precision.key.month")),
        Patch(facecolor="none", edgecolor=colours["band"], hatch="////", label=messages("glance.precision.key.band")),
        Line2D(
            [],
            [],
            linestyle=":",
            marker="<",
            markersize=5,
            color=colours["bound"],
            label=messages("glance.precision.key.bound"),
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            color=TEXT_GREY,
            markerfacecolor="none",
            label=messages("glance.precision.key.doubtful"),
        ),
    ]
    axes.legend(handles=key, loc="upper right", frameon=False, fontsize=6.5)
    axes.set_yticks(positions, labels, fontsize=6.5)
    axes.tick_params(axis="y", length=0)
    end = max((timing.date.latest for timing in dated), default=guidance)
    months = []
    month = date(guidance.year, guidance.month, 1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    ticks = months[::2]
    axes.set_xticks(
        [tick.toordinal() for tick in ticks], [f"{tick.year}-{tick.month:02d}" for tick in ticks], fontsize=7
    )
    axes.set_xlim(start - 8, end.toordinal() + 10)
    axes.set_ylim(-0.8, len(order) - 0.2)
    axes.axvline(start, color=TEXT_GREY, linewidth=0.8, linestyle="--")
    axes.text(
        start + 2,
        len(order) - 0.6,
        messages("glance.guidance", date=guidance.isoformat()),
        fontsize=6.5,
        color=TEXT_GREY,
        va="bottom",
    )
    axes.set_title(messages("glance.timeline.title"), loc="left", fontsize=10, fontweight="bold")
    counts = {
        precision: sum(1 for timing in dated if timing.date.precision == precision)
        for precision in ("day", "month", "span", "year", "bound")
    }
    alt = messages(
        "glance.timeline.alt",
        guidance=guidance.isoformat(),
        n=len(order),
        day=counts["day"],
        month=counts["month"],
        bands=counts["span"] + counts["year"],
        bounds=counts["bound"],
        doubtful=sum(timing.doubtful for timing in dated),
        undated=len(undated),
    )
    return Chart(_svg(figure), alt)
