"""The site's index pages: the year's index (every report and table, with sizes) and its manifest.json, and the
index of the years. Built under build/site/; report.publish puts them in place."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from markupsafe import Markup

from provincial_plans import __version__
from provincial_plans.contexts.contract import NationalContext, read_national
from provincial_plans.core.atomic import write_text
from provincial_plans.core.i18n import Messages, both_catalogues
from provincial_plans.core.paths import TEMPLATES
from provincial_plans.core.provenance import build_time, lock_digest, write_manifest
from provincial_plans.report.glance_text import glance_alt
from provincial_plans.report.render import OUTPUT_NAME, environment, inline_figure


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files (provincial_plans.core.atomic) that a killed job left behind in the year's folder.

    The index job runs last, under Snakemake's lock, so no writer of this build is still active; a temporary
    still present is stale, and must not reach the manifest or a bundle.
    """
    stale = sorted(folder.rglob(".*.tmp"))
    for path in stale:
        path.unlink()
    return stale


def write_index(
    national: Path,
    out: Path,
    files: list[str],
    messages_dir: Path,
    templates: Path = TEMPLATES,
    inputs: list[str] = (),
    extra: list[str] = (),
) -> None:
    """Rule `index`: reports/{year}/index.html linking every report and table, then manifest.json.

    The manifest lists the SHA-256 of every input and of every output, the index itself and `extra` (assets,
    charts) included, so a copy of the site can be checked file by file.
    """
    context = read_national(national)
    zh, en = both_catalogues(messages_dir)
    entries, tables = _listing(context, out, files, zh, en)
    html = (
        environment(templates)
        .get_template("index.html.j2")
        .render(
            zh=zh,
            en=en,
            year=context.year,
            version=__version__,
            lock=lock_digest(),
            codebook_version=context.codebook_version,
            rules_version=context.rules_version,
            built=build_time().isoformat(),
            entries=entries,
            tables=tables,
            headline=context.glance.headline,
            maps=_maps(extra, context, zh, en),
        )
    )
    write_text(out, html)
    remove_stale_temporaries(out.parent)
    outputs = [Path(name) for name in [*files, *extra]] + [out]
    write_manifest(
        out.with_name("manifest.json"),
        context.year,
        context.codebook_version,
        [Path(name) for name in inputs],
        outputs,
    )


INDEX_CHARTS = ("tiles_tasks", "diffusion")  # the measure known for every province; when the provinces answered


def _maps(extra: list[str], context: NationalContext, zh: Messages, en: Messages) -> list[Markup]:
    """The index page's glance charts, each in Chinese then English, inlined (an SVG as an image would lose the
    site's fonts), with their text alternatives; none when the units have no tile layout."""
    if not context.glance.tiles:
        return []
    charts = {Path(name).name: Path(name) for name in extra}
    maps = []
    for chart in INDEX_CHARTS:
        for messages in (zh, en):
            path = charts.get(f"{chart}.{messages.lang}.svg")
            if path is not None:
                alt = glance_alt(context.glance, chart, messages)
                maps.append(inline_figure(path.read_text(encoding="utf-8"), alt))
    return maps


def _rows(path: Path) -> int:
    """The data rows of a CSV table (its records, less the header); a workbook counts as having rows."""
    if path.suffix != ".csv":
        return 1
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return max(sum(1 for _ in csv.reader(stream)) - 1, 0)


def _listing(
    context: NationalContext, out: Path, files: list[str], zh: Messages, en: Messages
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The index's entries (the national report, then each unit's in GB code order, with their files by language)
    and its tables (each described by the workbook's README line for it)."""
    by_stem: dict[str, dict[str, list[dict[str, str]]]] = {}
    tables = []
    for name in sorted(files):
        path = Path(name)
        href = path.relative_to(out.parent).as_posix()
        size = human_size(path.stat().st_size)
        match = OUTPUT_NAME.match(path.name)
        if match is None:
            key = {".xlsx": "index.workbook", ".dta": "index.stata", ".json": "index.datapackage"}.get(
                path.suffix, f"workbook.table.{path.stem}"
            )
            about = {"zh": zh(key), "en": en(key)}
            tables.append({"href": href, "name": path.name, "size": size, "about": about, "empty": not _rows(path)})
            continue
        entry = by_stem.setdefault(match["stem"], {"zh": [], "en": []})
        entry[match["lang"]].append({"href": href, "label": match["ext"].upper(), "size": size})
    entries = []
    if "national" in by_stem:
        national = {"zh": zh("index.national"), "en": en("index.national")}
        entries.append({"name": national, "region": None, "files": by_stem.pop("national")})
    for line in context.task_matrix:
        if line.unit.slug in by_stem:
            entries.append({"name": line.unit.name, "region": line.unit.region, "files": by_stem.pop(line.unit.slug)})
    return entries, tables


def write_years_index(years: list[int], out: Path, messages_dir: Path, templates: Path = TEMPLATES) -> None:
    """Rule `years_index`: reports/index.html linking each configured year's index, in both languages. It reads
    no year's outputs, so a change inside a year never rebuilds it; adding a year does."""
    zh, en = both_catalogues(messages_dir)
    ordered = sorted(years)
    html = (
        environment(templates)
        .get_template("years.html.j2")
        .render(zh=zh, en=en, years=ordered, stylesheet=f"{ordered[-1]}/assets/report.css", version=__version__)
    )
    write_text(out, html)
