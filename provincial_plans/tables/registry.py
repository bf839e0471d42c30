"""The tables of a year, one entry each: typed columns and the rows computed from the year's data.

Each table is written as CSV (UTF-8 with BOM), Parquet and a sheet of the workbook from the same typed values
(tables.write), never read back and typed again. A column's kind says what its cells hold: `text`, `int` (an
integer, or None) or `share` (a share rounded to four places, or None). None is "not reported": an empty CSV cell, a
null in Parquet, an empty workbook cell, never 0. Its labels in both languages are the message keys `column.<name>`,
or, for a column named by a code id, the code's labels (tables.workbook).

To add a table: one entry in TABLES (name, columns, rows), the messages `workbook.table.<name>` and `column.<name>`
of any new column in data/messages/{zh,en}.yaml; the workflow's rules list its files from TABLES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from provincial_plans.analysis.changes import national_changes, unit_changes
from provincial_plans.analysis.figures import Figures, national, regional
from provincial_plans.coding.reliability import reliability_table
from provincial_plans.model.dataset import Unit, YearData

Kind = Literal["text", "int", "share"]
WIDE = "cells_wide"  # the province × code matrix (tables.exports writes it for Stata too)
NAMES = f"{WIDE}_stata_names"
# what tables.exports writes beside the tables (the rules list them; the index lists all but the Parquet copy)
EXPORT_FILES = (f"{WIDE}.dta", f"{NAMES}.csv", "datapackage.json", f"{NAMES}.parquet")
IDENTIFIERS = ("gb_code", "slug", "province_zh", "province_en", "region_zh", "region_en")
Rows = Iterable[list[Any]]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Year:
    """What a table is computed from: the year's data, the region scheme, and the year compared with (if any)."""

    data: YearData
    scheme: str
    since: YearData | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: Callable[[Year], list[Column]]
    rows: Callable[[Year], Rows]
    changes: bool = False  # a year-on-year table: written only for a year compared with an earlier one


@dataclass(frozen=True)
class Table:
    """A table's typed values: `rows` hold str, int, float (shares, rounded) or None in the columns' kinds."""

    name: str
    columns: list[Column]
    rows: list[list[Any]]


def _columns(*names: str, **kinds: Kind) -> Callable[[Year], list[Column]]:
    return lambda _: [Column(name, kinds.get(name, "text")) for name in names]


def _indicators_national(year: Year) -> Rows:
    for code in year.data.codebook.codes:
        figure = national(year.data, code.id)
        known = figure.share is not None
        stated = figure.stated
        yield [
            code.id,
            code.family,
            code.label["zh"],
            code.label["en"],
            figure.count if known else None,
            figure.of if known else None,
            figure.share,
            figure.basis,
            figure.known,
            stated.count if stated else None,
            stated.source_section if stated else None,
        ]


def _indicators_by_region(year: Year) -> Rows:
    for code in year.data.codebook.codes:
        for entry in regional(year.data, code.id, year.scheme):
            region = entry.region
            yield [year.scheme, region["zh"], region["en"], code.id, entry.count, entry.known, entry.of, entry.share]


def _place(unit: Unit, scheme: str) -> list[str]:
    """A unit's identifiers as the cells tables give them (IDENTIFIERS)."""
    return [unit.gb_code, unit.slug, unit.short_zh, unit.name_en, *unit.region(scheme).values()]


def _cells(year: Year) -> Rows:
    data = year.data
    for unit in data.units:
        place = _place(unit, year.scheme)
        for code in data.codebook.codes:
            cell = data.cells.get((unit.gb_code, code.id))
            if cell is None:
                yield [*place, code.id, None, "not_reported", None, None]
            else:
                yield [*place, code.id, cell.value, cell.basis, cell.source_section, cell.note["en"]]


