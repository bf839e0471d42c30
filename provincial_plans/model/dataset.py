"""A year's validated inputs: units (reference tables), codebook, facts, national counts, documents catalogue."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from provincial_plans.core import schemas
from provincial_plans.core.errors import InputError, display_path
from provincial_plans.core.inputs import Row, read_csv, unique
from provincial_plans.model.codebook import Codebook, load_codebook
from provincial_plans.model.coded import Disagreement, Machine, Pair
from provincial_plans.model.dates import plan_date
from provincial_plans.model.rules import Rules, load_rules

REGION_SCHEMES = ("three", "nbs")
# Bases by which the study settles a code for every province: it says all have it, or names those that have
# (lack) it and says the rest lack (have) it. A code given on such a basis has a row for every unit.
COMPLETE_BASES = frozenset({"stated_all", "stated_rest", "inferred_complement"})


@dataclass(frozen=True)
class Unit:
    """One province-level unit as the reference tables describe it."""

    gb_code: str
    iso: str
    slug: str
    short_zh: str
    name_zh: str
    name_en: str
    full_name_en: str
    region3: tuple[str, str]
    nbs: tuple[str, str]

    def region(self, scheme: str) -> dict[str, str]:
        zh, en = self.region3 if scheme == "three" else self.nbs
        return {"zh": zh, "en": en}

    def describe(self, scheme: str) -> dict[str, object]:
        """The unit as templates see it."""
        return {
            "slug": self.slug,
            "gb_code": self.gb_code,
            "iso": self.iso,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "short_name": {"zh": self.short_zh, "en": self.name_en},
            "full_name_en": self.full_name_en,
            "region": self.region(scheme),
        }


@dataclass(frozen=True)
class Cell:
    """A unit × code fact: 1 present, 0 absent; a missing cell is unknown ('not reported')."""

    value: int
    basis: str
    source_section: str
    note: dict[str, str]


@dataclass(frozen=True)
class Aggregate:
    """A national count the study gives, whether or not it names every province."""

    count: int
    of: int
    source_section: str
    note: str


@dataclass(frozen=True)
class Document:
    """A row of the documents catalogue. `issue_date` is the earlier catalogue's date as it gave it; the re-check
    distinguishes the signing date (成文日期) from the date a page (re)posted the plan, each at the precision a page
    shows (model.dates reads them). `address` carries the plan's text; `related_address` is an official page
    that does not (`related_kind`: citing, companion or related)."""

    scope: str
    gb_code: str
    title: str
    doc_number: str
    issue_date: str
    address: str
    status: str
    notice_title: str = ""
    date_signed: str = ""
    date_published: str = ""
    date_note: str = ""
    related_address: str = ""
    related_kind: str = ""
    related_document: str = ""
    confidence: str = ""
    evidence_url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Target:
    """Degree indicators of a province's platform: administrative levels covered (1 province … 5 village) and
    departments connected; None where the source does not say."""

    levels: int | None
    departments: int | None
    source: str


@dataclass
class YearData:
    year: int
    units: list[Unit]
    codebook: Codebook
    rules: Rules
    cells: dict[tuple[str, str], Cell]
    aggregates: dict[str, Aggregate]
    documents: list[Document] = field(default_factory=list)
    # Filled by provincial_plans.coding.merge.apply_machine when the year's documents were coded.
    machine: Machine | None = None
    pairs: list[Pair] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    alignment: dict[str, dict[str, object]] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)

    def unit(self, slug: str) -> Unit:
        return self._by_slug[slug]

    @cached_property
    def _by_slug(self) -> dict[str, Unit]:
        """Units by slug, built once: a county-scale year looks up thousands."""
        return {unit.slug: unit for unit in self.units}


def slugify(name_en: str) -> str:
    return "-".join(name_en.lower().split())


def load_units(reference_dir: Path) -> list[Unit]:
    """Join the GB/T 2260, ISO 3166-2 and two region tables into the 31 units, ordered by GB code."""
    gb_path = reference_dir / "ref_provinces_gb2260_modood.csv"
    iso_path = reference_dir / "ref_provinces_en_iso_chinautils.csv"
    three_path = reference_dir / "ref_province_regions_three.csv"
    nbs_path = reference_dir / "ref_province_regions_nbs.csv"
    gb_rows = read_csv(gb_path, schemas.PROVINCES_GB2260)
    unique(gb_path, gb_rows, ("code",), "province code")
    names = {row.values["code"]: row.values["name"] for row in gb_rows}
    iso_rows = [row for row in read_csv(iso_path, schemas.PROVINCES_ISO) if row.values["china_customs"]]
    three_rows = read_csv(three_path, schemas.REGIONS_THREE)
    nbs_rows = read_csv(nbs_path, schemas.REGIONS_NBS)
    joined = (
        (iso_path, iso_rows, "china_customs"),
        (three_path, three_rows, "gb_code"),
        (nbs_path, nbs_rows, "gb_code"),
    )
    for path, rows, column in joined:
        unique(path, rows, (column,), "province code")
        for row in rows:
            code = row.values[column]
            if code not in names:
                raise InputError(path, f"unknown province code '{code}' (not in {gb_path.name})", row.line)
    iso = {row.values["china_customs"]: row.values for row in iso_rows}
    three = {row.values["gb_code"]: row.values for row in three_rows}
    nbs = {row.values["gb_code"]: row.values for row in nbs_rows}
    units = []
    for code in sorted(names):
        for path, table in ((iso_path, iso), (three_path, three), (nbs_path, nbs)):
            if code not in table:
                raise InputError(path, f"no row for GB/T 2260 code {code} ({names[code]})")
        record = iso[code]
        units.append(
            Unit(
                gb_code=code,
                iso=record["iso_3166_2"],
                slug=slugify(record["short_name_en"]),
                short_zh=record["short_name_zh"],
                name_zh=names[code],
                name_en=record["short_name_en"],
                full_name_en=record["full_name_en"],
                region3=(three[code]["region3_zh"], three[code]["region3_en"]),
                nbs=(nbs[code]["nbs_region_zh"], nbs[code]["nbs_region_en"]),
            )
        )
    return units


def load_year(data_dir: Path, year: int, years_dir: Path | None = None, codebook: Codebook | None = None) -> YearData:
    """Everything a year's reports are built from, validated; raises InputError on the first problem.

    Reference tables and the codebook come from data_dir (the codebook may be given, loaded already); the year's own
    folder from years_dir (default data_dir).
    """
    units = load_units(data_dir / "reference")
    codebook = codebook or load_codebook(data_dir / "codebook.yaml")
    rules = load_rules(
        data_dir / "conclusions.yaml",
        frozenset(family["id"] for family in codebook.families),
        frozenset(code.id for code in codebook.codes),
    )
    year_dir = (years_dir or data_dir) / str(year)
    by_code = {unit.gb_code: unit for unit in units}
    known_codes = codebook.by_id()
    facts_path = year_dir / "facts.csv"
    cells = _facts(facts_path, year, by_code, known_codes)
    aggregates = _aggregates(year_dir / "aggregates.csv", year, known_codes, facts_path, cells)
    documents = _catalogue(year_dir / "documents_catalogue.csv", by_code)
    targets = _targets(year_dir / "targets.csv", by_code)
    return YearData(year, units, codebook, rules, cells, aggregates, documents, targets=targets)


Cells = dict[tuple[str, str], Cell]  # (gb code, code id) -> its cell


def _facts(path: Path, year: int, by_code: dict[str, Unit], known_codes: dict[str, object]) -> Cells:
    """The facts sheet: a cell per unit × code row, each checked against the year, the units and the codebook."""
    facts = read_csv(path, schemas.FACTS)
    unique(path, facts, ("gb_code", "code"), "unit × code row")
    cells: Cells = {}
    for row in facts:
        values = row.values
        _check_year(path, row.line, values["year"], year)
        unit = province_of(path, row.line, by_code, values["gb_code"], values.get("province", ""))
        _in_codebook(path, row.line, known_codes, values["code"])
        note = {"en": values.get("note", ""), "zh": values.get("note_zh", "")}
        cell = Cell(int(values["value"]), values["basis"], values["source_section"], note)
        cells[(unit.gb_code, values["code"])] = cell
    _complete(path, facts, list(by_code.values()))
    return cells


def _aggregates(
    path: Path, year: int, known_codes: dict[str, object], facts_path: Path, cells: Cells
) -> dict[str, Aggregate]:
    """The national counts the study states (optional file), each agreeing with the facts sheet."""
    aggregates: dict[str, Aggregate] = {}
    if not path.exists():
        return aggregates
    rows = read_csv(path, schemas.AGGREGATES)
    unique(path, rows, ("code",), "code")
    counted = Counter((code, cell.value) for (_, code), cell in cells.items())
    for row in rows:
        values = row.values
        _check_year(path, row.line, values["year"], year)
        _in_codebook(path, row.line, known_codes, values["code"])
        count, of = int(values["provinces"]), int(values["of"])
        if count > of:
            raise InputError(path, f"provinces {count} exceeds of {of}", row.line)
        aggregates[values["code"]] = aggregate = Aggregate(count, of, values["source_section"], values.get("note", ""))
        _agrees(path, row.line, values["code"], aggregate, facts_path, counted)
    return aggregates


def _catalogue(path: Path, by_code: dict[str, Unit]) -> list[Document]:
    """The documents catalogue (optional file)."""
    documents: list[Document] = []
    if path.exists():
        for row in read_csv(path, schemas.CATALOGUE):
            values = row.values
            if values["scope"] == "province":
                province_of(path, row.line, by_code, values["gb_code"], values.get("province", ""))
            _dates_agree(path, row)
            _related(path, row)
            documents.append(
                Document(
                    values["scope"],
                    values["gb_code"],
                    values["title"],
                    values["doc_number"],
                    values["issue_date"],
                    values.get("official_address", ""),
                    values["status"],
                    **{name: values.get(name, "") for name in CATALOGUE_EXTRA},
                )
            )
    return documents


def _targets(path: Path, by_code: dict[str, Unit]) -> dict[str, Target]:
    """The degree targets (optional file): levels covered and departments connected, by province."""
    targets: dict[str, Target] = {}
    if not path.exists():
        return targets
    rows = read_csv(path, schemas.TARGETS)
    unique(path, rows, ("gb_code",), "province")
    for row in rows:
        values = row.values
        province_of(path, row.line, by_code, values["gb_code"], values.get("province", ""))
        targets[values["gb_code"]] = Target(
            int(values["levels_covered"]) if values["levels_covered"] else None,
            int(values["departments_connected"]) if values["departments_connected"] else None,
            values["source"],
        )
    return targets


# Catalogue columns a Document carries under the same name (the others: official_address as address).
CATALOGUE_EXTRA = (
    "notice_title",
    "date_signed",
    "date_published",
    "date_note",
    "related_address",
    "related_kind",
    "related_document",
    "confidence",
    "evidence_url",
    "note",
)


def _dates_agree(path: Path, row: Row) -> None:
    """A plan cannot be (re)posted before it was signed: the latest day the posting date allows must not come
    before the first day the signing date allows (a typo in either would misplace the province on the timeline)."""
    signed = plan_date(row.values.get("date_signed", ""))
    published = plan_date(row.values.get("date_published", ""))
    if signed and published and signed.earliest and published.latest < signed.earliest:
        raise InputError(path, f"date_published '{published.text}' is before date_signed '{signed.text}'", row.line)


def _related(path: Path, row: Row) -> None:
    """A related page or document says what it is to the plan, and a kind names something."""
    values = row.values
    given = values.get("related_address", "") or values.get("related_document", "")
    kind = values.get("related_kind", "")
    if given and not kind:
        raise InputError(path, "related_address or related_document given without related_kind", row.line)
    if kind and not given:
        raise InputError(path, f"related_kind '{kind}' without a related_address or related_document", row.line)


def _complete(path: Path, facts: list[Row], units: list[Unit]) -> None:
    """A code with a basis that settles every province (COMPLETE_BASES) has a row for every unit: fewer rows mean
    a truncated or damaged sheet, and the missing cells would silently read as "not reported"."""
    rows: dict[str, set[str]] = {}
    first: dict[str, Row] = {}
    for row in facts:
        code = row.values["code"]
        rows.setdefault(code, set()).add(row.values["gb_code"])
        if row.values["basis"] in COMPLETE_BASES:
            first.setdefault(code, row)
    for code, row in first.items():
        missing = [unit for unit in units if unit.gb_code not in rows[code]]
        if missing:
            raise InputError(
                path,
                f"code {code}: basis '{row.values['basis']}' settles every province, but {len(missing)} of "
                f"{len(units)} have no row, e.g. {missing[0].gb_code} {missing[0].short_zh} (a truncated file?)",
                row.line,
            )


def _agrees(
    path: Path, line: int, code: str, aggregate: Aggregate, facts_path: Path, counted: Counter[tuple[str, int]]
) -> None:
    """The facts sheet may not know more provinces with (or without) a code than the study's count allows;
    `counted` holds the sheet's cells by (code, value)."""
    for value, allowed, what in (
        (1, aggregate.count, "present (1)"),
        (0, aggregate.of - aggregate.count, "absent (0)"),
    ):
        if counted[code, value] > allowed:
            raise InputError(
                path,
                f"code {code}: {display_path(facts_path)} marks {counted[code, value]} provinces {what}, but the "
                f"{aggregate.count} of {aggregate.of} stated here leave at most {allowed}",
                line,
            )


def province_of(path: Path, line: int, by_code: dict[str, Unit], gb_code: str, name: str = "") -> Unit:
    """The unit of a row's province code; a province name beside it, if given, must be that unit's."""
    if gb_code not in by_code:
        raise InputError(path, f"unknown province code '{gb_code}'", line)
    unit = by_code[gb_code]
    if name and name not in (unit.short_zh, unit.name_zh):
        raise InputError(path, f"province '{name}' does not match code {unit.gb_code} ({unit.short_zh})", line)
    return unit


def _in_codebook(path: Path, line: int, known_codes: dict[str, object], code: str) -> None:
    if code not in known_codes:
        raise InputError(path, f"code '{code}' is not in the codebook", line)


def _check_year(path: Path, line: int, value: str, year: int) -> None:
    if int(value) != year:
        raise InputError(path, f"year {value} in a file for {year}", line)
