"""Year on year: what a unit's plan gained or lost since the previous configured year, and national shares then
and now.

Only what is known in both years is compared: a cell unknown in either year is no change, and a national share
that is not reported in either year is left out. A unit (or the nation) with nothing comparable gets no
comparison (None), so a report of a year with no earlier configured year shows nothing year-on-year.
"""

from __future__ import annotations

from provincial_plans.analysis.figures import Figures, value
from provincial_plans.analysis.records import (
    ChangeRow,
    NationalChangeRow,
    NationalChanges,
    NationalFigure,
    Pooled,
    ShareFigure,
    UnitChanges,
)
from provincial_plans.model.dataset import Unit, YearData


def _pooled(rows: list[ChangeRow], when: str) -> Pooled:
    present = sum(getattr(row, when) for row in rows)
    return Pooled(present, len(rows), present / len(rows))


def unit_changes(then: YearData, now: YearData, unit: Unit) -> UnitChanges | None:
    """A unit's items known in both years: gained (0 → 1), lost (1 → 0), and its share present then and now
    over those same items (so that the two shares compare like with like)."""
    rows = [
        ChangeRow(code.id, code.family, code.label, before, after)
        for code in now.codebook.codes
        if (before := value(then, unit, code.id)) is not None and (after := value(now, unit, code.id)) is not None
    ]
    if not rows:
        return None
    return UnitChanges(
        then.year,
        now.year,
        rows,
        [row.label for row in rows if row.then == 0 and row.now == 1],
        [row.label for row in rows if row.then == 1 and row.now == 0],
        _pooled(rows, "then"),
        _pooled(rows, "now"),
    )


def _figure(figure: NationalFigure) -> ShareFigure:
    return ShareFigure(figure.count, figure.of, figure.share, figure.basis)


def national_changes(then: Figures, now: Figures) -> NationalChanges | None:
    """Per code, the national share in each year where both are reported."""
    rows = []
    for code in now.data.codebook.codes:
        before, after = then.national(code.id), now.national(code.id)
        if before.share is not None and after.share is not None:
            rows.append(NationalChangeRow(code.id, code.family, code.label, _figure(before), _figure(after)))
    if not rows:
        return None
    return NationalChanges(then.data.year, now.data.year, rows)
