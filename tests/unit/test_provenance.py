"""manifest.json names its inputs the same way in every checkout."""

from __future__ import annotations

import json
from pathlib import Path

from provincial_plans.core.paths import PROJECT_ROOT
from provincial_plans.core.provenance import write_manifest


def test_an_input_inside_the_project_is_named_from_the_project_wherever_the_build_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a build in another directory, as the demo's --directory makes it
    outside = tmp_path / "facts.csv"
    outside.write_text("unit,code,value\n", encoding="utf-8")
    out = tmp_path / "reports" / "2017" / "manifest.json"
    out.parent.mkdir(parents=True)
    codebook = PROJECT_ROOT / "data" / "codebook.yaml"
    write_manifest(out, 2017, "0.0.0", [codebook, outside, Path("facts.csv")], [])
    names = [entry["path"] for entry in json.loads(out.read_text(encoding="utf-8"))["inputs"]]
    assert sorted(names) == sorted(["data/codebook.yaml", outside.as_posix(), "facts.csv"])
