"""Bundle and verify on the tiny build: deterministic zip, every checksum checked, every bad entry named; crafted
zips (made here, small on disk) with unsafe names, links, special files and declared sizes out of bounds refused."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.__main__ import main

PREFIX = "provincial-plans-2017/"


@pytest.fixture(scope="module")
def bundle(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "bundle.zip"
    assert main(["bundle", "--year", "2017", "--reports", str(built / "reports"), "--out", str(out)]) == 0
    return out


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes]) -> Path:
    """A copy of a zip with entries changed (None drops one) and others added, as a tamperer would make it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
        for name, data in add.items():
            new.writestr(name, data)
    return target


def test_bundle_holds_every_report_with_its_checksum(built: Path, bundle: Path) -> None:
    year_dir = built / "reports" / "2017"
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        sums = archive.read(PREFIX + "SHA256SUMS").decode("utf-8").splitlines()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert names == sorted(names)
    for expected in ("index.html", "national.zh.pdf", "guizhou.en.html", "assets/report.css", "tables/cells.csv"):
        assert PREFIX + expected in names
    assert any(name.startswith(PREFIX + "charts/") and name.endswith(".zh.svg") for name in names)
    # every file but the publication's hidden stamp (reports/2017/.published), which the manifest does not list
    on_disk = sorted(p.relative_to(year_dir).as_posix() for p in year_dir.rglob("[!.]*") if p.is_file())
    assert [line.split("  ", 1)[1] for line in sums] == on_disk
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((year_dir / name).read_bytes()).hexdigest() == digest


def test_unzipped_bundle_passes_sha256sum(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    checked = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=tmp_path / PREFIX, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK\n") == len(archive.namelist()) - 1


def test_same_reports_same_bytes(built: Path, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = tmp_path / "again.zip"
    time.sleep(1.1)  # a later wall-clock second must not show in the zip
    assert main(["bundle", "--year", "2017", "--reports", str(built / "reports"), "--out", str(again)]) == 0
    assert again.read_bytes() == bundle.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = tmp_path / "dated.zip"
    assert main(["bundle", "--year", "2017", "--reports", str(built / "reports"), "--out", str(dated)]) == 0
    with zipfile.ZipFile(dated) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_bad_source_date_epoch(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["bundle", "--year", "2017", "--reports", str(built / "reports"), "--out", str(tmp_path / "x.zip")])
    assert capsys.readouterr().err == "error: SOURCE_DATE_EPOCH 'yesterday' is not a whole number of seconds\n"
    assert not (tmp_path / "x.zip").exists()


def test_no_built_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reports" / "2017").mkdir(parents=True)
    assert main(["bundle", "--year", "2017", "--reports", str(tmp_path / "reports")]) == 1
    assert "index.html missing); run snakemake first" in capsys.readouterr().err


def test_verify_passes(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as archive:
        files = len(archive.namelist()) - 1
    assert capsys.readouterr().out == f"{bundle}: all {files} files match SHA256SUMS\n"


def test_one_changed_byte_is_named(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = PREFIX + "tables/cells.csv"

    def flip(name: str, data: bytes) -> bytes:
        return data[:10] + bytes([data[10] ^ 1]) + data[11:] if name == target else data

    tampered = rewrite(bundle, tmp_path / "tampered.zip", flip, {})
    assert main(["verify", str(tampered)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"error: {tampered}: {target}: differs (sha256 ")
    assert err[1].startswith(f"error: {tampered}: 1 problem(s) against the ")


def test_missing_and_extra_entries_are_named(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = PREFIX + "national.en.pdf"
    changed = rewrite(
        bundle,
        tmp_path / "changed.zip",
        lambda name, data: None if name == gone else data,
        {PREFIX + "extra.html": b"<p>synthetic</p>"},
    )
    assert main(["verify", str(changed)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"error: {changed}: {gone}: missing",
        f"error: {changed}: {PREFIX}extra.html: extra (not in SHA256SUMS)",
    ]


def test_duplicate_entry_is_named(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = PREFIX + "index.html"
    with zipfile.ZipFile(bundle) as archive:
        index = archive.read(twice)
    with pytest.warns(UserWarning, match="Duplicate name"):  # zipfile warns, but writes it
        doubled = rewrite(bundle, tmp_path / "doubled.zip", lambda name, data: data, {twice: index})
    assert main(["verify", str(doubled)]) == 1
    assert f"error: {doubled}: {twice}: appears 2 times" in capsys.readouterr().err.splitlines()


def test_damaged_zip_data_is_named(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = PREFIX + "index.html"
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo(target)
    data = bytearray(bundle.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    assert main(["verify", str(damaged)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"error: {damaged}: {target}: differs (damaged in the zip)"


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
    """Peak resident memory (MiB) of `python -m pipeline verify` in a process of its own."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "verify", str(bundle)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
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
