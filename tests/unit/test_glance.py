"""The glance charts (report.glance) from the national context's glance (contexts.glance): the tile map, the
ranking, the diffusion curve and the timeline, read back from their SVG; their text alternatives and the timing
sentence in both languages (report.glance_text)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from provincial_plans.analysis.figures import Figures, competition_ranks, unit_info
from provincial_plans.analysis.records import PresentShare
from provincial_plans.analysis.timing import GUIDANCE, diffusion, plan_timings
from provincial_plans.contexts.contract import Category, Standing, TileMeasure
from provincial_plans.contexts.glance import glance
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.core.i18n import load_messages
from provincial_plans.model.layout import load_tiles
from provincial_plans.report.glance import ranking_chart, tile_map
from provincial_plans.report.glance_text import glance_alt, ranking_alt, tile_alt, timing_sentence
from provincial_plans.report.timing_charts import diffusion_chart, timeline_chart

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "data" / "reference" / "layout_province_tiles.csv"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=["zh", "en"])
def messages(request):
    return load_messages(ROOT / "data" / "messages", request.param)


@pytest.fixture(scope="module")
def tiles(data_2017):
    return load_tiles(LAYOUT, data_2017.units)


@pytest.fixture(scope="module")
def year_glance(data_2017, tiles):
    return glance(
        data_2017, "three", Figures(data_2017, "three"), tiles, plan_timings(data_2017.units, data_2017.documents)
    )


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


def test_tile_map_names_every_province_and_shows_unknown_as_not_reported(data_2017, year_glance, messages):
    values = {unit.slug: 0.5 for unit in data_2017.units} | {"tibet": None, "gansu": 0.0}
    measure = TileMeasure("share", values, [], True, [0.0, 1.0])
    svg = tile_map(year_glance, measure, messages)
    shown = texts(svg)
    names = [unit.short_zh if messages.lang == "zh" else unit.name_en for unit in data_2017.units]
    flat = " ".join(shown)
    assert all(name.split()[0] in flat for name in names)
    unknown = messages("status.unknown")
    assert unknown in shown  # the legend names the class
    # Gansu's 0 is printed as 0%; Tibet's unknown is printed as no number at all, never as 0
    assert shown.count(messages.percent(0.0)) == 1 and shown.count(messages.percent(0.5)) == 29
    tibet = "西藏" if messages.lang == "zh" else "Tibet"
    assert re.search(rf"{unknown}[:：] ?{tibet}", tile_alt(year_glance, measure, messages))
    assert "style=" not in svg  # presentation attributes only: the site's CSP forbids inline style


def test_shipped_measures_map_tasks_shares_and_regions(year_glance, messages):
    assert [measure.id for measure in year_glance.measures] == ["tasks", "share", "region"]
    tasks = year_glance.measures[0]
    assert set(tasks.values.values()) <= {0, 1, 2, 3, 4} and None not in tasks.values.values()
    shown = texts(tile_map(year_glance, tasks, messages))
    assert messages("glance.tiles.tasks.title") in shown
    assert [label for label in ("0", "1", "2", "3", "4") if label in shown] == ["0", "1", "2", "3", "4"]
    alt = glance_alt(year_glance, "tiles_region", messages)
    for label in ("东部", "中部", "西部") if messages.lang == "zh" else ("East", "Central", "West"):
        assert label in alt


def test_units_without_squares_get_no_map_but_a_sentence(year_glance, messages):
    svg = tile_map(replace(year_glance, tiles=[]), year_glance.measures[0], messages)
    assert " ".join(texts(svg)).startswith(messages("glance.tiles.none")[:12])


def test_categorical_value_outside_its_categories_is_an_error(year_glance, messages):
    measure = TileMeasure("region", {"beijing": "North"}, [Category("East", {"zh": "东部", "en": "East"})], False, None)
    with pytest.raises(PipelineError, match="'North' is not one of its categories"):
        tile_map(year_glance, measure, messages)


def test_number_outside_the_scale_is_an_error(year_glance, messages):
    measure = TileMeasure("tasks", {"beijing": 5}, [], False, [0.0, 4.0])
    with pytest.raises(PipelineError, match="5 is outside its scale 0-4"):
        tile_map(year_glance, measure, messages)


def standings(data, given):
    """Standings from (present, known) per slug, ranked as contexts.glance ranks them."""
    shares = {slug: present / known if known else None for slug, (present, known) in given.items()}
    ranks = competition_ranks(shares)
    return [
        Standing(unit_info(unit, "three"), PresentShare(*given[unit.slug], 0, shares[unit.slug]), ranks[unit.slug])
        for unit in data.units
    ]


def test_ranking_shows_n_known_and_shares_ranks_on_ties(data_2017, messages):
    given = {unit.slug: (3, 4) for unit in data_2017.units} | {"beijing": (8, 8), "tianjin": (7, 10), "hebei": (0, 0)}
    rows = standings(data_2017, given)
    shown = texts(ranking_chart(rows, messages))
    first = "北京" if messages.lang == "zh" else "Beijing"
    assert f"1. {first}" in shown
    # 28 provinces at 75% share rank 2 after Beijing (100%); Tianjin (70%) comes after all of them
    tied = [text for text in shown if text.startswith("=2. ")]
    assert len(tied) == 28
    tianjin = "天津" if messages.lang == "zh" else "Tianjin"
    assert f"30. {tianjin}" in shown
    assert shown.count("n = 4") == 28 and "n = 10" in shown and "n = 8" in shown
    assert messages("status.unknown") in shown  # Hebei has no known item: listed, not ranked
    assert ranking_alt(rows, messages).endswith(messages("glance.ranking.alt.unranked", unranked=1))


def test_real_standings_rest_on_known_cells_only(data_2017, year_glance):
    beijing = next(row for row in year_glance.standings if row.unit.slug == "beijing")
    known = [c for (gb, _), c in data_2017.cells.items() if gb == "11"]
    assert (beijing.overall.present, beijing.overall.known) == (sum(c.value for c in known), len(known))


def test_diffusion_and_timeline_say_what_they_show(data_2017, year_glance, messages):
    timings = plan_timings(data_2017.units, data_2017.documents)
    nbs = replace(year_glance, diffusion=diffusion(timings, data_2017.units, "nbs"))
    chart = diffusion_chart(nbs.diffusion, messages)
    shown = texts(chart)
    assert "2016-09" in shown and "2017-11" in shown  # every second month labelled, from the guidance's
    assert messages("glance.diffusion.members", members=31, undated=2) in shown
    assert all(str(n) in glance_alt(nbs, "diffusion", messages) for n in (29, 31, 4))  # 29 of 31 dated, 4 regions
    units = {row.unit.slug: row.unit for row in year_glance.standings}
    timeline = timeline_chart(timings, units, messages, GUIDANCE)
    shown = texts(timeline)
    assert shown.count(messages("status.unknown")) == 2  # Beijing and Shanghai
    doubtful = [text for text in shown if text.endswith(("?", "？"))]
    assert len(doubtful) == 4  # Anhui, Xinjiang (inferred bounds), Guangdong (URL path), Guangxi (conflict)
    assert "style=" not in chart + timeline


def test_timing_sentence_in_both_languages(data_2017):
    timings = {t.slug: t for t in plan_timings(data_2017.units, data_2017.documents)}
    zh = load_messages(ROOT / "data" / "messages", "zh")
    en = load_messages(ROOT / "data" / "messages", "en")
    assert timing_sentence(timings["heilongjiang"], en) == (
        "Plan date: 2017-02-07, from the signing date; no. 2 of the 6 provinces dated to the day, earliest first; "
        "131 days after the central guidance."
    )
    assert timing_sentence(timings["jilin"], zh) == (
        "方案日期：2017-05-13或之前，依据为发布或转载日期，为上限；在日期仅知上限的9个省份中按先后并列第5；"
        "距中央指导意见至多226天。"
    )
    assert "4 to 15 months" in timing_sentence(timings["tianjin"], en)
    assert timing_sentence(timings["beijing"], zh) == "目录中没有方案日期：未报告。"
    guangxi = timing_sentence(timings["guangxi"], en)
    assert guangxi.startswith("Plan date: 2016 (uncertain), from the year in the document number;")
    assert guangxi.endswith("Other evidence disagrees: 2017 (the earlier catalogue).")
