"""Bundle and verify without a build: crafted zips (made here, small on disk) with unsafe names, links, special
files and declared sizes out of bounds refused in one line (the tiny build's bundle: tests/workflow/test_bundle.py)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from provincial_plans.__main__ import main

PREFIX = "provincial-plans-2017/"


def test_no_built_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reports" / "2017").mkdir(parents=True)
    assert main(["bundle", "--year", "2017", "--reports", str(tmp_path / "reports")]) == 1
    assert "index.html missing); run snakemake first" in capsys.readouterr().err


def test_not_a_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip", encoding="utf-8")
    assert main(["verify", str(fake)]) == 1
    assert capsys.readouterr().err == f"error: {fake}: not a zip file\n"


def crafted(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """A zip written entry by entry as a tamperer would, with a SHA256SUMS that lists every file entry's hash."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        sums = ""
        for info, data in entries:
            archive.writestr(info, data)
            name = info.filename if isinstance(info, zipfile.ZipInfo) else info
            sums += f"{hashlib.sha256(data).hexdigest()}  {name.removeprefix(PREFIX)}\n"
        archive.writestr(PREFIX + "SHA256SUMS", sums)
    return path


def unix_entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (2017, 1, 1, 0, 0, 0))
    info.create_system = 3
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (PREFIX + "../outside.html", "unsafe name (a '.' or '..' part)"),
        (PREFIX + "/tmp/synthetic.html", "unsafe name (an empty part: an absolute path once joined)"),
        ("/tmp/synthetic.html", "unsafe name (an absolute path)"),
        (PREFIX + "..\\outside.html", "unsafe name (a backslash or NUL byte)"),
        ("C:/synthetic.html", "unsafe name (an absolute path)"),
        (unix_entry(PREFIX + "link.html", stat.S_IFLNK | 0o777), "a symbolic link"),
        (unix_entry(PREFIX + "pipe", stat.S_IFIFO | 0o644), "a special file (device, pipe or socket)"),
        (unix_entry(PREFIX + "device", stat.S_IFCHR | 0o644), "a special file (device, pipe or socket)"),
    ],
)
def test_unsafe_entries_refuse_the_bundle_in_one_line(tmp_path: Path, entry, problem: str, capsys) -> None:
    target = "/etc/passwd" if problem == "a symbolic link" else "<p>synthetic</p>"
    bundle = crafted(tmp_path / "unsafe.zip", [(PREFIX + "index.html", b"<p>synthetic</p>"), (entry, target.encode())])
    assert main(["verify", str(bundle)]) == 1
    name = entry.filename if isinstance(entry, zipfile.ZipInfo) else entry
    assert capsys.readouterr().err == f"error: {bundle}: entry '{name}': {problem}; the bundle is refused\n"


def test_a_sums_line_with_a_parent_part_is_refused(tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "sums.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(PREFIX + "SHA256SUMS", f"{'0' * 64}  ../../etc/passwd\n")
    assert main(["verify", str(bundle)]) == 1
    assert capsys.readouterr().err == (
        f"error: {bundle}:{PREFIX}SHA256SUMS, line 1: '../../etc/passwd': unsafe name (a '.' or '..' part)\n"
    )


def declaring(path: Path, name: str, size: int) -> Path:
    """A small zip whose entry `name` declares `size` bytes (the central directory edited), as a zip bomb does."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"synthetic " * 100)
        archive.writestr(PREFIX + "SHA256SUMS", f"{'0' * 64}  {name.removeprefix(PREFIX)}\n")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        real = archive.getinfo(name).file_size
    header = data.index(b"PK\x01\x02")  # the first central directory record: the entry's
    assert int.from_bytes(data[header + 24 : header + 28], "little") == real
    data[header + 24 : header + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("size", "problem"),
    [
        (3 << 30, "declares 3221225472 bytes, more than 1073741824"),
        (500 << 20, "declares 524288000 bytes from {compressed} compressed (more than 100:1)"),
    ],
)
def test_declared_sizes_out_of_bounds_refuse_the_bundle(tmp_path: Path, size: int, problem: str, capsys) -> None:
    name = PREFIX + "index.html"
    bundle = declaring(tmp_path / "bomb.zip", name, size)
    with zipfile.ZipFile(bundle) as archive:
        compressed = archive.getinfo(name).compress_size
    assert bundle.stat().st_size < 2000
    assert main(["verify", str(bundle)]) == 1
    expected = problem.format(compressed=compressed)
    assert capsys.readouterr().err == f"error: {bundle}: entry '{name}': {expected}; the bundle is refused\n"


def peak_memory_of_verify(bundle: Path) -> float:
    """Peak resident memory (MiB) of `python -m provincial_plans verify` in a process of its own."""
    process = subprocess.Popen(
        [sys.executable, "-m", "provincial_plans", "verify", str(bundle)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, process.stderr.read()
    process.stderr.close()
    return usage.ru_maxrss / 1024


def test_entries_are_hashed_as_streams(tmp_path: Path) -> None:
    """A 64 MiB entry (about 1.3 MB in the zip) adds nothing like 64 MiB to the check's memory."""
    block = bytes(63 << 10)
    big = b"".join(os.urandom(1024) + block for _ in range(1024))
    small = crafted(tmp_path / "small.zip", [(PREFIX + "index.html", b"<p>synthetic</p>")])
    large = crafted(tmp_path / "large.zip", [(PREFIX + "index.html", b"<p>synthetic</p>"), (PREFIX + "big.bin", big)])
    assert large.stat().st_size < 2 << 20
    assert peak_memory_of_verify(large) < peak_memory_of_verify(small) + 16
