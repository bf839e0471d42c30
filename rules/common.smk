# What every stage file uses: the checks made before Snakemake reads the config, the plan (PLAN) made from it, each
# rule's code inputs, the input functions and options of the rules, and the start and end lines of a run.
import atexit
import os
import sys
from pathlib import Path

import provincial_plans
from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.core.inputs import read_yaml
from provincial_plans.core.progress import progress_line
from provincial_plans.core.runs import refuse_second_run
from provincial_plans.core.shutdown import cancel_timers, skip_final_collections
from provincial_plans.tables.registry import CHANGE_TABLE_NAMES as CHANGE_TABLES
from provincial_plans.tables.registry import EXPORT_FILES
from provincial_plans.tables.registry import TABLE_NAMES as TABLES
from provincial_plans.workflow import STAGE_CODE, plan

CONFIG_FILE = Path(workflow.basedir, "config", "config.yaml")
# Jobs run the project's command with the Python that runs Snakemake, named in the environment rather than written
# into each command: a rule's command is its code, and another Python (the cluster environment) must not rerun it.
os.environ.update(PROVINCIAL_PLANS_PYTHON=sys.executable)
# Inputs as relative paths where they lie below the working directory, so that a moved checkout keeps its
# build state (Snakemake reruns a job whose set of input paths changes).
TEMPLATES = sorted(display_path(p) for p in Path(workflow.basedir, "templates").glob("*"))
ENV = "envs/provincial-plans.yaml"  # every rule's software, for --sdm conda (relative to rules/)
PACKAGE = Path(provincial_plans.__file__).parent  # the code the jobs run (in the checkout, or installed)


def stop(error):
    sys.stderr.write(f"error: {error}\n")
    sys.exit(1)


def code(*parts):
    """A rule's code inputs: the command line's entry and the packages (or single modules) its stage imports.

    Imports go down the stages only (tests/unit/test_structure.py), so an edit to ops/ reaches no rule, and an edit
    to report/ re-renders without recomputing the tables or the contexts. The lock file of the environment is one too:
    the packages' versions shape the reports' bytes, and the colophon cites the lock. They are `local`: the code a
    job runs lies beside its Python (in the image, on Kubernetes), never in the storage the outputs go to."""
    files = [PACKAGE / "__init__.py", PACKAGE / "__main__.py", PACKAGE.parent / "requirements" / "reports.txt"]
    for part in ("core", *parts):
        path = PACKAGE / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    missing = [path for path in files if not path.is_file()]
    if missing:
        raise ValueError(f"rules/common.smk: no module {missing[0]}")
    return [local(display_path(path)) for path in files]


CODE = {stage: code(*parts) for stage, parts in STAGE_CODE.items()}


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


def validated_plan(config):
    """The plan: the config against its schema, every data file, the documents to code (one line on error).
    Config files in order of precedence and the keys given with --config: a schema error names its source."""
    try:
        sources = [CONFIG_FILE, *workflow.overwrite_configfiles]
        return plan(config, Path(workflow.basedir), sources, workflow.config_settings.config)
    except PipelineError as error:
        stop(error)


def folder_of(name):
    """A param: the folder of the input files `name` (the message catalogues, the templates)."""

    def folder(wildcards, input):
        files = input[name]
        return display_path(Path(files if isinstance(files, str) else files[0]).parent)

    return folder


def messages():
    """The message catalogues, inputs of every rule that words something."""
    return [display_path(PLAN.data / "messages" / f"{lang}.yaml") for lang in ("zh", "en")]


def context(path):
    """An input function: a context file of the year, once the `contexts` checkpoint has brought it up to date."""

    def after_checkpoint(wildcards):
        checkpoints.contexts.get(year=wildcards.year)
        return path.format(**wildcards)

    return after_checkpoint


def batch_contexts(year, batch):
    """The contexts of a render batch, once the `contexts` checkpoint has brought them up to date."""
    checkpoints.contexts.get(year=year)
    return [f"build/{year}/units/{slug}.json" for slug in batch]


def editions(stem, year="{{year}}"):
    """The report files of a unit (or of the units in `stem`, a list) in every language and format; the year's
    wildcard unless `year` is given."""
    return expand(f"build/site/{year}/{{stem}}.{{lang}}.{{fmt}}", stem=stem, lang=PLAN.languages, fmt=PLAN.formats)


def year_reports(wildcards):
    """Every report of the year: the national one and each configured unit's."""
    return editions(["national", *PLAN.units[int(wildcards.year)]], wildcards.year)


def document_file(wildcards):
    return display_path(PLAN.document(int(wildcards.year), wildcards.doc_id).file)


def years_regex(years):
    """A wildcard constraint that matches these years only (none: nothing)."""
    return "|".join(str(year) for year in years) or "(?!)"


def coding_outputs(years):
    """The `code` checkpoint's outputs of those of `years` whose documents are coded."""
    return [
        str(path) for year in years if year is not None and PLAN.documents[year] for path in PLAN.coding_outputs(year)
    ]


def indicator_inputs(wildcards):
    """The data files a year's tables are computed from, and the facts of the year it is compared with."""
    year = int(wildcards.year)
    earlier = PLAN.earlier(year)
    files = [display_path(p) for p in PLAN.input_files(year)] + coding_outputs([year, earlier])
    return files + ([display_path(PLAN.year_dir(earlier) / "facts.csv")] if earlier is not None else [])


def context_inputs(wildcards):
    """Every data file the contexts are computed from, this year's and the year compared with."""
    year = int(wildcards.year)
    years = [y for y in (year, PLAN.earlier(year)) if y is not None]
    return [display_path(p) for y in years for p in PLAN.context_inputs(y)] + coding_outputs(years)


def coding_options(year):
    """Where the year's coded documents are, and the year it is compared with (and its coding)."""
    earlier = PLAN.earlier(year)
    options = [f"--years-dir {display_path(PLAN.years_dir)}"]
    options += [f"--coding {PLAN.coding_dir(year)}"] if PLAN.documents[year] else []
    options += [f"--since {earlier}"] if earlier is not None else []
    options += [f"--since-coding {PLAN.coding_dir(earlier)}"] if earlier is not None and PLAN.documents[earlier] else []
    return options


def indicator_options(wildcards):
    return " ".join(coding_options(int(wildcards.year)))


def context_options(wildcards):
    year = int(wildcards.year)
    options = coding_options(year) + [f"--scheme {PLAN.scheme}"]
    options += ["--units " + " ".join(PLAN.units[year]) if PLAN.units_listed else "--units all"]
    options += ["--editions " + " ".join(f"{lang}.{fmt}" for lang in PLAN.languages for fmt in PLAN.formats)]
    return " ".join(options + (["--synthetic"] if PLAN.synthetic else []))


def change_tables(wildcards):
    """The year-on-year tables, for a year compared with an earlier one."""
    if PLAN.earlier(int(wildcards.year)) is None:
        return []
    return expand(
        "build/site/{year}/tables/{table}.{ext}", year=wildcards.year, table=CHANGE_TABLES, ext=("csv", "parquet")
    )


atexit.register(skip_final_collections)  # at exit, no collection walks the DAG about to be freed (core.shutdown)


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
