"""Byte-identical builds across a change of code: build, keep the outputs, compare with an earlier build's.

    python -m benchmarks.identical --save DIR            build this checkout; keep its outputs in DIR
    python -m benchmarks.identical BEFORE_DIR            build this checkout; compare with BEFORE_DIR
    python -m benchmarks.identical --source OLD --save DIR   the same for another checkout (e.g. `git archive`)

Each run copies the workflow of the checkout (Snakefile, rules, config, data, templates, profiles, the demo's
inputs) into one fixed scratch folder (WORKDIR, emptied first: the demo's manifest names its inputs by absolute path,
so every build must lie at the same place; one run at a time) and builds it cold twice, with SOURCE_DATE_EPOCH set:
the shipped workflow, then the synthetic demo (examples/demo). The checkout's own package is put first on
PYTHONPATH, so that an older checkout (whose package may have another import name) builds with its own code and
this environment's dependencies.

Compared: every file under reports/ (reports, tables, charts, assets, index pages, manifest.json, the hidden
stamps) and build/site/*/tables/ of both builds. Intermediate files (contexts, sentences, logs) are not: their shape
may change with the code; what a reader gets may not. Exit status 1 when any file differs, is missing or is new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .record import ROOT

WORKFLOW = ("Snakefile", "rules", "config", "data", "templates", "profiles")
DEMO_INPUTS = ("examples/demo/config.yaml", "examples/demo/2017")
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
SOURCE_DATE_EPOCH = "1700000000"
HASHES = "hashes.json"
WORKDIR = Path(tempfile.gettempdir()) / "provincial-plans-identical"
# (name, extra snakemake arguments, folder of the build inside the copy)
BUILDS = (
    ("workflow", (), "."),
    (
        "demo",
        ("--configfile", "examples/demo/config.yaml", "--directory", "examples/demo/output"),
        "examples/demo/output",
    ),
)
COMPARED = ("reports", "build/site/*/tables")


def build(source: Path, workdir: Path) -> dict[str, Path]:
    """The source checkout's workflow and demo, built cold in workdir; the folder of each build."""
    for name in (*WORKFLOW, *DEMO_INPUTS):
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (source / name).is_dir() else shutil.copy2)(source / name, target)
    path = os.pathsep.join([str(source), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONPATH": path}
    folders = {}
    for name, args, folder in BUILDS:
        result = subprocess.run(
            [str(SNAKEMAKE), "--cores", "2", "--quiet", *args], cwd=workdir, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            sys.exit(f"{result.stdout[-2000:]}{result.stderr[-3000:]}\nerror: the {name} build of {source} failed")
        folders[name] = workdir / folder
    return folders


def compared_files(folder: Path) -> list[Path]:
    """The files of a build that a reader gets, relative to its folder."""
    return sorted(
        path.relative_to(folder)
        for pattern in COMPARED
        for top in folder.glob(pattern)
        for path in top.rglob("*")
        if path.is_file()
    )


def keep(folders: dict[str, Path], out: Path) -> dict[str, str]:
    """Copy the compared files of each build into out/{name}/ and return their SHA-256 by 'name/path'."""
    hashes = {}
    for name, folder in folders.items():
        for relative in compared_files(folder):
            target = out / name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / relative, target)
            hashes[f"{name}/{relative.as_posix()}"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (out / HASHES).write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return hashes


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """One line per file that differs, is gone, or is new."""
    lines = [f"differs: {name}" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]]
    lines += [f"missing: {name}" for name in sorted(before.keys() - after.keys())]
    lines += [f"new: {name}" for name in sorted(after.keys() - before.keys())]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.identical", description=__doc__.split("\n")[0])
    parser.add_argument("before", nargs="?", help="a folder an earlier --save wrote: compare with it")
    parser.add_argument("--save", help="folder to keep this build's outputs and hashes in")
    parser.add_argument("--source", default=str(ROOT), help="the checkout to build (default: this one)")
    args = parser.parse_args(argv)
    if args.before is None and args.save is None:
        parser.error("give BEFORE_DIR, --save DIR, or both")
    shutil.rmtree(WORKDIR, ignore_errors=True)
    try:
        folders = build(Path(args.source).resolve(), WORKDIR)
        after = keep(folders, Path(args.save) if args.save else WORKDIR / "kept")
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
    print(f"{len(after)} files built ({', '.join(folders)})")
    if args.before is None:
        return 0
    before = json.loads((Path(args.before) / HASHES).read_text(encoding="utf-8"))
    lines = differences(before, after)
    for line in lines:
        print(line)
    print(f"{'identical' if not lines else f'{len(lines)} differences'}: {len(after)} files against {args.before}")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
