"""The typed results of the analysis: what a report context is made of (contexts.contract puts them together).

Every record is a plain dataclass whose fields are written to the context files as they are named here, so the JSON
of a context is exactly these records; unknown is None ("not reported"), never 0. Labels and names are Bilingual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, TypedDict

from provincial_plans.model.dates import Span


def shallow(record: Any) -> dict[str, Any]:
    """A record's fields by name, its nested records kept as they are (dataclasses.asdict would make them dicts)."""
    return {field.name: getattr(record, field.name) for field in fields(record)}


class Bilingual(TypedDict):
    """A text in both editions' languages."""

    zh: str
    en: str


@dataclass(frozen=True)
class Adoption:
    """How many members have a code (value 1), how many cells are known, and the share when all are known."""

    count: int
    known: int
    of: int
    share: float | None
    basis: Literal["cells", "partial", "aggregate"]


@dataclass(frozen=True)
class Stated:
    """A national count the study states."""

    count: int
    of: int
    source_section: str


@dataclass(frozen=True)
class NationalFigure(Adoption):
    """A code's national figure: from the cells when all are known, else from the study's stated count."""

    stated: Stated | None


@dataclass(frozen=True)
class NamedFigure(NationalFigure):
    """The national figure with the provinces named as having the code (the national report's own list)."""

    named: list[Bilingual]


@dataclass(frozen=True)
class RegionFigure(Adoption):
    region: Bilingual


@dataclass(frozen=True)
class ShareFigure:
    """The four fields of a national figure that a year-on-year comparison shows."""

    count: int
    of: int
    share: float | None
    basis: str


@dataclass(frozen=True)
class PresentShare:
    """Pooled share of known cells that are 1, over members × codes; unknown cells are counted, not used."""

    present: int
    known: int
    unknown: int
    share: float | None


@dataclass(frozen=True)
class Rank:
    """Competition rank (ties share the best rank) among `of` ranked; None where the score is unknown."""

    rank: int | None
    of: int
    tied: int
    unranked: int


@dataclass(frozen=True)
class FamilyStanding:
    """A unit's share of a family's items present, against its region and the nation."""

    id: str
    label: Bilingual
    unit: PresentShare
    region: PresentShare
    national: PresentShare


@dataclass(frozen=True)
class Profile:
    """A unit's standing: share present by family, overall, rank, and its departures from the majority."""

    families: list[FamilyStanding]
    overall: PresentShare
    rank: Rank
    distinctive: list[Bilingual]
    missing: list[Bilingual]


@dataclass(frozen=True)
class UnitInfo:
    """A unit as reports name it."""

    slug: str
    gb_code: str
    iso: str
    name: Bilingual
    short_name: Bilingual
    full_name_en: str
    region: Bilingual


@dataclass(frozen=True)
class CellRow:
    """One unit × code cell with the national and regional figures it is read against and its evidence refs."""

    code: str
    label: Bilingual
    value: int | None
    status: Literal["present", "absent", "unknown"]
    basis: str | None
    source_section: str | None
    note: Bilingual | None
    national: NationalFigure
    region: Adoption
    evidence: list[int]


@dataclass(frozen=True)
class Family:
    """A codebook family's rows in a province report."""

    id: str
    label: Bilingual
    rows: list[CellRow]


@dataclass(frozen=True)
class Note:
    unit: Bilingual
    note: Bilingual


@dataclass(frozen=True)
class NationalRow:
    """One code in the national report: national and regional figures, the notes of the units that have it."""

    code: str
    label: Bilingual
    origin: str
    national: NamedFigure
    regions: list[RegionFigure]
    notes: list[Note]


@dataclass(frozen=True)
class NationalFamily:
    id: str
    label: Bilingual
    rows: list[NationalRow]


@dataclass(frozen=True)
class ChangeRow:
    """A unit's item known in both years."""

    code: str
    family: str
    label: Bilingual
    then: int
    now: int


@dataclass(frozen=True)
class Pooled:
    present: int
    known: int
    share: float


@dataclass(frozen=True)
class UnitChanges:
    """A unit's items known in both years: gained (0 → 1), lost (1 → 0), and its share present then and now."""

    since: int
    year: int
    rows: list[ChangeRow]
    gained: list[Bilingual]
    lost: list[Bilingual]
    then: Pooled
    now: Pooled


@dataclass(frozen=True)
class NationalChangeRow:
    code: str
    family: str
    label: Bilingual
    then: ShareFigure
    now: ShareFigure


@dataclass(frozen=True)
class NationalChanges:
    """Per code, the national share in each year where both are reported."""

    since: int
    year: int
    rows: list[NationalChangeRow]


@dataclass(frozen=True)
class ExternalPoint:
    slug: str
    name: Bilingual
    coverage: float
    value: float


@dataclass(frozen=True)
class External:
    """Plan coverage against an outside measure: the points and Spearman's rho with its p-value."""

    points: list[ExternalPoint]
    n: int
    rho: float | None
    p: float | None


@dataclass(frozen=True)
class Finding:
    """A finding or recommendation of a conclusions rule: its texts and the figures they cite."""

    id: str
    kind: str
    text: Bilingual
    params: dict[str, Any]  # the names the rule's texts use (numbers, Bilingual labels, lists of them)
    cites: list[str]


# When each province answered the central guidance (analysis.timing)


@dataclass(frozen=True)
class Evidence:
    """One date a catalogue column gives for a province's plan."""

    source: str  # one of SOURCES
    span: Span


@dataclass(frozen=True)
class Gap:
    """Time from the guidance to the plan, in the unit its precision allows: days for a day or a bound, months for
    a month, a year or a span. `low` None: a bound, so the gap is at most `high`; low < high: a band."""

    unit: str  # "days" or "months"
    low: int | None
    high: int


@dataclass(frozen=True)
class PlanTiming:
    """A province's plan date, its order among the provinces dated as precisely, its gap to the guidance."""

    slug: str
    gb_code: str
    date: Span | None  # None: no dated plan (not reported)
    source: str  # the column the date came from ("" without one)
    doubtful: bool  # inferred by its source, or contradicted by other evidence
    conflicts: tuple[Evidence, ...]  # evidence that cannot hold together with the date
    evidence: tuple[Evidence, ...]
    order: int | None  # 1 = earliest; ties share the best order
    of: int  # provinces with a date of this precision
    tied: int  # other provinces with the same order
    gap: Gap | None


@dataclass(frozen=True)
class Curve:
    """Cumulative provinces with a plan by the end of each month, for the nation (region None) or a region.

    `low`: provinces whose plan is out by then for certain (a day or month at its month, a bound at its bound's
    month, a year or span at its last month); `high`: low plus the provinces whose year or span has begun and may
    hold the plan already (the band); `bounds`: provinces whose bound falls in the month, so the chart can mark
    them as "at the latest"."""

    region: Mapping[str, str] | None  # {zh, en}
    members: int
    undated: int
    bands: int  # members dated only to a year or a span
    low: tuple[int, ...]
    high: tuple[int, ...]
    bounds: tuple[int, ...]


@dataclass(frozen=True)
class Diffusion:
    guidance: date
    months: tuple[str, ...]  # YYYY-MM, from the guidance's month to the last month any plan date reaches
    curves: tuple[Curve, ...]  # the nation first, then the scheme's regions
