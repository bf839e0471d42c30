"""National charts as SVG, one look in both languages, their text real text set in the report's own fonts.

matplotlib measures the text with the very font files the report ships (@font-face WOFF2 in the site, embedded
subsets in the PDF) and writes it as SVG <text> naming those families, so Chromium and WeasyPrint set it where it
was measured. A reader can select and search it; glyph paths made the SVG several times larger and cost WeasyPrint
seconds per PDF to draw.

Colours are the Okabe-Ito palette (safe for colour-blind readers); every bar also carries its number, so no
reading depends on colour. Output is deterministic (fixed hash salt, no date) for reproducible builds.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from provincial_plans.analysis.records import NationalRow
from provincial_plans.contexts.contract import NationalContext, read_national
from provincial_plans.core.atomic import write_text
from provincial_plans.core.i18n import Messages, load_messages
from provincial_plans.report.drawing import new_figure, placeholder, setup_fonts, to_svg
from provincial_plans.report.glance import GLANCE_CHARTS, glance_charts
from provincial_plans.report.profile import OKABE_ITO

MARKERS = ("o", "s", "^", "D", "v")  # a second channel beside colour: regions, the external chart's groups
CHARTS = ("tasks", "content", "regions", "heatmap", "coverage", "external", *GLANCE_CHARTS)


NO_LINE_START = "、，。；：！？）》」』”’"  # Chinese punctuation that ends the line before it, never starts one


def _wrap(label: str, lang: str, width: int) -> str:
    """Lines of `width` Latin characters or half as many hanzi; a hanzi line keeps its closing punctuation."""
    if lang != "zh":
        return "\n".join(textwrap.wrap(label, width))
    lines = []
    while label:
        cut = width // 2
        while cut < len(label) and label[cut] in NO_LINE_START:
            cut += 1
        lines.append(label[:cut])
        label = label[cut:]
    return "\n".join(lines)


def _adoption_bars(rows: list[NationalRow], messages: Messages, title_key: str, axis_key: str, of: int):
    rows = [row for row in rows if row.national.share is not None]
    lang = messages.lang
    figure, axes = new_figure(0.45 * len(rows) + 0.9)
    labels = [_wrap(row.label[lang], lang, 34) for row in rows]
    counts = [row.national.count for row in rows]
    positions = range(len(rows))[::-1]
    axes.barh(list(positions), counts, color=OKABE_ITO[0], height=0.6)
    for position, row in zip(positions, rows, strict=True):
        figure_ = row.national
        text = messages.fraction(figure_.count, figure_.of, figure_.share)
        axes.text(figure_.count + of * 0.01, position, text, va="center", fontsize=8)
    axes.set_yticks(list(positions), labels)
    axes.set_xlim(0, of * 1.28)
    axes.set_xlabel(messages(axis_key))
    axes.set_title(messages(title_key), loc="left", fontsize=10, fontweight="bold")
    return figure


def _regions_chart(context: NationalContext, messages: Messages):
    lang = messages.lang
    rows = context.family_rows("task")
    regions = context.regions
    figure, axes = new_figure(3.2)
    width = 0.8 / max(len(regions), 1)
    hatches = ["", "//", "\\\\", "xx"]
    for index, region in enumerate(regions):
        shares = []
        for row in rows:
            entry = next(e for e in row.regions if e.region["en"] == region.name["en"])
            shares.append(entry.share if entry.share is not None else 0.0)
        xs = [i + (index - (len(regions) - 1) / 2) * width for i in range(len(rows))]
        axes.bar(
            xs,
            shares,
            width=width * 0.95,
            color=OKABE_ITO[index],
            hatch=hatches[index % 4],
            edgecolor="white",
            label=messages("region.sized", name=region.name[lang], size=region.size),
        )
        for x, share in zip(xs, shares, strict=True):
            axes.text(x, share + 0.01, f"{share * 100:.0f}", ha="center", fontsize=6.5)
    axes.set_xticks(range(len(rows)), [_wrap(row.label[lang], lang, 18) for row in rows], fontsize=7.5)
    axes.set_ylim(0, 1.22)  # room for the legend above the bars' labels
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_ylabel(messages("chart.regions.axis"))
    axes.set_title(messages("chart.regions.title"), loc="left", fontsize=10, fontweight="bold")
    axes.legend(frameon=False, fontsize=7.5, ncols=len(regions), loc="upper right")
    return figure


def _heatmap(context: NationalContext, messages: Messages):
    """Province × code: present a filled square, absent an empty one, not reported a small grey dot — three
    shapes, so the reading never depends on colour."""
    lang = messages.lang
    heat = context.heatmap
    rows, codes = heat.rows, heat.codes
    figure, axes = new_figure(0.19 * len(rows) + 1.9)
    styles = {
        1: {"marker": "s", "s": 34, "color": OKABE_ITO[0]},
        0: {"marker": "s", "s": 34, "facecolors": "white", "edgecolors": OKABE_ITO[5], "linewidths": 0.9},
        None: {"marker": ".", "s": 10, "color": "#9a9a9a"},
    }
    for value, style in styles.items():
        points = [(x, y) for y, row in enumerate(rows) for x, cell in enumerate(row.values) if cell == value]
        if points:
            xs, ys = zip(*points, strict=True)
            label = messages({1: "status.present", 0: "status.absent", None: "status.unknown"}[value])
            axes.scatter(xs, ys, label=label, **style)
    axes.set_xticks(range(len(codes)), [_wrap(code.label[lang], lang, 24) for code in codes], fontsize=6.5, rotation=90)
    axes.set_yticks(range(len(rows)), [row.unit[lang] for row in rows], fontsize=6.5)
    axes.set_xlim(-0.6, len(codes) - 0.4)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.tick_params(length=0)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_title(messages("chart.heatmap.title"), loc="left", fontsize=10, fontweight="bold", pad=22)
    axes.legend(frameon=False, fontsize=7, ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0), borderaxespad=0.2)
    return figure


def _coverage_chart(context: NationalContext, messages: Messages):
    """Administrative levels the platform covers (x) against departments connected (y), one marker per region."""
    coverage = context.coverage
    if coverage is None or not coverage.points:
        return placeholder(messages("coverage.none", year=context.year))
    lang = messages.lang
    figure, axes = new_figure(3.4)
    names = [region.region["en"] for region in coverage.regions]
    for index, name in enumerate(names):
        points = [p for p in coverage.points if p.region["en"] == name]
        if points:
            axes.scatter(
                [p.levels for p in points],
                [p.departments for p in points],
                s=26,
                marker=MARKERS[index % len(MARKERS)],
                color=OKABE_ITO[index],
                label=points[0].region[lang],
            )
    axes.set_xticks(range(1, 6), [messages(f"coverage.level.{level}") for level in range(1, 6)])
    axes.set_xlim(0.5, 5.5)
    axes.set_xlabel(messages("coverage.axis.x"))
    axes.set_ylabel(messages("coverage.axis.y"))
    axes.set_title(messages("coverage.title"), loc="left", fontsize=10, fontweight="bold")
    axes.legend(frameon=False, fontsize=7.5)
    return figure


def _external_chart(context: NationalContext, messages: Messages):
    """A dot plot of the outside measure, one row per province, grouped by the share of task targets it set
    (highest first; marker and colour per group) and ordered by the measure within a group: the shares are a few
    discrete levels, so a scatter would stack provinces on them."""
    lang = messages.lang
    external = context.external
    if external is None or not external.points:
        return placeholder(messages("external.none"))
    levels = sorted({point.coverage for point in external.points}, reverse=True)
    rows: list[tuple[float, str, int]] = []  # (value, name, group) from the top
    labels: list[tuple[int, str]] = []  # (row of the group's first province, its label)
    for group, level in enumerate(levels):
        members = sorted((p for p in external.points if p.coverage == level), key=lambda p: (-p.value, p.slug))
        labels.append((len(rows) + group, messages("external.group", share=messages.percent(level), n=len(members))))
        rows.extend((point.value, point.name[lang], group) for point in members)
    figure, axes = new_figure(0.16 * (len(rows) + len(levels)) + 1.0)
    names, positions = [], []
    for index, (value, name, group) in enumerate(rows):
        position = -(index + group + 1)  # a row between groups for the group's label
        axes.scatter([value], [position], s=20, color=OKABE_ITO[group % 8], marker=MARKERS[group % len(MARKERS)])
        names.append(name)
        positions.append(position)
    low, high = min(value for value, _, _ in rows), max(value for value, _, _ in rows)
    for start, label in labels:
        axes.text(low - 0.02 * (high - low + 1), -start, label, fontsize=7.5, fontweight="bold", va="center")
    axes.set_yticks(positions, names, fontsize=6.5)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.set_xlim(low - 0.03 * (high - low + 1), high + 0.03 * (high - low + 1))
    axes.set_ylim(min(positions) - 0.7, 0.5)
    axes.set_xlabel(messages("external.axis.y"))
    axes.set_title(messages("external.title"), loc="left", fontsize=10, fontweight="bold")
    return figure


def national_charts(context: NationalContext, messages: Messages) -> dict[str, str]:
    setup_fonts(messages.lang)
    of = context.unit_count
    return {
        "tasks": to_svg(
            _adoption_bars(context.family_rows("task"), messages, "chart.tasks.title", "chart.tasks.axis", of),
        ),
        "content": to_svg(
            _adoption_bars(context.family_rows("content"), messages, "chart.content.title", "chart.content.axis", of),
        ),
        "regions": to_svg(_regions_chart(context, messages)),
        "heatmap": to_svg(_heatmap(context, messages)),
        "coverage": to_svg(_coverage_chart(context, messages)),
        "external": to_svg(_external_chart(context, messages)),
        **glance_charts(context.glance, messages),
    }


def write_national_charts(national: Path, out_dir: Path, languages: list[str], messages_dir: Path) -> None:
    """Rule `charts`: reports/{year}/charts/{chart}.{lang}.svg."""
    context = read_national(national)
    for lang in languages:
        for name, svg in national_charts(context, load_messages(messages_dir, lang)).items():
            write_text(out_dir / f"{name}.{lang}.svg", svg)
