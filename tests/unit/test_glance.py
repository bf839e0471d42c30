"""The glance charts (report.glance): the tile map, the ranking, the diffusion curve and the timeline, read back
from their SVG; their text alternatives and the timing sentence in both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from provincial_plans.analysis.timing import GUIDANCE, diffusion, plan_timings
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.core.i18n import load_messages
from provincial_plans.report.glance import (
    Measure,
    Standing,
    diffusion_chart,
    load_tiles,
    ranking_chart,
    standings,
    tile_map,
    timeline_chart,
    timing_sentence,
)

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "data" / "reference" / "layout_province_tiles.csv"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=["zh", "en"])
def messages(request):
    return load_messages(ROOT / "data" / "messages", request.param)


@pytest.fixture(scope="module")
def tiles(data_2017):
    return load_tiles(LAYOUT, data_2017.units)


def texts(svg: str) -> list[str]:
    """Every text an SVG shows, line by line (matplotlib writes a multi-line label as one <text> per line)."""
    root = ET.fromstring(svg)
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text") if "".join(element.itertext())]


def test_shipped_layout_gives_every_province_its_own_square(data_2017, tiles):
    assert set(tiles) == {unit.slug for unit in data_2017.units}
    assert len(set(tiles.values())) == 31
    # north above south, west left of east, for a few well-known pairs
    assert tiles["heilongjiang"][1] < tiles["hainan"][1] and tiles["xinjiang"][0] < tiles["shanghai"][0]


def test_layout_with_two_provinces_on_one_square_is_refused(tmp_path, data_2017):
    text = LAYOUT.read_text(encoding="utf-8").replace("22,吉林,6,1", "22,吉林,5,1")
    path = tmp_path / "layout.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"line 9: duplicate square \(col × row\) 5 × 1 \(first at line 8\)"):
        load_tiles(path, data_2017.units)


def test_tile_map_names_every_province_and_shows_unknown_as_not_reported(data_2017, tiles, messages):
    values = {unit.slug: 0.5 for unit in data_2017.units} | {"tibet": None, "gansu": 0.0}
    measure = Measure({"zh": "合成测量", "en": "Synthetic measure"}, values, percent=True)
    chart = tile_map(tiles, data_2017.units, measure, messages)
    shown = texts(chart.svg)
    names = [unit.short_zh if messages.lang == "zh" else unit.name_en for unit in data_2017.units]
    flat = " ".join(shown)
    assert all(name.split()[0] in flat for name in names)
    unknown = messages("status.unknown")
    assert unknown in shown  # the legend names the class
    # Gansu's 0 is printed as 0%; Tibet's unknown is printed as no number at all, never as 0
    assert shown.count(messages.percent(0.0)) == 1 and shown.count(messages.percent(0.5)) == 29
    tibet = "西藏" if messages.lang == "zh" else "Tibet"
    assert re.search(rf"{unknown}[:：] ?{tibet}", chart.alt)
    assert "style=" not in chart.svg  # presentation attributes only: the site's CSP forbids inline style


def test_categorical_tile_map_has_a_legend_entry_per_category(data_2017, tiles, messages):
    regions = {unit.slug: unit.region3[1] for unit in data_2017.units}
    categories = tuple(
        (en, {"zh": zh, "en": en}) for zh, en in (("东部", "East"), ("中部", "Central"), ("西部", "West"))
    )
    chart = tile_map(tiles, data_2017.units, Measure({"zh": "地区", "en": "Region"}, regions, categories), messages)
    shown = texts(chart.svg)
    for label in ("东部", "中部", "西部") if messages.lang == "zh" else ("East", "Central", "West"):
        assert label in shown
    assert len(re.findall(r"[:：]", chart.alt)) >= 3


def test_categorical_value_outside_its_categories_is_an_error(data_2017, tiles, messages):
    measure = Measure({"zh": "地区", "en": "Region"}, {"beijing": "North"}, (("East", {"zh": "东部", "en": "East"}),))
    with pytest.raises(PipelineError, match="'North' is not one of its categories"):
        tile_map(tiles, data_2017.units, measure, messages)


def test_number_outside_the_scale_is_an_error(data_2017, tiles, messages):
    measure = Measure({"zh": "任务", "en": "Tasks"}, {"beijing": 5}, scale=(0, 4))
    with pytest.raises(PipelineError, match="5 is outside its scale 0-4"):
        tile_map(tiles, data_2017.units, measure, messages)


def test_ranking_shows_n_known_and_shares_ranks_on_ties(data_2017, messages):
    given = {unit.slug: Standing(3, 4) for unit in data_2017.units}
    given |= {"beijing": Standing(8, 8), "tianjin": Standing(7, 10), "hebei": Standing(0, 0)}
    chart = ranking_chart(given, data_2017.units, messages)
    shown = texts(chart.svg)
    first = "北京" if messages.lang == "zh" else "Beijing"
    assert f"1. {first}" in shown
    # 28 provinces at 75% share rank 2 after Beijing (100%); Tianjin (70%) comes after all of them
    tied = [text for text in shown if text.startswith("=2. ")]
    assert len(tied) == 28
    tianjin = "天津" if messages.lang == "zh" else "Tianjin"
    assert f"30. {tianjin}" in shown
    assert shown.count("n = 4") == 28 and "n = 10" in shown and "n = 8" in shown
    assert messages("status.unknown") in shown  # Hebei has no known item: listed, not ranked
    assert chart.alt.endswith(messages("glance.ranking.alt.unranked", unranked=1))


def test_real_standings_rest_on_known_cells_only(data_2017):
    given = standings(data_2017)
    beijing = given["beijing"]
    known = [c for (gb, _), c in data_2017.cells.items() if gb == "11"]
    assert (beijing.present, beijing.known) == (sum(c.value for c in known), len(known))


def test_diffusion_and_timeline_say_what_they_show(data_2017, messages):
    timings = plan_timings(data_2017.units, data_2017.documents)
    chart = diffusion_chart(diffusion(timings, data_2017.units, "nbs"), messages)
    shown = texts(chart.svg)
    assert "2016-09" in shown and "2017-11" in shown  # every second month labelled, from the guidance's
    assert messages("glance.diffusion.members", members=31, undated=2) in shown
    assert all(str(n) in chart.alt for n in (29, 31, 4))  # 29 of 31 dated, four regions
    timeline = timeline_chart(timings, data_2017.units, messages, GUIDANCE)
    shown = texts(timeline.svg)
    assert shown.count(messages("status.unknown")) == 2  # Beijing and Shanghai
    doubtful = [text for text in shown if text.endswith(("?", "？"))]
    assert len(doubtful) == 4  # Anhui, Xinjiang (inferred bounds), Guangdong (URL path), Guangxi (conflict)
    assert "style=" not in chart.svg + timeline.svg


def test_timing_sentence_in_both_languages(data_2017):
    timings = {t.slug: t for t in plan_timings(data_2017.units, data_2017.documents)}
    zh = load_messages(ROOT / "data" / "messages", "zh")
    en = load_messages(ROOT / "data" / "messages", "en")
    assert timing_sentence(timings["heilongjiang"], en) == (
        "Plan date: 2017-02-07 (source: signing date); no. 2 of the 6 provinces dated to the day, earliest first; "
        "131 days after the central guidance."
    )
    assert timing_sentence(timings["jilin"], zh) == (
        "方案日期：2017-05-13或之前（依据：发布或转载日期，为上限）；在日期仅知上限的9个省份中按先后并列第5；"
        "距中央指导意见至多226天。"
    )
    assert "4 to 15 months" in timing_sentence(timings["tianjin"], en)
    assert timing_sentence(timings["beijing"], zh) == "目录中没有方案日期：未报告。"
    guangxi = timing_sentence(timings["guangxi"], en)
    assert guangxi.startswith("Plan date: 2016 (uncertain) (source: year in the document number)")
    assert guangxi.endswith("Other evidence disagrees: 2017 (the earlier catalogue).")