def _cells_wide(year: Year) -> Rows:
    """One row per unit: its identifiers, then each code's cell (1, 0, None: not reported), as `cells` has them."""
    data = year.data
    for unit in data.units:
        values = [
            cell.value if (cell := data.cells.get((unit.gb_code, code.id))) else None for code in data.codebook.codes
        ]
        yield [unit.gb_code, unit.slug, unit.short_zh, unit.name_en, *unit.region(year.scheme).values(), *values]


def _documents(year: Year) -> Rows:
    return ([d.scope, d.gb_code, d.title, d.doc_number, d.issue_date, d.address, d.status] for d in year.data.documents)


def _evidence(year: Year) -> Rows:
    evidence = year.data.machine.evidence if year.data.machine else {}
    for (slug, code), items in sorted(evidence.items()):
        for e in items:
            yield [slug, code, e.doc_id, e.sentence_id, e.section, e.heading, e.start, e.end, e.keyword, e.sentence]


def _reliability(year: Year) -> Rows:
    data = year.data
    rows = reliability_table(data.pairs, [f["id"] for f in data.codebook.families]) if data.pairs else []
    return ([r["family"], r["n"], r["agree"], r["observed"], r["alpha"], r["kappa"]] for r in rows)


def _disagreements(year: Year) -> Rows:
    return ([d.slug, d.code, d.fact, d.basis, d.machine] for d in year.data.disagreements)


def _alignment(year: Year) -> Rows:
    measures = ("central_codes", "covered", "coverage", "sentences", "reused", "reuse_share")
    return ([slug, *(m[name] for name in measures)] for slug, m in sorted(year.data.alignment.items()))


def _machine_codes(year: Year) -> list[str]:
    """The codes machine coding assigns (columns of the two code matrices)."""
    return [code.id for code in year.data.codebook.codes if code.coded_by != "human"]


def _codes_by_document(year: Year) -> Rows:
    machine = year.data.machine
    evidence = machine.evidence if machine else {}
    for unit, doc_id in machine.documents if machine else ():
        hits = [int(any(e.doc_id == doc_id for e in evidence.get((unit, code), ()))) for code in _machine_codes(year)]
        yield [unit, doc_id, *hits]


def _codes_by_unit(year: Year) -> Rows:
    machine = year.data.machine
    for slug in sorted(machine.coded_units if machine else ()):
        yield [slug, *(machine.value(slug, code) for code in _machine_codes(year))]


def _changes_by_unit(year: Year) -> Rows:
    then, now = year.since, year.data
    for unit in now.units:
        changes = unit_changes(then, now, unit)
        for row in changes.rows if changes else ():
            change = {(0, 1): "gained", (1, 0): "lost"}.get((row.then, row.now), "same")
            yield [unit.gb_code, unit.slug, row.code, then.year, row.then, now.year, row.now, change]


