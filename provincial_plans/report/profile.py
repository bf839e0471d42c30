"""A province's standing as an inline SVG chart: its share of items present by family against its region and the
nation. Drawn here rather than by matplotlib: a province job would pay ~1.8 s to import matplotlib and ~0.1 s per
figure (measured), a third of the cold build; this SVG costs nothing measurable. Text stays text, set in the report's
fonts, so it reads in both editions and in the PDF. A family the province has no reported item in gets no bar, and
says so."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from provincial_plans.contexts.contract import ProvinceContext
from provincial_plans.core.i18n import Messages
from provincial_plans.report.fonts import font_family_css

# The Okabe-Ito palette (safe for colour-blind readers), for every chart of the reports.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SVG_NS = "http://www.w3.org/2000/svg"
BAR, GAP, LABEL_W, PLOT_W = 9, 7, 170, 380
TOP = 30  # the legend's height
GREY = "#5a5a5a"

Series = list[tuple[str, str, str]]  # (part of a family's standing, legend label, colour)


def profile_svg(context: ProvinceContext, messages: Messages) -> str:
    """The chart of a province report's standing section."""
    lang = messages.lang
    unit = context.unit
    series = [
        ("unit", unit.short_name[lang], OKABE_ITO[0]),
        ("region", messages("col.region_named", region=unit.region), OKABE_ITO[1]),
        ("national", messages("col.national"), OKABE_ITO[2]),
    ]
    families = context.profile.families
    group = 3 * BAR + GAP
    width, height = LABEL_W + PLOT_W + 70, TOP + group * len(families) + 24
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "font-family": font_family_css(lang),
            "font-size": "10",
        },
    )
    _legend(svg, series, lang)
    for row, family in enumerate(families):
        y = TOP + row * group
        label = ET.SubElement(svg, "text", {"x": str(LABEL_W - 8), "y": str(y + 1.5 * BAR + 4), "text-anchor": "end"})
        label.text = family.label[lang]
        unknown = []
        for index, (part, name, colour) in enumerate(series):
            share = getattr(family, part).share
            if share is None:
                unknown.append((index, name))
            else:
                _bar(svg, share, y + index * BAR, colour, messages)
        if unknown:  # one label for the family's unknown bars, centred on them: never stacked lines of small print
            middle = y + BAR * (unknown[0][0] + unknown[-1][0] + 1) / 2
            note = ET.SubElement(svg, "text", {"x": str(LABEL_W + 4), "y": f"{middle + 3:.1f}", "font-size": "8"})
            note.set("fill", GREY)
            note.text = messages("chart.profile.unknown", names=messages.join([name for _, name in unknown]))
    _axis(svg, TOP + group * len(families), messages)
    return ET.tostring(svg, encoding="unicode")


def _legend(svg: ET.Element, series: Series, lang: str) -> None:
    x = LABEL_W
    for _, label, colour in series:
        ET.SubElement(svg, "rect", {"x": str(x), "y": "6", "width": "10", "height": "10", "fill": colour})
        text = ET.SubElement(svg, "text", {"x": str(x + 14), "y": "15"})
        text.text = label
        x += 14 + 11 * len(label) + 24 if lang == "zh" else 14 + 6 * len(label) + 24


def _bar(svg: ET.Element, share: float, y: float, colour: str, messages: Messages) -> None:
    """One bar with its percentage."""
    value = ET.SubElement(svg, "text", {"y": str(y + BAR - 1.5), "font-size": "8"})
    width = share * PLOT_W
    rect = {"x": str(LABEL_W), "y": str(y), "width": f"{width:.1f}", "height": str(BAR - 1), "fill": colour}
    ET.SubElement(svg, "rect", rect)
    value.set("x", f"{LABEL_W + width + 3:.1f}")
    value.text = messages.percent(share)


def _axis(svg: ET.Element, bottom: float, messages: Messages) -> None:
    line = {"x1": str(LABEL_W), "x2": str(LABEL_W), "y1": str(TOP - 4), "y2": str(bottom)}
    ET.SubElement(svg, "line", {**line, "stroke": "#1a1a1a", "stroke-width": "0.8"})
    for tick in (0, 0.5, 1):
        at = {"x": f"{LABEL_W + tick * PLOT_W:.1f}", "y": str(bottom + 14), "text-anchor": "middle"}
        mark = ET.SubElement(svg, "text", {**at, "font-size": "8", "fill": GREY})
        mark.text = messages.percent(tick)
