"""Command line: `python -m pipeline STAGE ...`; every stage of the Snakemake workflow is callable here."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .errors import PipelineError
from .paths import TEMPLATES


def _fonts(args: argparse.Namespace) -> None:
    from .fonts import build_fonts

    for (family, style), path in build_fonts(force=args.force).items():
        print(f"{family} {style}: {path}")


def _indicators(args: argparse.Namespace) -> None:
    from .indicators import write_national

    write_national(
        Path(args.data),
        args.year,
        args.scheme,
        Path(args.tables),
        Path(args.out),
        Path(args.years_dir) if args.years_dir else None,
        Path(args.coding) if args.coding else None,
        args.synthetic,
    )


def _charts(args: argparse.Namespace) -> None:
    from .charts import write_national_charts

    write_national_charts(Path(args.national), Path(args.out_dir), args.languages, Path(args.messages))


def _render(args: argparse.Namespace) -> None:
    from .render import render_unit

    charts = Path(args.charts) if args.charts else None
    render_unit(Path(args.context), args.outputs, Path(args.messages), charts, args.linked, Path(args.templates))


def _assets(args: argparse.Namespace) -> None:
    from .render import write_assets

    write_assets(Path(args.out_dir), Path(args.templates))


def _index(args: argparse.Namespace) -> None:
    from .publish import write_index

    write_index(Path(args.national), Path(args.out), args.files, Path(args.messages), Path(args.templates))


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

    code_documents([Path(name) for name in args.sentences], Path(args.codebook), Path(args.out_dir))


def _code(args: argparse.Namespace) -> None:
    from .coding import code_files

    codebook = Path(args.codebook) if args.codebook else None
    print(code_files([Path(name) for name in args.files], codebook, Path(args.out) if args.out else None), end="")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    stages = parser.add_subparsers(dest="stage", required=True)

    fonts = stages.add_parser("fonts", help="build the static CJK font subsets into the environment")
    fonts.add_argument("--force", action="store_true", help="rebuild even if present")
    fonts.set_defaults(func=_fonts)

    indicators = stages.add_parser("indicators", help="national tables and the national report's context")
    indicators.add_argument("--data", required=True, help="data folder (reference/, codebook.yaml, YEAR/)")
    indicators.add_argument("--year", required=True, type=int)
    indicators.add_argument("--scheme", choices=("three", "nbs"), default="three")
    indicators.add_argument("--tables", required=True, help="folder for the CSV tables")
    indicators.add_argument("--out", required=True, help="national context JSON")
    indicators.add_argument("--years-dir", help="folder of the {year}/ folders (default: --data)")
    indicators.add_argument("--coding", help="outputs of the `code` checkpoint, when documents were coded")
    indicators.add_argument("--synthetic", action="store_true", help="a demonstration build on synthetic data")
    indicators.set_defaults(func=_indicators)

    charts = stages.add_parser("charts", help="national charts (SVG) in each language")
    charts.add_argument("--national", required=True)
    charts.add_argument("--messages", required=True, help="folder of the message catalogues")
    charts.add_argument("--out-dir", required=True)
    charts.add_argument("languages", nargs="+")
    charts.set_defaults(func=_charts)

    render = stages.add_parser("render", help="HTML and PDF editions of one report")
    render.add_argument("--context", required=True)
    render.add_argument("--messages", required=True, help="folder of the message catalogues")
    render.add_argument("--charts", help="folder of the year's charts (national report)")
    render.add_argument("--linked", nargs="*", default=[], help="province reports the national one may link")
    render.add_argument("outputs", nargs="+", help="files to write: NAME.{zh,en}.{html,pdf}")
    render.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    render.set_defaults(func=_render)

    assets = stages.add_parser("assets", help="the HTML site's stylesheet and fonts")
    assets.add_argument("--out-dir", required=True)
    assets.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    assets.set_defaults(func=_assets)

    index = stages.add_parser("index", help="the year's index page")
    index.add_argument("--national", required=True)
    index.add_argument("--messages", required=True, help="folder of the message catalogues")
    index.add_argument("--out", required=True)
    index.add_argument("files", nargs="*")
    index.add_argument("--templates", default=str(TEMPLATES), help="folder of the Jinja2 templates and CSS")
    index.set_defaults(func=_index)

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
    evidence.add_argument("sentences", nargs="+", help="sentence JSON files written by `ingest`")
    evidence.set_defaults(func=_evidence)

    code = stages.add_parser("code", help="match documents against the codebook: evidence CSV and a per-code summary")
    code.add_argument("files", nargs="+", metavar="FILE", help="documents (.txt, .docx, .pdf, .html); doc id = stem")
    code.add_argument("--codebook", help="codebook YAML (default: the project's data/codebook.yaml)")
    code.add_argument("--out", help="evidence CSV to write (UTF-8 with BOM; start/end index the sentence)")
    code.set_defaults(func=_code)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    sys.exit(main())
