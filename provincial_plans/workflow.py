"""What the Snakefile knows: the validated config and inputs, the documents to code, one context per unit.

Report contexts (national and per province) are written by `Plan.write_contexts`, not by a rule, and only when
their content changes: Snakemake has no 'restat', so a rule that rewrote them would rebuild every report after
any edit. Called while the DAG is built (after the `code` checkpoint where documents are coded), it lets a change
to one province's data rebuild that province (and the tables and index), while a change that moves a national or
regional share rebuilds every report that shows it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provincial_plans.analysis.changes import national_changes, unit_changes
from provincial_plans.analysis.external import relation
from provincial_plans.analysis.indicators import Figures, national_context, unit_context, write_json
from provincial_plans.coding.coder import MAX_CODING_SECONDS
from provincial_plans.coding.ingest import MAX_BYTES, ManifestEntry, read_manifest
from provincial_plans.coding.merge import apply_machine
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.core.i18n import check_catalogues
from provincial_plans.core.inputs import read_text, read_yaml, yaml_line
from provincial_plans.core.schemas import check, describe
from provincial_plans.model.dataset import YearData, load_year

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
    build_dir: Path = Path("build")
    _written: dict[int, tuple[float, ...]] = field(default_factory=dict)
    # the facts as plan() validated them: read once per run (seconds at county scale)
    _loaded: dict[int, YearData] = field(default_factory=dict)

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

    def load(self, year: int) -> YearData:
        """The year's data, merged with machine coding when its documents have been coded."""
        if year not in self._loaded:
            self._loaded[year] = load_year(self.data, year, self.years_dir)
        data = self._loaded[year]
        if self.documents[year]:
            data = apply_machine(data, self.coding_dir(year))
        return data

    def national_context(self, year: int) -> Path:
        return self.build_dir / str(year) / "national.json"

    def write_contexts(self, year: int) -> None:
        """The national context and each configured unit's, each written only when it changes; computed once per
        state of the coding outputs. A job that wrote them would be rerun with everything after it, changed or not
        (Snakemake touches a job's outputs); written here, an edit rebuilds only the reports it changes."""
        state = tuple(path.stat().st_mtime for path in self.coding_outputs(year) if path.exists())
        if self._written.get(year) == state:
            return
        data = self.load(year)
        figures = Figures(data, self.scheme)
        earlier = self.earlier(year)
        then = self.load(earlier) if earlier is not None else None
        saved = self.national_context(year)
        known = json.loads(saved.read_text(encoding="utf-8")).get("external") if saved.exists() else None
        external = relation(data, self.data / "reference", known)
        changes = national_changes(Figures(then, self.scheme), figures) if then else None
        write_json(self.national_context(year), national_context(data, self.scheme, self.synthetic, external, changes))
        for slug in self.units[year]:
            unit = data.unit(slug)
            changes = unit_changes(then, data, unit) if then else None
            context = unit_context(data, unit, self.scheme, self.synthetic, figures, changes)
            write_json(self.build_dir / str(year) / "units" / f"{slug}.json", context)
        editions = [f"{lang}.{fmt}" for lang in self.languages for fmt in self.formats]
        write_json(self.reports_list(year), {"year": year, "units": self.units[year], "editions": editions})
        self._written[year] = state


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
    units: dict[int, list[str]] = {}
    documents: dict[int, list[ManifestEntry]] = {}
    loaded_years: dict[int, YearData] = {}
    for year in config["years"]:
        facts = years_dir / str(year) / "facts.csv"
        if not facts.exists():
            raise InputError(facts, f"no facts sheet for year {year}")
        loaded = loaded_years[year] = load_year(data, year, years_dir)
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
        _loaded=loaded_years,
    )


def _refuse_synthetic(synthetic: bool, files: list[Path]) -> None:
    """Synthetic fixtures may feed only builds marked synthetic: never a report as a province's policy."""
    if synthetic:
        return
    for path in files:
        if "synthetic" in path.name.lower():
            raise InputError(path, "synthetic fixture in a build not marked `synthetic: true`")
