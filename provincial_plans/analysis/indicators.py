"""Indicators: counts and shares of every code, nationally and by region, and the contexts reports render.

Unknown stays unknown: a share is computed only where every member's cell is known, or from a national count
the study states (basis `aggregate`); otherwise it is None and reports say "not reported".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from provincial_plans.analysis import conclusions
from provincial_plans.coding.merge import EVIDENCE_PER_CELL
from provincial_plans.coding.reliability import reliability_table
from provincial_plans.core.atomic import write_csv
from provincial_plans.model.codebook import Code
from provincial_plans.model.dataset import Unit, YearData

STATUS = {1: "present", 0: "absent", None: "unknown"}
TABLES = (
    "indicators_national",
    "indicators_by_region",
    "cells",
    "documents",
    "evidence",
    "reliability",
    "disagreements",
    "alignment",
    "codes_by_document",
    "codes_by_unit",
)


def adoption(data: YearData, code: str, members: list[Unit]) -> dict[str, Any]:
    """Count of members whose cell is 1, how many cells are known, and the share when all are known."""
    cells = [data.cells.get((unit.gb_code, code)) for unit in members]
    known = [cell for cell in cells if cell is not None]
    count = sum(cell.value for cell in known)
    complete = len(known) == len(members) and members
    return {
        "count": count,
        "known": len(known),
        "of": len(members),
        "share": count / len(members) if complete else None,
        "basis": "cells" if complete else "partial",
    }


def national(data: YearData, code: str) -> dict[str, Any]:
    """National figure: from the cells when all are known, else from the study's stated count."""
    figure = adoption(data, code, data.units)
    aggregate = data.aggregates.get(code)
    figure["named"] = [unit.slug for unit in data.units if _value(data, unit, code) == 1]
    figure["stated"] = None
    if aggregate is not None:
        figure["stated"] = {"count": aggregate.count, "of": aggregate.of, "source_section": aggregate.source_section}
        if figure["share"] is None:
            figure.update(
                count=aggregate.count, of=aggregate.of, share=aggregate.count / aggregate.of, basis="aggregate"
            )
    return figure


def _value(data: YearData, unit: Unit, code: str) -> int | None:
    cell = data.cells.get((unit.gb_code, code))
    return None if cell is None else cell.value


def regions(data: YearData, scheme: str) -> list[dict[str, Any]]:
    """Regions in the order of first appearance by GB code (East, Central, West[, Northeast])."""
    found: dict[str, dict[str, Any]] = {}
    for unit in data.units:
        region = unit.region(scheme)
        entry = found.setdefault(region["en"], {"name": region, "members": []})
        entry["members"].append(unit)
    return list(found.values())


def regional(data: YearData, code: str, scheme: str) -> list[dict[str, Any]]:
    return [{"region": r["name"], **adoption(data, code, r["members"])} for r in regions(data, scheme)]


def _cell_row(data: YearData, unit: Unit, code: Code) -> dict[str, Any]:
    cell = data.cells.get((unit.gb_code, code.id))
    return {
        "code": code.id,
        "label": code.label,
        "value": None if cell is None else cell.value,
        "status": STATUS[None if cell is None else cell.value],
        "basis": None if cell is None else cell.basis,
        "source_section": None if cell is None else cell.source_section,
        "note": None if cell is None else cell.note,
    }


def _evidence(data: YearData, unit: Unit, code: Code, numbered: list[dict[str, Any]]) -> list[int]:
    """Quote up to EVIDENCE_PER_CELL sentences for a cell (keyword in context); returns their reference numbers."""
    if data.machine is None:
        return []
    refs: list[int] = []
    quoted: set[str] = set()
    for item in data.machine.evidence.get((unit.slug, code.id), []):
        if item.sentence_id in quoted:  # a sentence with two hits of the code is quoted once
            continue
        if len(refs) == EVIDENCE_PER_CELL:
            break
        quoted.add(item.sentence_id)
        numbered.append(
            {
                "ref": len(numbered) + 1,
                "code": code.id,
                "label": code.label,
                "doc_id": item.doc_id,
                "sentence_id": item.sentence_id,
                "section": item.section,
                "heading": item.heading,
                "before": item.sentence[: item.start],
                "keyword": item.sentence[item.start : item.end],
                "after": item.sentence[item.end :],
            }
        )
        refs.append(len(numbered))
    return refs


def _present_share(data: YearData, members: list[Unit], codes: list[str]) -> dict[str, Any]:
    """Pooled share of known cells that are 1, over members × codes; unknown cells are counted, not used."""
    values = [_value(data, unit, code) for unit in members for code in codes]
    known = [value for value in values if value is not None]
    return {
        "present": sum(known),
        "known": len(known),
        "unknown": len(values) - len(known),
        "share": sum(known) / len(known) if known else None,
    }


def competition_ranks(scores: dict[str, float | None]) -> dict[str, dict[str, Any]]:
    """Every key's rank by score, highest first; ties share the best rank (1, 2, 2, 4); None scores are unranked.
    Counted over the distinct scores, so ranking thousands of units stays linear."""
    counts = Counter(score for score in scores.values() if score is not None)
    ranked, unranked = sum(counts.values()), sum(score is None for score in scores.values())
    above: dict[float, int] = {}
    total = 0
    for score in sorted(counts, reverse=True):
        above[score] = total
        total += counts[score]
    return {
        key: {"rank": None, "of": ranked, "tied": 0, "unranked": unranked}
        if score is None
        else {"rank": 1 + above[score], "of": ranked, "tied": counts[score] - 1, "unranked": unranked}
        for key, score in scores.items()
    }


def competition_rank(scores: dict[str, float | None], key: str) -> dict[str, Any]:
    """The rank of `key` (see competition_ranks)."""
    return competition_ranks(scores)[key]


class Figures:
    """A year's national and regional figures, each computed once: every unit context compares with them, and
    computing them per unit made writing the contexts grow as units² × codes (minutes at county scale)."""

    def __init__(self, data: YearData, scheme: str) -> None:
        self.data = data
        self.scheme = scheme
        self.members: dict[str, list[Unit]] = {}
        for unit in data.units:
            self.members.setdefault(unit.region(scheme)["en"], []).append(unit)
        self._cache: dict[tuple[str, ...], Any] = {}

    def _get(self, key: tuple[str, ...], compute) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def region_members(self, unit: Unit) -> list[Unit]:
        return self.members[unit.region(self.scheme)["en"]]

    def national(self, code: str) -> dict[str, Any]:
        """The national figure of a code as unit contexts carry it: without the units named (the national
        report's own list, which would make every unit context grow with the number of units)."""
        figure = self._get(("national", code), lambda: national(self.data, code))
        return {name: value for name, value in figure.items() if name != "named"}

    def region(self, unit: Unit, code: str) -> dict[str, Any]:
        name = unit.region(self.scheme)["en"]
        return dict(self._get(("region", name, code), lambda: adoption(self.data, code, self.members[name])))

    def pooled(self, scope: str, members: list[Unit], codes: list[str], key: str) -> dict[str, Any]:
        """_present_share of a region or the nation over a family, computed once per (scope, family)."""
        return dict(self._get(("pooled", scope, key), lambda: _present_share(self.data, members, codes)))

    def rank(self, unit: Unit) -> dict[str, Any]:
        """The unit's rank among all units by share of known items present (ranks computed once)."""
        return self._get(("ranks",), lambda: competition_ranks(self._scores()))[unit.slug]

    def _scores(self) -> dict[str, float | None]:
        codes = [code.id for code in self.data.codebook.codes]
        return {other.slug: _present_share(self.data, [other], codes)["share"] for other in self.data.units}


def profile(data: YearData, unit: Unit, scheme: str, figures: Figures | None = None) -> dict[str, Any]:
    """Share of codes present by family against region and nation, the rank among provinces, departures."""
    figures = figures or Figures(data, scheme)
    codes = [code.id for code in data.codebook.codes]
    region_members = figures.region_members(unit)
    region_name = unit.region(scheme)["en"]
    families = []
    for family in data.codebook.families:
        family_codes = [code.id for code in data.codebook.in_family(family["id"])]
        if family_codes:
            families.append(
                {
                    "id": family["id"],
                    "label": family["label"],
                    "unit": _present_share(data, [unit], family_codes),
                    "region": figures.pooled(region_name, region_members, family_codes, family["id"]),
                    "national": figures.pooled("", data.units, family_codes, family["id"]),
                }
            )
    distinctive, missing = [], []
    for code in data.codebook.codes:
        value, share = _value(data, unit, code.id), figures.national(code.id)["share"]
        if value is None or share is None:
            continue
        if value == 1 and share < 0.5:
            distinctive.append(code.label)
        elif value == 0 and share >= 0.5:
            missing.append(code.label)
    return {
        "families": families,
        "overall": _present_share(data, [unit], codes),
        "rank": figures.rank(unit),
        "distinctive": distinctive,
        "missing": missing,
    }


