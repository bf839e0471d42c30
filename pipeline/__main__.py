"""Command line: `python -m pipeline STAGE ...`; every stage of the Snakemake workflow is callable here."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

from .errors import PipelineError, display_path
from .paths import PROJECT_ROOT, TEMPLATES
from .shutdown import skip_final_collections

USAGE_VARIABLE = "PIPELINE_RENDER_USAGE"  # a file each render job appends its time and peak memory to


def _fonts(args: argparse.Namespace) -> None:
    from .fonts import build_fonts

    for (family, style), path in build_fonts(force=args.force).items():
        print(f"{family} {style}: {path}")


def _indicators(args: argparse.Namespace) -> None:
    from .dataset import load_year
    from .indicators import write_year_tables
    from .merge import apply_machine

    years_dir = Path(args.years_dir) if args.years_dir else None
    since = load_year(Path(args.data), args.since, years_dir) if args.since else None
    if since is not None and args.since_coding:
        since = apply_machine(since, Path(args.since_coding))
    write_year_tables(
        Path(args.data),
        args.year,
        args.scheme,
        Path(args.tables),
        years_dir,
        Path(args.coding) if args.coding else None,
        since,
    )


def _charts(args: argparse.Namespace) -> None:
    from .charts import write_national_charts

    write_national_charts(Path(args.national), Path(args.out_dir), args.languages, Path(args.messages))


def _render(args: argparse.Namespace) -> None:
    from .progress import progress_line
    from .render import render_unit

    start = time.perf_counter()
    charts = Path(args.charts) if args.charts else None
    by_stem: dict[str, list[str]] = {}
    for output in args.outputs:
        by_stem.setdefault(Path(output).name.split(".")[0], []).append(output)
    unmatched = sorted(set(by_stem) - {Path(context).stem for context in args.context})
    if unmatched:  # an output no --context makes would otherwise be skipped without a word
        raise PipelineError(f"{by_stem[unmatched[0]][0]}: no --context is named {unmatched[0]}.json")
    for context in args.context:  # one process renders a batch: the imports and fonts load once
        render_unit(
            Path(context),
            by_stem.get(Path(context).stem, []),
            Path(args.messages),
            charts,
            args.linked,
            Path(args.templates),
            args.pdf_variant,
            [Path(name) for name in args.attach],
        )
    if args.progress:  # counted in the site being built: the folder above the outputs' year folder
        print(progress_line(Path(args.progress), Path(args.outputs[0]).parent.parent), flush=True)
    if os.environ.get(USAGE_VARIABLE):
        _record_usage(Path(os.environ[USAGE_VARIABLE]), args.outputs, time.perf_counter() - start)


def _record_usage(path: Path, outputs: list[str], seconds: float) -> None:
    """Append this job's time and peak memory as a JSON line (benchmarks/build.py sets the variable).

    The job's own process is measured, which is the server's forked copy when a server renders it: the
    caller waiting for it would show neither its time nor its memory.
    """
    import json
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    record = {
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "outputs": [Path(output).name for output in outputs],
        "seconds": round(seconds, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "max_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")


def _assets(args: argparse.Namespace) -> None:
    from .render import write_assets

    write_assets(Path(args.out_dir), Path(args.templates))


def _index(args: argparse.Namespace) -> None:
    from .progress import report_files
    from .publish import write_index

    reports = report_files(Path(args.reports), Path(args.out).parent.parent) if args.reports else []
    write_index(
        Path(args.national),
        Path(args.out),
        [*reports, *args.files],
        Path(args.messages),
        Path(args.templates),
        args.inputs,
        args.extra,
    )


def _years_index(args: argparse.Namespace) -> None:
    from .publish import write_years_index

    write_years_index(args.years, Path(args.out), Path(args.messages), Path(args.templates))


def _publish(args: argparse.Namespace) -> None:
    from .publish import publish

    count = publish(Path(args.staged), Path(args.target))
    print(f"published {display_path(args.target)} ({count} files)")


def _ingest(args: argparse.Namespace) -> None:
    from .dataset import load_units
    from .ingest import ingest_document, read_manifest, write_sentences

    units = {unit.slug for unit in load_units(Path(args.reference))} | {"national"}
    entries = read_manifest(Path(args.manifest), Path(args.data), units, args.max_bytes)
    entry = next(entry for entry in entries if entry.doc_id == args.doc_id)
    text, sentences = ingest_document(entry.file, entry.doc_id, args.max_bytes)
    write_sentences(Path(args.out), entry, text, sentences)


def _evidence(args: argparse.Namespace) -> None:
    from .merge import code_documents

    code_documents([Path(name) for name in args.sentences], Path(args.codebook), Path(args.out_dir), args.max_seconds)


def _code(args: argparse.Namespace) -> None:
    from .evidence import code_files

    codebook = Path(args.codebook) if args.codebook else None
    out = Path(args.out) if args.out else None
    print(code_files([Path(name) for name in args.files], codebook, out, args.explain), end="")


def _evaluate(args: argparse.Namespace) -> None:
    from .evaluate import evaluate, table, write_outputs

    codebook = Path(args.codebook) if args.codebook else None
    result = evaluate(Path(args.gold), [Path(name) for name in args.files], codebook, args.codes)
    write_outputs(result, [Path(name) for name in args.out])
    print(table(result), end="")


def _acquire(args: argparse.Namespace) -> None:
    from .acquire import Fetcher, Settings, acquire, default_cache

    settings = Settings(args.timeout, args.retries, args.backoff, args.min_interval, deadline=args.deadline)
    fetcher = Fetcher(settings, Path(args.cache) if args.cache else default_cache(), args.refresh)
    sources = Path(args.sources) if args.sources else None
    failed = total = 0
    for outcome in acquire(Path(args.data), args.year, fetcher, args.html, sources):
        total += 1
        failed += outcome.failed
        if outcome.failed:
            print(f"error: {outcome.message}", file=sys.stderr, flush=True)
        else:
            print(outcome.message, flush=True)
    if failed:
        raise PipelineError(f"{failed} of {total} sources failed; their saved documents were left as they were")


def _bundle(args: argparse.Namespace) -> None:
    from .bundle import SUMS, folder_name, make_bundle

    out = Path(args.out) if args.out else Path(args.reports) / f"{folder_name(args.year)}.zip"
    count = make_bundle(Path(args.reports), args.year, out)
    print(f"{display_path(out)}: {count} files and {SUMS}")


def _verify(args: argparse.Namespace) -> None:
    from .bundle import SUMS, verify_bundle

    name = display_path(args.bundle)
    checked, problems = verify_bundle(Path(args.bundle))
    for problem in problems:
        print(f"error: {name}: {problem}", file=sys.stderr)
    if problems:
        raise PipelineError(f"{name}: {len(problems)} problem(s) against the {checked} files its {SUMS} lists")
    print(f"{name}: all {checked} files match {SUMS}")


def _schedule(args: argparse.Namespace) -> None:
    from .schedule import install, parse_when, schedule_text

    when = parse_when(args.time)
    workdir = Path(args.workdir).resolve()
    configfiles = [arg for name in args.configfile for arg in ("--configfile", name)]
    command = [args.python, "-m", "pipeline", "regenerate", "--cores", args.cores, *configfiles]
    unit_dir = Path(args.unit_dir) if args.unit_dir else Path.home() / ".config" / "systemd" / "user"
    print(schedule_text(command, workdir, when, unit_dir), end="")
    if args.install:
        for path in install(command, workdir, when, unit_dir):
            print(f"wrote {path}")


def _regenerate(args: argparse.Namespace) -> None:
    from .regenerate import regenerate

    workdir = Path.cwd()
    for path in regenerate(workdir, args.cores, args.configfile, workdir / args.archive, date.today()):
        print(f"archived {display_path(path)}")


class _Version(argparse.Action):
    """`--version`, worked out only when asked: it reads the codebook, the rules and the lock file."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the package, codebook, rules and lock versions")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from .provenance import version_text

        print(version_text(), end="")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--version", action=_Version)
    stages = parser.add_subparsers(dest="stage", required=True)

    fonts = stages.add_parser("fonts", help="build the static CJK font subsets into the environment")
    fonts.add_argument("--force", action="store_true", help="rebuild even if present")
    fonts.set_defaults(func=_fonts)

    indicators = stages.add_parser("indicators", help="the year's indicator tables (CSV, Parquet) and workbook")
    indicators.add_argument("--data", required=True, help="data folder (reference/, codebook.yaml, YEAR/)")
    indicators.add_argument("--year", required=True, type=int)
    indicators.add_argument("--scheme", choices=("three", "nbs"), default="three")
    indicators.add_argument("--tables", required=True, help="folder for the CSV tables")
    indicators.add_argument("--years-dir", help="folder of the {year}/ folders (default: --data)")
    indicators.add_argument("--coding", help="outputs of the `code` checkpoint, when documents were coded")
    indicators.add_argument("--since", type=int, help="previous configured year: add the year-on-year tables")
    indicators.add_argument("--since-coding", help="outputs of the previous year's `code` checkpoint")
    indicators.set_defaults(func=_indicators)

    charts = stages.add_parser("charts", help="national charts (SVG) in each language")
    charts.add_argument("--national", required=True)
    charts.add_argument("--messages", required=True, help="folder of the message catalogues")
    charts.add_argument("--out-dir", required=True)
    charts.add_argument("languages", nargs="+")
    charts.set_defaults(func=_charts)

    render = stages.add_parser("render", help="HTML and PDF editions of one report")
    render.add_argument("--context", required=True, nargs="+", help="report contexts; outputs go by file stem")
    render.add_argument("--progress", help="build/{year}/reports.json: print how many units' reports exist")
    render.add_argument("--messages", required=True, help="folder of the message catalogues")
    render.add_argument("--charts", help="folder of the year's charts (national report)")
    render.add_argument("--linked", nargs="*", default=[], help="province reports the national one may link")
    render.add_argument("outputs", nargs="+", help="files to write: NAME.{zh,en}.{html,pdf}")
    render.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    render.add_argument("--pdf-variant", choices=("pdf/a-3b",), help="archival PDF/A-3b with the data attached")
    render.add_argument("--attach", nargs="*", default=[], help="tables a national PDF/A edition carries")
    render.add_argument(
        "--no-server", dest="server", action="store_false", help="render in this process, not in a warm server"
    )
    render.set_defaults(func=_render)

    assets = stages.add_parser("assets", help="the HTML site's stylesheet and fonts")
    assets.add_argument("--out-dir", required=True)
    assets.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    assets.set_defaults(func=_assets)

    index = stages.add_parser("index", help="the year's index page")
    index.add_argument("--national", required=True)
    index.add_argument("--messages", required=True, help="folder of the message catalogues")
    index.add_argument("--out", required=True)
    index.add_argument("files", nargs="*", help="reports and tables the page links")
    index.add_argument("--reports", help="build/{year}/reports.json: the year's reports, linked with the files")
    index.add_argument("--inputs", nargs="*", default=[], help="data files, listed with their SHA-256 in the manifest")
    index.add_argument("--extra", nargs="*", default=[], help="other outputs the manifest lists (assets, charts)")
    index.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    index.set_defaults(func=_index)

    years_index = stages.add_parser("years-index", help="reports/index.html: each configured year's index")
    years_index.add_argument("--years", required=True, nargs="+", type=int)
    years_index.add_argument("--messages", required=True, help="folder of the message catalogues")
    years_index.add_argument("--out", required=True)
    years_index.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    years_index.set_defaults(func=_years_index)

    publish = stages.add_parser(
        "publish", help="put a staged year folder (or the years index) in place under reports/ as a whole"
    )
    publish.add_argument("staged", help="build/site/YEAR (its manifest.json lists the files) or build/site/index.html")
    publish.add_argument("target", help="reports/YEAR or reports/index.html")
    publish.set_defaults(func=_publish)

    ingest = stages.add_parser("ingest", help="one document of a manifest: normalised text and sentences (JSON)")
    ingest.add_argument("--manifest", required=True, help="data/{year}/documents.csv")
    ingest.add_argument("--data", required=True, help="folder the documents must stay inside")
    ingest.add_argument("--reference", required=True, help="data/reference (the units a manifest may name)")
    ingest.add_argument("--doc-id", required=True)
    ingest.add_argument("--max-bytes", type=int, required=True, help="size limit of a document, in bytes")
    ingest.add_argument("--out", required=True)
    ingest.set_defaults(func=_ingest)

    evidence = stages.add_parser("evidence", help="code a year's ingested documents: evidence, units, alignment")
    evidence.add_argument("--codebook", required=True)
    evidence.add_argument("--out-dir", required=True)
    evidence.add_argument("--max-seconds", type=float, required=True, help="time limit for coding one document")
    evidence.add_argument("sentences", nargs="+", help="sentence JSON files written by `ingest`")
    evidence.set_defaults(func=_evidence)

    code = stages.add_parser("code", help="match documents against the codebook: evidence CSV and a per-code summary")
    code.add_argument("files", nargs="+", metavar="FILE", help="documents (.txt, .docx, .pdf, .html); doc id = stem")
    code.add_argument("--codebook", help="codebook YAML (default: the project's data/codebook.yaml)")
    code.add_argument("--out", help="evidence CSV to write (UTF-8 with BOM; start/end index the sentence)")
    code.add_argument(
        "--explain", action="store_true", help="also list keywords found that did not count, with the reason"
    )
    code.set_defaults(func=_code)

    evaluate = stages.add_parser(
        "evaluate", help="code documents and compare with a human gold coding: precision, recall, F1, alpha, kappa"
    )
    evaluate.add_argument("--gold", required=True, help="gold CSV: doc, code, sentence, note (see the README)")
    evaluate.add_argument("files", nargs="+", metavar="DOC", help="documents the gold codes")
    evaluate.add_argument("--codebook", help="codebook YAML (default: the project's data/codebook.yaml)")
    evaluate.add_argument("--codes", nargs="+", default=[], metavar="ID", help="score only these codes or families")
    evaluate.add_argument(
        "--out", action="append", default=[], help="write the result: .json (everything) or .csv (metrics, and "
        "NAME.disagreements.csv beside it); may be given twice"
    )
    evaluate.set_defaults(func=_evaluate)

    acquire = stages.add_parser(
        "acquire", help="fetch the documents listed in data/{year}/sources.csv (network; never part of a build)"
    )
    acquire.add_argument("--year", required=True, type=int)
    acquire.add_argument("--data", default="data", help="data folder (reference/, YEAR/)")
    acquire.add_argument("--sources", help="sources CSV (default: DATA/YEAR/sources.csv)")
    acquire.add_argument("--cache", help="download cache (default: ~/.cache/provincial-plans/acquire)")
    acquire.add_argument("--refresh", action="store_true", help="fetch again even when the cache has the address")
    acquire.add_argument("--html", action="store_true", help="save a page's main part as .html instead of .txt")
    acquire.add_argument("--timeout", type=float, default=30.0, help="seconds per attempt (default 30)")
    acquire.add_argument(
        "--deadline", type=float, default=300.0, help="seconds for one document, all attempts included (default 300)"
    )
    acquire.add_argument("--retries", type=int, default=3, help="further attempts after a failure (default 3)")
    acquire.add_argument("--backoff", type=float, default=2.0, help="seconds before the first retry, then doubled")
    acquire.add_argument(
        "--min-interval", type=float, default=2.0, help="seconds between two requests to one host (default 2)"
    )
    acquire.set_defaults(func=_acquire)

    bundle = stages.add_parser("bundle", help="one deterministic zip of a year's reports, with SHA256SUMS")
    bundle.add_argument("--year", required=True, type=int)
    bundle.add_argument("--reports", default="reports", help="folder of the {year}/ report folders")
    bundle.add_argument("--out", help="zip to write (default: REPORTS/provincial-plans-YEAR.zip)")
    bundle.set_defaults(func=_bundle)

    verify = stages.add_parser("verify", help="check every file of a bundle against its SHA256SUMS")
    verify.add_argument("bundle", help="the zip `bundle` wrote")
    verify.set_defaults(func=_verify)

    schedule = stages.add_parser("schedule", help="print (or --install) a yearly systemd timer and a cron line")
    schedule.add_argument("--time", default="01-15 03:00", help="day and time of the year, MM-DD HH:MM")
    schedule.add_argument("--workdir", default=".", help="the workflow folder the rebuild runs in")
    schedule.add_argument("--python", default=sys.executable, help="the environment's Python")
    schedule.add_argument("--cores", default="all", help="passed to `regenerate`")
    schedule.add_argument("--configfile", action="append", default=[], help="passed to `regenerate`")
    schedule.add_argument("--install", action="store_true", help="write the service and timer units")
    schedule.add_argument("--unit-dir", help="where --install writes (default: ~/.config/systemd/user)")
    schedule.set_defaults(func=_schedule)

    regenerate = stages.add_parser(
        "regenerate", help="the scheduled rebuild: clear a stale lock, build with a log, archive each year's bundle"
    )
    regenerate.add_argument("--cores", default="all")
    regenerate.add_argument("--configfile", action="append", default=[], help="passed to snakemake")
    regenerate.add_argument("--archive", default="archive", help="folder of the dated bundles")
    regenerate.set_defaults(func=_regenerate)
    return parser


def main(argv: list[str] | None = None, in_server: bool = False) -> int:
    """Run a stage; a render job goes to the warm render server (pipeline.render_server) unless `in_server`."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if not TEMPLATES.is_dir():  # installed from a wheel: the data, templates and Snakefile are not in it
        print(f"error: {PROJECT_ROOT}: provincial-plans runs in a checkout of the project; clone it", file=sys.stderr)
        return 2
    if args.stage == "render" and args.server and not in_server:
        from .render_server import run

        return run(argv, lambda argv: main(argv, in_server=True))
    try:
        args.func(args)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not bad input: keep the traceback, end with one line that says so
        traceback.print_exc()
        print(f"error: stage '{args.stage}' failed unexpectedly: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    status = main()
    skip_final_collections()
    sys.exit(status)
