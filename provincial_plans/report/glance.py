"""The country at a glance, and when each province answered: SVG charts from the national context's glance
(contexts.glance), one per language; their text alternatives and the tile maps' classes are report.glance_text's.

- tile_map: the provinces as squares in their usual relative places, coloured by a measure, categorical or numeric;
- ranking_chart: the provinces ranked by their share of known items present, each with the number of known items
  the share rests on, ties sharing a rank;
- the diffusion curve and the timeline of plans after the central guidance: report.timing_charts.

Colours are the project's colour-blind-safe palettes (Okabe-Ito for categories, cividis for numbers), and every
chart carries a second channel (hatching, marker shape, printed values), so no reading depends on colour. An unknown
value is drawn and named "not reported", never 0.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from provincial_plans.contexts.contract import Glance, Standing, TileMeasure
from provincial_plans.core.i18n import Messages
from provincial_plans.report.drawing import new_figure, placeholder, setup_fonts, to_svg
from provincial_plans.report.fonts import font_family_css
from provincial_plans.report.glance_text import ranked, tile_classes
from provincial_plans.report.profile import GREY, OKABE_ITO, SVG_NS
from provincial_plans.report.timing_charts import diffusion_chart, timeline_chart

GLANCE_CHARTS = ("tiles_tasks", "tiles_share", "tiles_region", "ranking", "diffusion", "timeline")
UNKNOWN_FILL = "#eeeeee"
CELL = 30.24  # a province's place on the tile map, in points (0.42 in): two maps and their captions fit a page
SQUARE = 0.94 * CELL
LEGEND_CELLS = 3.2  # the legend's column east of the grid, in cells: no class label over a province
TITLE_H = 20.0  # the title's band above the grid
# Second channels for categories: hatch line paths in a 6 pt cell ("" none), drawn in the pattern's ink
HATCHES = (
    "",
    "M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5",  # ／
    "M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1",  # ＼
    "M0,6 L6,0 M0,0 L6,6",  # ×
    "M0,3 L6,3",  # —
    "M3,0 L3,6",  # |
    "M0,3 L6,3 M3,0 L3,6",  # +
    "M1.5,1.5 L2.5,2.5 M4.5,4.5 L5.5,5.5",  # specks
)
UNKNOWN_HATCH = "M0,4 L4,0 M-1,1 L1,-1 M3,5 L5,3"  # denser, in a 4 pt cell: not reported


def _dark(colour: str) -> bool:
    """Whether white text reads better than black on the colour (relative luminance below 0.4)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.4


def _fills(count: int, categorical: bool) -> list[tuple[str, str]]:
    """(colour, hatch path) of each class, the last one not reported: Okabe-Ito and hatching for categories,
    cividis for numbers."""
    if categorical:
        fills = [(OKABE_ITO[i % len(OKABE_ITO)], HATCHES[i % len(HATCHES)]) for i in range(count)]
    else:
        from matplotlib import colormaps  # (matplotlib: see drawing.setup_fonts; the charts job has it loaded)
        from matplotlib.colors import to_hex  # (matplotlib: see drawing.setup_fonts)

        palette = colormaps["cividis"]
        fills = [(to_hex(palette(0.15 + 0.8 * i / max(count - 1, 1))), "") for i in range(count)]
    return [*fills, (UNKNOWN_FILL, UNKNOWN_HATCH)]


def _text(parent: ET.Element, x: float, y: float, text: str, size: float, **attributes: str) -> None:
    element = ET.SubElement(parent, "text", {"x": f"{x:.2f}", "y": f"{y:.2f}", "font-size": f"{size:g}", **attributes})
    element.text = text


