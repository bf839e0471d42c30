"""Faults while building and publishing: a full disk, a kill -9, a second run, readers during a publication.

The site is built under build/site/ and published to reports/{year}/ as a whole (pipeline.publish), so each test
ends with the site published before whole: every file its manifest lists is there with its SHA-256. The full-disk
tests mount a small tmpfs, which needs root (or CAP_SYS_ADMIN); elsewhere they are skipped, saying so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import publish as publishing
from pipeline.__main__ import main
from pipeline.provenance import write_manifest

from .conftest import SNAKEMAKE, SOURCE_DATE_EPOCH, built_copy, snakemake, tree_hashes

LIAONING = "2017,21,辽宁,task.platform,0,stated,III.3 / Table 4,"
EDITED = LIAONING.replace("Table 4", "Table 4 (rechecked)")


def assert_whole(year: Path) -> None:
    """Every file the manifest of a published year lists is there with its size and SHA-256, and nothing else
    but the manifest and the publication's stamp (which a publication that fails leaves deleted)."""
    manifest = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["outputs"]}
    for name, entry in listed.items():
        data = (year / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"]), name
    present = {path.relative_to(year).as_posix() for path in year.rglob("*") if path.is_file()} - {".published"}
    assert present == {*listed, "manifest.json"}, present ^ {*listed, "manifest.json"}


def edited_copy(built: Path, target: Path) -> Path:
    """The built tiny workflow with one province's note changed: its reports, the tables and the index rebuild."""
    copy = built_copy(built, target)
    facts = copy / "data" / "2017" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(LIAONING, EDITED), encoding="utf-8")
    return copy


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]


@contextlib.contextmanager
def small_tmpfs(folder: Path, free: int) -> Iterator[None]:
    """`folder` moved onto a tmpfs of its own that holds its files with about `free` bytes to spare."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    kept = folder.with_name(f"{folder.name}.kept")
    folder.rename(kept)
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m,mode=755", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        kept.rename(folder)
        pytest.skip(f"no tmpfs can be mounted here: {mounted.stderr.strip()}")
    try:
        shutil.copytree(kept, folder, dirs_exist_ok=True)
        stats = os.statvfs(folder)
        used = (stats.f_blocks - stats.f_bfree) * stats.f_frsize
        subprocess.run(["mount", "-o", f"remount,size={used + free}", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def test_a_full_disk_under_reports_keeps_the_previous_site_whole(built, tmp_path):
    copy = edited_copy(built, tmp_path / "workflow")
    year = copy / "reports" / "2017"
    before = tree_hashes(copy / "reports")
    with small_tmpfs(copy / "reports", free=8192):
        result = snakemake(copy)
        assert result.returncode == 1, result.stdout[-3000:]
        assert "Traceback" not in result.stdout + result.stderr
        [line] = error_lines(result)
        ran_out = r"error: no space left on device writing reports/2017/\S+; "
        assert re.fullmatch(ran_out + "reports/2017 still holds the site published before", line), line
        assert_whole(year)
        # every file as before; the stamp is gone, so that the next run publishes again
        assert tree_hashes(copy / "reports") == {k: v for k, v in before.items() if k != "2017/.published"}
        assert not list((copy / "reports").glob(".2017.*")), "a partial new folder was left behind"
        # recovery as the README says: make room, run snakemake again; only the publications run
        subprocess.run(["mount", "-o", "remount,size=64m", str(copy / "reports")], check=True)
        again = snakemake(copy)
        assert again.returncode == 0, again.stderr[-3000:]
        jobs = re.findall(r"^(?:local)?rule (\w+):$", again.stdout + again.stderr, re.M)
        assert jobs == ["publish", "publish_years_index", "all"], jobs
        assert "(rechecked)" in (year / "liaoning.en.html").read_text(encoding="utf-8")
        assert_whole(year)


def test_a_full_disk_under_the_staged_site_stops_in_one_line_and_publishes_nothing(built, tmp_path):
    copy = edited_copy(built, tmp_path / "workflow")
    before = tree_hashes(copy / "reports")
    shutil.rmtree(copy / "build" / "site")  # the site is built again from the start, with 64 KiB to spare
    with small_tmpfs(copy / "build", free=65536):
        result = snakemake(copy, "--cores", "1")  # one job at a time: the first that runs out ends the run
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    [line] = error_lines(result)
    assert re.fullmatch(r"error: no space left on device writing build/site/2017/\S+", line), line
    assert tree_hashes(copy / "reports") == before
    assert_whole(copy / "reports" / "2017")


def test_kill_during_the_index_job_leaves_the_previous_site_whole(built, tmp_path):
    copy = edited_copy(built, tmp_path / "workflow")
    before = tree_hashes(copy / "reports")
    log = copy / "logs" / "2017" / "index.log"
    log.unlink()
    run = subprocess.Popen(
        [SNAKEMAKE, "--cores", "2", "--configfile", "config/tiny.yaml"],
        cwd=copy,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes Snakemake and its jobs
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    deadline = time.monotonic() + 300
    while not log.exists():
        assert run.poll() is None, "the build ended before the index job started"
        assert time.monotonic() < deadline, "no index job within 300 s"
        time.sleep(0.002)
    os.killpg(run.pid, signal.SIGKILL)  # the job has started (its log is open); its Python takes longer to start
    run.wait()
    assert tree_hashes(copy / "reports") == before  # the stamp too: the publication had not started
    assert_whole(copy / "reports" / "2017")
    assert snakemake(copy, "--unlock").returncode == 0
    rerun = snakemake(copy, "--rerun-incomplete")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "(rechecked)" in (copy / "reports" / "2017" / "liaoning.en.html").read_text(encoding="utf-8")
    assert_whole(copy / "reports" / "2017")


def test_a_second_run_in_a_folder_a_live_run_holds_says_so_in_one_line(built, tmp_path):
    copy = edited_copy(built, tmp_path / "workflow")
    first = subprocess.Popen(
        [SNAKEMAKE, "--cores", "2", "--configfile", "config/tiny.yaml"],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    deadline = time.monotonic() + 300
    while not list((copy / ".snakemake" / "locks").glob("*.lock")):  # the first run has planned and locked
        assert first.poll() is None, "the first run ended before it took its lock"
        assert time.monotonic() < deadline, "no lock within 300 s"
        time.sleep(0.02)
    second = snakemake(copy)
    output, _ = first.communicate(timeout=600)
    assert first.returncode == 0, output[-3000:]
    assert second.returncode == 1
    assert error_lines(second) == [
        f"error: {copy}: another Snakemake run (pid {first.pid}) holds this folder; wait for it to end "
        "(its lock is not stale: do not --unlock)"
    ]
    assert "--unlock argument" not in second.stdout + second.stderr  # Snakemake's advice for a stale lock
    assert "Traceback" not in second.stdout + second.stderr
    assert "(rechecked)" in (copy / "reports" / "2017" / "liaoning.en.html").read_text(encoding="utf-8")
    assert_whole(copy / "reports" / "2017")


# --------------------------------------------------------------------------- publication itself, on synthetic sites


def staged_site(folder: Path, version: str, pages: int = 300) -> Path:
    """A staged year folder as the index job leaves it: synthetic pages (each saying its version) and their
    manifest."""
    outputs = []
    for number in range(pages):
        path = folder / ("tables" if number % 3 else "") / f"page-{number:04d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<p>synthetic test page {number}, version {version}</p>\n" * 40, encoding="utf-8")
        outputs.append(path)
    (folder / "index.html").write_text(f"<p>synthetic index, version {version}</p>\n", encoding="utf-8")
    write_manifest(folder / "manifest.json", 2017, "synthetic", [], [*outputs, folder / "index.html"])
    return folder


def version(year: Path) -> str:
    """The version a published synthetic site says on every page (asserting they agree)."""
    versions = {re.findall(r"version (\w+)", path.read_text(encoding="utf-8"))[0] for path in year.rglob("*.html")}
    assert len(versions) == 1, versions
    return versions.pop()


@pytest.fixture
def two_sites(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two staged versions of a site, and reports/2017 published from the first."""
    old, new = staged_site(tmp_path / "old", "old"), staged_site(tmp_path / "new", "new")
    target = tmp_path / "reports" / "2017"
    assert main(["publish", str(old), str(target)]) == 0
    return old, new, target


