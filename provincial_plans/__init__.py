"""Provincial 'Internet + government services' plans: data -> indicators -> bilingual reports."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`__version__`, looked up when first asked for: importlib.metadata costs every process 40 ms at start, and a
    render job's caller (provincial_plans.report.render_server) never needs it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version  # 40 ms of every process (see above)

    try:
        value = version("provincial-plans")
    except PackageNotFoundError:  # running from a source tree that is not installed
        value = "0+unknown"
    globals()["__version__"] = value
    return value
