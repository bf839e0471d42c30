"""What every chart of the reports shares: the report's fonts and look, a figure of the page's width, SVG that the
site's Content-Security-Policy lets through, and a placeholder where a chart has nothing to draw."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from provincial_plans.report.fonts import register_matplotlib, report_families
from provincial_plans.report.profile import GREY, SVG_NS

WIDTH_IN = 6.3  # fits the A4 text block


def setup_fonts(lang: str):
    """The edition's fonts (measured with the report's own font files) and the charts' look."""
    import matplotlib  # 1.8 s: the national charts only, never a render job (profile_svg)

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


def new_figure(height_in: float, rows: int = 1, ratios: Sequence[float] | None = None, width_in: float = WIDTH_IN):
    """A figure of the report's width (or less) and `rows` axes (heights in `ratios`), on an Agg canvas (text
    extents for the layout) as pyplot would make it, without pyplot: 0.5 s to import, and a registry of open
    figures to close."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # (matplotlib: see setup_fonts)
    from matplotlib.figure import Figure  # (matplotlib: see setup_fonts)

    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    return figure, figure.subplots(rows, 1, gridspec_kw={"height_ratios": ratios} if ratios else None)


def placeholder(text: str):
    """A chart's place when there is no data: the reason, in words, never an empty axis."""
    figure, axes = new_figure(0.9)
    axes.axis("off")
    axes.text(0.0, 0.5, text, ha="left", va="center", fontsize=9, color=GREY, wrap=True)
    return figure


def to_svg(figure) -> str:
    """The figure laid out tight once, then drawn once: without a layout engine left on the figure, savefig skips
    the second, unrendered draw it makes for one (measured: a third of the charts job). The SVG is parsed once,
    given presentation attributes and merged markers, and written without its XML prolog and DOCTYPE, so that it
    can be inlined."""
    buffer = io.StringIO()
    figure.tight_layout()
    figure.set_layout_engine(None)
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(buffer.getvalue())
    presentation_attributes(root)
    merged_markers(root)
    return ET.tostring(root, encoding="unicode")


def presentation_attributes(root: ET.Element) -> None:
    """matplotlib's `style` attributes and <style> element turned into presentation attributes, in place.

    The site's Content-Security-Policy allows no inline style, so Chromium would drop every fill and stroke, and
    every text's font-family, font-size, font-weight and text-anchor, that matplotlib writes as `style="..."`;
    attributes such as fill="..." are markup, not style, and pass.
    """
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}style":  # `*{stroke-linejoin: round; ...}`: inherited from the root
                root.attrib.update(_declarations(child.text.strip().removeprefix("*{").removesuffix("}")))
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            element.attrib.update(_declarations(style))


XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
PATH_TOKEN = re.compile(r"[MLQCz]|-?[0-9.]+(?:e-?[0-9]+)?")


def merged_markers(root: ET.Element) -> None:
    """Each run of a series' markers as one <path>, in place, where matplotlib writes a <use> of the marker per point.

    Why: WeasyPrint draws a <use> by copying the marker's tree, about 0.5 ms each: the heatmap's 313 markers
    were most of its time in the national PDF. A run is a sequence of sibling <use>s of the same marker with the
    same attributes, so the drawing order between differently styled markers is kept."""
    markers = {element.get("id"): element for element in root.iter(f"{{{SVG_NS}}}path") if element.get("id")}
    for parent in list(root.iter()):
        children, merged = list(parent), []
        for child in children:
            run = merged[-1] if merged and isinstance(merged[-1], list) else None
            if _is_marker_use(child, markers) and run and _same_marker(run[0], child):
                run.append(child)
            else:
                merged.append([child] if _is_marker_use(child, markers) else child)
        if any(isinstance(item, list) for item in merged):
            parent[:] = [_one_path(item, markers) if isinstance(item, list) else item for item in merged]


def _is_marker_use(element: ET.Element, markers: dict[str, ET.Element]) -> bool:
    return element.tag == f"{{{SVG_NS}}}use" and element.get(XLINK_HREF, "").removeprefix("#") in markers


def _same_marker(first: ET.Element, other: ET.Element) -> bool:
    def style(element: ET.Element) -> dict[str, str]:
        return {name: value for name, value in element.attrib.items() if name not in ("x", "y")}

    return style(first) == style(other)


def _one_path(uses: list[ET.Element], markers: dict[str, ET.Element]) -> ET.Element:
    """The markers of a run as the subpaths of one path: each an absolute move to its point, then the marker's
    outline in relative commands. The marker's own attributes win over the <use>'s, as they do when the <use> is
    drawn (its attributes are only inherited)."""
    marker = markers[uses[0].get(XLINK_HREF).removeprefix("#")]
    attributes = {name: value for name, value in uses[0].attrib.items() if name not in ("x", "y", XLINK_HREF)}
    attributes.update({name: value for name, value in marker.attrib.items() if name not in ("id", "d")})
    (x, y), outline = _relative(marker.get("d"))
    subpaths = [
        f"M {_number(x + float(use.get('x', '0')))} {_number(y + float(use.get('y', '0')))} {outline}" for use in uses
    ]
    return ET.Element(f"{{{SVG_NS}}}path", {"d": " ".join(subpaths), **attributes})


def _relative(outline: str) -> tuple[tuple[float, float], str]:
    """A marker's outline as matplotlib writes it (absolute M, L, Q, C and z) as its starting point and the rest in
    relative commands, the same for every point the marker is drawn at."""
    tokens = PATH_TOKEN.findall(outline)
    if not tokens or tokens[0] != "M":
        raise ValueError(f"a marker outline that does not start with M: {outline[:40]!r}")
    start = current = (float(tokens[1]), float(tokens[2]))
    commands, index = [], 3
    while index < len(tokens):
        command, index = tokens[index], index + 1
        if command == "z":
            commands.append("z")
            current = start
            continue
        count = {"M": 1, "L": 1, "Q": 2, "C": 3}[command]
        points = [(float(tokens[index + 2 * n]), float(tokens[index + 2 * n + 1])) for n in range(count)]
        index += 2 * count
        moved = " ".join(f"{_number(px - current[0])} {_number(py - current[1])}" for px, py in points)
        commands.append(f"{command.lower()} {moved}")
        current = points[-1]
        if command == "M":
            start = current
    return start, " ".join(commands)


def _number(value: float) -> str:
    """As matplotlib writes a coordinate: at most six decimals, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _declarations(css: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}
