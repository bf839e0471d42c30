"""Commands of the report stage: fonts, charts, render (through the warm render server), assets, index,
years-index, publish.

Each command imports its modules when it runs: a render job's own process only hands its command to the warm render
server (report.render_server), and importing the renderer, the charts and the index there cost it 0.5 s (measured
with `python -X importtime`), a job's whole time when a server renders it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Sequence
from pathlib import Path

from provincial_plans.core import cli
from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.core.paths import TEMPLATES
from provincial_plans.core.progress import progress_line, report_files
from provincial_plans.report import render_server

USAGE_VARIABLE = "PIPELINE_RENDER_USAGE"  # a file each render job appends its time and peak memory to


def _fonts(args: argparse.Namespace) -> None:
    from provincial_plans.report.fonts import build_fonts  # when it runs (see above)

    for (family, style), path in build_fonts(force=args.force).items():
        print(f"{family} {style}: {path}")


def _charts(args: argparse.Namespace) -> None:
    from provincial_plans.report.charts import write_national_charts  # when it runs (see above)

    write_national_charts(Path(args.national), Path(args.out_dir), args.languages, Path(args.messages))


def _render(args: argparse.Namespace) -> None:
    from provincial_plans.report.render import render_unit  # in the server's copy, or a job without a server

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
    from provincial_plans.report.render import write_assets  # when it runs (see above)

    write_assets(Path(args.out_dir), Path(args.templates))


def _index(args: argparse.Namespace) -> None:
    from provincial_plans.report.site import write_index  # when it runs (see above)

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
    from provincial_plans.report.site import write_years_index  # when it runs (see above)

    write_years_index(args.years, Path(args.out), Path(args.messages), Path(args.templates))


def _publish(args: argparse.Namespace) -> None:
    from provincial_plans.report.publish import publish  # when it runs (see above)

    count = publish(Path(args.staged), Path(args.target))
    print(f"published {display_path(args.target)} ({count} files)")


def add_stages(stages: argparse._SubParsersAction) -> None:
    fonts = stages.add_parser("fonts", help="build the static CJK font subsets into the environment")
    fonts.add_argument("--force", action="store_true", help="rebuild even if present")
    fonts.set_defaults(func=_fonts)

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

    publish_ = stages.add_parser(
        "publish", help="put a staged year folder (or the years index) in place under reports/ as a whole"
    )
    publish_.add_argument("staged", help="build/site/YEAR (its manifest.json lists the files) or build/site/index.html")
    publish_.add_argument("target", help="reports/YEAR or reports/index.html")
    publish_.set_defaults(func=_publish)


def main(argv: Sequence[str], in_server: bool = False) -> int:
    """Run a stage; a render job goes to the warm render server (report.render_server) unless `in_server`."""
    args = cli.parser(add_stages).parse_args(list(argv))
    if args.stage == "render" and args.server and not in_server:
        return render_server.run(list(argv), lambda argv: main(argv, in_server=True))
    return cli.run(args)
