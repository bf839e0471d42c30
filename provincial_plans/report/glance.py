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
from collections.abc import Sequence

from provincial_plans.contexts.contract import Glance, Standing, TileMeasure
from provincial_plans.core.i18n import Messages
from provincial_plans.report.drawing import new_figure, placeholder, setup_fonts, to_svg
from provincial_plans.report.glance_text import ranked, tile_classes
from provincial_plans.report.profile import GREY, OKABE_ITO
from provincial_plans.report.timing_charts import diffusion_chart, timeline_chart

UNKNOWN_FILL, UNKNOWN_HATCH = "#eeeeee", "////"
TILE_IN = 0.42  # a province's square on the tile map, in inches: two maps and their captions fit a page
LEGEND_TILES = 3.2  # the legend's column east of the grid, in squares: no class label over a province
HATCHES = ("", "//", "\\\\", "xx", "..", "++", "oo", "--")
GLANCE_CHARTS = ("tiles_tasks", "tiles_share", "tiles_region", "ranking", "diffusion", "timeline")


def _dark(colour: str) -> bool:
    """Whether white text reads better than black on the colour (relative luminance below 0.4)."""
    from matplotlib.colors import to_rgb  # (matplotlib: see drawing.setup_fonts)

    red, green, blue = to_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.4


def _fills(count: int, categorical: bool) -> list[tuple[str, str]]:
    """(colour, hatch) of each class but the last, not reported: Okabe-Ito and hatching for categories, cividis
    for numbers."""
    from matplotlib import colormaps  # (matplotlib: see drawing.setup_fonts)
    from matplotlib.colors import to_hex  # (matplotlib: see drawing.setup_fonts)

    if categorical:
        fills = [(OKABE_ITO[i % len(OKABE_ITO)], HATCHES[i % len(HATCHES)]) for i in range(count)]
    else:
        palette = colormaps["cividis"]
        fills = [(to_hex(palette(0.15 + 0.8 * i / max(count - 1, 1))), "") for i in range(count)]
    return [*fills, (UNKNOWN_FILL, UNKNOWN_HATCH)]


def tile_map(glance: Glance, measure: TileMeasure, messages: Messages) -> str:
    """A square per unit at its place, coloured (and, for categories, hatched) by its class of the measure, with
    its name and printed value; a legend, the not reported class last. No squares: a placeholder saying so."""
    from matplotlib.patches import Patch, Rectangle  # (matplotlib: see drawing.setup_fonts)

    lang = messages.lang
    setup_fonts(lang)
    if not glance.tiles:
        return to_svg(placeholder(messages("glance.tiles.none")))
    classes = tile_classes(measure, [tile.unit.slug for tile in glance.tiles], messages)
    fills = _fills(len(classes.labels) - 1, classes.categorical)
    columns = max(tile.col for tile in glance.tiles) + 1
    rows = max(tile.row for tile in glance.tiles) + 1
    figure, axes = new_figure(TILE_IN * rows + 0.5, width_in=TILE_IN * (columns + LEGEND_TILES) + 0.3)
    for tile in glance.tiles:
        colour, hatch = fills[classes.members[tile.unit.slug]]
        axes.add_patch(
            Rectangle(
                (tile.col, -tile.row - 1), 0.94, 0.94, facecolor=colour, hatch=hatch, edgecolor="#ffffff", linewidth=0.6
            )
        )
        ink = "#ffffff" if _dark(colour) and not hatch else "#1a1a1a"
        name = tile.unit.short_name[lang]
        label = name if lang == "zh" else "\n".join(textwrap.wrap(name, 9, break_long_words=False))
        backing = {"facecolor": "#ffffff", "alpha": 0.85, "edgecolor": "none", "pad": 1} if hatch else None
        x, y = tile.col + 0.47, -tile.row
        size = 7 if lang == "zh" else 4.5
        axes.text(
            x, y - 0.38, label, ha="center", va="center", color=ink, fontsize=size, fontweight="bold", bbox=backing
        )
        value = measure.values.get(tile.unit.slug)
        if value is not None and not measure.categories:
            shown = messages.percent(float(value)) if measure.percent else f"{float(value):g}"
            axes.text(x, y - 0.75, shown, ha="center", va="center", color=ink, fontsize=6.5)
    axes.set_xlim(-0.05, columns + LEGEND_TILES)
    axes.set_ylim(-rows - 0.05, 0.05)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(messages(f"glance.tiles.{measure.id}.title"), loc="left", fontsize=10, fontweight="bold")
    handles = [
        Patch(facecolor=colour, hatch=hatch, edgecolor="#777777", label=label)
        for label, (colour, hatch) in zip(classes.labels, fills, strict=True)
    ]
    axes.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=7.5,
        bbox_to_anchor=(columns + 0.2, 0.0),
        bbox_transform=axes.transData,
    )
    return to_svg(figure)


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
