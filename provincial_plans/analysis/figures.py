"""Indicators: counts and shares of every code, nationally and by region, a unit's standing, each as a typed record.

Unknown stays unknown: a share is computed only where every member's cell is known, or from a national count the
study states (basis `aggregate`); otherwise it is None and reports say "not reported".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from provincial_plans.analysis.records import (
    Adoption,
    Bilingual,
    FamilyStanding,
    NationalFigure,
    PresentShare,
    Profile,
    Rank,
    RegionFigure,
    Stated,
    UnitInfo,
    shallow,
)
from provincial_plans.model.dataset import Unit, YearData

K = TypeVar("K", bound=Hashable)


def unit_info(unit: Unit, scheme: str) -> UnitInfo:
    return UnitInfo(**unit.describe(scheme))


def value(data: YearData, unit: Unit, code: str) -> int | None:
    """A unit's cell: 1, 0, or None when not reported."""
    cell = data.cells.get((unit.gb_code, code))
    return None if cell is None else cell.value


def adoption(data: YearData, code: str, members: list[Unit]) -> Adoption:
    """Count of members whose cell is 1, how many cells are known, and the share when all are known."""
    cells = [data.cells.get((unit.gb_code, code)) for unit in members]
    known = [cell for cell in cells if cell is not None]
    count = sum(cell.value for cell in known)
    complete = len(known) == len(members) and bool(members)
    share = count / len(members) if complete else None
    return Adoption(count, len(known), len(members), share, "cells" if complete else "partial")


def national(data: YearData, code: str) -> NationalFigure:
    """National figure: from the cells when all are known, else from the study's stated count."""
    figure = adoption(data, code, data.units)
    aggregate = data.aggregates.get(code)
    stated = None if aggregate is None else Stated(aggregate.count, aggregate.of, aggregate.source_section)
    if aggregate is not None and figure.share is None:
        count, of = aggregate.count, aggregate.of
        return NationalFigure(count, figure.known, of, count / of, "aggregate", stated)
    return NationalFigure(**shallow(figure), stated=stated)


def named(data: YearData, code: str) -> list[Unit]:
    """The units whose cell of the code is 1."""
    return [unit for unit in data.units if value(data, unit, code) == 1]


def regions(data: YearData, scheme: str) -> list[tuple[Bilingual, list[Unit]]]:
    """Regions and their members in the order of first appearance by GB code (East, Central, West[, Northeast])."""
    found: dict[str, tuple[Bilingual, list[Unit]]] = {}
    for unit in data.units:
        region = unit.region(scheme)
        found.setdefault(region["en"], (Bilingual(zh=region["zh"], en=region["en"]), []))[1].append(unit)
    return list(found.values())


def regional(data: YearData, code: str, scheme: str) -> list[RegionFigure]:
    figures = [(name, adoption(data, code, members)) for name, members in regions(data, scheme)]
    return [RegionFigure(**shallow(figure), region=name) for name, figure in figures]


def present_share(data: YearData, members: list[Unit], codes: list[str]) -> PresentShare:
    """Pooled share of known cells that are 1, over members × codes; unknown cells are counted, not used."""
    values = [value(data, unit, code) for unit in members for code in codes]
    known = [cell for cell in values if cell is not None]
    return PresentShare(sum(known), len(known), len(values) - len(known), sum(known) / len(known) if known else None)


def competition_ranks(scores: Mapping[str, K | None], highest_first: bool = True) -> dict[str, Rank]:
    """Every key's rank by score (highest first, or lowest: dates); ties share the best rank (1, 2, 2, 4); None
    scores are unranked. Counted over the distinct scores, so ranking thousands of units stays linear."""
    counts = Counter(score for score in scores.values() if score is not None)
    ranked, unranked = sum(counts.values()), sum(score is None for score in scores.values())
    above: dict[K, int] = {}
    total = 0
    for score in sorted(counts, reverse=highest_first):
        above[score] = total
        total += counts[score]
    return {
        key: Rank(None, ranked, 0, unranked)
        if score is None
        else Rank(1 + above[score], ranked, counts[score] - 1, unranked)
        for key, score in scores.items()
    }


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

    def _get(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def region_members(self, unit: Unit) -> list[Unit]:
        return self.members[unit.region(self.scheme)["en"]]

    def national(self, code: str) -> NationalFigure:
        return self._get(("national", code), lambda: national(self.data, code))

    def region(self, unit: Unit, code: str) -> Adoption:
        name = unit.region(self.scheme)["en"]
        return self._get(("region", name, code), lambda: adoption(self.data, code, self.members[name]))

    def pooled(self, scope: str, members: list[Unit], codes: list[str], key: str) -> PresentShare:
        """present_share of a region or the nation over a family, computed once per (scope, family)."""
        return self._get(("pooled", scope, key), lambda: present_share(self.data, members, codes))

    def rank(self, unit: Unit) -> Rank:
        """The unit's rank among all units by share of known items present (ranks computed once)."""
        return self._get(("ranks",), lambda: competition_ranks(self._scores()))[unit.slug]

    def _scores(self) -> dict[str, float | None]:
        codes = [code.id for code in self.data.codebook.codes]
        return {other.slug: present_share(self.data, [other], codes).share for other in self.data.units}


def profile(data: YearData, unit: Unit, figures: Figures) -> Profile:
    """Share of codes present by family against region and nation, the rank among provinces, departures."""
    region_members = figures.region_members(unit)
    region_name = unit.region(figures.scheme)["en"]
    families = []
    for family in data.codebook.families:
        codes = [code.id for code in data.codebook.in_family(family["id"])]
        if codes:
            families.append(
                FamilyStanding(
                    family["id"],
                    family["label"],
                    present_share(data, [unit], codes),
                    figures.pooled(region_name, region_members, codes, family["id"]),
                    figures.pooled("", data.units, codes, family["id"]),
                )
            )
    distinctive: list[Bilingual] = []
    missing: list[Bilingual] = []
    for code in data.codebook.codes:
        cell, share = value(data, unit, code.id), figures.national(code.id).share
        if cell is None or share is None:
            continue
        if cell == 1 and share < 0.5:
            distinctive.append(code.label)
        elif cell == 0 and share >= 0.5:
            missing.append(code.label)
    overall = present_share(data, [unit], [code.id for code in data.codebook.codes])
    return Profile(families, overall, figures.rank(unit), distinctive, missing)
