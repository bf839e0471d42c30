"""Acquisition against a local http.server: retries, timeout, pinning, cache, rate limit, main-text extraction,
cut bodies, the deadline, redirects to other hosts and the refusal of private addresses.

The local server is at 127.0.0.1, which `acquire` refuses: every test but the refusal's runs with a Fetcher made
with `private_addresses=True`, a parameter the command line never sets."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import shutil
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from provincial_plans.__main__ import main
from provincial_plans.coding.formats import read_document
from provincial_plans.coding.ingest import ingest_document, read_manifest
from provincial_plans.ops import acquire as acquisition
from provincial_plans.ops.fetch import public

from ..conftest import ROOT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "acquire"
INGEST = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
    ".png": "image/png",
}
CMS_PAGE = (FIXTURES / "synthetic_cms_page.html").read_bytes()
GB2312_PAGE = (FIXTURES / "synthetic_gb2312_page.html").read_bytes()
BODY = "以“互联网+政务服务”为主线，推进网上办事，提升服务效率。"
CHROME = ("首页", "相关文章", "版权所有", "主办", "统计代码", "发布时间", "信息公开", "关于印发合成示例方案的通知")
UNITS = {"beijing", "liaoning", "national"}
HEADER = "unit,doc_id,url,sha256,title,doc_number,issue_date\n"


class Site:
    """A local server with a page for each behaviour, counting requests per path."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, time.monotonic()))
                site.answer(self)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def count(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path == "/flaky.html" and self.count(path) == 1:
            return self._send(handler, 503, b"busy", "text/plain")
        if path == "/slow.html":
            time.sleep(1.5)
        if path == "/ftp-redirect":
            return self._redirect(handler, "ftp://127.0.0.1/plan.txt")
        if path == "/moved.html":  # to the same server under another name
            return self._redirect(handler, f"http://localhost:{self.server.server_port}/plan.html")
        if path == "/cut.html":  # the connection drops after a tenth of what Content-Length declares
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(CMS_PAGE)))
            handler.end_headers()
            handler.wfile.write(CMS_PAGE[: len(CMS_PAGE) // 10])
            handler.close_connection = True
            return None
        if path == "/drip.html":  # a byte every 0.1 s, no read ever waits long
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(CMS_PAGE)))
            handler.end_headers()
            return self._drip(handler, CMS_PAGE)
        if path == "/drip-headers.html":  # the same before the headers end
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            return self._drip(handler, b"X-Synthetic: " + b"x" * 10_000 + b"\r\n\r\n")
        if path.startswith("/ingest/"):
            name = path.removeprefix("/ingest/")
            body = b"\x89PNG\r\n\x1a\nsynthetic" if name.endswith(".png") else (INGEST / name).read_bytes()
            return self._send(handler, 200, body, TYPES[Path(name).suffix])
        if path == "/gb2312.html":
            return self._send(handler, 200, GB2312_PAGE, "text/html")
        if path.endswith(".html"):
            return self._send(handler, 200, CMS_PAGE, "text/html; charset=utf-8")
        return self._send(handler, 404, b"not found", "text/plain")

    @staticmethod
    def _redirect(handler: BaseHTTPRequestHandler, location: str) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    @staticmethod
    def _drip(handler: BaseHTTPRequestHandler, data: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            for index in range(len(data)):
                handler.wfile.write(data[index : index + 1])
                handler.wfile.flush()
                time.sleep(0.1)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that timed out has left
            handler.wfile.write(body)


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


REAL_FETCHER = acquisition.Fetcher


@pytest.fixture(autouse=True)
def local_server_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's Fetcher, allowed to connect to the test's server at 127.0.0.1."""
    monkeypatch.setattr(acquisition, "Fetcher", partial(REAL_FETCHER, private_addresses=True))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with the real reference tables and an empty 2017/."""
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", root / "reference")
    (root / "2017").mkdir()
    return root


def write_sources(data: Path, *rows: str) -> Path:
    path = data / "2017" / "sources.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def acquire(data: Path, *extra: str) -> int:
    cache = data.parent / "cache"
    args = ["acquire", "--year", "2017", "--data", str(data), "--cache", str(cache), "--min-interval", "0"]
    return main([*args, "--backoff", "0.01", *extra])


def test_page_main_text_saved_and_manifest_ingests(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例方案,合成〔2017〕1号,2017-01")
    assert acquire(data) == 0
    text = (data / "2017" / "documents" / "synthetic-beijing.txt").read_text(encoding="utf-8")
    assert BODY in text and "（二）推动电子证照共享，做到一网通办。" in text
    assert not [word for word in CHROME if word in text]
    entries = read_manifest(data / "2017" / "documents.csv", data, UNITS)
    assert [(e.unit, e.doc_id, e.title, e.doc_number, e.source_url) for e in entries] == [
        ("beijing", "synthetic-beijing", "合成示例方案", "合成〔2017〕1号", site.url("/plan.html"))
    ]
    _, sentences = ingest_document(entries[0].file, entries[0].doc_id)
    assert BODY in [sentence.text for sentence in sentences]
    assert f"sha256 {hashlib.sha256(CMS_PAGE).hexdigest()}" in capsys.readouterr().out


def test_densest_block_of_a_gb2312_page_without_known_container(site: Site, data: Path) -> None:
    write_sources(data, f"liaoning,synthetic-liaoning,{site.url('/gb2312.html')},,合成示例,,")
    assert acquire(data) == 0
    text = (data / "2017" / "documents" / "synthetic-liaoning.txt").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "合成测试网页（synthetic test fixture），并非任何省份的真实政策。"
    assert BODY in text
    assert not [word for word in CHROME if word in text]


def test_html_kept_reads_as_the_text(site: Site, data: Path) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例,,")
    assert acquire(data, "--html") == 0
    kept = data / "2017" / "documents" / "synthetic-beijing.html"
    assert acquire(data, "--cache", str(data.parent / "other-cache")) == 0
    as_text = (data / "2017" / "documents" / "synthetic-beijing.txt").read_text(encoding="utf-8")
    assert read_document(kept) == as_text.strip()
    assert read_manifest(data / "2017" / "documents.csv", data, UNITS)[0].file.name == "synthetic-beijing.txt"


def test_retry_after_503(site: Site, data: Path) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/flaky.html')},,合成示例,,")
    assert acquire(data) == 0
    assert site.count("/flaky.html") == 2
    assert (data / "2017" / "documents" / "synthetic-beijing.txt").exists()


def test_not_found_is_not_retried(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/gone')},,合成示例,,")
    assert acquire(data) == 1
    assert site.count("/gone") == 1
    assert "sources.csv, line 2: synthetic-beijing: " in capsys.readouterr().err
    assert not (data / "2017" / "documents.csv").exists()


def test_timeout_after_every_attempt(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/slow.html')},,合成示例,,")
    assert acquire(data, "--timeout", "0.3", "--retries", "1") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("error: ") and err[0].endswith("timed out after 0.3 s (2 attempts)")
    assert "sources.csv, line 2: synthetic-beijing: " in err[0]
    assert err[-1] == "error: 1 of 1 sources failed; their saved documents were left as they were"
    assert site.count("/slow.html") == 2
    assert not (data / "2017" / "documents").exists()


def test_pin_mismatch_keeps_the_saved_file(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pinned = hashlib.sha256(b"the page as it was when pinned").hexdigest()
    served = hashlib.sha256(CMS_PAGE).hexdigest()
    ok = f"liaoning,synthetic-liaoning,{site.url('/other.html')},{served},合成示例,,"
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},{pinned},合成示例,,", ok)
    saved = data / "2017" / "documents" / "synthetic-beijing.txt"
    saved.parent.mkdir()
    saved.write_text("合成示例：此前保存的文本。\n", encoding="utf-8")
    assert acquire(data) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"error: {data}/2017/sources.csv, line 2: synthetic-beijing: {site.url('/plan.html')}: sha256 mismatch: "
        f"pinned {pinned}, downloaded {served}; the saved document was not replaced"
    )
    assert saved.read_text(encoding="utf-8") == "合成示例：此前保存的文本。\n"
    assert [entry.doc_id for entry in read_manifest(data / "2017" / "documents.csv", data, UNITS)] == [
        "synthetic-liaoning"
    ]
    assert not list((data.parent / "cache").glob(f"{hashlib.sha256(site.url('/plan.html').encode()).hexdigest()}*"))


def test_cache_hit_makes_no_request(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例,,")
    assert acquire(data) == 0
    assert acquire(data) == 0
    assert site.count("/plan.html") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("synthetic-beijing: fetched, ") and " written " in out[0]
    assert out[1].startswith("synthetic-beijing: cached, ") and " unchanged " in out[1]
    assert acquire(data, "--refresh") == 0
    assert site.count("/plan.html") == 2


def test_rate_limit_per_host(site: Site, data: Path) -> None:
    write_sources(
        data,
        f"beijing,synthetic-beijing,{site.url('/a.html')},,合成示例,,",
        f"liaoning,synthetic-liaoning,{site.url('/b.html')},,合成示例,,",
    )
    assert acquire(data, "--min-interval", "0.8") == 0
    (_, first), (_, second) = site.requests
    assert second - first >= 0.75  # the interval is kept by the client; the server sees the connections' jitter


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/plan.txt", "gopher://x/", "http:///nohost"])
def test_only_http_and_https_addresses(site: Site, data: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例,,", f"liaoning,x,{url},,t,,")
    assert acquire(data) == 1
    assert capsys.readouterr().err == (
        f"error: {data}/2017/sources.csv, line 3: url '{url}' is not an http or https address; refused\n"
    )
    assert site.requests == []


def test_redirect_to_ftp_refused(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/ftp-redirect')},,合成示例,,")
    assert acquire(data) == 1
    assert "refused redirect to 'ftp://127.0.0.1/plan.txt'" in capsys.readouterr().err
    assert site.count("/ftp-redirect") == 1


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("shanghai-x,x,http://127.0.0.1/,,t,,", "unknown unit 'shanghai-x'"),
        ("beijing,x,http://127.0.0.1/,abc,t,,", "sha256 'abc' is not valid"),
        ("beijing,X Y,http://127.0.0.1/,,t,,", "doc_id 'X Y' is not valid"),
    ],
)
def test_bad_sources_row_is_one_line(data: Path, row: str, problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, row)
    assert acquire(data) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {data}/2017/sources.csv, line 2: {problem}") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("fixture", "saved"),
    [
        ("synthetic_text.pdf", "synthetic-beijing.pdf"),
        ("synthetic_table.docx", "synthetic-beijing.docx"),
        ("synthetic_gbk.txt", "synthetic-beijing.txt"),
    ],
)
def test_documents_saved_so_that_ingest_reads_them_alike(site: Site, data: Path, fixture: str, saved: str) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/ingest/' + fixture)},,合成示例,,")
    assert acquire(data) == 0
    path = data / "2017" / "documents" / saved
    assert read_document(path) == read_document(INGEST / fixture)
    if fixture.endswith((".pdf", ".docx")):
        assert path.read_bytes() == (INGEST / fixture).read_bytes()
    else:
        path.read_bytes().decode("utf-8")  # saved as UTF-8, whatever the server sent


def test_unsupported_content_type(site: Site, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/ingest/chart.png')},,合成示例,,")
    assert acquire(data) == 1
    assert "unsupported content type 'image/png' (expected HTML, PDF, .docx or plain text)" in capsys.readouterr().err


def test_manifest_keeps_its_notes_and_other_rows(site: Site, data: Path) -> None:
    manifest = data / "2017" / "documents.csv"
    (data / "2017" / "documents").mkdir()
    (data / "2017" / "documents" / "synthetic-national.txt").write_text("合成示例：中央文件。\n", encoding="utf-8")
    kept = "national,synthetic-national,合成示例中央文件,,2016-09,documents/synthetic-national.txt,\n"
    manifest.write_text(
        "# synthetic test manifest\nunit,doc_id,title,doc_number,issue_date,file,source_url\n" + kept,
        encoding="utf-8",
    )
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例,,2017-01")
    assert acquire(data) == 0
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[:3] == [
        "# synthetic test manifest\n",
        "unit,doc_id,title,doc_number,issue_date,file,source_url\n",
        kept,
    ]
    assert (
        lines[3]
        == f"beijing,synthetic-beijing,合成示例,,2017-01,documents/synthetic-beijing.txt,{site.url('/plan.html')}\n"
    )
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例（修订）,,2017-02")
    assert acquire(data) == 0
    entries = read_manifest(manifest, data, UNITS)
    assert [(e.doc_id, e.title, e.issue_date) for e in entries] == [
        ("synthetic-national", "合成示例中央文件", "2016-09"),
        ("synthetic-beijing", "合成示例（修订）", "2017-02"),
    ]


@pytest.mark.parametrize(
    "setting", [("--timeout", "0"), ("--retries", "-1"), ("--min-interval", "-2"), ("--deadline", "0")]
)
def test_bad_settings(data: Path, setting: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(data, "beijing,synthetic-beijing,http://127.0.0.1:9/,,合成示例,,")
    assert acquire(data, *setting) == 1
    assert capsys.readouterr().err == (
        "error: --timeout and --deadline must be above 0; --retries, --backoff and --min-interval not below 0\n"
    )


def test_a_body_cut_short_of_its_content_length_is_never_saved(site: Site, data: Path, capsys) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/cut.html')},,合成示例,,")
    assert acquire(data, "--retries", "1") == 1
    err = capsys.readouterr().err.splitlines()
    cut, declared = len(CMS_PAGE) // 10, len(CMS_PAGE)
    assert err[0].endswith(f"body cut short: {cut} of the {declared} bytes its Content-Length declares (2 attempts)")
    assert site.count("/cut.html") == 2  # a dropped connection is tried again
    assert not (data / "2017" / "documents").exists()
    assert not (data / "2017" / "documents.csv").exists()


@pytest.mark.parametrize("path", ["/drip.html", "/drip-headers.html"])
def test_a_server_that_drips_is_stopped_by_the_document_deadline(site: Site, data: Path, path: str, capsys) -> None:
    write_sources(data, f"beijing,synthetic-beijing,{site.url(path)},,合成示例,,")
    assert acquire(data, "--timeout", "3", "--deadline", "1") == 1  # no single read waits 3 s
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(f"{site.url(path)}: the document's deadline of 1 s passed (1 attempt)"), err[0]
    assert site.count(path) == 1
    assert not (data / "2017" / "documents").exists()


def test_a_redirect_to_another_host_needs_the_row_to_name_it(site: Site, data: Path, capsys) -> None:
    moved, final = site.url("/moved.html"), f"http://localhost:{site.server.server_port}/plan.html"
    write_sources(data, f"beijing,synthetic-beijing,{moved},,合成示例,,")
    assert acquire(data) == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .endswith(
            f"{moved}: refused redirect to '{final}': another host (name it in the row's redirect_hosts to allow it)"
        )
    )
    assert site.count("/plan.html") == 0
    sources = data / "2017" / "sources.csv"
    row = f"beijing,synthetic-beijing,{moved},合成示例,www.example.org localhost\n"
    sources.write_text("unit,doc_id,url,title,redirect_hosts\n" + row, encoding="utf-8")
    assert acquire(data) == 0
    assert capsys.readouterr().out.startswith(f"synthetic-beijing: fetched (redirected to {final}), ")
    assert acquire(data) == 0  # from the cache, which keeps the address it came from
    assert capsys.readouterr().out.startswith(f"synthetic-beijing: cached (redirected to {final}), ")
    assert site.count("/plan.html") == 1


def test_the_command_line_connects_to_no_loopback_address(site: Site, data: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(acquisition, "Fetcher", REAL_FETCHER)  # as a user runs it
    write_sources(data, f"beijing,synthetic-beijing,{site.url('/plan.html')},,合成示例,,")
    assert acquire(data) == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .endswith(
            f"{site.url('/plan.html')}: refused: 127.0.0.1 is at 127.0.0.1, not a public address "
            "(loopback, link-local or private)"
        )
    )
    assert site.requests == []  # refused once connected, before the request was sent


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # a cloud's metadata service
        ("100.64.0.1", False),  # shared (carrier-grade NAT)
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("202.108.22.5", True),
        ("2400:da00::6666", True),
    ],
)
def test_public_addresses_only(address: str, allowed: bool) -> None:
    assert public(ipaddress.ip_address(address)) is allowed