def test_publish_kill_at_any_point_leaves_one_whole_site(two_sites):
    old, new, target = two_sites
    command = [sys.executable, "-m", "pipeline", "publish", str(new), str(target)]
    fresh = f".{target.name}.new-"
    interrupted = 0
    for placed in (0, 1, 50, 150, 250, 299):  # kill once the new folder holds this many files
        publisher = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        while publisher.poll() is None:
            folders = list(target.parent.glob(f"{fresh}*"))
            try:
                placed_now = sum(1 for path in folders[0].rglob("*") if path.is_file()) if folders else -1
            except FileNotFoundError:  # switched in (renamed) while it was being counted: this one is done
                continue
            if placed_now >= placed:
                publisher.send_signal(signal.SIGKILL)
                break
        publisher.wait()
        interrupted += publisher.returncode == -signal.SIGKILL
        assert_whole(target)
        assert version(target) in ("old", "new")
        assert main(["publish", str(old), str(target)]) == 0  # the next publication
        assert version(target) == "old"
        assert not list(target.parent.glob(f"{fresh}*")), "the next publication removes what a killed one left"
    assert interrupted >= 3, "the publications ended before they could be killed"


def test_a_reader_during_publications_always_finds_a_whole_file(two_sites):
    old, new, target = two_sites
    seen: set[str] = set()
    problems: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                text = (target / "tables" / "page-0001.html").read_text(encoding="utf-8")
            except OSError as error:
                problems.append(repr(error))
                continue
            seen.update(re.findall(r"version (\w+)", text))
            if text.count("synthetic test page 1,") != 40:
                problems.append("half a file")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for staged in (new, old) * 5:
            assert main(["publish", str(staged), str(target)]) == 0
    finally:
        done.set()
        reader.join()
    assert problems == []
    assert seen == {"old", "new"}


def test_publication_without_renameat2_renames_the_old_site_aside(two_sites, monkeypatch):
    old, new, target = two_sites
    monkeypatch.setattr(publishing, "_renameat2", lambda: None)  # as on macOS or a libc without it
    assert main(["publish", str(new), str(target)]) == 0
    assert version(target) == "new"
    assert_whole(target)
    assert sorted(path.name for path in target.parent.iterdir()) == ["2017"]


def test_a_staged_file_that_differs_from_its_manifest_is_not_published(two_sites, capsys):
    old, new, target = two_sites
    (new / "index.html").write_text("<p>synthetic index, changed after the manifest</p>\n", encoding="utf-8")
    assert main(["publish", str(new), str(target)]) == 1
    assert capsys.readouterr().err == (
        f"error: {new}/index.html: differs from its SHA-256 in the manifest; rerun snakemake\n"
    )
    assert version(target) == "old"
    assert_whole(target)
