"""Distribution: one deterministic zip of a year's reports that carries its own SHA256SUMS, and its check.

The same reports always give the same bytes (sorted entries, fixed timestamps from SOURCE_DATE_EPOCH or
1980-01-01, fixed permissions), so a published bundle can be rebuilt and compared. SHA256SUMS inside it lists every
other entry as `sha256sum` writes it: `cd provincial-plans-2017 && sha256sum -c SHA256SUMS` works after unzipping.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from pathlib import Path

from .atomic import write_bytes
from .errors import InputError, PipelineError, display_path
from .provenance import archive_time

SUMS = "SHA256SUMS"
SUMS_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")


def folder_name(year: int) -> str:
    return f"provincial-plans-{year}"


def bundle_files(year_dir: Path) -> list[str]:
    """Every file of the year's reports (PDFs, HTML, assets/, charts/, tables/, manifest.json), sorted;
    hidden files (an interrupted atomic write's temporary) are left out."""
    if not (year_dir / "index.html").is_file():
        raise PipelineError(f"{display_path(year_dir)}: no built reports (index.html missing); run snakemake first")
    names = [
        path.relative_to(year_dir).as_posix()
        for path in year_dir.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(year_dir).parts)
    ]
    return sorted(names)


def make_bundle(reports: Path, year: int, out: Path) -> int:
    """Write the year's bundle to `out`; returns the number of files in it (SHA256SUMS not counted)."""
    year_dir = reports / str(year)
    names = bundle_files(year_dir)
    contents = {name: (year_dir / name).read_bytes() for name in names}
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in contents.items())
    contents[SUMS] = sums.encode("utf-8")
    stamp = archive_time().timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(f"{folder_name(year)}/{name}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are honoured
            info.external_attr = 0o100644 << 16
            archive.writestr(info, contents[name], compresslevel=9)
    write_bytes(out, buffer.getvalue())
    return len(names)


def verify_bundle(bundle: Path) -> tuple[int, list[str]]:
    """Files listed in the bundle's SHA256SUMS, and one problem per entry that differs, is missing or is extra."""
    try:
        archive = zipfile.ZipFile(bundle)
    except FileNotFoundError:
        raise InputError(bundle, "file not found") from None
    except (zipfile.BadZipFile, OSError):
        raise InputError(bundle, "not a zip file") from None
    with archive:
        entries = [info.filename for info in archive.infolist() if not info.is_dir()]
        sums_entries = [name for name in entries if name.rsplit("/", 1)[-1] == SUMS]
        if len(sums_entries) != 1:
            raise InputError(bundle, f"expected one {SUMS} entry, found {len(sums_entries)}")
        sums_entry = sums_entries[0]
        prefix = sums_entry[: -len(SUMS)]
        listed = _read_sums(bundle, sums_entry, _read(archive, sums_entry) or b"")
        problems = []
        for name, expected in listed.items():
            entry = prefix + name
            if entry not in entries:
                problems.append(f"{entry}: missing")
                continue
            data = _read(archive, entry)
            if data is None:
                problems.append(f"{entry}: differs (damaged in the zip)")
            elif (actual := hashlib.sha256(data).hexdigest()) != expected:
                problems.append(f"{entry}: differs (sha256 {actual}, listed {expected})")
        expected_entries = {prefix + name for name in listed} | {sums_entry}
        problems += [f"{entry}: extra (not in {SUMS})" for entry in sorted(set(entries) - expected_entries)]
        problems += [
            f"{entry}: appears {entries.count(entry)} times"
            for entry in sorted(set(entries))
            if entries.count(entry) > 1
        ]
    return len(listed), problems


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """An entry's bytes, or None when the zip's own CRC or compression shows damage."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None


def _read_sums(bundle: Path, entry: str, data: bytes) -> dict[str, str]:
    where = f"{bundle}:{entry}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(where, "not UTF-8") from None
    listed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUMS_LINE.match(line)
        if match is None:
            raise InputError(where, "expected '<sha256>  <file>'", number)
        if match[2] in listed:
            raise InputError(where, f"'{match[2]}' listed twice", number)
        listed[match[2]] = match[1]
    if not listed:
        raise InputError(where, "lists no files")
    return listed
