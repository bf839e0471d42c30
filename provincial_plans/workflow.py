"""What the Snakefile knows (PLAN): the validated config and inputs, the units and documents of each year, and the
paths and options its rules are made of. Made once per run, before any job, so a bad input stops the run with one
line before anything is built; it computes no report (the `contexts` job does).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provincial_plans.coding.coder import MAX_CODING_SECONDS
from provincial_plans.coding.examples import check_examples
from provincial_plans.coding.formats import MAX_BYTES
from provincial_plans.coding.ingest import ManifestEntry, read_manifest
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.core.i18n import check_catalogues
from provincial_plans.core.inputs import read_text, read_yaml, yaml_line
from provincial_plans.core.schemas import check, describe
from provincial_plans.model.codebook import load_codebook
from provincial_plans.model.dataset import load_year
from provincial_plans.model.layout import LAYOUT

# Each rule's code inputs: the command line's entry, core, and these packages (or single modules) of its stage and
# the stages below it that it imports (rules/common.smk; tests/unit/test_structure.py checks the imports).
STAGE_CODE = {
    "coding": ("model", "coding"),
    "contexts": ("model", "coding", "analysis", "contexts"),
    "tables": ("model", "coding", "analysis", "tables"),
    "report": ("report", "contexts/contract", "analysis/records", "model/dates"),
}

DEFAULTS = {
    "synthetic": False,
    "pdf_variant": "standard",
    "max_document_bytes": MAX_BYTES,
    "max_coding_seconds": MAX_CODING_SECONDS,
    "render_batch": 1,
    "render_server": True,
}


@dataclass
class Plan:
    data: Path
    years_dir: Path
    years: list[int]
    units: dict[int, list[str]]
    languages: list[str]
    formats: list[str]
    scheme: str
    synthetic: bool
    documents: dict[int, list[ManifestEntry]]
    max_document_bytes: int
    pdf_variant: str = "standard"
    render_batch: int = 1
    render_server: bool = True
    max_coding_seconds: float = MAX_CODING_SECONDS
    units_listed: bool = False  # the config lists the units (else: all units of each year)
    build_dir: Path = Path("build")

    def render_options(self, tables: list[str] = ()) -> str:
        """Extra `render` arguments: no warm server, the PDF variant, the tables a national PDF/A edition carries."""
        options = [] if self.render_server else ["--no-server"]
        if self.pdf_variant != "standard":
            options += [f"--pdf-variant {self.pdf_variant}", *(["--attach", *tables] if tables else [])]
        return " ".join(options)

    def earlier(self, year: int) -> int | None:
        """The previous configured year, which a year's reports compare with; None for the first."""
        return max((other for other in self.years if other < year), default=None)

    def batches(self, year: int) -> list[list[str]]:
        """The year's units in render batches of `render_batch` (one process renders a batch)."""
        units = self.units[year]
        return [units[start : start + self.render_batch] for start in range(0, len(units), self.render_batch)]

    def reports_list(self, year: int) -> Path:
        """build/{year}/reports.json: the configured units and editions, for the index and progress lines."""
        return self.build_dir / str(year) / "reports.json"

    def year_dir(self, year: int) -> Path:
        return self.years_dir / str(year)

    def manifest(self, year: int) -> Path:
        return self.year_dir(year) / "documents.csv"

    def document(self, year: int, doc_id: str) -> ManifestEntry:
        return next(entry for entry in self.documents[year] if entry.doc_id == doc_id)

    def coding_dir(self, year: int) -> Path:
        return self.build_dir / str(year) / "coding"

    def coding_outputs(self, year: int) -> list[Path]:
        directory = self.coding_dir(year)
        return [directory / "evidence.csv", directory / "documents.tsv", directory / "alignment.json"]

    def input_files(self, year: int) -> list[Path]:
        """Every data file a year's national tables are computed from."""
        reference = sorted((self.data / "reference").glob("ref_*.csv"))
        optional = [self.year_dir(year) / name for name in ("aggregates.csv", "documents_catalogue.csv")]
        files = [self.year_dir(year) / "facts.csv", self.data / "codebook.yaml", self.data / "conclusions.yaml"]
        files += [*reference, *optional]
        return [path for path in files if path.exists()]

    def national_context(self, year: int) -> Path:
        return self.build_dir / str(year) / "national.json"

    def context_inputs(self, year: int) -> list[Path]:
        """Every data file a year's report contexts are computed from: the tables' inputs, the degree targets and
        the outside measures."""
        extra = [
            self.year_dir(year) / "targets.csv",
            self.data / LAYOUT,
            *sorted((self.data / "reference").glob("ext_*.csv")),
        ]
        return self.input_files(year) + [path for path in extra if path.exists()]


