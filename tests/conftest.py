"""Shared fixtures: the real shipped data, and one tiny whole-workflow build in a temporary copy."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from provincial_plans.model.codebook import Codebook, load_codebook
from provincial_plans.model.dataset import YearData, load_year

ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14: the build date of every test build
WORKFLOW_PARTS = ("Snakefile", "rules", "config", "data", "templates", "profiles")


def copy_workflow(target: Path) -> Path:
    """A private copy of the workflow and its data, so tests may edit inputs freely."""
    target.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    shutil.copy2(ROOT / "tests" / "configs" / "tiny.yaml", target / "config" / "tiny.yaml")
    return target


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Snakemake on the tiny config, with a fixed SOURCE_DATE_EPOCH so that builds can be compared byte for byte."""
    return subprocess.run(
        [SNAKEMAKE, "--cores", "2", "--configfile", "config/tiny.yaml", *args],
        cwd=workdir,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        capture_output=True,
        text=True,
        timeout=600,
    )


def built_copy(built: Path, target: Path) -> Path:
    """A copy of the built workflow (outputs and Snakemake's records included) that a test may edit."""
    shutil.copytree(built, target, symlinks=True)
    return target


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below a folder, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


class Active(HTMLParser):
    """What in an HTML page could run or fetch: script elements, event handlers, URLs with a scheme."""

    URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "xlink:href", "action", "formaction", "data", "poster"})
    SCHEME = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            elif name in self.URL_ATTRIBUTES and value and self.SCHEME.match(value):
                self.found.append(f"<{tag} {name}={value!r}>")


def planned_jobs(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    """Jobs per rule from a dry run's 'Job stats' table."""
    jobs: dict[str, int] = {}
    lines = result.stdout.splitlines()
    if "Job stats:" not in lines:
        return jobs
    for line in lines[lines.index("Job stats:") + 3 :]:
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit() or parts[0] == "total":
            break
        jobs[parts[0]] = int(parts[1])
    return jobs


def jobs_run(result: subprocess.CompletedProcess[str]) -> tuple[dict[str, int], set[str]]:
    """Jobs per rule that a real run ran, and the provinces whose render job it ran (from its log on stderr)."""
    jobs: dict[str, int] = {}
    units: set[str] = set()
    rule = None
    for line in result.stderr.splitlines():
        match = re.match(r"^(?:local)?(?:rule|checkpoint) (\w+):$", line)
        if match:
            rule = match[1]
            jobs[rule] = jobs.get(rule, 0) + 1
        elif rule == "render_province" and line.strip().startswith("wildcards:") and "unit=" in line:
            units.add(line.split("unit=")[1].split(",")[0].strip())
    return jobs, units


def planned_units(result: subprocess.CompletedProcess[str]) -> set[str]:
    """Provinces whose render job a dry run plans."""
    return {
        line.split("unit=")[1].split(",")[0].strip()
        for line in result.stdout.splitlines()
        if "wildcards:" in line and "unit=" in line
    }


@pytest.fixture(scope="session")
def data_2017() -> YearData:
    return load_year(ROOT / "data", 2017)


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    """The shipped codebook, read once."""
    return load_codebook(ROOT / "data" / "codebook.yaml")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny config built once: reports/2017/ for Beijing, Liaoning, Guizhou and the nation."""
    workdir = copy_workflow(tmp_path_factory.mktemp("tiny") / "workflow")
    result = snakemake(workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy's directives and their sources; a directive given twice fails the test."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            assert name.lower() not in parsed, f"{name} twice"
            parsed[name.lower()] = sources
    return parsed
