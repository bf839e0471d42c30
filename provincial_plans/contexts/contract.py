"""The contract between computing and rendering: a province's and the nation's report context, typed.

A context is written by the `contexts` job (contexts.build) and read by the render, charts and index jobs (report/);
templates read the same shape (each field here is a name in templates/*.j2). The JSON files are these records with
their fields as keys (sorted), None as null; the JSON Schema in context.schema.json is made from these classes
(`python -m provincial_plans.contexts.contract` writes it, a test keeps it current), and every context is checked
against the types when it is written and when it is read.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import msgspec

from provincial_plans.analysis.records import (
    Bilingual,
    CellRow,
    Diffusion,
    External,
    Family,
    Finding,
    NationalChanges,
    NationalFamily,
    NationalRow,
    PlanTiming,
    PresentShare,
    Profile,
    Rank,
    UnitChanges,
    UnitInfo,
)
from provincial_plans.core.atomic import write_text
from provincial_plans.core.errors import PipelineError

SCHEMA = Path(__file__).with_name("context.schema.json")


@dataclass(frozen=True)
class EvidenceQuote:
    """A sentence quoted as evidence for a cell (E1, E2 …), its keyword apart."""

    ref: int
    code: str
    label: Bilingual
    doc_id: str
    sentence_id: str
    section: str
    heading: str
    before: str
    keyword: str
    after: str


@dataclass(frozen=True)
class Document:
    """A plan document of the catalogue: `issue_date` as the study's catalogue gave it, `date_signed` and
    `date_published` (a page's (re)posting) at the precision the re-check found."""

    title: str
    doc_number: str
    issue_date: str
    address: str
    status: str
    date_signed: str
    date_published: str


@dataclass(frozen=True)
class CatalogueEntry(Document):
    scope: str
    unit: UnitInfo | None


@dataclass(frozen=True)
class Alignment:
    """A province's coverage of the central text's codes and its reuse of central sentences."""

    central_codes: int
    covered: int
    coverage: float | None
    sentences: int
    reused: int
    reuse_share: float | None


@dataclass(frozen=True)
class ProvinceContext:
    """Everything a province report shows."""

    kind: Literal["province"]
    year: int
    scheme: str
    codebook_version: str
    rules_version: str
    unit: UnitInfo
    region_size: int
    families: list[Family]
    document: Document | None
    evidence: list[EvidenceQuote]
    profile: Profile
    coded: bool
    alignment: Alignment | None
    synthetic: bool
    changes: UnitChanges | None
    findings: list[Finding]
    timing: PlanTiming

    def family_rows(self, family: str) -> list[CellRow]:
        """The rows of one codebook family (empty when the family has no codes)."""
        return next((f.rows for f in self.families if f.id == family), [])


@dataclass(frozen=True)
class RegionSize:
    name: Bilingual
    size: int


@dataclass(frozen=True)
class CodeLabel:
    code: str
    label: Bilingual


@dataclass(frozen=True)
class MatrixLine:
    """A province's task indicators (1, 0, or None: not reported)."""

    unit: UnitInfo
    values: list[int | None]


@dataclass(frozen=True)
class HeatmapRow:
    unit: Bilingual
    values: list[int | None]


@dataclass(frozen=True)
class Heatmap:
    """Province × code grid of the task and content items."""

    codes: list[CodeLabel]
    rows: list[HeatmapRow]


@dataclass(frozen=True)
class CoverageRegion:
    region: Bilingual
    size: int
    by_level: list[int]  # provinces whose platform covers 1 (province) … 5 (village) levels
    reported: int


@dataclass(frozen=True)
class CoveragePoint:
    name: Bilingual
    region: Bilingual
    levels: int
    departments: int


@dataclass(frozen=True)
class Coverage:
    """Platform coverage levels by region, and levels against departments connected."""

    regions: list[CoverageRegion]
    points: list[CoveragePoint]
    sources: list[str]


@dataclass(frozen=True)
class ReliabilityRow:
    """Machine against human agreement over one family's shared cells (family `all`: every cell)."""

    family: str
    n: int
    agree: int
    observed: float | None
    alpha: float | None
    kappa: float | None


@dataclass(frozen=True)
class DisagreementRow:
    unit: Bilingual
    code: str
    label: Bilingual
    fact: int
    machine: int
    basis: str


@dataclass(frozen=True)
class AlignmentRow(Alignment):
    unit: Bilingual


@dataclass(frozen=True)
class Tile:
    """A province's square on the tile-grid map: column from the west, row from the north."""

    unit: UnitInfo
    col: int
    row: int


@dataclass(frozen=True)
class Category:
    key: str
    label: Bilingual


@dataclass(frozen=True)
class TileMeasure:
    """What one tile map shows: a value per unit slug (None: not reported), a number or a category key.
    `categories` (in legend order) make it categorical; `percent` shows shares (0-1) as percentages; `scale` is the
    range the legend covers, so that a count of 4 task indicators keeps its 0 class when no province has 0."""

    id: str  # its title is the message glance.tiles.<id>.title
    values: dict[str, float | str | None]
    categories: list[Category]
    percent: bool
    scale: list[float] | None


@dataclass(frozen=True)
class Standing:
    """A unit's items present among its known items, and its rank by that share."""

    unit: UnitInfo
    overall: PresentShare
    rank: Rank


@dataclass(frozen=True)
class Headline:
    """A headline figure of the year (message `glance.headline.<key>` with `values`)."""

    key: str
    values: dict[str, int | float]


@dataclass(frozen=True)
class Glance:
    """The country at a glance and when each province answered: tile maps (no squares: not provinces, no map),
    the ranking, the plans' dates and the diffusion curve."""

    headline: list[Headline]
    tiles: list[Tile]
    measures: list[TileMeasure]
    standings: list[Standing]
    timings: list[PlanTiming]
    diffusion: Diffusion


@dataclass(frozen=True)
class NationalContext:
    """Everything the national report shows."""

    kind: Literal["national"]
    year: int
    scheme: str
    codebook_version: str
    rules_version: str
    unit_count: int
    regions: list[RegionSize]
    families: list[NationalFamily]
    task_codes: list[CodeLabel]
    task_matrix: list[MatrixLine]
    documents: list[CatalogueEntry]
    coverage: Coverage | None
    heatmap: Heatmap
    synthetic: bool
    external: External | None
    coded_units: int
    reliability: list[ReliabilityRow]
    disagreements: list[DisagreementRow]
    alignment: list[AlignmentRow]
    changes: NationalChanges | None
    findings: list[Finding]
    glance: Glance

    def family_rows(self, family: str) -> list[NationalRow]:
        """The rows of one codebook family (empty when the family has no codes)."""
        return next((f.rows for f in self.families if f.id == family), [])


Context = ProvinceContext | NationalContext


def context_text(context: Context) -> str:
    """A context as its file holds it: compact JSON, keys sorted, checked against the contract on the way."""
    document = msgspec.to_builtins(context)
    _checked(document, type(context), f"the {context.kind} context")
    # compact: json's C encoder serves only `indent=None`, and thousands of unit contexts are written per run
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_context(path: Path, context: Context) -> bool:
    """Write a context only when its content changes, so that Snakemake sees an untouched file as unchanged."""
    text = context_text(context)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_text(path, text)
    return True


def read_context(path: Path) -> Context:
    """A context file as its typed record; a file that does not hold one is one line naming it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        kind = NationalContext if document.get("kind") == "national" else ProvinceContext
    except (OSError, ValueError, AttributeError) as error:
        raise PipelineError(f"{path}: not a report context ({error}); rerun snakemake") from None
    return _checked(document, kind, str(path))


def read_national(path: Path) -> NationalContext:
    context = read_context(path)
    if not isinstance(context, NationalContext):
        raise PipelineError(f"{path}: a {context.kind} context where the national one was expected")
    return context


def _checked(document: Any, kind: type, what: str) -> Any:
    try:
        return msgspec.convert(document, kind)
    except msgspec.ValidationError as error:
        raise PipelineError(f"{what} breaks the report contract: {error}") from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of both contexts, made from the classes above."""
    (province, national), definitions = msgspec.json.schema_components([ProvinceContext, NationalContext])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Report context",
        "oneOf": [province, national],
        "$defs": definitions,
    }


if __name__ == "__main__":  # python -m provincial_plans.contexts.contract: write context.schema.json
    SCHEMA.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.exit(0)
