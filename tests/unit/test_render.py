"""Charts and rendering: deterministic SVG with real text in the report's fonts; document text never becomes markup."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from provincial_plans.__main__ import main
from provincial_plans.analysis.figures import Figures
from provincial_plans.contexts.contract import Document
from provincial_plans.contexts.national import national_context
from provincial_plans.contexts.province import unit_context
from provincial_plans.core.i18n import load_messages
from provincial_plans.core.paths import TEMPLATES
from provincial_plans.report.charts import CHARTS, national_charts
from provincial_plans.report.drawing import merged_markers, new_figure, presentation_attributes, setup_fonts
from provincial_plans.report.fonts import font_family_css
from provincial_plans.report.profile import SVG_NS, profile_svg
from provincial_plans.report.render import html_document, page_css

MESSAGES = Path(__file__).resolve().parents[2] / "data" / "messages"
XLINK = "{http://www.w3.org/1999/xlink}href"


def test_charts_are_deterministic_text_in_the_report_fonts(data_2017):
    context = national_context(data_2017, "three")
    for lang in ("zh", "en"):
        messages = load_messages(MESSAGES, lang)
        first, second = national_charts(context, messages), national_charts(context, messages)
        assert first == second
        assert set(first) == set(CHARTS)
        for name, svg in first.items():
            assert svg.startswith("<svg") and "style=" not in svg and "<style" not in svg, name
            texts = list(ET.fromstring(svg).iter(f"{{{SVG_NS}}}text"))
            assert texts, name
            for text in texts:
                assert text.get("font-family") == font_family_css(lang), name
                assert text.get("font-size"), name
        tasks = ET.fromstring(first["tasks"])
        title = [text for text in tasks.iter(f"{{{SVG_NS}}}text") if text.text == messages("chart.tasks.title")]
        assert title and title[0].get("font-weight") == "700"


def test_a_series_markers_are_one_path_drawn_where_matplotlib_put_them():
    setup_fonts("en")
    figure, axes = new_figure(2.0)
    axes.scatter([1, 2, 3], [1, 4, 9], marker="s", color="#0072b2")
    axes.scatter([2], [2], marker="o", color="#d55e00")
    figure.tight_layout()
    figure.set_layout_engine(None)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    drawn = ET.fromstring(buffer.getvalue())
    presentation_attributes(drawn)
    markers = {path.get("id"): path for path in drawn.iter(f"{{{SVG_NS}}}path") if path.get("id")}
    uses = [use for use in drawn.iter(f"{{{SVG_NS}}}use") if use.get("fill") in ("#0072b2", "#d55e00")]
    assert len(uses) == 4  # the rest are tick marks

    merged_markers(drawn)
    assert not list(drawn.iter(f"{{{SVG_NS}}}use"))
    for colour, count in (("#0072b2", 3), ("#d55e00", 1)):
        (path,) = [path for path in drawn.iter(f"{{{SVG_NS}}}path") if path.get("fill") == colour]
        starts = [tuple(map(float, move.split()[:2])) for move in path.get("d").split("M ")[1:]]
        expected = []
        for use in (use for use in uses if use.get("fill") == colour):
            x0, y0 = map(float, markers[use.get(XLINK)[1:]].get("d").split()[1:3])
            expected.append((float(use.get("x")) + x0, float(use.get("y")) + y0))
        assert len(starts) == count
        assert len(starts) == len(expected)
        for (x, y), (expected_x, expected_y) in zip(starts, expected, strict=True):
            assert abs(x - expected_x) < 1e-5 and abs(y - expected_y) < 1e-5


def test_document_text_is_escaped(data_2017):
    context = unit_context(data_2017, data_2017.unit("beijing"), Figures(data_2017, "three"))
    title, number = "<script>alert(1)</script>", '<img src="http://example.org/x.png">'
    document = Document(title, number, "2017", "javascript:alert(1)", "located", "2017-05-04", "")
    hostile = replace(context, document=document)
    html = html_document(hostile, load_messages(MESSAGES, "en"), {}, pdf=False, stem="beijing", templates=TEMPLATES)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert '<img src="http' not in html
    assert 'href="javascript:' not in html


def test_page_footer_uses_the_catalogue():
    assert page_css(load_messages(MESSAGES, "zh")).count("counter(page") == 2
    assert '"第"' in page_css(load_messages(MESSAGES, "zh"))
    assert '"Page "' in page_css(load_messages(MESSAGES, "en"))


def test_coverage_figure_or_the_reason_in_words(data_2017):
    from provincial_plans.model.dataset import Target

    without = national_context(data_2017, "three")
    assert without.coverage is None
    for lang in ("zh", "en"):
        messages = load_messages(MESSAGES, lang)
        html = html_document(without, messages, {}, pdf=False, stem="national", templates=TEMPLATES)
        assert messages("coverage.none", year=2017) in html.replace("&#34;", '"')
    targets = {
        unit.gb_code: Target(3 + index % 3, 20 + index, "synthetic test targets")
        for index, unit in enumerate(data_2017.units[:12])
    }
    with_targets = national_context(replace(data_2017, targets=targets), "three")
    regions = {row.region["en"]: row for row in with_targets.coverage.regions}
    assert sum(row.reported for row in regions.values()) == 12
    assert sum(sum(row.by_level) for row in regions.values()) == 12
    assert len(with_targets.coverage.points) == 12
    svg = national_charts(with_targets, load_messages(MESSAGES, "en"))["coverage"]
    assert svg.count("<path") > national_charts(without, load_messages(MESSAGES, "en"))["coverage"].count("<path")


def test_an_output_no_context_makes_is_an_error_not_a_silent_skip(tmp_path, capsys):
    context = tmp_path / "hubei.json"
    context.write_text("{}", encoding="utf-8")  # never read: the mismatch is found first
    target = tmp_path / "hunan.zh.pdf"
    argv = ["render", "--no-server", "--context", str(context), "--messages", str(MESSAGES), "--", str(target)]
    assert main(argv) == 1
    assert capsys.readouterr().err.splitlines() == [f"error: {target}: no --context is named hunan.json"]
    assert not target.exists()


def test_profile_chart_names_unknown_bars_once_per_family(data_2017):
    """A family with unknown shares carries one "not reported" line naming them, not a stack of small labels."""
    context = unit_context(data_2017, data_2017.unit("anhui"), Figures(data_2017, "three"))
    for lang in ("zh", "en"):
        messages = load_messages(MESSAGES, lang)
        texts = [text.text or "" for text in ET.fromstring(profile_svg(context, messages)).iter(f"{{{SVG_NS}}}text")]
        assert messages("status.unknown") not in texts
        families_unknown = sum(
            any(part.share is None for part in (family.unit, family.region, family.national))
            for family in context.profile.families
        )
        assert families_unknown >= 3  # principles, goals, mechanisms: not reported for Anhui
        assert sum(text.startswith(messages("chart.profile.unknown", names="")) for text in texts) == families_unknown
