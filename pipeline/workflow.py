"""What the Snakefile knows at parse time: the validated config, the validated inputs, one context per unit.

Province contexts are computed here, not in a rule, and written only when their content changes: Snakemake has
no 'restat', so a rule that rewrote all 31 would rebuild all 31 reports after any edit. Writing them here lets
a change to one province's facts rebuild that province (plus the national report and the index), while a
change that moves a national or regional share rebuilds every report that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dataset import load_year
from .errors import InputError, PipelineError, display_path
from .i18n import check_catalogues
from .indicators import unit_context, write_json
from .inputs import read_yaml
from .schemas import check, describe


@dataclass(frozen=True)
class Plan:
    data: Path
    years: list[int]
    units: dict[int, list[str]]
    languages: list[str]
    formats: list[str]
    scheme: str

    def input_files(self, year: int) -> list[str]:
        """Every data file a year's national tables are computed from."""
        reference = sorted((self.data / "reference").glob("ref_*.csv"))
        year_dir = self.data / str(year)
        optional = [year_dir / name for name in ("aggregates.csv", "documents_catalogue.csv")]
        files = [year_dir / "facts.csv", self.data / "codebook.yaml", *reference, *optional]
        return [display_path(path) for path in files if path.exists()]


def validate_config(config: dict[str, Any], schema_path: Path, config_name: str = "config") -> None:
    schema = read_yaml(schema_path)
    error = check(config, schema)
    if error is not None:
        raise PipelineError(f"{config_name}: {describe(error)}")


def plan(config: dict[str, Any], basedir: Path, build_dir: Path = Path("build")) -> Plan:
    """Validate config and inputs, write the per-unit contexts; raise PipelineError on the first problem."""
    validate_config(config, basedir / "config" / "config.schema.yaml")
    data = Path(config["data"])
    data = data if data.is_absolute() else basedir / data
    check_catalogues(data / "messages")
    units: dict[int, list[str]] = {}
    for year in config["years"]:
        if not (data / str(year) / "facts.csv").exists():
            raise InputError(data / str(year) / "facts.csv", f"no facts sheet for year {year}")
        loaded = load_year(data, year)
        slugs = [unit.slug for unit in loaded.units]
        wanted = slugs if config["units"] == "all" else config["units"]
        unknown = [slug for slug in wanted if slug not in slugs]
        if unknown:
            raise PipelineError(f"config: unknown unit '{unknown[0]}' (known: {', '.join(slugs)})")
        for slug in wanted:
            context = unit_context(loaded, loaded.unit(slug), config["region_scheme"])
            write_json(build_dir / str(year) / "units" / f"{slug}.json", context)
        units[year] = list(wanted)
    return Plan(
        data, list(config["years"]), units, list(config["languages"]), list(config["formats"]), config["region_scheme"]
    )
