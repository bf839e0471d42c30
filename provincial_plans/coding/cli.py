"""Commands of the coding stage: ingest (one document), evidence (a year's documents), code and evaluate (any
documents, outside the workflow)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from provincial_plans.coding.evaluate import evaluate
from provincial_plans.coding.evidence import code_documents, code_files
from provincial_plans.coding.ingest import ingest_document, read_manifest, write_sentences
from provincial_plans.coding.scores import table, write_outputs
from provincial_plans.core import cli
from provincial_plans.model.dataset import load_units


def _ingest(args: argparse.Namespace) -> None:
    units = {unit.slug for unit in load_units(Path(args.reference))} | {"national"}
    entries = read_manifest(Path(args.manifest), Path(args.data), units, args.max_bytes)
    entry = next(entry for entry in entries if entry.doc_id == args.doc_id)
    text, sentences = ingest_document(entry.file, entry.doc_id, args.max_bytes)
    write_sentences(Path(args.out), entry, text, sentences)


def _evidence(args: argparse.Namespace) -> None:
    code_documents([Path(name) for name in args.sentences], Path(args.codebook), Path(args.out_dir), args.max_seconds)


def _code(args: argparse.Namespace) -> None:
    codebook = Path(args.codebook) if args.codebook else None
    out = Path(args.out) if args.out else None
    print(code_files([Path(name) for name in args.files], codebook, out, args.explain), end="")


def _evaluate(args: argparse.Namespace) -> None:
    codebook = Path(args.codebook) if args.codebook else None
    second = Path(args.second_reader) if args.second_reader else None
    files = [Path(name) for name in args.files]
    result = evaluate(Path(args.gold), files, codebook, args.codes, args.wordings, second)
    write_outputs(result, [Path(name) for name in args.out])
    print(table(result), end="")


def add_stages(stages: argparse._SubParsersAction) -> None:
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

    evaluate_ = stages.add_parser(
        "evaluate", help="code documents and compare with a human gold coding: precision, recall, F1, alpha, kappa"
    )
    evaluate_.add_argument("--gold", required=True, help="gold CSV: doc, code, sentence, note (see the README)")
    evaluate_.add_argument("files", nargs="+", metavar="DOC", help="documents the gold codes")
    evaluate_.add_argument("--codebook", help="codebook YAML (default: the project's data/codebook.yaml)")
    evaluate_.add_argument("--codes", nargs="+", default=[], metavar="ID", help="score only these codes or families")
    evaluate_.add_argument(
        "--out",
        action="append",
        default=[],
        help="write the result: .json (everything) or .csv (metrics, and "
        "NAME.disagreements.csv beside it); may be given twice",
    )
    evaluate_.add_argument(
        "--wordings",
        action="store_true",
        help="also list wordings the reader's missed sentences share across documents, leads for new rules",
    )
    evaluate_.add_argument(
        "--second-reader",
        metavar="GOLD2.csv",
        help="score a second reader's gold coding of the same documents in the machine's place: how far two people "
        "agree, the mark to hold the coder to",
    )
    evaluate_.set_defaults(func=_evaluate)


def main(argv: Sequence[str]) -> int:
    return cli.main(add_stages, argv)