def validate_config(
    config: dict[str, Any], schema_path: Path, sources: Sequence[Path] = (), overrides: Collection[str] = ()
) -> None:
    """The merged config against its schema. An error names the file and line its value came from: the last of
    `sources` (config files in Snakemake's order of precedence) that sets its top-level key, or `--config`."""
    error = check(config, read_yaml(schema_path))
    if error is None:
        return
    key = error.absolute_path[0] if error.absolute_path else None
    if key in overrides:
        raise PipelineError(f"--config: {describe(error)}")
    setting = [source for source in sources if key in (read_yaml(source) or {})]
    if setting:
        raise InputError(setting[-1], describe(error), yaml_line(read_text(setting[-1]), error.absolute_path))
    raise PipelineError(f"config: {describe(error)}")


def _resolve(basedir: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else basedir / path


def plan(config: dict[str, Any], basedir: Path, sources: Sequence[Path] = (), overrides: Collection[str] = ()) -> Plan:
    """Validate config and inputs; raise PipelineError on the first problem.

    `sources` are the config files in order of precedence, `overrides` the keys given with `--config`: a schema
    error names where its value came from."""
    validate_config(config, basedir / "config" / "config.schema.yaml", sources, overrides)
    config = {**DEFAULTS, **config}
    data = _resolve(basedir, config["data"])
    years_dir = _resolve(basedir, config.get("years_dir", config["data"]))
    check_catalogues(data / "messages")
    # the codebook's own examples, coded as documents are (the jobs' loads of the year's data leave them out)
    codebook = load_codebook(data / "codebook.yaml")
    check_examples(data / "codebook.yaml", codebook)
    units: dict[int, list[str]] = {}
    documents: dict[int, list[ManifestEntry]] = {}
    for year in config["years"]:
        facts = years_dir / str(year) / "facts.csv"
        if not facts.exists():
            raise InputError(facts, f"no facts sheet for year {year}")
        loaded = load_year(data, year, years_dir, codebook)
        slugs = [unit.slug for unit in loaded.units]
        wanted = slugs if config["units"] == "all" else config["units"]
        unknown = [slug for slug in wanted if slug not in slugs]
        if unknown:
            raise PipelineError(f"config: unknown unit '{unknown[0]}' (known: {', '.join(slugs)})")
        units[year] = list(wanted)
        manifest = years_dir / str(year) / "documents.csv"
        documents[year] = (
            read_manifest(manifest, years_dir, {*slugs, "national"}, config["max_document_bytes"])
            if manifest.exists()
            else []
        )
        _refuse_synthetic(config["synthetic"], [facts, *(entry.file for entry in documents[year])])
    return Plan(
        data,
        years_dir,
        list(config["years"]),
        units,
        list(config["languages"]),
        list(config["formats"]),
        config["region_scheme"],
        config["synthetic"],
        documents,
        config["max_document_bytes"],
        config["pdf_variant"],
        config["render_batch"],
        config["render_server"],
        config["max_coding_seconds"],
        config["units"] != "all",
    )


def _refuse_synthetic(synthetic: bool, files: list[Path]) -> None:
    """Synthetic fixtures may feed only builds marked synthetic: never a report as a province's policy."""
    if synthetic:
        return
    for path in files:
        if "synthetic" in path.name.lower():
            raise InputError(path, "synthetic fixture in a build not marked `synthetic: true`")
