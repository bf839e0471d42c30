"""Dates as the documents catalogue gives them, at the precision its sources show, read into spans of days.

A source may show a day (`2017-02-07`), a month (`2017-01`), a year (`2017`), two dates a plan lies between
(`2016-12/2017-01`) or a bound (`on/before 2017-05-04`, `before 2017-06-20`); a trailing `?` marks a date the
source infers rather than shows. Each is read into the first and last day it allows, and never into a day it does
not name: a year stays a year-long span, a bound stays open towards the past. Parsing lives here, below the model
(model.dataset checks the catalogue's dates against each other) and the analysis (analysis.timing).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from provincial_plans.core.i18n import DATE_NOTE
from provincial_plans.core.schemas import CATALOGUE_DATE, DATE, PLAN_DATE

PRECISIONS = ("day", "month", "span", "year", "bound")


@dataclass(frozen=True)
class Span:
    """A date as a source gives it: its text, how precise it is, and the first and last day it allows (`earliest`
    None: a bound, open towards the past). `doubtful`: the source infers it or marks it with '?'."""

    text: str
    precision: str  # one of PRECISIONS
    earliest: date | None
    latest: date
    doubtful: bool = False

    def overlaps(self, other: Span) -> bool:
        """Whether both can be true at once."""
        start = max(self.earliest or date.min, other.earliest or date.min)
        return start <= min(self.latest, other.latest)

    def as_bound(self) -> Span:
        """The span as an upper bound only: a plan reposted on a day was signed on or before that day."""
        if self.precision == "bound":
            return self
        return Span(f"on/before {self.text.rstrip('?')}", "bound", None, self.latest, self.doubtful)


def _first_last(text: str) -> tuple[date, date, str]:
    """The first and last day of a YYYY, YYYY-MM or YYYY-MM-DD date, and its precision."""
    year, month, day = DATE.fullmatch(text).groups()  # type: ignore[union-attr]  # the schema checked the shape
    if day:
        found = date(int(year), int(month), int(day))
        return found, found, "day"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return date(int(year), int(month), 1), date(int(year), int(month), last), "month"
    return date(int(year), 1, 1), date(int(year), 12, 31), "year"


def plan_date(text: str) -> Span | None:
    """A date of the catalogue's date_signed and date_published columns (schemas.PLAN_DATE); None when empty."""
    if not text:
        return None
    found = PLAN_DATE.fullmatch(text)
    if found is None:
        raise ValueError(f"not a plan date: {text!r}")
    qualifier, value, doubt = found.group("qualifier"), found.group("date"), bool(found.group("doubt"))
    first, last, precision = _first_last(value)
    if qualifier == "on/before":
        return Span(text, "bound", None, last, doubt)
    if qualifier == "before":
        return Span(text, "bound", None, first - timedelta(days=1), doubt)
    return Span(text, precision, first, last, doubt)


def catalogue_date(text: str) -> list[Span]:
    """The spans an issue_date of the earlier catalogue gives (schemas.CATALOGUE_DATE): the date itself, and a
    bound where it notes a publication or report (`2017 (reported 2017-04-07)`); none when empty."""
    if not text:
        return []
    if CATALOGUE_DATE.fullmatch(text) is None:
        raise ValueError(f"not a catalogue date: {text!r}")
    note = DATE_NOTE.search(text)
    main = text[: note.start()] if note else text
    doubtful = main.endswith("?")
    main = main.removesuffix("?")
    if "/" in main:
        start, end = main.split("/")
        first, _, _ = _first_last(start)
        _, last, _ = _first_last(end)
        spans = [Span(main, "span", first, last, doubtful)]
    else:
        first, last, precision = _first_last(main)
        spans = [Span(main + ("?" if doubtful else ""), precision, first, last, doubtful)]
    if note:
        _, last, _ = _first_last(note.group(2))
        spans.append(Span(f"on/before {note.group(2)}", "bound", None, last))
    return spans


DOCUMENT_NUMBER_YEAR = re.compile(r"〔((?:19|20)[0-9]{2})〕")  # 冀政发〔2017〕4号: issued in 2017


def number_year(doc_number: str) -> Span | None:
    """The year a document number carries (a Chinese document number names the year of issue), as a span."""
    found = DOCUMENT_NUMBER_YEAR.search(doc_number)
    if found is None:
        return None
    year = int(found.group(1))
    return Span(found.group(1), "year", date(year, 1, 1), date(year, 12, 31))


def months_between(start: date, end: date) -> int:
    """Calendar months from start's month to end's month (2016-09-29 to 2017-01-05: 4)."""
    return (end.year - start.year) * 12 + end.month - start.month
