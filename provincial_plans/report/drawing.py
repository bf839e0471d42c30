"""What every chart of the reports shares: the report's fonts and look, a figure of the page's width, SVG that the
site's Content-Security-Policy lets through, and a placeholder where a chart has nothing to draw."""

from __future__ import annotations

import io
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
    the second, unrendered draw it makes for one (measured: a third of the charts job)."""
    buffer = io.StringIO()
    figure.tight_layout()
    figure.set_layout_engine(None)
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return presentation_attributes(buffer.getvalue())


def presentation_attributes(svg: str) -> str:
    """matplotlib's SVG with its `style` attributes and <style> element turned into presentation attributes.

    The site's Content-Security-Policy allows no inline style, so Chromium would drop every fill and stroke, and
    every text's font-family, font-size, font-weight and text-anchor, that matplotlib writes as `style="..."`;
    attributes such as fill="..." are markup, not style, and pass. The XML prolog and DOCTYPE go too, so that the
    SVG can be inlined.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}style":  # `*{stroke-linejoin: round; ...}`: inherited from the root
                root.attrib.update(_declarations(child.text.strip().removeprefix("*{").removesuffix("}")))
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            element.attrib.update(_declarations(style))
    return ET.tostring(root, encoding="unicode")


def _declarations(css: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}
