"""Where a report came from: build date, checksums of inputs and outputs, the year's manifest.json.

The build date honours SOURCE_DATE_EPOCH (reproducible-builds.org), so two builds of the same inputs with it set
are byte-identical; without it, the date is today's (UTC).
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from provincial_plans import __version__
from provincial_plans.core.atomic import write_text
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.paths import DATA, PROJECT_ROOT

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry
# The lock file the reports environment is installed from (`make`): the versions, with hashes, of every package
# that shapes a report's bytes. Its digest names the environment in `--version`, the colophon and manifest.json.
LOCK = PROJECT_ROOT / "requirements" / "reports.txt"


def lock_digest() -> str | None:
    """The lock file's SHA-256; None where the package runs outside a checkout."""
    return sha256(LOCK) if LOCK.is_file() else None


def version_text() -> str:
    """`--version`: the package, the codebook, the conclusions rules and the lock file this installation uses."""
    from provincial_plans.core.inputs import read_yaml  # only for --version: YAML stays out of every job

    lines = [f"provincial-plans {__version__}"]
    for label, path in (("codebook", DATA / "codebook.yaml"), ("conclusions rules", DATA / "conclusions.yaml")):
        version = read_yaml(path).get("version") if path.is_file() else None
        lines.append(f"{label} {version or 'not in this installation (it needs a checkout of the project)'}")
    digest = lock_digest()
    lock = f"sha256 {digest} ({LOCK.relative_to(PROJECT_ROOT).as_posix()})" if digest else "none (not a checkout)"
    return "\n".join([*lines, f"lock {lock}"]) + "\n"


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, None when unset; anything but a whole number of seconds is an error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    if value.isdigit():
        try:
            return datetime.fromtimestamp(int(value), UTC)
        except (OverflowError, OSError, ValueError):  # beyond the calendar
            pass
    raise PipelineError(f"SOURCE_DATE_EPOCH '{value}' is not a whole number of seconds")


def build_time() -> datetime:
    """The date reports print: SOURCE_DATE_EPOCH, or now."""
    return source_date_epoch() or datetime.now(UTC).replace(microsecond=0)


def archive_time() -> datetime:
    """The time the entries of a zip (the bundle, the XLSX workbook) carry: SOURCE_DATE_EPOCH, not before 1980-01-01,
    and 1980-01-01 when unset, so that an archive of the same files is the same bytes."""
    return max(source_date_epoch() or ZIP_EPOCH, ZIP_EPOCH)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_name(path: Path) -> str:
    """An input as manifest.json names it: as given when relative (to the working directory); when absolute and
    inside the project, relative to the project, so that a build run in another directory (the demo's
    `--directory`) writes the same manifest in every checkout; any other path as it is."""
    if path.is_absolute():
        try:
            return path.resolve().relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def write_manifest(
    out: Path, year: int, codebook_version: str, inputs: list[Path], outputs: list[Path]
) -> dict[str, Any]:
    """reports/{year}/manifest.json: versions, build date, and the SHA-256 and size of every input and output."""
    root = out.parent

    def entry(path: Path, base: Path | None) -> dict[str, Any]:
        name = path.relative_to(base).as_posix() if base else input_name(path)
        return {"path": name, "sha256": sha256(path), "bytes": path.stat().st_size}

    manifest = {
        "package": "provincial-plans",
        "version": __version__,
        "codebook_version": codebook_version,
        "lock_sha256": lock_digest(),
        "year": year,
        "built": build_time().isoformat(),
        "inputs": [entry(path, None) for path in sorted(set(inputs))],
        "outputs": [entry(path, root) for path in sorted(set(outputs)) if path.resolve() != out.resolve()],
    }
    write_text(out, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest
