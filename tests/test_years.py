"""Years side by side (issue 7 item 1), progress lines (item 7) and render batches (item 6) on small builds.

There is no real 2018 data: the second year is synthetic, made by the test in a temporary copy of the workflow
(tests/years.py), and the configs say `synthetic: true`.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest

from pipeline.changes import unit_changes
from pipeline.progress import progress_line, report_files

from .conftest import copy_workflow, planned_jobs, snakemake
from .test_workflow import Page
from .years import synthetic_year

# Liaoning sets the platform target in the synthetic 2018 (absent in 2017); Guizhou's assessment target is not
# reported in 2018 (so it is not compared); Beijing is unchanged.
FLIPS = {("21", "task.platform"): "1", ("52", "task.assessment"): ""}
CONFIG = """data: data
years: {years}
units: [beijing, liaoning, guizhou]
languages: [zh, en]
formats: [html]
region_scheme: three
synthetic: true
"""


def configure(workdir: Path, years: list[int], **extra: object) -> None:
    text = CONFIG.format(years=years) + "".join(f"{key}: {value}\n" for key, value in extra.items())
    (workdir / "config" / "tiny.yaml").write_text(text, encoding="utf-8")


def planned_outputs(stdout: str) -> list[str]:
    lines = [line.split()[1:] for line in stdout.splitlines() if line.strip().startswith("output:")]
    return [name.rstrip(",") for names in lines for name in names]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """2017 built alone, then a synthetic 2018 added: the dry run's output, then the built two-year workflow."""
    workdir = copy_workflow(tmp_path_factory.mktemp("years") / "workflow")
    configure(workdir, [2017])
    first = snakemake(workdir)
    assert first.returncode == 0, first.stderr[-3000:]
    synthetic_year(workdir, 2018, FLIPS)
    configure(workdir, [2017, 2018])
    dry = snakemake(workdir, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    second = snakemake(workdir)
    assert second.returncode == 0, second.stderr[-3000:]
    return workdir, dry


def test_adding_a_year_builds_its_reports_and_rebuilds_nothing_of_2017(two_years):
    _, dry = two_years
    outputs = planned_outputs(dry.stdout)
    assert outputs and not [name for name in outputs if "/2017/" in name], outputs
    staged = {"build/site/2018/liaoning.zh.html", "build/site/2018/national.en.html", "build/site/index.html"}
    assert staged | {"reports/2018/.published", "reports/.published"} <= set(outputs)  # built, then published
    jobs = planned_jobs(dry)
    assert "indicators" not in jobs and jobs["indicators_changes"] == 1 and jobs["render_province"] == 3


def test_a_province_report_shows_what_changed_since_the_earlier_year(two_years):
    workdir, _ = two_years
    liaoning = Page(workdir / "reports" / "2018" / "liaoning.en.html")
    text = " ".join(" ".join(liaoning.text).split())
    assert "changes" in liaoning.sections
    assert "Changes since 2017" in text
    assert "Newly in the plan: Integrated online service platform." in text
    assert "Liaoning newly set a target for Integrated online service platform in 2018 (none in 2017)." in text
    assert "6/8 (75.0%) in 2017, 7/8 (87.5%) in 2018" in text
    zh = " ".join(" ".join(Page(workdir / "reports" / "2018" / "liaoning.zh.html").text).split())
    assert "2017年以来的变化" in zh and "新纳入方案：一体化网上政务服务平台。" in zh
    assert Page(workdir / "reports" / "2018" / "liaoning.zh.html").sections == liaoning.sections
    beijing = " ".join(" ".join(Page(workdir / "reports" / "2018" / "beijing.en.html").text).split())
    assert "No item changed." in beijing and "Newly in the plan" not in beijing


def test_the_first_year_shows_nothing_year_on_year(two_years):
    workdir, _ = two_years
    year = workdir / "reports" / "2017"
    for stem in ("national", "liaoning"):
        page = Page(year / f"{stem}.en.html")
        assert "changes" not in page.sections
        assert "since" not in " ".join(page.text).lower()
    assert not list((year / "tables").glob("changes_*"))


def test_year_on_year_tables_compare_only_cells_known_in_both_years(two_years):
    workdir, _ = two_years
    tables = workdir / "reports" / "2018" / "tables"
    with (tables / "changes_by_unit.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    changes = {(row["slug"], row["code"]): row["change"] for row in rows}
    assert changes[("liaoning", "task.platform")] == "gained"
    assert ("guizhou", "task.assessment") not in changes  # not reported in 2018: no change, never a 0
    assert set(changes.values()) == {"gained", "same"}
    assert len({row["slug"] for row in rows}) == 31  # every province, not only the configured ones
    with (tables / "changes_national.csv").open(encoding="utf-8-sig") as stream:
        national = {row["code"]: row for row in csv.DictReader(stream)}
    assert (national["task.platform"]["count_then"], national["task.platform"]["count_now"]) == ("30", "31")
    assert (tables / "changes_by_unit.parquet").stat().st_size > 0
    index = Page(workdir / "reports" / "2018" / "index.html")
    assert "tables/changes_national.csv" in index.links
    national_page = Page(workdir / "reports" / "2018" / "national.en.html")
    row = national_page.cells.index("Integrated online service platform", national_page.cells.index("2018"))
    assert national_page.cells[row + 1 : row + 3] == ["30/31 (96.8%)", "31/31 (100.0%)"]


def test_the_index_across_years_links_each_year(two_years):
    workdir, _ = two_years
    index = Page(workdir / "reports" / "index.html")
    assert set(index.links) == {"2017/index.html", "2018/index.html"}
    text = " ".join(index.text)
    assert "2018年全部报告" in text and "2018: all reports" in text


def test_unit_changes_need_a_cell_known_in_both_years(data_2017):
    unit = data_2017.unit("beijing")
    empty = type(data_2017)(2016, data_2017.units, data_2017.codebook, data_2017.rules, {}, {})
    assert unit_changes(empty, data_2017, unit) is None
    same = unit_changes(data_2017, data_2017, unit)
    assert same["gained"] == same["lost"] == [] and same["then"] == same["now"]
    assert len(same["rows"]) == sum(1 for (gb, _) in data_2017.cells if gb == unit.gb_code)


def test_render_jobs_print_how_many_units_are_done(built):
    lines = []
    for log in sorted((built / "logs" / "2017" / "render").glob("*.log")):
        if log.stem != "national":
            lines += [line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("reports done")]
    assert len(lines) == 3
    assert all(re.fullmatch(r"reports done: [123]/3 units \(2017\)", line) for line in lines), lines
    final = progress_line(built / "build" / "2017" / "reports.json", built / "reports")
    assert final == "reports done: 3/3 units (2017)"


def test_progress_counts_a_unit_only_when_every_edition_exists(tmp_path):
    listed = tmp_path / "reports.json"
    listed.write_text('{"year": 2018, "units": ["a", "b"], "editions": ["zh.html", "en.html"]}', encoding="utf-8")
    folder = tmp_path / "reports" / "2018"
    folder.mkdir(parents=True)
    for name in ("a.zh.html", "a.en.html", "b.zh.html"):
        (folder / name).write_text("x", encoding="utf-8")
    assert progress_line(listed, tmp_path / "reports") == "reports done: 1/2 units (2018)"
    assert len(report_files(listed, tmp_path / "reports")) == 6


def test_render_batches_render_several_units_per_job(tmp_path):
    workdir = copy_workflow(tmp_path / "workflow")
    configure(workdir, [2017], render_batch=2)
    result = snakemake(workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    jobs = re.findall(r"^(?:local)?rule (render\w+):$", log, re.M)
    assert sorted(jobs) == ["render_batch_2017_0", "render_batch_2017_1", "render_national"]
    assert "reports done: 3/3 units (2017)" in log
    for slug in ("beijing", "liaoning", "guizhou"):
        assert "Changes since" not in (workdir / "reports" / "2017" / f"{slug}.en.html").read_text(encoding="utf-8")
    again = snakemake(workdir, "--dry-run")
    assert "Nothing to be done" in again.stdout + again.stderr
