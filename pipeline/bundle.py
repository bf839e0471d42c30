"""Distribution: one deterministic zip of a year's reports that carries its own SHA256SUMS, and its check.

The same reports always give the same bytes (sorted entries, fixed timestamps from SOURCE_DATE_EPOCH or
1980-01-01, fixed permissions), so a published bundle can be rebuilt and compared. SHA256SUMS inside it lists every
other entry as `sha256sum` writes it: `cd provincial-plans-2017 && sha256sum -c SHA256SUMS` works after unzipping.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from pathlib import Path

from .atomic import write_bytes
from .errors import InputError, PipelineError, display_path
from .provenance import archive_time

SUMS = "SHA256SUMS"
SUMS_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")
# Bounds `verify` checks before reading any entry (a year's bundle is about 11 MB, its largest file under 1 MB)
MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 1 << 30  # 1 GiB declared for one entry
MAX_TOTAL_BYTES = 8 << 30  # 8 GiB declared for all
MAX_RATIO = 100  # declared size to compressed size, above RATIO_FLOOR (the reports' files compress at most ~15:1)
RATIO_FLOOR = 1 << 20
MAX_SUMS_BYTES = 16 << 20
# what zipfile raises for a damaged entry, or one it cannot read (an unknown compression, an encrypted entry)
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


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
    """Files listed in the bundle's SHA256SUMS, and one problem per entry that differs, is missing or is extra.

    The zip is checked as a whole before any entry is read (names, kinds, declared sizes: `refuse_unsafe`), and
    each entry is hashed as a stream, so a small zip cannot make the check write outside its folder when unpacked
    by hand later, nor take memory or time out of proportion."""
    try:
        archive = zipfile.ZipFile(bundle)
    except FileNotFoundError:
        raise InputError(bundle, "file not found") from None
    except (zipfile.BadZipFile, OSError):
        raise InputError(bundle, "not a zip file") from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        refuse_unsafe(bundle, archive.infolist())
        entries = [info.filename for info in infos]
        by_name = {info.filename: info for info in infos}  # the last of a duplicated name, as zipfile reads it
        sums_entries = [name for name in entries if name.rsplit("/", 1)[-1] == SUMS]
        if len(sums_entries) != 1:
            raise InputError(bundle, f"expected one {SUMS} entry, found {len(sums_entries)}")
        sums_entry = sums_entries[0]
        if by_name[sums_entry].file_size > MAX_SUMS_BYTES:
            raise InputError(bundle, f"{sums_entry}: larger than {MAX_SUMS_BYTES} bytes; refused")
        prefix = sums_entry[: -len(SUMS)]
        try:
            sums = archive.read(by_name[sums_entry])
        except DAMAGED:
            sums = b""
        listed = _read_sums(bundle, sums_entry, sums)
        problems = []
        for name, expected in listed.items():
            entry = prefix + name
            if entry not in by_name:
                problems.append(f"{entry}: missing")
                continue
            actual = _digest(archive, by_name[entry])
            if actual is None:
                problems.append(f"{entry}: differs (damaged in the zip)")
            elif actual != expected:
                problems.append(f"{entry}: differs (sha256 {actual}, listed {expected})")
        expected_entries = {prefix + name for name in listed} | {sums_entry}
        problems += [f"{entry}: extra (not in {SUMS})" for entry in sorted(set(entries) - expected_entries)]
        problems += [
            f"{entry}: appears {entries.count(entry)} times"
            for entry in sorted(set(entries))
            if entries.count(entry) > 1
        ]
    return len(listed), problems


def refuse_unsafe(bundle: Path, infos: list[zipfile.ZipInfo]) -> None:
    """One line for the first entry that is no plain file with a plain relative name, or whose declared size is out
    of bounds: a name with `..`, an empty part (`prefix//tmp/x`), a leading `/`, a backslash or a drive; a symbolic
    link or a device, pipe or socket; more than MAX_ENTRY_BYTES, or more than MAX_RATIO times its compressed size."""
    if len(infos) > MAX_ENTRIES:
        raise InputError(bundle, f"{len(infos)} entries, more than {MAX_ENTRIES}; refused")
    total = 0
    for info in infos:
        name = info.orig_filename  # as stored: zipfile cuts `filename` at a NUL byte
        problem = unsafe_name(name.removesuffix("/") if info.is_dir() else name) or _kind(info)
        if problem is None and info.file_size > MAX_ENTRY_BYTES:
            problem = f"declares {info.file_size} bytes, more than {MAX_ENTRY_BYTES}"
        if problem is None and info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            problem = f"declares {info.file_size} bytes from {info.compress_size} compressed (more than {MAX_RATIO}:1)"
        total += info.file_size
        if problem is None and total > MAX_TOTAL_BYTES:
            problem = f"brings the declared total to {total} bytes, more than {MAX_TOTAL_BYTES}"
        if problem is not None:
            raise InputError(bundle, f"entry '{info.filename}': {problem}; the bundle is refused")


def unsafe_name(name: str) -> str | None:
    """Why a path inside a zip (or SHA256SUMS) could land outside its folder when unpacked; None when it cannot."""
    if "\\" in name or "\0" in name:
        return "unsafe name (a backslash or NUL byte)"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "unsafe name (an absolute path)"
    parts = name.split("/")
    if "" in parts:
        return "unsafe name (an empty part: an absolute path once joined)"
    if "." in parts or ".." in parts:
        return "unsafe name (a '.' or '..' part)"
    return None


def _kind(info: zipfile.ZipInfo) -> str | None:
    """A symbolic link or special file, from the Unix file type a zip made on Unix keeps; None for a file or folder
    (or an entry without a file type: zips made elsewhere, and Python's writestr, leave it 0)."""
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, pipe or socket)"
    return None


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """An entry's SHA-256, read as a stream (never whole in memory), or None when the zip's own CRC or compression
    shows damage."""
    digest = hashlib.sha256()
    try:
        with archive.open(info) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except DAMAGED:
        return None
    return digest.hexdigest()


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
        if (problem := unsafe_name(match[2])) is not None:
            raise InputError(where, f"'{match[2]}': {problem}", number)
        if match[2] in listed:
            raise InputError(where, f"'{match[2]}' listed twice", number)
        listed[match[2]] = match[1]
    if not listed:
        raise InputError(where, "lists no files")
    return listed
