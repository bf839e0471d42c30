"""The shape of the package (benchmarks/structure.py): sizes, imports down the stages only, no cycle, and each rule's
code inputs holding every module its command imports."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

from benchmarks.structure import (
    MAX_FUNCTION_LINES,
    MAX_MODULE_LINES,
    Module,
    _walk,
    closure,
    cycles,
    modules,
    problems,
    upward,
)
from provincial_plans.__main__ import STAGES, _cli
from provincial_plans.workflow import STAGE_CODE

ENTRIES = {stage: f"provincial_plans.{stage}.cli" for stage in STAGE_CODE}  # the command each stage's rules run


@pytest.fixture(scope="module")
def found():
    return modules()


def test_no_module_over_the_limit_and_no_function_either(found):
    assert [m.name for m in found.values() if m.lines > MAX_MODULE_LINES] == []
    long = [(m.name, name) for m in found.values() for name, size in m.functions.items() if size > MAX_FUNCTION_LINES]
    assert long == []


def test_imports_go_down_the_stages_and_round_no_cycle(found):
    """Imports inside functions and under TYPE_CHECKING count too."""
    assert upward(found) == []
    assert cycles(found) == []


def test_every_import_inside_a_function_says_why(found):
    assert [(m.name, line) for m in found.values() for line in m.unexplained] == []
    assert problems(found) == []


def test_the_checks_see_an_upward_import_a_cycle_and_an_unexplained_import(found):
    """The checks can fail: core.errors importing report.render (which imports core.errors) is both upward and a
    cycle; an import inside a function with no comment is unexplained, one with its reason is not."""
    core = found["provincial_plans.core.errors"]
    core.imports["provincial_plans.report.render"] = 1
    try:
        assert any("core.errors imports provincial_plans.report.render" in line for line in upward(found))
        assert any("provincial_plans.core.errors" in group for group in cycles(found))
    finally:
        del core.imports["provincial_plans.report.render"]
    source = "def f():\n    import json\n\n\ndef g():\n    import csv  # 5 ms: only for g\n"
    module = Module("provincial_plans.core.sample", Path("sample.py"), 6)
    _walk(ast.parse(source), module, source.splitlines(), "", False)
    assert module.unexplained == [2]


@pytest.mark.parametrize("stage", sorted(STAGE_CODE))
def test_each_rules_code_inputs_hold_every_module_its_command_imports(found, stage):
    """rules/common.smk makes a rule's code inputs from STAGE_CODE: what the stage's command imports, down to core,
    must be among them, or an edit would not rebuild what it changes."""
    declared = {"provincial_plans", "provincial_plans.__main__"}
    for part in ("core", *STAGE_CODE[stage]):
        name = "provincial_plans." + part.replace("/", ".")
        declared |= {module for module in found if module == name or module.startswith(name + ".")}
    assert closure(found, ENTRIES[stage]) - declared == set()


def test_editing_ops_rebuilds_nothing_and_editing_report_recomputes_no_table():
    assert not any("ops" in part for parts in STAGE_CODE.values() for part in parts)
    assert not any(part.startswith("report") for part in STAGE_CODE["tables"] + STAGE_CODE["contexts"])


def test_the_command_line_knows_each_stage_where_its_package_defines_it():
    for package in dict.fromkeys(STAGES.values()):
        parser = argparse.ArgumentParser()
        _cli(package).add_stages(parser.add_subparsers(dest="stage"))
        defined = set(parser._subparsers._group_actions[0].choices)
        assert defined == {stage for stage, owner in STAGES.items() if owner == package}, package
