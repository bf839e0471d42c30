"""What a province's conclusions need beyond its own cells, as typed inputs for analysis.conclusions: its plan as the
catalogue names it, the plan's timing (analysis.timing) with its region's, and the provinces whose cell of each
recommendation theme's code is 1. Computed once a year (contexts call it for every unit), never from a report
context. Also the wording of a plan date at its precision, for the texts of the timing rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from provincial_plans.analysis.figures import Figures, named, unit_info
from provincial_plans.analysis.records import Bilingual, PlanTiming
from provincial_plans.analysis.timing import plan_timings
from provincial_plans.model.dataset import Unit
from provincial_plans.model.dates import Span

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
MONTHS_EN += ("November", "December")


@dataclass(frozen=True)
class PlanRef:
    """The province's plan as the catalogue names it: title and document number, each "" where it has none."""

    title: str
    doc_number: str


@dataclass(frozen=True)
class ProvinceInputs:
    """A province's inputs to its conclusions besides its cells and standing."""

    plan: PlanRef
    timing: PlanTiming | None  # None: timing not computed (the timing rules are skipped)
    region_timings: tuple[PlanTiming, ...]  # the other members of its region
    named: dict[str, list[Bilingual]]  # per theme code: the provinces whose cell is 1 (stated positives)


@lru_cache(maxsize=2)
def _year(figures: Figures) -> tuple[dict[str, PlanTiming], dict[str, list[Bilingual]]]:
    """Every unit's plan timing, and the provinces named for each theme code: once per year and scheme."""
    data = figures.data
    timings = {timing.slug: timing for timing in plan_timings(data.units, data.documents)}
    codes = {code for theme in data.rules.themes for code in (theme.code, *theme.related)}
    names = {code: [unit_info(unit, figures.scheme).short_name for unit in named(data, code)] for code in codes}
    return timings, names


def province_inputs(unit: Unit, figures: Figures) -> ProvinceInputs:
    """A province's plan, its timing and its region's, and the provinces named for each theme code."""
    timings, names = _year(figures)
    rows = [row for row in figures.data.documents if row.scope == "province" and row.gb_code == unit.gb_code]
    title = next((row.title for row in rows if row.title), "")
    number = next((row.doc_number for row in rows if row.doc_number), "")
    region = tuple(timings[other.slug] for other in figures.region_members(unit) if other.slug != unit.slug)
    return ProvinceInputs(PlanRef(title, number), timings.get(unit.slug), region, names)


def plan_words(plan: PlanRef) -> Bilingual:
    """The document that would settle an unknown item: the plan by its title and number, else 'the province's plan'."""
    if not (plan.title or plan.doc_number):
        return Bilingual(zh="该省的方案", en="the province's plan")
    zh = f"《{plan.title}》" if plan.title else ""
    # English quotes the Chinese title (no 《》 in English type); its own “…” become the inner ‘…’
    en = "“" + plan.title.replace("“", "‘").replace("”", "’") + "”" if plan.title else ""
    if plan.title and plan.doc_number:
        return Bilingual(zh=f"{zh}（{plan.doc_number}）", en=f"the plan {en} ({plan.doc_number})")
    return Bilingual(zh=zh or plan.doc_number, en=f"the plan {en or plan.doc_number}")


def _day(day: date) -> Bilingual:
    return Bilingual(zh=f"{day.year}年{day.month}月{day.day}日", en=f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}")


def _month(day: date) -> Bilingual:
    return Bilingual(zh=f"{day.year}年{day.month}月", en=f"{MONTHS_EN[day.month - 1]} {day.year}")


def date_words(span: Span, doubtful: bool) -> Bilingual:
    """A plan date at its precision: a day, a month, a year, a span of months or an upper bound; never a made-up day."""
    if span.precision == "day":
        words = _day(span.latest)
    elif span.precision == "month":
        words = _month(span.latest)
    elif span.precision == "year":
        words = Bilingual(zh=f"{span.latest.year}年", en=str(span.latest.year))
    elif span.precision == "bound":
        last = _day(span.latest)
        words = Bilingual(zh=f"{last['zh']}或之前", en=f"on or before {last['en']}")
    else:  # a span of months
        first, last = _month(span.earliest or span.latest), _month(span.latest)
        words = Bilingual(zh=f"{first['zh']}至{last['zh']}", en=f"{first['en']} to {last['en']}")
    if doubtful:
        return Bilingual(zh=f"{words['zh']}（存疑）", en=f"{words['en']} (doubtful)")
    return words
