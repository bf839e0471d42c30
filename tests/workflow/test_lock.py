"""The lock files (requirements/*.txt, `make lock`) describe the environments exactly, and install without an index.

An annual rebuild must produce the same reports from the same data: every installed package is pinned, with its
hashes, and the environments that `make` builds hold what the locks say and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..conftest import ROOT, SOURCE_DATE_EPOCH, pdf_text, tree_hashes

LOCKS = ROOT / "requirements"
ENVIRONMENTS = ("reports", "test", "bench", "cluster")
CLUSTER_PYTHON = ROOT / ".venv-cluster" / "bin" / "python"


def locked(name: str) -> dict[str, str]:
    """Version of every package a lock file installs on this platform, by canonical name; each one with hashes."""
    text = (LOCKS / f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.replace("\\\n", " ").splitlines())
    entries = [line for line in lines if line and not line.startswith("#")]
    versions = {}
    for entry in entries:
        requirement, *hashes = entry.split(" --hash=")
        parsed = Requirement(requirement.strip())
        assert hashes and all(value.startswith("sha256:") for value in hashes), entry[:80]
        (specifier,) = parsed.specifier
        assert specifier.operator == "==", entry[:80]
        if parsed.marker is None or parsed.marker.evaluate():
            versions[canonicalize_name(parsed.name)] = specifier.version
    return versions


def installed(python: Path | str) -> dict[str, str]:
    """`pip freeze --all` of an environment, by canonical name; the project itself (editable) left out."""
    result = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True, timeout=120
    )
    lines = [line for line in result.stdout.splitlines() if "==" in line and not line.startswith(("-e", "#"))]
    return {canonicalize_name(name): version for name, version in (line.split("==", 1) for line in lines)}


def test_the_lock_files_pin_every_package_with_hashes_and_agree_with_each_other() -> None:
    versions: dict[str, str] = {}
    for name in ENVIRONMENTS:
        for package, version in locked(name).items():
            assert versions.setdefault(package, version) == version, (name, package)


def test_the_lock_files_hold_pyproject_pins() -> None:
    """A pin changed in pyproject.toml without `make lock` fails here, not at install time."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    environment = default_environment()
    for name, requirements in (("reports", project["dependencies"]), *((n, extras[n]) for n in ENVIRONMENTS[1:])):
        lock = locked(name)
        for requirement in map(Requirement, requirements):
            if requirement.marker is None or requirement.marker.evaluate(environment):
                (pin,) = requirement.specifier
                assert lock.get(canonicalize_name(requirement.name)) == pin.version, (name, requirement)


def test_the_environment_is_exactly_its_lock_files() -> None:
    """.venv (the one running these tests) holds everything of the reports and test locks at their versions, the
    bench lock whole or not at all, and nothing that no lock names."""
    environment = installed(sys.executable)
    reports, test, bench = locked("reports"), locked("test"), locked("bench")
    assert {name: environment.get(name) for name in reports} == reports
    assert {name: environment.get(name) for name in test} == test
    extra_bench = set(bench) - set(test)
    assert extra_bench <= set(environment) or not extra_bench & set(environment)
    every = {**reports, **test, **bench}
    assert environment == {name: every.get(name) for name in environment}


def test_the_cluster_environment_is_its_lock_on_top_of_the_first() -> None:
    if not CLUSTER_PYTHON.exists():
        pytest.skip("no .venv-cluster: `make cluster` (part of `make test`) builds it")
    environment = installed(CLUSTER_PYTHON)
    cluster = locked("cluster")
    assert {name: environment.get(name) for name in cluster} == cluster
    every = {**locked("reports"), **locked("test"), **locked("bench"), **cluster}
    assert environment == {name: every.get(name) for name in environment}


def checkout(target: Path) -> Path:
    """A copy of the repository's tracked files (as a fresh clone has them), with this tree's contents."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_reports_install_from_a_wheelhouse_with_no_index_and_build_the_same_bytes(built, tmp_path) -> None:
    """`make wheelhouse`, then `WHEELHOUSE=dir make reports` with pip's index disabled, in a fresh checkout whose
    config names the tiny build's three provinces: the same reports as this environment builds."""
    repo = checkout(tmp_path / "repo")
    shutil.copy2(ROOT / "tests" / "configs" / "tiny.yaml", repo / "config" / "config.yaml")
    wheels = tmp_path / "wheels"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    download = subprocess.run(
        ["make", "wheelhouse", f"WHEELHOUSE={wheels}", "WHEELHOUSE_LOCKS=reports"],
        cwd=repo, capture_output=True, text=True, timeout=1200, env=env,
    )  # fmt: skip
    assert download.returncode == 0, download.stderr[-3000:]
    offline = {**env, "PIP_NO_INDEX": "1"}
    build = subprocess.run(
        ["make", "reports", f"WHEELHOUSE={wheels}"], cwd=repo, capture_output=True, text=True, timeout=1800, env=offline
    )
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    assert installed(repo / ".venv" / "bin" / "python") == locked("reports")
    assert tree_hashes(repo / "reports" / "2017") == tree_hashes(built / "reports" / "2017")


def lock_sha256() -> str:
    return hashlib.sha256((LOCKS / "reports.txt").read_bytes()).hexdigest()


def test_version_names_the_package_codebook_rules_and_lock() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "provincial_plans", "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    codebook, rules = (
        re.search(r"^version: (\S+)$", (ROOT / "data" / name).read_text(encoding="utf-8"), re.M)[1]
        for name in ("codebook.yaml", "conclusions.yaml")
    )
    assert result.stdout.splitlines() == [
        f"provincial-plans {metadata.version('provincial-plans')}",
        f"codebook {codebook}",
        f"conclusions rules {rules}",
        f"lock sha256 {lock_sha256()} (requirements/reports.txt)",
    ]


def test_reports_and_manifest_cite_the_lock(built) -> None:
    site = built / "reports" / "2017"
    short = lock_sha256()[:16]
    assert json.loads((site / "manifest.json").read_text(encoding="utf-8"))["lock_sha256"] == lock_sha256()
    assert f"SHA-256 beginning {short}" in re.sub(r"\s+", " ", pdf_text(site / "liaoning.en.pdf"))
    assert f"SHA-256 以 {short} 开头" in (site / "liaoning.zh.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"SHA-256 以 {short} 开头" in index and f"SHA-256 beginning {short}" in index


def test_the_wheel_outside_a_checkout_says_it_needs_one(tmp_path) -> None:
    """The wheel holds the package only: `--version` says what it lacks, and a stage refuses in one line."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "provincial_plans"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp_path, source],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("provincial_plans-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, wheel],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site)}
    version = subprocess.run(
        [sys.executable, "-m", "provincial_plans", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.splitlines() == [
        f"provincial-plans {metadata.version('provincial-plans')}",
        "codebook not in this installation (it needs a checkout of the project)",
        "conclusions rules not in this installation (it needs a checkout of the project)",
        "lock none (not a checkout)",
    ]
    stage = subprocess.run(
        [sys.executable, "-m", "provincial_plans", "fonts"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (stage.returncode, stage.stdout) == (2, "")
    assert stage.stderr == f"error: {site}: provincial-plans runs in a checkout of the project; clone it\n"
