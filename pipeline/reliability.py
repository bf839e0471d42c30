"""Agreement between human (or study-stated) coding and machine coding of the same unit × code cells.

Krippendorff's alpha (nominal) and Cohen's kappa, per family and overall, from maintained libraries. Both are
undefined when fewer than two cells are shared or when the cells show no variation at all; they are then None and
reports say "not defined", never 1 or 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

MIN_PAIRS = 2


@dataclass(frozen=True)
class Pair:
    """One cell coded both ways."""

    family: str
    human: int
    machine: int


def _defined(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def agreement(pairs: list[Pair]) -> dict[str, object]:
    """n, observed agreement, alpha and kappa of a set of pairs."""
    n = len(pairs)
    agree = sum(pair.human == pair.machine for pair in pairs)
    result: dict[str, object] = {
        "n": n,
        "agree": agree,
        "observed": agree / n if n else None,
        "alpha": None,
        "kappa": None,
    }
    values = {pair.human for pair in pairs} | {pair.machine for pair in pairs}
    if n < MIN_PAIRS or len(values) < 2:
        return result
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    humans = [pair.human for pair in pairs]
    machines = [pair.machine for pair in pairs]
    result["alpha"] = _defined(krippendorff.alpha(reliability_data=[humans, machines], level_of_measurement="nominal"))
    if len(set(humans)) > 1 or len(set(machines)) > 1:
        result["kappa"] = _defined(cohen_kappa_score(humans, machines))
    return result


def reliability_table(pairs: Iterable[Pair], families: list[str]) -> list[dict[str, object]]:
    """One row per family that has shared cells, then the overall row (family 'all')."""
    pairs = list(pairs)
    rows = []
    for family in families:
        subset = [pair for pair in pairs if pair.family == family]
        if subset:
            rows.append({"family": family, **agreement(subset)})
    rows.append({"family": "all", **agreement(pairs)})
    return rows