def _changes_national(year: Year) -> Rows:
    changes = national_changes(Figures(year.since, year.scheme), Figures(year.data, year.scheme))
    for row in changes.rows if changes else ():
        then, now = row.then, row.now
        yield [row.code, year.since.year, then.count, then.of, then.share, year.data.year, now.count, now.of, now.share]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "indicators_national",
        _columns(
            *("code", "family", "label_zh", "label_en", "count", "of", "share", "basis", "known_cells"),
            *("stated_count", "source_section"),
            count="int",
            of="int",
            share="share",
            known_cells="int",
            stated_count="int",
        ),
        _indicators_national,
    ),
    TableSpec(
        "indicators_by_region",
        _columns(
            "scheme",
            "region_zh",
            "region_en",
            "code",
            "count",
            "known",
            "of",
            "share",
            count="int",
            known="int",
            of="int",
            share="share",
        ),
        _indicators_by_region,
    ),
    TableSpec(
        "cells",
        _columns(
            *("gb_code", "slug", "province_zh", "province_en", "region_zh", "region_en", "code", "value", "basis"),
            *("source_section", "note"),
            value="int",
        ),
        _cells,
    ),
    TableSpec(
        WIDE,
        lambda year: (
            [Column(name) for name in IDENTIFIERS] + [Column(code.id, "int") for code in year.data.codebook.codes]
        ),
        _cells_wide,
    ),
    TableSpec(
        "documents",
        _columns("scope", "gb_code", "title", "doc_number", "issue_date", "official_address", "status"),
        _documents,
    ),
    TableSpec(
        "evidence",
        _columns(
            "unit",
            "code",
            "doc_id",
            "sentence_id",
            "section",
            "heading",
            "start",
            "end",
            "keyword",
            "sentence",
            start="int",
            end="int",
        ),
        _evidence,
    ),
    TableSpec(
        "reliability",
        _columns(
            "family",
            "pairs",
            "agree",
            "observed_agreement",
            "krippendorff_alpha_nominal",
            "cohen_kappa",
            pairs="int",
            agree="int",
            observed_agreement="share",
            krippendorff_alpha_nominal="share",
            cohen_kappa="share",
        ),
        _reliability,
    ),
    TableSpec(
        "disagreements",
        _columns("unit", "code", "fact_value", "fact_basis", "machine_value", fact_value="int", machine_value="int"),
        _disagreements,
    ),
    TableSpec(
        "alignment",
        _columns(
            "unit",
            "central_codes",
            "covered",
            "coverage",
            "sentences",
            "reused",
            "reuse_share",
            central_codes="int",
            covered="int",
            coverage="share",
            sentences="int",
            reused="int",
            reuse_share="share",
        ),
        _alignment,
    ),
    TableSpec(
        "codes_by_document",
        lambda year: [Column("unit"), Column("doc_id"), *(Column(code, "int") for code in _machine_codes(year))],
        _codes_by_document,
    ),
    TableSpec(
        "codes_by_unit",
        lambda year: [Column("unit"), *(Column(code, "int") for code in _machine_codes(year))],
        _codes_by_unit,
    ),
    TableSpec(
        "changes_by_unit",
        _columns(
            "gb_code",
            "slug",
            "code",
            "year_then",
            "value_then",
            "year_now",
            "value_now",
            "change",
            year_then="int",
            value_then="int",
            year_now="int",
            value_now="int",
        ),
        _changes_by_unit,
        changes=True,
    ),
    TableSpec(
        "changes_national",
        _columns(
            "code",
            "year_then",
            "count_then",
            "of_then",
            "share_then",
            "year_now",
            "count_now",
            "of_now",
            "share_now",
            year_then="int",
            count_then="int",
            of_then="int",
            share_then="share",
            year_now="int",
            count_now="int",
            of_now="int",
            share_now="share",
        ),
        _changes_national,
        changes=True,
    ),
)
TABLE_NAMES = tuple(spec.name for spec in TABLES if not spec.changes)  # every year's tables
CHANGE_TABLE_NAMES = tuple(spec.name for spec in TABLES if spec.changes)  # a year compared with an earlier one


def year_tables(year: Year) -> list[Table]:
    """The year's tables, typed, in the order of TABLES (the year-on-year ones only when `year.since` is given)."""
    tables = []
    for spec in TABLES:
        if spec.changes and year.since is None:
            continue
        columns = spec.columns(year)
        tables.append(Table(spec.name, columns, [_typed(columns, row) for row in spec.rows(year)]))
    return tables


def _typed(columns: list[Column], row: list[Any]) -> list[Any]:
    """A row's values as their columns' kinds say: shares rounded to the four places every output shows, an empty
    text None (a CSV cell cannot tell them apart: both are not reported)."""
    if len(row) != len(columns):
        raise ValueError(f"a row of {len(row)} values for {len(columns)} columns")
    return [
        None if value is None or value == "" else float(f"{value:.4f}") if column.kind == "share" else value
        for column, value in zip(columns, row, strict=True)
    ]
