"""Where benchmark results go, and what every result says about the machine it was measured on."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def machine() -> dict[str, Any]:
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(), "python": platform.python_version()}


def save(kind: str, now: datetime, result: dict[str, Any]) -> None:
    """benchmarks/results/{kind}-{UTC time}.json and {kind}-latest.json, and a line saying so."""
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{now:%Y%m%dT%H%M%SZ}.json"
    for target in (name, f"{kind}-latest.json"):
        (RESULTS / target).write_text(text, encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}/{name} and {kind}-latest.json")
