"""When each province answered the central guidance, as charts of the national report (one per language): the
cumulative count of plans by month, nationally and by region (the policy-diffusion curve), and the timeline of
each province's plan date.

A year-only date stays a band and a bound an open marker: nothing is placed on a day it does not name. Doubtful
dates are marked; an undated plan is named "not reported". Every line and mark has a second channel (line style,
marker shape) beside its colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from provincial_plans.analysis.records import Curve, Diffusion, PlanTiming, UnitInfo
from provincial_plans.core.i18n import Messages
from provincial_plans.model.dates import Span
from provincial_plans.report.drawing import new_figure, setup_fonts, to_svg
from provincial_plans.report.profile import GREY, OKABE_ITO

LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("s", "^", "D", "o")
COLOURS = {"day": OKABE_ITO[0], "month": OKABE_ITO[2], "band": OKABE_ITO[4], "bound": OKABE_ITO[5]}  # timeline


def _curve(axes, xs: list[int], curve: Curve, colour: str, style: str, marker: str, label: str) -> None:
    """One curve of the diffusion chart: the certain count as steps, the band above it, open markers at bounds."""
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


def _diffusion_key(messages: Messages) -> list:
    """The diffusion chart's key to its band and its bound markers (the regions' lines carry their own labels)."""
    from matplotlib.lines import Line2D  # (matplotlib: see drawing.setup_fonts)
    from matplotlib.patches import Patch  # (matplotlib: see drawing.setup_fonts)

    return [
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


def diffusion_chart(diffusion: Diffusion, messages: Messages) -> str:
    """Cumulative provinces with a plan by month after the guidance: the nation above, the regions below. The solid
    line counts plans out for certain by each month's end, the band above it plans dated only to a year or period
    that may be out already; open markers show months in which plans dated by an upper bound are counted."""
    lang = messages.lang
    setup_fonts(lang)
    figure, (top, bottom) = new_figure(5.4, rows=2, ratios=(1, 1.15))
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
        _curve(axes, xs, curve, colour, style, marker, label)
    top.axhline(national.members, color=GREY, linestyle=":", linewidth=0.8)
    top.text(
        0,
        national.members + 0.4,
        messages("glance.diffusion.members", members=national.members, undated=national.undated),
        fontsize=7,
        color=GREY,
        va="bottom",
    )
    top.set_ylim(0, national.members + 4)
    bottom.set_ylim(0, max((curve.members for curve in regions), default=1) + 2)
    key = _diffusion_key(messages)
    top.legend(handles=key, loc="lower right", frameon=False, fontsize=7)
    bottom.legend(loc="upper left", frameon=False, fontsize=7)
    ticks = xs[::2]
    for axes in (top, bottom):
        axes.set_xticks(ticks, [diffusion.months[x] for x in ticks], fontsize=7)
        axes.set_xlim(-0.3, len(xs) - 0.2)
        axes.axvline(0, color=GREY, linewidth=0.8, linestyle="--")
        axes.set_ylabel(messages("glance.diffusion.axis"), fontsize=8)
    top.text(
        0.1,
        national.members - 3,
        messages("glance.guidance", date=diffusion.guidance.isoformat()),
        fontsize=7,
        color=GREY,
    )
    top.set_title(messages("glance.diffusion.title"), loc="left", fontsize=10, fontweight="bold")
    return to_svg(figure)


def _mark(axes, span: Span, position: int, doubtful: bool, guidance: date) -> None:
    """A plan date on its row: a dot (day), a bar over its month, an arrowhead at a bound with a dotted line back to
    the guidance, or a hatched band (year, period); hollow when doubtful."""
    start = guidance.toordinal()
    first = (
        max((span.earliest or guidance), guidance).toordinal()
        if span.latest >= guidance
        else (span.earliest or guidance).toordinal()
    )
    last = span.latest.toordinal() + 1
    fill = "none" if doubtful else None
    if span.precision == "day":
        axes.plot(
            [first],
            [position],
            marker="o",
            markersize=4,
            color=COLOURS["day"],
            markerfacecolor=fill or COLOURS["day"],
        )
    elif span.precision == "month":
        axes.barh(
            position,
            last - first,
            left=first,
            height=0.55,
            color=fill or COLOURS["month"],
            edgecolor=COLOURS["month"],
        )
    elif span.precision == "bound":
        axes.plot([start, last - 1], [position, position], linestyle=":", linewidth=0.8, color=COLOURS["bound"])
        axes.plot(
            [last - 1],
            [position],
            marker="<",
            markersize=5,
            color=COLOURS["bound"],
            markerfacecolor=fill or COLOURS["bound"],
        )
    else:
        axes.barh(
            position,
            last - first,
            left=first,
            height=0.55,
            color="none",
            edgecolor=COLOURS["band"],
            hatch="////",
            linewidth=0.6,
        )


def _timeline_key(messages: Messages) -> list:
    """The timeline's key: one entry per way a date is drawn, and the hollow mark of a doubtful one."""
    from matplotlib.lines import Line2D  # (matplotlib: see drawing.setup_fonts)
    from matplotlib.patches import Patch  # (matplotlib: see drawing.setup_fonts)

    return [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            color=COLOURS["day"],
            label=messages("glance.precision.key.day"),
        ),
        Patch(facecolor=COLOURS["month"], label=messages("glance.precision.key.month")),
        Patch(facecolor="none", edgecolor=COLOURS["band"], hatch="////", label=messages("glance.precision.key.band")),
        Line2D(
            [],
            [],
            linestyle=":",
            marker="<",
            markersize=5,
            color=COLOURS["bound"],
            label=messages("glance.precision.key.bound"),
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            color=GREY,
            markerfacecolor="none",
            label=messages("glance.precision.key.doubtful"),
        ),
    ]


