"""The shape of provincial_plans: module and function sizes, imports between the stages, import cycles.

    python -m benchmarks.structure      a table of every module (lines, its longest function) and each problem

Limits (tests/unit/test_structure.py asserts them): a module has at most MAX_MODULE_LINES lines and a function at
most MAX_FUNCTION_LINES; imports go down the stages only (a module imports from its own package, core and the
packages of lower LAYERS, never from a package of its own layer or above), counting imports inside functions and
under TYPE_CHECKING; no two modules import each other, directly or around a cycle; every import inside a function
says why on its line or the line above (they are for start-up time only). Exit status 1 when anything is over.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .record import ROOT

PACKAGE = ROOT / "provincial_plans"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# The stages, lowest first: a package may import from lower layers only (tables and report are side by side).
LAYERS = {"core": 0, "model": 1, "coding": 2, "analysis": 3, "contexts": 4, "tables": 5, "report": 5, "ops": 6}
TOP = {"provincial_plans": 0, "provincial_plans.__main__": 7, "provincial_plans.workflow": 7}


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    functions: dict[str, int] = field(default_factory=dict)  # qualified name -> lines
    imports: dict[str, int] = field(default_factory=dict)  # imported module of the package -> first line
    unexplained: list[int] = field(default_factory=list)  # lines of function-level imports without a reason


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Module]:
    """Every module of the package, read with `ast`."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        module = Module(module_name(path), path, len(text.splitlines()))
        _walk(ast.parse(text), module, text.splitlines(), "", False)
        found[module.name] = module
    names = set(found)
    for module in found.values():  # `from package import name`: the module `package.name` where there is one
        module.imports = {_resolve(target, names): line for target, line in module.imports.items()}
    return found


def _walk(node: ast.AST, module: Module, lines: list[str], prefix: str, in_function: bool) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                module.functions[name] = child.end_lineno - child.lineno + 1
            inside = in_function or not isinstance(child, ast.ClassDef)
            _walk(child, module, lines, f"{name}.", inside)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            for target in _targets(child):
                if target.split(".")[0] == "provincial_plans":
                    module.imports.setdefault(target, child.lineno)
            if in_function and not _explained(lines, child.lineno):
                module.unexplained.append(child.lineno)
        _walk(child, module, lines, prefix, in_function)


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.module is None or node.level:
        return []
    return [f"{node.module}.{alias.name}" for alias in node.names]


def _resolve(target: str, names: set[str]) -> str:
    """A module the import names: `a.b.c` when it is one, else `a.b` (c is a name in it)."""
    return target if target in names else target.rpartition(".")[0]


def _explained(lines: list[str], number: int) -> bool:
    return "#" in lines[number - 1] or lines[number - 2].strip().startswith("#")


def layer(name: str) -> tuple[int, str]:
    """(layer, package) of a module; the top-level modules have their own."""
    if name in TOP:
        return TOP[name], name
    package = name.split(".")[1]
    return LAYERS[package], package


def upward(found: dict[str, Module]) -> list[str]:
    """Imports that go up the stages or across to another package of the same layer."""
    problems = []
    for module in found.values():
        own, package = layer(module.name)
        for target, line in module.imports.items():
            theirs, other = layer(target)
            if other != package and theirs >= own and target != "provincial_plans":
                where = f"{module.path.relative_to(ROOT)}:{line}"
                problems.append(f"{where}: {module.name} imports {target} (layer {theirs})")
    return problems


def cycles(found: dict[str, Module]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a cycle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in found[name].imports:
            if target not in found:
                continue
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in found:
        if name not in index:
            visit(name)
    return groups


def closure(found: dict[str, Module], start: str) -> set[str]:
    """Every module of the package that importing `start` imports."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in found:
            continue
        seen.add(name)
        todo.extend(found[name].imports)
    return seen


def problems(found: dict[str, Module]) -> list[str]:
    """Every limit that is not held, one line each."""
    lines = [f"{m.path.relative_to(ROOT)}: {m.lines} lines" for m in found.values() if m.lines > MAX_MODULE_LINES]
    lines += [
        f"{m.path.relative_to(ROOT)}: {name}() is {size} lines"
        for m in found.values()
        for name, size in m.functions.items()
        if size > MAX_FUNCTION_LINES
    ]
    lines += upward(found)
    lines += [f"import cycle: {' -> '.join(group)}" for group in cycles(found)]
    lines += [
        f"{m.path.relative_to(ROOT)}:{number}: an import inside a function without its reason"
        for m in found.values()
        for number in m.unexplained
    ]
    return lines


def main() -> int:
    found = modules()
    print(f"{'module':<44} {'lines':>5}  longest function")
    for module in sorted(found.values(), key=lambda m: m.name):
        longest = max(module.functions.items(), key=lambda item: item[1], default=("", 0))
        function = f"  {longest[0]} ({longest[1]})" if longest[1] else ""
        print(f"{module.name:<44} {module.lines:>5}{function}")
    found_problems = problems(found)
    total = sum(m.lines for m in found.values())
    print(
        f"\n{len(found)} modules, {total} lines; limits {MAX_MODULE_LINES} lines a module, {MAX_FUNCTION_LINES} a "
        f"function; {len(found_problems)} problems"
    )
    for line in found_problems:
        print(line)
    return 1 if found_problems else 0


if __name__ == "__main__":
    sys.exit(main())
