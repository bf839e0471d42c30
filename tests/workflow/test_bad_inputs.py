"""The bad-input corpus: each folder of tests/workflow/bad_inputs/ is one case, run by Snakemake in a copy of the built
tiny workflow.

A case's `case.yaml` says what it changes in the copy and what must follow:

  what       one sentence: the input and what a user should get
  config     settings merged into the tiny config (e.g. `synthetic: true` for the synthetic fixtures)
  edits      [{file, old, new, encoding}]: `old` (once in the file) replaced by `new`, written in `encoding`
  files      {path in the copy: file relative to the case folder}: added or replaced
  symlinks   {path in the copy: path below the case's `outside/` folder}; that folder is put outside the copy
  exit       0 (accepted) or 1
  error      regex the one `error:` line must match in full (rejected cases); `{line of TEXT}` in it stands for
             the number of the first line of the edited file (the one the error names) holding the literal TEXT,
             so that cases on files people edit (codebook, rules, messages) do not break when lines move
  log        the job log that must hold that line, when the error arises in a job rather than while planning
  contains   {file: [text]}: what an accepted case must have produced (a .pdf is read as text, spaces aside)
  inert      HTML pages of an accepted case that must carry nothing active: no script, no event handler, no
             URL with a scheme (javascript:, http:, data: …) in any link or source

A rejected case must exit non-zero with exactly one line starting with `error:` (on stderr, or in the job's log
and output), no traceback, and every file under reports/ unchanged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from provincial_plans.core.schemas import check

from ..conftest import ROOT, Active, built_copy, pdf_text, snakemake, tree_hashes

CORPUS = ROOT / "tests" / "workflow" / "bad_inputs"
CASES = sorted(path.parent.name for path in CORPUS.glob("*/case.yaml"))

CASE_SCHEMA = {
    "type": "object",
    "required": ["what", "exit"],
    "properties": {
        "what": {"type": "string", "minLength": 10},
        "config": {"type": "object"},
        "edits": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["file", "old", "new"],
                "properties": {
                    "file": {"type": "string"},
                    "old": {"type": "string", "minLength": 1},
                    "new": {"type": "string"},
                    "encoding": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        "files": {"type": "object", "additionalProperties": {"type": "string"}},
        "symlinks": {"type": "object", "additionalProperties": {"type": "string"}},
        "exit": {"enum": [0, 1]},
        "error": {"type": "string"},
        "log": {"type": "string"},
        "contains": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "inert": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
    "additionalProperties": False,
    "if": {"properties": {"exit": {"const": 0}}},
    "then": {"required": ["contains"], "not": {"anyOf": [{"required": ["error"]}, {"required": ["log"]}]}},
    "else": {"required": ["error"], "not": {"anyOf": [{"required": ["contains"]}, {"required": ["inert"]}]}},
}


def load_case(name: str) -> dict:
    case = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
    error = check(case, CASE_SCHEMA)
    assert error is None, f"{name}/case.yaml: {error.message}"
    return case


def prepare(case: dict, name: str, built: Path, tmp_path: Path) -> Path:
    """The built workflow copied and changed as the case says; anything 'outside' lies beside the copy."""
    folder = CORPUS / name
    copy = built_copy(built, tmp_path / "workflow")
    if "config" in case:
        tiny = copy / "config" / "tiny.yaml"
        settings = {**yaml.safe_load(tiny.read_text(encoding="utf-8")), **case["config"]}
        tiny.write_text(yaml.safe_dump(settings, sort_keys=False, default_flow_style=None), encoding="utf-8")
    for edit in case.get("edits", []):
        path = copy / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{name}: {edit['old']!r} is not once in {edit['file']}"
        path.write_bytes(text.replace(edit["old"], edit["new"]).encode(edit.get("encoding", "utf-8")))
    for target, source in case.get("files", {}).items():
        (copy / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / source, copy / target)
    if "symlinks" in case:
        shutil.copytree(folder / "outside", tmp_path / "outside")
        for link, target in case["symlinks"].items():
            if (copy / link).is_dir():
                shutil.rmtree(copy / link)
            (copy / link).parent.mkdir(parents=True, exist_ok=True)
            (copy / link).symlink_to(tmp_path / "outside" / target)
    return copy


def expected_error(pattern: str, named: Path) -> str:
    """The case's regex with each `{line of TEXT}` replaced by the line of `named` where TEXT first stands."""
    lines = named.read_text(encoding="utf-8", errors="replace").splitlines()

    def line_of(match: re.Match) -> str:
        found = [number for number, line in enumerate(lines, 1) if match[1] in line]
        assert found, f"{match[1]!r} is not in {named.name}"
        return str(found[0])

    return re.sub(r"\{line of (.+?)\}", line_of, pattern)


def test_the_corpus_has_thirty_cases_and_each_is_well_formed():
    assert len(CASES) >= 30
    for name in CASES:
        load_case(name)


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name, built, tmp_path):
    case = load_case(name)
    copy = prepare(case, name, built, tmp_path)
    before = tree_hashes(copy / "reports")
    result = snakemake(copy)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    if case["exit"] == 0:
        assert result.returncode == 0, result.stderr[-3000:]
        assert not [line for line in output.splitlines() if line.startswith("error:")]
        for file, texts in case["contains"].items():
            path = copy / file
            if path.suffix == ".pdf":  # a PDF's text wraps where its table cells do
                content, texts = "".join(pdf_text(path).split()), ["".join(text.split()) for text in texts]
            else:
                content = path.read_text(encoding="utf-8")
            for text in texts:
                assert text in content, (file, text)
        for page in case.get("inert", []):
            assert Active((copy / page).read_text(encoding="utf-8")).found == [], page
        return
    assert result.returncode == 1, output[-3000:]
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output[-3000:]
    named = re.match(r"error: (.+?)(?:, line \d+)?: ", errors[0])
    assert named and (copy / named[1]).exists(), f"{errors[0]!r} names no file of the workflow"
    assert re.fullmatch(expected_error(case["error"], copy / named[1]), errors[0]), errors[0]
    if "log" in case:
        log = (copy / case["log"]).read_text(encoding="utf-8")
        assert log.splitlines() == errors and "Traceback" not in log
        assert case["log"] in result.stderr  # Snakemake's report of the failed job points to it
    else:
        assert errors[0] in result.stderr.splitlines()
    assert tree_hashes(copy / "reports") == before
