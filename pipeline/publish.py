"""The site: the year's index page and manifest, the years index, and their publication to reports/ as a whole.

The workflow builds the site under build/site/ and a last job per year publishes it (`publish_site`): a new folder
made beside reports/{year}/ from exactly the files manifest.json lists (hard links to the staged files, or copies
across file systems), each checked against its SHA-256, is exchanged with the old folder in one rename, and the old
one is removed after. A build that stops before (a full disk, a kill, a failed job) leaves the site published before
whole; a reader opening a file of reports/{year}/ at any moment gets the old site's file or the new one's.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from . import __version__
from .atomic import FULL, sync_folder, write_bytes, write_text
from .errors import PipelineError, display_path
from .paths import TEMPLATES
from .provenance import build_time, lock_digest, sha256, write_manifest

STAMP = ".published"  # what Snakemake sees of a publication: inside the year folder, beside the years index
RENAME_EXCHANGE = 2  # linux/fs.h: renameat2 swaps the two names
AT_FDCWD = -100
NOT_LINKED = frozenset({errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP})  # copy instead of a hard link


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files (pipeline.atomic) that a killed job left behind in the year's folder.

    The index job runs last, under Snakemake's lock, so no writer of this build is still active; a temporary
    still present is stale, and must not reach the manifest or a bundle.
    """
    stale = sorted(folder.rglob(".*.tmp"))
    for path in stale:
        path.unlink()
    return stale


def write_index(
    national: Path,
    out: Path,
    files: list[str],
    messages_dir: Path,
    templates: Path = TEMPLATES,
    inputs: list[str] = (),
    extra: list[str] = (),
) -> None:
    """Rule `index`: reports/{year}/index.html linking every report and table, then manifest.json.

    The manifest lists the SHA-256 of every input and of every output, the index itself and `extra` (assets,
    charts) included, so a copy of the site can be checked file by file.
    """
    from .i18n import both_catalogues
    from .render import OUTPUT_NAME, environment

    context = json.loads(national.read_text(encoding="utf-8"))
    zh, en = both_catalogues(messages_dir)
    by_stem: dict[str, dict[str, list[dict[str, str]]]] = {}
    tables = []
    for name in sorted(files):
        path = Path(name)
        href = path.relative_to(out.parent).as_posix()
        size = human_size(path.stat().st_size)
        match = OUTPUT_NAME.match(path.name)
        if match is None:  # a table: described by the workbook's README line for it
            key = "index.workbook" if path.suffix == ".xlsx" else f"workbook.table.{path.stem}"
            tables.append({"href": href, "name": path.name, "size": size, "about": {"zh": zh(key), "en": en(key)}})
            continue
        entry = by_stem.setdefault(match["stem"], {"zh": [], "en": []})
        entry[match["lang"]].append({"href": href, "label": match["ext"].upper(), "size": size})
    units = {line["unit"]["slug"]: line["unit"] for line in context["task_matrix"]}
    entries = []
    if "national" in by_stem:
        entries.append(
            {
                "name": {"zh": zh("index.national"), "en": en("index.national")},
                "region": None,
                "files": by_stem.pop("national"),
            }
        )
    for slug, unit in units.items():
        if slug in by_stem:
            entries.append({"name": unit["name"], "region": unit["region"], "files": by_stem.pop(slug)})
    html = (
        environment()
        .get_template("index.html.j2")
        .render(
            zh=zh,
            en=en,
            year=context["year"],
            version=__version__,
            lock=lock_digest(),
            codebook_version=context["codebook_version"],
            rules_version=context["rules_version"],
            built=build_time().isoformat(),
            entries=entries,
            tables=tables,
        )
    )
    write_text(out, html)
    remove_stale_temporaries(out.parent)
    outputs = [Path(name) for name in [*files, *extra]] + [out]
    write_manifest(
        out.with_name("manifest.json"),
        context["year"],
        context["codebook_version"],
        [Path(name) for name in inputs],
        outputs,
    )


def write_years_index(years: list[int], out: Path, messages_dir: Path, templates: Path = TEMPLATES) -> None:
    """Rule `years_index`: reports/index.html linking each configured year's index, in both languages. It reads
    no year's outputs, so a change inside a year never rebuilds it; adding a year does."""
    from .i18n import both_catalogues
    from .render import environment

    zh, en = both_catalogues(messages_dir)
    ordered = sorted(years)
    html = (
        environment(templates)
        .get_template("years.html.j2")
        .render(zh=zh, en=en, years=ordered, stylesheet=f"{ordered[-1]}/assets/report.css", version=__version__)
    )
    write_text(out, html)