def unit_context(
    data: YearData,
    unit: Unit,
    scheme: str,
    synthetic: bool = False,
    figures: Figures | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything a province report shows, its comparison figures and evidence included; `changes` is its
    year-on-year comparison (provincial_plans.analysis.changes) when an earlier year is configured."""
    figures = figures or Figures(data, scheme)
    region_members = figures.region_members(unit)
    families = []
    evidence: list[dict[str, Any]] = []
    for family in data.codebook.families:
        rows = []
        for code in data.codebook.in_family(family["id"]):
            row = _cell_row(data, unit, code)
            row["national"] = figures.national(code.id)
            row["region"] = figures.region(unit, code.id)
            row["evidence"] = _evidence(data, unit, code, evidence)
            rows.append(row)
        if rows:
            families.append({"id": family["id"], "label": family["label"], "rows": rows})
    document = next((_document(d) for d in data.documents if d.gb_code == unit.gb_code), None)
    context: dict[str, Any] = {
        "kind": "province",
        "year": data.year,
        "scheme": scheme,
        "codebook_version": data.codebook.version,
        "rules_version": data.rules.version,
        "unit": unit.describe(scheme),
        "region_size": len(region_members),
        "families": families,
        "document": document,
        "evidence": evidence,
        "profile": profile(data, unit, scheme, figures),
        "coded": data.machine is not None and unit.slug in data.machine.coded_units,
        "alignment": data.alignment.get(unit.slug),
        "synthetic": synthetic,
        "changes": changes,
    }
    context["findings"] = conclusions.province_findings(context, data.rules)
    return context


def _document(document) -> dict[str, str]:
    return {
        "title": document.title,
        "doc_number": document.doc_number,
        "issue_date": document.issue_date,
        "address": document.address,
        "status": document.status,
    }


def national_context(
    data: YearData,
    scheme: str,
    synthetic: bool = False,
    external: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the national report shows; `changes`: national shares against an earlier configured year."""
    by_slug = {unit.slug: unit for unit in data.units}
    region_list = regions(data, scheme)
    families = []
    for family in data.codebook.families:
        rows = []
        for code in data.codebook.in_family(family["id"]):
            figure = national(data, code.id)
            figure["named"] = [by_slug[slug].describe(scheme)["short_name"] for slug in figure["named"]]
            notes = [
                {"unit": unit.describe(scheme)["short_name"], "note": cell.note}
                for unit in data.units
                if (cell := data.cells.get((unit.gb_code, code.id))) is not None and cell.value == 1 and cell.note["en"]
            ]
            rows.append(
                {
                    "code": code.id,
                    "label": code.label,
                    "origin": code.origin,
                    "national": figure,
                    "regions": regional(data, code.id, scheme),
                    "notes": notes,
                }
            )
        if rows:
            families.append({"id": family["id"], "label": family["label"], "rows": rows})
    tasks = data.codebook.in_family("task")
    matrix = [
        {"unit": unit.describe(scheme), "values": [_value(data, unit, code.id) for code in tasks]}
        for unit in data.units
    ]
    context: dict[str, Any] = {
        "kind": "national",
        "year": data.year,
        "scheme": scheme,
        "codebook_version": data.codebook.version,
        "rules_version": data.rules.version,
        "unit_count": len(data.units),
        "regions": [{"name": r["name"], "size": len(r["members"])} for r in region_list],
        "families": families,
        "task_codes": [{"code": code.id, "label": code.label} for code in tasks],
        "task_matrix": matrix,
        "documents": [
            {
                **_document(d),
                "scope": d.scope,
                "unit": _unit_by_code(data, d.gb_code).describe(scheme) if d.gb_code else None,
            }
            for d in data.documents
        ],
    }
    by_code = data.codebook.by_id()
    context["coverage"] = _coverage(data, scheme) if data.targets else None
    heat_codes = [
        code for family in ("task", "content") for code in data.codebook.in_family(family) if code.parent is None
    ]
    context.update(
        heatmap={
            "codes": [{"code": code.id, "label": code.label} for code in heat_codes],
            "rows": [
                {"unit": unit.describe(scheme)["short_name"], "values": [_value(data, unit, c.id) for c in heat_codes]}
                for unit in data.units
            ],
        },
        synthetic=synthetic,
        external=external,
        coded_units=len(data.machine.coded_units - {"national"}) if data.machine else 0,
        reliability=reliability_table(data.pairs, [family["id"] for family in data.codebook.families])
        if data.pairs
        else [],
        disagreements=[
            {
                "unit": by_slug[d.slug].describe(scheme)["short_name"],
                "code": d.code,
                "label": by_code[d.code].label,
                "fact": d.fact,
                "machine": d.machine,
                "basis": d.basis,
            }
            for d in data.disagreements
        ],
        alignment=[
            {"unit": by_slug[slug].describe(scheme)["short_name"], **measures}
            for slug, measures in sorted(data.alignment.items())
        ],
        changes=changes,
    )
    context["findings"] = conclusions.national_findings(context, data.rules)
    return context


def _coverage(data: YearData, scheme: str) -> dict[str, Any]:
    """Platform coverage levels by region (provinces at each level) and the points of levels × departments."""
    region_rows = []
    for region in regions(data, scheme):
        known = [data.targets[u.gb_code] for u in region["members"] if u.gb_code in data.targets]
        levels = [target.levels for target in known if target.levels is not None]
        region_rows.append(
            {
                "region": region["name"],
                "size": len(region["members"]),
                "by_level": [sum(level == value for level in levels) for value in range(1, 6)],
                "reported": len(levels),
            }
        )
    points = [
        {
            "name": unit.describe(scheme)["short_name"],
            "region": unit.region(scheme),
            "levels": target.levels,
            "departments": target.departments,
        }
        for unit in data.units
        if (target := data.targets.get(unit.gb_code)) and target.levels is not None and target.departments is not None
    ]
    return {"regions": region_rows, "points": points, "sources": sorted({t.source for t in data.targets.values()})}


def _unit_by_code(data: YearData, gb_code: str) -> Unit:
    return next(unit for unit in data.units if unit.gb_code == gb_code)


def write_tables(data: YearData, scheme: str, tables_dir: Path) -> list[Path]:
    """The indicator tables as CSV (UTF-8 with BOM so that spreadsheet programs read the Chinese)."""
    tables_dir.mkdir(parents=True, exist_ok=True)
    codes = data.codebook.codes
    written = []

    def save(name: str, header: list[str], rows: list[list[Any]]) -> None:
        write_csv(tables_dir / name, header, rows)
        written.append(tables_dir / name)

    save(
        "indicators_national.csv",
        [
            "code",
            "family",
            "label_zh",
            "label_en",
            "count",
            "of",
            "share",
            "basis",
            "known_cells",
            "stated_count",
            "source_section",
        ],
        [
            [code.id, code.family, code.label["zh"], code.label["en"], *(_national_cols(national(data, code.id)))]
            for code in codes
        ],
    )
    save(
        "indicators_by_region.csv",
        ["scheme", "region_zh", "region_en", "code", "count", "known", "of", "share"],
        [
            [
                scheme,
                entry["region"]["zh"],
                entry["region"]["en"],
                code.id,
                entry["count"],
                entry["known"],
                entry["of"],
                _share(entry["share"]),
            ]
            for code in codes
            for entry in regional(data, code.id, scheme)
        ],
    )
    save(
        "cells.csv",
        [
            "gb_code",
            "slug",
            "province_zh",
            "province_en",
            "region_zh",
            "region_en",
            "code",
            "value",
            "basis",
            "source_section",
            "note",
        ],
        [
            [
                unit.gb_code,
                unit.slug,
                unit.short_zh,
                unit.name_en,
                *unit.region(scheme).values(),
                code.id,
                *_cell_cols(data, unit, code.id),
            ]
            for unit in data.units
            for code in codes
        ],
    )
    save(
        "documents.csv",
        ["scope", "gb_code", "title", "doc_number", "issue_date", "official_address", "status"],
        [[d.scope, d.gb_code, d.title, d.doc_number, d.issue_date, d.address, d.status] for d in data.documents],
    )
    evidence = data.machine.evidence if data.machine else {}
    save(
        "evidence.csv",
        ["unit", "code", "doc_id", "sentence_id", "section", "heading", "start", "end", "keyword", "sentence"],
        [
            [slug, code, e.doc_id, e.sentence_id, e.section, e.heading, e.start, e.end, e.keyword, e.sentence]
            for (slug, code), items in sorted(evidence.items())
            for e in items
        ],
    )
    save(
        "reliability.csv",
        ["family", "pairs", "agree", "observed_agreement", "krippendorff_alpha_nominal", "cohen_kappa"],
        [
            [row["family"], row["n"], row["agree"], _share(row["observed"]), _share(row["alpha"]), _share(row["kappa"])]
            for row in (reliability_table(data.pairs, [f["id"] for f in data.codebook.families]) if data.pairs else [])
        ],
    )
    save(
        "disagreements.csv",
        ["unit", "code", "fact_value", "fact_basis", "machine_value"],
        [[d.slug, d.code, d.fact, d.basis, d.machine] for d in data.disagreements],
    )
    machine_codes = [code.id for code in data.codebook.codes if code.coded_by != "human"]
    documents = data.machine.documents if data.machine else ()
    save(
        "codes_by_document.csv",
        ["unit", "doc_id", *machine_codes],
        [[unit, doc_id, *(_hit(evidence, unit, doc_id, code) for code in machine_codes)] for unit, doc_id in documents],
    )
    save(
        "codes_by_unit.csv",
        ["unit", *machine_codes],
        [
            [slug, *(data.machine.value(slug, code) for code in machine_codes)]
            for slug in sorted(data.machine.coded_units if data.machine else ())
        ],
    )
    save(
        "alignment.csv",
        ["unit", "central_codes", "covered", "coverage", "sentences", "reused", "reuse_share"],
        [
            [
                slug,
                m["central_codes"],
                m["covered"],
                _share(m["coverage"]),
                m["sentences"],
                m["reused"],
                _share(m["reuse_share"]),
            ]
            for slug, m in sorted(data.alignment.items())
        ],
    )
    return written


def _hit(evidence: dict[tuple[str, str], list[Any]], unit: str, doc_id: str, code: str) -> int:
    return int(any(item.doc_id == doc_id for item in evidence.get((unit, code), ())))


def _national_cols(figure: dict[str, Any]) -> list[Any]:
    stated = figure["stated"]
    share = _share(figure["share"])
    count = figure["count"] if figure["share"] is not None else ""
    of = figure["of"] if figure["share"] is not None else ""
    return [
        count,
        of,
        share,
        figure["basis"],
        figure["known"],
        stated["count"] if stated else "",
        stated["source_section"] if stated else "",
    ]


def _cell_cols(data: YearData, unit: Unit, code: str) -> list[Any]:
    cell = data.cells.get((unit.gb_code, code))
    if cell is None:
        return ["", "not_reported", "", ""]
    return [cell.value, cell.basis, cell.source_section, cell.note["en"]]


def _share(share: float | None) -> str:
    return "" if share is None else f"{share:.4f}"


def write_year_tables(
    data_dir: Path,
    year: int,
    scheme: str,
    tables_dir: Path,
    years_dir: Path | None = None,
    coding_dir: Path | None = None,
    since: YearData | None = None,
) -> None:
    """Rule `indicators`: the year's tables (CSV, Parquet) and workbook, with the year-on-year tables when
    `since` is the previous configured year's data."""
    from provincial_plans.analysis.changes import write_change_tables
    from provincial_plans.coding.merge import apply_machine
    from provincial_plans.model.dataset import load_year
    from provincial_plans.tables.workbook import write_workbook

    data = load_year(data_dir, year, years_dir)
    if coding_dir is not None:
        data = apply_machine(data, coding_dir)
    write_tables(data, scheme, tables_dir)
    if since is not None:
        write_change_tables(since, data, scheme, tables_dir)
    write_workbook(tables_dir, data_dir / "messages", year, data.codebook)
