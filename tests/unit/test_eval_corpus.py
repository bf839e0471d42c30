"""Integrity of the evaluation corpus (tests/fixtures/eval_corpus): its documents and its gold coding agree.

No coder runs here: these tests check that the gold file can be scored as written (every row names a document
and a machine-coded code, every fragment is found once in its document's normalised text, within one sentence),
that every document is marked synthetic, and that the generated files are what make_fixtures.py makes.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from provincial_plans.coding.formats import read_document
from provincial_plans.coding.ingest import normalise
from provincial_plans.model.codebook import load_codebook

from ..conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "eval_corpus"
SIDES = ("tune", "heldout")
MARKER = "合成评测文本（synthetic evaluation fixture），并非任何地区的真实政策。"
NAME = re.compile(r"^synthetic_(plan|cityplan|schedule|notice|guidance)_\d{2}(_(hant|tw|big5))?\.(txt|docx|html)$")
SENTENCE_END = re.compile(r"[。！？；\n]")
OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.．、]|——)")
FIRST_PARAGRAPH = "//p[not(ancestor::header or ancestor::nav or ancestor::footer)]"  # a page's chrome aside
REPEAT_MIN = 15  # shorter pieces (headings, addressee lines, dates) may recur across documents as in real plans


def documents(side: str) -> list[Path]:
    return sorted(path for path in (CORPUS / side).iterdir() if path.name != "gold.csv")


def gold(side: str) -> list[dict[str, str]]:
    with (CORPUS / side / "gold.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_rows() -> list[dict[str, str]]:
    """copies.csv: each script copy's side, file name, source and conversion."""
    with (CORPUS / "copies.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def copies() -> dict[str, str]:
    """Each script copy's file name → its source's file name."""
    return {row["copy"]: row["source"] for row in copy_rows()}


@cache
def text(path: Path) -> str:
    return normalise(read_document(path))


ALL = [path for side in SIDES for path in documents(side)]


@pytest.mark.parametrize("path", ALL, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_document_opens_with_the_synthetic_marker(path: Path) -> None:
    if path.suffix == ".html":
        page = lxml.html.document_fromstring(path.read_bytes())
        first = normalise(page.xpath(FIRST_PARAGRAPH)[0].text_content())
    else:
        first = text(path).split("\n", 1)[0]
    assert first == MARKER


def test_sides_hold_enough_originals_of_every_kind_and_format() -> None:
    made = copies()
    for side, least in (("tune", 24), ("heldout", 12)):
        originals = [path for path in documents(side) if path.name not in made]
        assert len(originals) >= least, side
        assert all(NAME.match(path.name) for path in documents(side)), side
        kinds = {NAME.match(path.name).group(1) for path in originals}
        assert kinds == {"plan", "cityplan", "schedule", "notice", "guidance"}, side
        assert {path.suffix for path in originals} == {".txt", ".docx", ".html"}, side


def test_gold_rows_name_a_document_of_their_side_and_a_machine_coded_code() -> None:
    codes = {code.id for code in load_codebook(ROOT / "data" / "codebook.yaml").text_codes()}
    for side in SIDES:
        names = {path.name for path in documents(side)}
        for number, row in enumerate(gold(side), start=2):
            assert row["doc"] in names, f"{side}/gold.csv line {number}: {row['doc']}"
            assert row["code"] == "" or row["code"] in codes, f"{side}/gold.csv line {number}: {row['code']}"


def test_every_document_has_gold_rows_and_a_no_code_row_stands_alone() -> None:
    for side in SIDES:
        rows = gold(side)
        by_doc: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            by_doc[row["doc"]].add(row["code"])
        assert set(by_doc) == {path.name for path in documents(side)}, side
        for doc, found in by_doc.items():
            assert "" not in found or found == {""}, f"{side}/{doc}"
        keys = [(row["doc"], row["code"], normalise(row["sentence"])) for row in rows]
        assert len(keys) == len(set(keys)), f"{side}: a row is repeated"


def test_every_fragment_occurs_once_in_its_document_within_one_sentence() -> None:
    for side in SIDES:
        texts = {path.name: text(path) for path in documents(side)}
        for number, row in enumerate(gold(side), start=2):
            where = f"{side}/gold.csv line {number}"
            if row["code"]:
                assert row["sentence"], f"{where}: a positive pair without a fragment"
            fragment = normalise(row["sentence"])
            if not fragment:
                continue
            assert len(fragment) >= 6, where
            assert not SENTENCE_END.search(fragment), f"{where}: fragment runs over a sentence end"
            assert texts[row["doc"]].count(fragment) == 1, f"{where}: {fragment}"


def test_a_listed_parent_code_lists_every_sentence_of_its_sub_codes() -> None:
    for side in SIDES:
        fragments: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in gold(side):
            fragments[row["doc"], row["code"]].add(row["sentence"])
        for (doc, code), found in fragments.items():
            parent = ".".join(code.split(".")[:2])
            if parent != code and (doc, parent) in fragments:
                assert found <= fragments[doc, parent], f"{side}/{doc}: {code}"


def test_no_sentence_repeats_across_written_documents() -> None:
    made = copies()
    found: dict[str, set[str]] = defaultdict(set)
    for path in ALL:
        if path.name in made:
            continue
        for piece in SENTENCE_END.split(text(path)):
            piece = OUTLINE.sub("", piece.strip()).strip()
            if len(piece) >= REPEAT_MIN and piece != MARKER.rstrip("。"):
                found[piece].add(path.name)
    assert {piece: names for piece, names in found.items() if len(names) > 1} == {}


def test_a_copy_has_its_sources_gold_and_the_big5_copy_is_not_utf8() -> None:
    made = copies()
    for side in SIDES:
        rows = gold(side)
        for copy, source in made.items():
            if not (CORPUS / side / copy).exists():
                continue
            codes = [row["code"] for row in rows if row["doc"] == copy]
            assert codes == [row["code"] for row in rows if row["doc"] == source], copy
            assert codes, copy
    big5 = next(CORPUS.glob("*/*_big5.html")).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        big5.decode("utf-8")
    assert b'charset="big5"' in big5


def test_make_fixtures_remakes_the_generated_files_byte_for_byte(tmp_path: Path) -> None:
    corpus = shutil.copytree(CORPUS, tmp_path / "eval_corpus")
    generated = [*corpus.glob("*/*.docx"), *(corpus / row["side"] / row["copy"] for row in copy_rows())]
    generated += [corpus / "copies.csv", *(corpus / side / "gold.csv" for side in SIDES)]
    for path in generated:
        if path.name != "gold.csv":
            path.unlink()
    subprocess.run([sys.executable, str(corpus / "make_fixtures.py")], check=True, capture_output=True)
    for path in generated:
        original = CORPUS / path.relative_to(corpus)
        assert path.read_bytes() == original.read_bytes(), path.name
