"""Bundle and verify on the tiny build: deterministic zip, every checksum checked, every bad entry named; crafted
zips (made here, small on disk) with unsafe names, links, special files and declared sizes out of bounds refused."""

from __future__ import annotations

import hashlib
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from provincial_plans.__main__ import main

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