def _patterns(svg: ET.Element, measure_id: str, fills: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An SVG pattern per hatched class, in white for the squares and in grey for the legend's keys; each class's
    (square paint, key paint). Ids carry the measure, as a page inlines several maps."""
    defs = ET.SubElement(svg, "defs")
    paints = []
    for index, (colour, hatch) in enumerate(fills):
        if not hatch:
            paints.append((colour, colour))
            continue
        size = "4" if hatch == UNKNOWN_HATCH else "6"
        pair = []
        for use, ink in (("tile", "#ffffff"), ("key", "#777777")):
            name = f"tiles-{measure_id}-{index}-{use}"
            pattern = ET.SubElement(
                defs, "pattern", {"id": name, "patternUnits": "userSpaceOnUse", "width": size, "height": size}
            )
            ET.SubElement(pattern, "rect", {"width": size, "height": size, "fill": colour})
            ET.SubElement(pattern, "path", {"d": hatch, "stroke": ink, "stroke-width": "0.8"})
            pair.append(f"url(#{name})")
        paints.append((pair[0], pair[1]))
    return paints


def tile_map(glance: Glance, measure: TileMeasure, messages: Messages) -> str:
    """A square per unit at its place, coloured (and, for categories, hatched) by its class of the measure, with
    its name and printed value; a legend, the not reported class last. No squares: a placeholder saying so.

    Drawn here rather than by matplotlib, like the profile chart: 31 squares and their labels need no layout
    engine, and matplotlib's took 0.2 s a map (six maps a build) and gave WeasyPrint more to draw."""
    lang = messages.lang
    if not glance.tiles:
        setup_fonts(lang)
        return to_svg(placeholder(messages("glance.tiles.none")))
    classes = tile_classes(measure, [tile.unit.slug for tile in glance.tiles], messages)
    fills = _fills(len(classes.labels) - 1, classes.categorical)
    columns = max(tile.col for tile in glance.tiles) + 1
    rows = max(tile.row for tile in glance.tiles) + 1
    width, height = CELL * (columns + LEGEND_CELLS), TITLE_H + CELL * rows + 4
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width:.2f} {height:.2f}",
            "width": f"{width:.2f}pt",
            "height": f"{height:.2f}pt",
            "font-family": font_family_css(lang),
        },
    )
    paints = _patterns(svg, measure.id, fills)
    _text(svg, 0, 12, messages(f"glance.tiles.{measure.id}.title"), 10, **{"font-weight": "bold"})
    size, line = (7.0, 8.0) if lang == "zh" else (4.5, 5.2)
    for tile in glance.tiles:
        index = classes.members[tile.unit.slug]
        (colour, hatch), x, top = fills[index], tile.col * CELL, TITLE_H + tile.row * CELL
        square = {"x": f"{x:.2f}", "y": f"{top:.2f}", "width": f"{SQUARE:.2f}", "height": f"{SQUARE:.2f}"}
        ET.SubElement(svg, "rect", {**square, "fill": paints[index][0]})
        ink = "#ffffff" if _dark(colour) and not hatch else "#1a1a1a"
        name = tile.unit.short_name[lang]
        lines = [name] if lang == "zh" else textwrap.wrap(name, 9, break_long_words=False)
        centre, middle = x + SQUARE / 2, top + 0.38 * CELL
        first = middle - (len(lines) - 1) * line / 2
        if hatch:  # a white backing keeps the name legible over the hatching
            wide = max(len(text) for text in lines) * size * (1.0 if lang == "zh" else 0.62) + 3
            back = {"x": f"{centre - wide / 2:.2f}", "y": f"{first - line / 2 - 1:.2f}", "width": f"{wide:.2f}"}
            back |= {"height": f"{len(lines) * line + 2:.2f}", "fill": "#ffffff", "fill-opacity": "0.85"}
            ET.SubElement(svg, "rect", back)
        for number, text in enumerate(lines):
            at = first + number * line + 0.35 * size
            _text(svg, centre, at, text, size, fill=ink, **{"font-weight": "bold", "text-anchor": "middle"})
        value = measure.values.get(tile.unit.slug)
        if value is not None and not measure.categories:
            shown = messages.percent(float(value)) if measure.percent else f"{float(value):g}"
            _text(svg, centre, top + 0.75 * CELL + 2.3, shown, 6.5, fill=ink, **{"text-anchor": "middle"})
    left = (columns + 0.2) * CELL
    for number, label in enumerate(classes.labels):
        y = TITLE_H + 4 + number * 11
        key = {"x": f"{left:.2f}", "y": f"{y:.2f}", "width": "20", "height": "7", "stroke": "#777777"}
        ET.SubElement(svg, "rect", {**key, "fill": paints[number][1], "stroke-width": "0.6"})
        _text(svg, left + 26, y + 6.5, label, 7.5, fill="#1a1a1a")
    return ET.tostring(svg, encoding="unicode")


def ranking_chart(standings: Sequence[Standing], messages: Messages) -> str:
    """A dot per province at its share of known items present, highest first, labelled with the number of known
    items (n) it rests on; equal shares share a rank; provinces with no known item are listed, not ranked."""
    lang = messages.lang
    setup_fonts(lang)
    order, unranked = ranked(standings)
    rows = order + unranked
    figure, axes = new_figure(0.17 * len(rows) + 1.0)
    positions = list(range(len(rows)))[::-1]
    labels = []
    for position, row in zip(positions, rows, strict=True):
        name, rank, share = row.unit.short_name[lang], row.rank.rank, row.overall.share
        if rank is None or share is None:
            labels.append(name)
            axes.text(0.005, position, messages("status.unknown"), va="center", fontsize=7, color=GREY)
            continue
        labels.append(messages("glance.ranking.tied" if row.rank.tied else "glance.ranking.rank", rank=rank, name=name))
        axes.plot([0, share], [position, position], color="#d0d0d0", linewidth=0.6, zorder=1)
        axes.scatter([share], [position], s=18, color=OKABE_ITO[0], zorder=2)
        known = messages("glance.ranking.n", known=row.overall.known)
        axes.text(share + 0.012, position, known, va="center", fontsize=6.5, color=GREY)
    axes.set_yticks(positions, labels, fontsize=7)
    axes.set_ylim(-0.7, len(rows) - 0.3)
    axes.set_xlim(0, 1.12)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], [messages.percent(tick) for tick in (0, 0.25, 0.5, 0.75, 1.0)])
    axes.set_xlabel(messages("glance.ranking.axis"))
    axes.tick_params(axis="y", length=0)
    axes.set_title(messages("glance.ranking.title"), loc="left", fontsize=10, fontweight="bold")
    return to_svg(figure)


def glance_charts(glance: Glance, messages: Messages) -> dict[str, str]:
    """Every glance chart of a language by name (GLANCE_CHARTS)."""
    units = {row.unit.slug: row.unit for row in glance.standings}
    charts = {f"tiles_{measure.id}": tile_map(glance, measure, messages) for measure in glance.measures}
    charts["ranking"] = ranking_chart(glance.standings, messages)
    charts["diffusion"] = diffusion_chart(glance.diffusion, messages)
    charts["timeline"] = timeline_chart(glance.timings, units, messages, glance.diffusion.guidance)
    return charts
