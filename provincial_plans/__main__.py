"""Command line: `python -m provincial_plans STAGE ...` (or `provincial-plans STAGE ...`), one command per stage.

Each stage's command lives in the `cli` module of its package; this module only finds it, so that a job imports its
own stage's package and the packages below it, nothing else (a render job never loads the coder).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from provincial_plans.core import cli
from provincial_plans.core.paths import PROJECT_ROOT, TEMPLATES
from provincial_plans.core.shutdown import skip_final_collections

# stage -> package whose `cli` module runs it, in the order of the workflow
STAGES = {
    "ingest": "coding",
    "evidence": "coding",
    "code": "coding",
    "evaluate": "coding",
    "contexts": "contexts",
    "indicators": "tables",
    "fonts": "report",
    "charts": "report",
    "render": "report",
    "assets": "report",
    "index": "report",
    "years-index": "report",
    "publish": "report",
    "acquire": "ops",
    "bundle": "ops",
    "verify": "ops",
    "schedule": "ops",
    "regenerate": "ops",
}


def _cli(package: str):
    return importlib.import_module(f"provincial_plans.{package}.cli")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a stage; without one (or with --help), list them all; `--version`: package, codebook, rules, lock."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:  # worked out only when asked: it reads the codebook, the rules and the lock file
        from provincial_plans.core.provenance import version_text  # only when asked: it reads YAML

        print(version_text(), end="")
        return 0
    if not TEMPLATES.is_dir():  # installed from a wheel: the data, templates and Snakefile are not in it
        print(f"error: {PROJECT_ROOT}: provincial-plans runs in a checkout of the project; clone it", file=sys.stderr)
        return 2
    if argv and argv[0] in STAGES:
        return _cli(STAGES[argv[0]]).main(argv)
    packages = dict.fromkeys(STAGES.values())  # every package's stages, in order, for the help or the usage error
    stages = [_cli(package).add_stages for package in packages]
    return cli.run(cli.parser(*stages, description=__doc__.split("\n\n")[0]).parse_args(argv))


if __name__ == "__main__":
    status = main()
    skip_final_collections()
    sys.exit(status)