def _month_ticks(axes, guidance: date, end: date) -> None:
    """Every second month from the guidance's to the last date's, on a day axis."""
    months = []
    month = date(guidance.year, guidance.month, 1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    ticks = months[::2]
    axes.set_xticks(
        [tick.toordinal() for tick in ticks], [f"{tick.year}-{tick.month:02d}" for tick in ticks], fontsize=7
    )


def timeline_chart(
    timings: Sequence[PlanTiming], units: Mapping[str, UnitInfo], messages: Messages, guidance: date
) -> str:
    """One row per province, earliest plan first: a dot for a day, a bar over its month for a month, a hatched band
    for a year or period, an open arrowhead at the bound (with a dotted line back to the guidance) for an upper
    bound; a doubtful date is hollow and its province marked '?'. Provinces with no date are listed last."""
    lang = messages.lang
    setup_fonts(lang)
    dated = sorted(
        (timing for timing in timings if timing.date is not None),
        key=lambda timing: (timing.date.latest, timing.date.earliest or guidance, units[timing.slug].gb_code),
    )
    undated = [timing for timing in timings if timing.date is None]
    order = dated + undated
    figure, axes = new_figure(0.16 * len(order) + 1.3)
    positions = list(range(len(order)))[::-1]
    start = guidance.toordinal()
    labels = []
    for position, timing in zip(positions, order, strict=True):
        name = units[timing.slug].short_name[lang]
        span = timing.date
        if span is None:
            labels.append(name)
            axes.text(start + 3, position, messages("status.unknown"), va="center", fontsize=6.5, color=GREY)
            continue
        labels.append(messages("glance.timeline.doubtful", name=name) if timing.doubtful else name)
        _mark(axes, span, position, timing.doubtful, guidance)
    key = _timeline_key(messages)
    axes.legend(handles=key, loc="upper right", frameon=False, fontsize=6.5)
    axes.set_yticks(positions, labels, fontsize=6.5)
    axes.tick_params(axis="y", length=0)
    end = max((timing.date.latest for timing in dated), default=guidance)
    _month_ticks(axes, guidance, end)
    axes.set_xlim(start - 8, end.toordinal() + 10)
    axes.set_ylim(-0.8, len(order) - 0.2)
    axes.axvline(start, color=GREY, linewidth=0.8, linestyle="--")
    axes.text(
        start + 2,
        len(order) - 0.6,
        messages("glance.guidance", date=guidance.isoformat()),
        fontsize=6.5,
        color=GREY,
        va="bottom",
    )
    axes.set_title(messages("glance.timeline.title"), loc="left", fontsize=10, fontweight="bold")
    return to_svg(figure)