def publish(staged: Path, target: Path) -> int:
    """Rules `publish` and `publish_years_index`: a staged year folder, or the staged years index, into place.
    Returns the number of files published."""
    if staged.is_dir():
        return publish_site(staged, target)
    if not staged.is_file():
        raise PipelineError(f"{display_path(staged)}: nothing staged there; run snakemake")
    data = staged.read_bytes()
    write_bytes(target, data)
    write_text(target.parent / STAMP, sha256(target) + "\n")
    return 1


def publish_site(staged: Path, target: Path) -> int:
    """Switch `target` (reports/{year}) to the files the staged folder's manifest.json lists, in one rename."""
    manifest = staged / "manifest.json"
    names = [*_listed(manifest), ("manifest.json", sha256(manifest))]
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    fresh = target.with_name(f".{target.name}.new-{os.getpid()}")
    writing = target
    try:
        fresh.mkdir()
        for name, digest in names:
            writing = target / name
            _place(staged / name, fresh / name, digest)
        writing = target / STAMP
        with (fresh / STAMP).open("w", encoding="ascii") as stamp:
            stamp.write(f"{names[-1][1]}\n")
            stamp.flush()
            os.fsync(stamp.fileno())
        for folder in {(fresh / name).parent for name, _ in names}:
            sync_folder(folder)
        writing = target
        _switch(fresh, target)
    except OSError as error:
        if error.errno in FULL:
            raise PipelineError(
                f"no space left on device writing {display_path(writing)}; "
                f"{display_path(target)} still holds the site published before"
            ) from None
        raise PipelineError(f"cannot publish {display_path(target)}: {error.strerror} ({error.filename})") from None
    finally:
        _remove(fresh)  # a partial new folder, or the old site after the switch
    return len(names)


def _listed(manifest: Path) -> list[tuple[str, str]]:
    """(path, sha256) of every output the manifest lists, each a plain relative path."""
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
        listed = [(entry["path"], entry["sha256"]) for entry in outputs]
    except (OSError, ValueError, KeyError, TypeError):
        raise PipelineError(f"{display_path(manifest)}: not a manifest the index job wrote; rerun snakemake") from None
    for name, _ in listed:
        parts = name.split("/")
        if name.startswith("/") or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise PipelineError(f"{display_path(manifest)}: '{name}' is not a plain path inside the site")
    return listed


def _place(source: Path, target: Path, digest: str) -> None:
    """A staged file in the new folder: a hard link (the build replaces staged files, never rewrites them in
    place), or a copy where the folders lie on different file systems; its content checked against its hash."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise PipelineError(f"{display_path(source)}: listed in the manifest but missing; rerun snakemake") from None
    except OSError as error:
        if error.errno not in NOT_LINKED:
            raise
        with source.open("rb") as reader, target.open("wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
            writer.flush()
            os.fsync(writer.fileno())
    if sha256(target) != digest:
        raise PipelineError(f"{display_path(source)}: differs from its SHA-256 in the manifest; rerun snakemake")


def _switch(fresh: Path, target: Path) -> None:
    """`fresh` becomes `target` in one rename (Linux: renameat2 RENAME_EXCHANGE; the old folder is then at
    `fresh`, for the caller to remove). Elsewhere the old folder is renamed aside first: for that instant
    reports/{year} is missing, never mixed."""
    if not os.path.lexists(target):
        os.rename(fresh, target)
    elif not _exchange(fresh, target):
        aside = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, aside)
        try:
            os.rename(fresh, target)
        except OSError:
            os.rename(aside, target)  # the old site back in place
            raise
        sync_folder(target.parent)
        _remove(aside)
    sync_folder(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names atomically; False where the system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), str(second))


@cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's renameat2 (2.28 and later), which Python's os module does not wrap."""
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def _remove_leftovers(target: Path) -> None:
    """New or old folders a killed publication left beside `target` (no other run writes here: see the Snakefile)."""
    for prefix in (f".{target.name}.new-", f".{target.name}.old-"):
        for leftover in target.parent.glob(f"{prefix}*"):
            _remove(leftover)


def _remove(path: Path) -> None:
    """A folder with its files, or a link; what cannot be removed now goes with the next publication."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
