"""An evaluation's result as people read it: the printed table, the metrics and disagreements as CSV, everything as
JSON (python -m provincial_plans evaluate --out)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from provincial_plans.coding.evaluate import Disagreement, Evaluation
from provincial_plans.coding.wordings import Wording
from provincial_plans.core.atomic import write_csv, write_text
from provincial_plans.core.errors import PipelineError


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _share(part: int, whole: int, what: str, scores: dict[str, Any], name: str) -> str:
    """0.930 (119 of 128 codes the machine found; 0.872–0.963): a share, its counts and the interval `scores` holds
    for it (`name`_low, `name`_high), as evaluate computed them."""
    if not whole:
        return f"n/a (0 {what})"
    return f"{part / whole:.3f} ({part} of {whole} {what}; {scores[f'{name}_low']:.3f}–{scores[f'{name}_high']:.3f})"


def metric_rows(result: Evaluation) -> list[dict[str, Any]]:
    """One row per code, per family and overall: what the table on screen and the CSV show."""
    rows = []
    for level, items in (("code", result.by_code), ("family", result.by_family), ("overall", {"all": result.overall})):
        for name, counts in items.items():
            rows.append(
                {
                    "level": level,
                    "name": name,
                    "gold": counts.tp + counts.fn,
                    "machine": counts.tp + counts.fp,
                    "tp": counts.tp,
                    "fp": counts.fp,
                    "fn": counts.fn,
                    **counts.scores(),
                }
            )
    return rows


def table(result: Evaluation) -> str:
    """The evaluation as aligned text: metrics, sentence scores, agreement, then every disagreement."""
    head = ("", "gold", result.against, "tp", "fp", "fn", "precision", "recall", "F1")
    lines = [head]
    rows = metric_rows(result)
    for row in rows:
        name = row["name"] if row["level"] == "code" else f"{row['level']} {row['name']}"
        lines.append(
            (
                name,
                *(str(row[key]) for key in ("gold", "machine", "tp", "fp", "fn")),
                *(_number(row[key]) for key in ("precision", "recall", "f1")),
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(head))]
    out = [
        "  ".join(
            [line[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True))]
        )
        for line in lines
    ]
    whole, sentences = rows[-1], result.sentences  # metric_rows ends with the overall row
    precision = _share(whole["tp"], whole["machine"], f"codes the {result.against} found", whole, "precision")
    recall = _share(whole["tp"], whole["gold"], "codes the reader found", whole, "recall")
    out.append(f"overall with Wilson's 95 % intervals: precision {precision}, recall {recall}")
    right = _share(sentences["right"], sentences["evidence"], "evidence sentences", sentences, "precision")
    found = _share(sentences["found"], sentences["named"], "named sentences", sentences, "recall")
    out.append(
        f"sentences: precision {right}, recall {found}"
        if sentences["evidence"] or sentences["named"]
        else "sentences: not scored (the gold names no sentences)"
    )
    overall = result.agreement["all"]
    out.append(
        f"agreement over {overall['n']} document × code cells: Krippendorff's alpha {_number(overall['alpha'])}, "
        f"Cohen's kappa {_number(overall['kappa'])} (codebook {result.codebook_version}, {result.documents} documents)"
    )
    if result.disagreements:
        out.append("")
        out.append(f"{len(result.disagreements)} disagreements:")
        for item in result.disagreements:
            where = item.sentence_id or (f"gold line {item.gold_line}" if item.gold_line else "no sentence named")
            keyword = f" [{item.keyword}]" if item.keyword else ""
            out.append(f"  {item.kind:<15} {item.doc}  {item.code}  {where}{keyword}  {item.sentence}".rstrip())
    if result.wordings:
        out.append("")
        out.append(
            "wordings the reader's missed sentences share (documents it would add / wrongly add; sentences holding it "
            "that the reader named / all):"
        )
        for wording in result.wordings:
            out.append(
                f"  {wording.code}  {wording.wording}  +{wording.documents_added} / -{wording.documents_risked}  "
                f"{wording.named} / {wording.sentences}"
            )
    return "\n".join(out) + "\n"


def as_json(result: Evaluation) -> dict[str, Any]:
    return {
        "codebook": result.codebook_version,
        "documents": result.documents,
        "against": result.against,
        "metrics": metric_rows(result),
        "sentences": result.sentences,
        "agreement": result.agreement,
        "disagreements": [asdict(item) for item in result.disagreements],
        "wordings": [asdict(item) for item in result.wordings],
    }


def write_outputs(result: Evaluation, outputs: Sequence[Path]) -> None:
    """--out: .json gets everything; .csv gets the metrics and, beside it, every disagreement
    (NAME.disagreements.csv) and, with --wordings, the wordings (NAME.wordings.csv)."""
    for path in outputs:
        if path.suffix == ".json":
            write_text(path, json.dumps(as_json(result), ensure_ascii=False, indent=1) + "\n")
        elif path.suffix == ".csv":
            rows = metric_rows(result)
            write_csv(path, list(rows[0]), ([row[key] for key in rows[0]] for row in rows))
            fields = (
                list(asdict(result.disagreements[0])) if result.disagreements else list(Disagreement.__annotations__)
            )
            write_csv(
                path.with_suffix(".disagreements.csv"),
                fields,
                ([asdict(item)[name] for name in fields] for item in result.disagreements),
            )
            if result.wordings:
                names = list(Wording.__annotations__)
                write_csv(
                    path.with_suffix(".wordings.csv"),
                    names,
                    ([asdict(item)[name] for name in names] for item in result.wordings),
                )
        else:
            raise PipelineError(f"--out {path}: give a .json or .csv file name")
