"""The HTML site as a reader opens it: Debian's Chromium, driven by Playwright, from file:// and over HTTP.

Every page loads without console errors or outside requests, shows Chinese in the shipped web font, and every
link (other pages, PDFs, tables, in-page anchors) resolves.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import lxml.html
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    return built / "reports" / "2017"


@pytest.fixture(scope="module")
def server(site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs Debian's chromium package"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def open_page(browser, url: str) -> tuple[object, list[str]]:
    """The loaded page and the problems seen while loading it (console errors, failed or outside requests)."""
    page = browser.new_page()
    problems: list[str] = []
    origin = urlparse(url)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "request",
        lambda request: (
            (urlparse(request.url).scheme, urlparse(request.url).netloc) != (origin.scheme, origin.netloc)
            and not request.url.startswith("data:")
            and problems.append(f"outside request: {request.url}")
        ),
    )
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page, problems


def pages(site: Path) -> list[str]:
    return sorted(path.name for path in site.glob("*.html"))


@pytest.mark.parametrize("via", ["file", "http"])
def test_every_page_loads_cleanly_and_shows_chinese(browser, site, server, via):
    for name in pages(site):
        url = (site / name).as_uri() if via == "file" else urljoin(server, name)
        page, problems = open_page(browser, url)
        assert problems == [], f"{name} via {via}: {problems}"
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
        )
        assert "Noto Sans SC Report" in loaded, f"{name}: the Chinese web font did not load ({loaded})"
        heading = page.locator("h1").first
        assert any("\u4e00" <= char <= "\u9fff" for char in page.inner_text("body")), name
        if ".zh." in name:
            family = heading.evaluate("element => getComputedStyle(element).fontFamily")
            assert family.startswith('"Noto Sans SC Report"'), f"{name}: h1 set in {family}"
        assert heading.bounding_box()["height"] > 10
        page.close()


def test_every_link_resolves(browser, site, server):
    """Links to pages, PDFs and tables answer 200 over HTTP; anchors name an element of their target page."""
    ids: dict[str, set[str]] = {}

    def ids_of(name: str) -> set[str]:
        if name not in ids:
            ids[name] = set(lxml.html.parse(str(site / name)).getroot().xpath("//@id"))
        return ids[name]

    checked = 0
    for name in pages(site):
        page, _ = open_page(browser, urljoin(server, name))
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        page.close()
        for href in hrefs:
            target = urlparse(urljoin(urljoin(server, name), href))
            assert target.netloc == urlparse(server).netloc, f"{name}: link leaves the site: {href}"
            path = unquote(target.path).lstrip("/") or "index.html"
            response = browser.new_context().request.get(urljoin(server, path))
            assert response.status == 200, f"{name}: {href} -> HTTP {response.status}"
            if target.fragment:
                assert target.fragment in ids_of(path), f"{name}: {href}: no element with that id"
            checked += 1
    assert checked > 100


def test_language_switch_on_every_report_page_leads_to_the_same_report(browser, site):
    for name in pages(site):
        if name == "index.html":
            continue
        stem, lang, _ = name.split(".")
        other = "en" if lang == "zh" else "zh"
        page, _ = open_page(browser, (site / name).as_uri())
        switch = page.locator("nav.site a.switch")
        assert switch.get_attribute("href") == f"{stem}.{other}.html"
        switch.click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == ("zh-Hans" if other == "zh" else "en")
        page.close()


def test_tables_are_accessible_and_charts_have_text_alternatives(site):
    for name in pages(site):
        root = lxml.html.parse(str(site / name)).getroot()
        for table in root.iter("table"):
            caption = table.find("caption")
            assert caption is not None, f"{name}: a table without a caption"
            heading = next(table.itersiblings("h2", "h3", preceding=True), None)
            if heading is not None and heading.text_content().strip() == caption.text_content().strip():
                assert "sr-only" in caption.get("class", ""), f"{name}: a caption shown under its own heading"
            for cell in table.iter("th"):
                assert cell.get("scope") in ("col", "row"), f"{name}: th without scope: {cell.text_content()!r}"
        for svg in root.iter("svg"):
            assert svg.get("role") == "img" and svg.get("aria-label"), f"{name}: a chart without a text alternative"
