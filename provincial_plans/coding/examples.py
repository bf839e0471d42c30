"""The codebook's examples, coded as documents are: a codebook is used for coding only once each positive example
is coded by its code and no negative one is. Checked before any job (the Snakefile's plan) and by every command that
codes documents."""

from __future__ import annotations

from pathlib import Path

from provincial_plans.coding.coder import Coder
from provincial_plans.coding.ingest import normalise, structure
from provincial_plans.core.errors import InputError
from provincial_plans.core.inputs import read_text, yaml_line
from provincial_plans.model.codebook import Codebook, load_codebook


def load_checked_codebook(path: Path) -> Codebook:
    """The codebook at `path`, validated (model.codebook) and its examples coded as they say."""
    codebook = load_codebook(path)
    check_examples(path, codebook)
    return codebook


def check_examples(path: Path, codebook: Codebook) -> None:
    """A codebook whose own examples fail would code documents wrongly: name the first failing example.

    An example is a small document (one sentence, or several lines with headings) coded exactly as documents are
    (coding.ingest's sentences and outline, coding.coder's judgement). All examples are coded in one call (each
    call has a fixed cost, and this runs at every Snakemake start).
    """
    text = read_text(path)

    def line(*where: str | int) -> int | None:
        return yaml_line(text, list(where))

    codes = codebook.text_codes()
    texts = [example for code in codes for kind in ("positive", "negative") for example in code.examples[kind]]
    documents = [("", str(number), structure(normalise(text), str(number))) for number, text in enumerate(texts)]
    found: dict[str, dict[str, str]] = {}  # document -> code -> first keyword
    for row in Coder(codebook).code(documents):
        found.setdefault(row["doc_id"], {}).setdefault(row["code"], row["keyword"])
    number = iter(range(len(texts)))
    index_of = {code.id: index for index, code in enumerate(codebook.codes)}
    for code in codes:
        index = index_of[code.id]
        if not code.examples["positive"]:
            raise InputError(path, f"code '{code.id}' has no positive example", line("codes", index, "examples"))
        for position, example in enumerate(code.examples["positive"]):
            if code.id not in found.get(str(next(number)), {}):
                raise InputError(
                    path,
                    f"code '{code.id}': positive example '{_one_line(example)}' is not coded by it",
                    line("codes", index, "examples", "positive", position),
                )
        for position, example in enumerate(code.examples["negative"]):
            keyword = found.get(str(next(number)), {}).get(code.id)
            if keyword is not None:
                raise InputError(
                    path,
                    f"code '{code.id}': negative example '{_one_line(example)}' is coded by it (keyword '{keyword}')",
                    line("codes", index, "examples", "negative", position),
                )


def _one_line(example: str) -> str:
    return example.strip().replace("\n", " / ")
