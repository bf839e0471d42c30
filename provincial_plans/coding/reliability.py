"""Agreement between human (or study-stated) coding and machine coding of the same unit × code cells.

Krippendorff's alpha (nominal) from the maintained `krippendorff` package and Cohen's kappa from its formula (two
coders, so a few lines: the formula is all scikit-learn would add, at 1.1 s of import per job). Both are
undefined when fewer than two cells are shared or when the cells show no variation at all; they are then None and
reports say "not defined", never 1 or 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from provincial_plans.model.coded import Pair

MIN_PAIRS = 2


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
    import krippendorff  # 0.3 s (numpy): only for a year with coded documents

    humans = [pair.human for pair in pairs]
    machines = [pair.machine for pair in pairs]
    result["alpha"] = _defined(krippendorff.alpha(reliability_data=[humans, machines], level_of_measurement="nominal"))
    if len(set(humans)) > 1 or len(set(machines)) > 1:
        result["kappa"] = cohen_kappa(humans, machines)
    return result


def cohen_kappa(first: list[int], second: list[int]) -> float | None:
    """Cohen's kappa of two codings of the same items: (observed - chance) / (1 - chance) agreement, where chance
    is what the two codings' own category shares would give; None where chance agreement is already perfect."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    chance = sum(first.count(value) * second.count(value) for value in set(first) | set(second)) / (n * n)
    return None if chance == 1 else (observed - chance) / (1 - chance)


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
