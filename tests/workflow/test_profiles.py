"""The execution profiles plan the tiny build (dry run) with the resources each rule declares.

The SLURM and Kubernetes profiles run in .venv-cluster (`make cluster`, which `make test` does): the environment
with their executor plugins, layered on .venv, which has none (Snakemake imports each installed plugin at start).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT, SNAKEMAKE, copy_workflow, planned_jobs

TINY_JOBS = {
    "contexts": 1,
    "indicators": 1,
    "charts": 1,
    "render_province": 3,
    "render_national": 1,
    "assets": 1,
    "index": 1,
    "years_index": 1,
    "publish": 1,
    "publish_years_index": 1,
}


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workflow(tmp_path_factory.mktemp("profiles") / "workflow")  # profiles/ included


CLUSTER_PYTHON = ROOT / ".venv-cluster" / "bin" / "python"


def dry_run(workdir: Path, profile: str, *extra: str) -> subprocess.CompletedProcess[str]:
    if profile == "local":
        snakemake = [SNAKEMAKE]
    elif CLUSTER_PYTHON.exists():
        snakemake = [str(CLUSTER_PYTHON), "-m", "snakemake"]
    else:
        pytest.skip("the cluster plugins are not installed: `make cluster` (part of `make test`) installs them")
    command = [*snakemake, "--profile", f"profiles/{profile}", "-n", "--configfile", "config/tiny.yaml", *extra]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)


def declared(result: subprocess.CompletedProcess[str], rule: str) -> dict[str, str]:
    """mem_mb and runtime of a rule's first planned job."""
    block = result.stdout.split(f"rule {rule}:\n", 1)[1].split("\n\n", 1)[0]
    resources = re.search(r"^\s+resources: (.*)$", block, re.M)
    assert resources is not None, block
    pairs = dict(item.split("=", 1) for item in resources.group(1).split(", "))
    return {name: pairs[name] for name in ("mem_mb", "runtime")}


# The cluster profiles render eight province reports per job (`render_batch`): the tiny build's three in one.
BATCHED_JOBS = {
    **{rule: count for rule, count in TINY_JOBS.items() if rule != "render_province"},
    "render_batch_2017_0": 1,
}


@pytest.mark.parametrize(
    ("profile", "extra", "jobs", "province"),
    [
        ("local", (), TINY_JOBS, ("render_province", {"mem_mb": "1000", "runtime": "5"})),
        ("slurm", (), BATCHED_JOBS, ("render_batch_2017_0", {"mem_mb": "1500", "runtime": "8"})),
        # the profile's storage prefix is where the checkout lies on the cluster's volume; here, the test's copy
        (
            "kubernetes",
            ("--default-storage-prefix", "{workdir}"),
            BATCHED_JOBS,
            ("render_batch_2017_0", {"mem_mb": "1500", "runtime": "8"}),
        ),
    ],
)
def test_profile_plans_the_build(
    workflow: Path, profile: str, extra: tuple[str, ...], jobs: dict[str, int], province: tuple[str, dict[str, str]]
) -> None:
    result = dry_run(workflow, profile, *(arg.format(workdir=workflow) for arg in extra))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (
        f"Using profiles profiles/{profile} and workflow specific profile profiles/default for setting default "
        "command line arguments." in result.stderr
    )
    assert planned_jobs(result) == {**jobs, "all": 1}
    assert declared(result, "render_national") == {"mem_mb": "2000", "runtime": "15"}
    assert declared(result, province[0]) == province[1]
    assert declared(result, "indicators") == {"mem_mb": "1000", "runtime": "10"}
    assert not (workflow / "reports" / "2017").exists()


def test_kubernetes_jobs_render_without_a_server(workflow: Path) -> None:
    """Every Kubernetes job is a fresh container: the profile turns the warm render server off (`--no-server`)."""
    result = dry_run(workflow, "kubernetes", "--default-storage-prefix", str(workflow), "--printshellcmds")
    assert result.returncode == 0, result.stderr[-3000:]
    renders = [line for line in result.stdout.splitlines() if " -m provincial_plans render " in line]
    assert len(renders) == 2 and all(" --no-server " in line for line in renders), renders


def test_the_container_file_installs_where_the_kubernetes_profile_looks() -> None:
    """The image is not built here (no container engine): its paths are checked against the profile's."""
    containerfile = (ROOT / "Containerfile").read_text(encoding="utf-8")
    profile = (ROOT / "profiles" / "kubernetes" / "config.v8+.yaml").read_text(encoding="utf-8")
    prefix = re.search(r"^default-storage-prefix: (\S+)", profile, re.M)[1]
    assert f'"provincial-plans:{prefix}"' in profile
    assert f"WORKDIR {prefix}\n" in containerfile
    assert "-r requirements/cluster.txt" in containerfile and "-m provincial_plans fonts" in containerfile
    assert "/opt/provincial-plans/.venv/bin/python -m snakemake --profile profiles/kubernetes" in profile
    assert "WORKDIR /opt/provincial-plans\n" in containerfile and "python3 -m venv .venv" in containerfile
    for text in (profile, containerfile):
        assert "experimental, dry-run tested" in text


def test_every_job_fits_a_small_node() -> None:
    """SLURM leaves a job that asks for more than any node has pending for ever: no rule asks for more than one CPU
    (no `threads:`) and 2000 MB, what profiles/slurm says a node must offer."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "rules").glob("*.smk")))
    requests = [int(value) for value in re.findall(r"^\s+mem_mb=(\d+),$", text, re.M)]
    assert len(requests) >= 10 and max(requests) == 2000
    assert not re.search(r"^\s+threads:", text, re.M)
    assert "1 CPU and 2000 MB free" in (ROOT / "profiles" / "slurm" / "config.v8+.yaml").read_text(encoding="utf-8")


def test_every_rule_declares_its_resources() -> None:
    """Each rule that runs a command says how much memory and time it needs; `all` runs nothing. Rules defined in
    a loop (`rule:` with `name:`: the indicators variants, the render batches) are checked the same way."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "rules").glob("*.smk")))
    # a rule's body: the lines indented deeper than its `rule` line
    rules = re.findall(r"^( *)(?:rule|checkpoint) ?(\w*):\n(.*?)(?=^(?!\1\s)|\Z)", text, re.M | re.S)
    named = {name for _, name, _ in rules if name}
    assert named == {*TINY_JOBS, "ingest", "code"} - {"indicators"}
    assert [body.split("name:")[1].split()[0] for _, name, body in rules if not name] == [
        "name",
        'f"render_batch_{year}_{number}"',
    ]
    for indent, name, body in rules:
        inner = indent + "    "
        pattern = rf"^{inner}resources:\n{inner}    mem_mb=\d+,\n{inner}    runtime=[^\n]+,\n"
        assert re.search(pattern, body, re.M), name or body[:80]


def test_a_plain_run_uses_the_workflow_profile(workflow: Path) -> None:
    """profiles/default (greedy job selection) applies to every run in the folder, with or without --profile."""
    result = subprocess.run(
        [SNAKEMAKE, "-n", "--configfile", "config/tiny.yaml"], cwd=workflow, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Using workflow specific profile profiles/default for setting default command line arguments." in (
        result.stderr
    )
