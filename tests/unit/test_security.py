"""Output safety: every page's Content-Security-Policy, nothing active in a page, and a PDF renderer that reads
only the project's own local files.

Data shown escaped (a <script> in a facts note, as HTML text and as PDF text) is the bad-input case
tests/workflow/bad_inputs/facts_note_with_markup_inert; markup in document text, doc_text_with_markup_inert.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from provincial_plans.core.errors import PipelineError
from provincial_plans.core.i18n import load_messages
from provincial_plans.core.paths import TEMPLATES
from provincial_plans.report.fonts import font_files
from provincial_plans.report.render import local_fetcher, write_pdf

from ..conftest import ROOT, Active, directives


def test_the_policy_parser_sees_what_a_policy_allows():
    assert directives("default-src 'self'; script-src 'unsafe-inline' https:") == {
        "default-src": ["'self'"],
        "script-src": ["'unsafe-inline'", "https:"],
    }


def test_the_active_content_checker_finds_what_could_run_or_fetch():
    page = (
        '<p onclick="x()">a</p><script>x()</script><a href=" JavaScript:x()">b</a><img src="http://e.org/i.png">'
        '<img src="//e.org/i.png"><a href="national.en.html#x">ok</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )
    assert Active(page).found == [
        "<p onclick>",
        "<script>",
        "<a href=' JavaScript:x()'>",
        "<img src='http://e.org/i.png'>",
        "<img src='//e.org/i.png'>",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/report.css",
        "https://example.org/font.woff2",
        "data:text/css,body{color:red}",
        "ftp://example.org/x.css",
        "FILE:///etc/passwd",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        (TEMPLATES / "..").as_uri() + "/../../../../../etc/passwd",
        (TEMPLATES / "..").as_uri() + "/pyproject.toml",
    ],
)
def test_the_pdf_fetcher_refuses_everything_but_its_own_local_files(url):
    with pytest.raises(PipelineError, match="refused to fetch"):
        local_fetcher(TEMPLATES).fetch(url)


def test_the_pdf_fetcher_refuses_a_symlink_out_of_its_folder(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (tmp_path / "secret.css").write_text("/* synthetic */", encoding="utf-8")
    (templates / "report.css").symlink_to(tmp_path / "secret.css")
    with pytest.raises(PipelineError, match="refused to fetch"):
        local_fetcher(templates).fetch((templates / "report.css").as_uri())


def test_the_pdf_fetcher_serves_the_stylesheet_and_the_fonts():
    fetcher = local_fetcher(TEMPLATES)
    for path in (TEMPLATES / "report.css", *font_files().values()):
        response = fetcher.fetch(path.as_uri())
        try:
            assert response.read() == path.read_bytes()
        finally:
            response.close()


class Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Counting.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="stylesheet" href="{base}/a.css">',
        "<style>@import url({base}/b.css);</style>",
        "<style>@font-face {{ font-family: X; src: url({base}/c.woff2); }} p {{ font-family: X; }}</style>",
        "<style>body {{ background: url({base}/d.png); }}</style>",
        '<img src="{base}/e.png">',
    ],
)
def test_a_pdf_fetches_nothing_from_the_network(markup, tmp_path):
    """Markup that would fetch from a server stops the PDF with one line, and the server sees no request."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    html = f"<html><head>{markup.format(base=base)}</head><body><p>synthetic</p></body></html>"
    target = tmp_path / "synthetic.en.pdf"
    try:
        with pytest.raises(PipelineError, match=rf"synthetic\.en\.pdf: refused to fetch '{base}/[a-e]\."):
            write_pdf(html, target, load_messages(ROOT / "data" / "messages", "en"), TEMPLATES)
    finally:
        server.shutdown()
        server.server_close()
    assert Counting.requests == []
    assert not target.exists()
