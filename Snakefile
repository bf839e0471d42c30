# Provincial "Internet + government services" plans -> indicators -> bilingual HTML/PDF reports.
# Inputs and config are validated here (one clear line on error); the stages live in rules/*.smk.
import atexit
import sys
from pathlib import Path

from pipeline.errors import PipelineError, display_path
from pipeline.inputs import read_yaml
from pipeline.progress import progress_line
from pipeline.regenerate import refuse_second_run
from pipeline.shutdown import cancel_timers, skip_final_collections
from pipeline.workflow import plan

CONFIG_FILE = Path(workflow.basedir, "config", "config.yaml")


def stop(error):
    sys.stderr.write(f"error: {error}\n")
    sys.exit(1)


try:
    if workflow.is_main_process:  # not a job that Snakemake runs as a process of its own (cluster executors)
        refuse_second_run(Path.cwd())
    # Before Snakemake builds anything from them: its own loader would not say which file and line a YAML error
    # is on, and the project's refuses what must not be built at all (anchors and aliases, duplicate keys).
    for source in [CONFIG_FILE, *workflow.overwrite_configfiles]:
        if Path(source).exists():
            read_yaml(Path(source))
except PipelineError as error:
    stop(error)


configfile: str(CONFIG_FILE)


try:
    # Config files in order of precedence and the keys given with --config: a schema error names its source.
    SOURCES = [CONFIG_FILE, *workflow.overwrite_configfiles]
    PLAN = plan(config, Path(workflow.basedir), SOURCES, workflow.config_settings.config)
except PipelineError as error:
    stop(error)

atexit.register(skip_final_collections)  # at exit, no collection walks the DAG about to be freed (pipeline.shutdown)

PY = f'"{sys.executable}" -m pipeline'
# Inputs as relative paths where they lie below the working directory, so that a moved checkout keeps its
# build state (Snakemake reruns a job whose set of input paths changes).
TEMPLATE_DIR = display_path(Path(workflow.basedir, "templates"))
TEMPLATES = sorted(display_path(p) for p in Path(workflow.basedir, "templates").glob("*"))
# The package's own code is an input of every rule: a change to it rebuilds what it may change; so is the lock file
# of its environment (the packages' versions shape the reports' bytes, and the colophon cites the lock).
PIPELINE_CODE = sorted(
    display_path(p)
    for p in [*Path(workflow.basedir, "pipeline").glob("*.py"), *Path(workflow.basedir, "requirements").glob("reports.txt")]
)
MESSAGES = [display_path(PLAN.data / "messages" / f"{lang}.yaml") for lang in ("zh", "en")]


def written_contexts(year):
    """A year's report contexts, written when changed (after the `code` checkpoint where documents are coded,
    for the year and for the earlier year it is compared with)."""
    for coded in (year, PLAN.earlier(year)):
        if coded is not None and PLAN.documents[coded]:
            checkpoints.code.get(year=coded)
    PLAN.write_contexts(year)


def reports_list(wildcards):
    """build/{year}/reports.json (the units and editions of the year), written with the contexts."""
    written_contexts(int(wildcards.year))
    return str(PLAN.reports_list(int(wildcards.year)))


def national_context(wildcards):
    written_contexts(int(wildcards.year))
    return str(PLAN.national_context(int(wildcards.year)))


include: "rules/coding.smk"
include: "rules/indicators.smk"
include: "rules/charts.smk"
include: "rules/render.smk"
include: "rules/publish.smk"


onstart:
    for year in PLAN.years:
        since = f", compared with {PLAN.earlier(year)}" if PLAN.earlier(year) else ""
        batches = f" in {len(PLAN.batches(year))} batches" if PLAN.render_batch > 1 else ""
        print(f"plan {year}: {len(PLAN.units[year])} units{batches}{since}", flush=True)


onsuccess:
    cancel_timers()  # the scheduler's pending re-evaluation Timers would hold the exit for up to their span
    for year in PLAN.years:
        if PLAN.reports_list(year).exists():
            print(progress_line(PLAN.reports_list(year)), flush=True)


onerror:
    cancel_timers()


rule all:
    input:
        # each year's site, and the years index (rules/publish.smk): a missing stamp publishes again
        [f"reports/{year}/.published" for year in PLAN.years],
        "reports/.published",
