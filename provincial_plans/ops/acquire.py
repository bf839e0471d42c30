"""Acquisition (opt-in): fetch plan documents from their official addresses into data/{year}/documents/.

Never part of a build: `snakemake` reads only files on disk, so a report never depends on a server being up.
Government sites are slow and flaky, so every request has a timeout, failed ones are retried with exponential
backoff, requests to one host keep a minimum interval, and answers are cached by URL. A row may pin the SHA-256 of
the bytes its address serves: content that no longer matches is an error and the saved file stays as it was.

A download must not be trusted beyond what it proves: a body shorter than its Content-Length is a failed attempt,
each document has a deadline over all its attempts (a server that drips a byte a second never hits a read
timeout), a redirect may lead to another host only where the source row names it, and no connection is made to a
loopback, link-local or private address (checked on the address actually connected to, after DNS: a public name
that resolves to 127.0.0.1 or 169.254.169.254 is refused the same way).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from provincial_plans.coding.formats import DECLARED, HTML_DROP, _declared_charset, _html_text, decode_bytes
from provincial_plans.core import schemas
from provincial_plans.core.atomic import write_bytes, write_text
from provincial_plans.core.errors import InputError, display_path
from provincial_plans.core.inputs import PREAMBLE, read_csv, read_text, unique
from provincial_plans.model.dataset import load_units
from provincial_plans.ops.fetch import SCHEMES, Download, Fetcher, FetchError

# Containers that government CMSs (TRS WCM, UCAP, and common templates) put an article's body in.
CONTAINERS = (
    "//*[@id='zoom']",
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]",
)


# Page chrome that older templates mark only by id or class, not by <nav>, <header> or <footer>.
CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|top|footer|foot|bottom|breadcrumb|crumb|share|sidebar)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)


HANZI = re.compile(r"[\u3400-\u9fff]")


MIN_HANZI = 20  # a known container with less text than this is an empty template slot


DOMINANT = 0.8  # descend into a child that holds this share of its parent's (non-link) Chinese text


@dataclass(frozen=True)
class Source:
    """One row of data/{year}/sources.csv."""

    unit: str
    doc_id: str
    url: str
    sha256: str
    title: str
    doc_number: str
    issue_date: str
    line: int
    redirect_hosts: frozenset[str] = frozenset()  # other hosts the address may redirect to


@dataclass(frozen=True)
class Outcome:
    """What happened to one source: a line for the user, and whether it failed."""

    failed: bool
    message: str


def read_sources(path: Path, reference: Path) -> list[Source]:
    """The rows of sources.csv, every one checked before anything is fetched."""
    rows = read_csv(path, schemas.SOURCES)
    unique(path, rows, ("doc_id",), "doc_id")
    units = {unit.slug for unit in load_units(reference)} | {"national"}
    sources = []
    for row in rows:
        values = row.values
        if values["unit"] not in units:
            raise InputError(
                path, f"unknown unit '{values['unit']}' (expected a province slug or 'national')", row.line
            )
        parts = urllib.parse.urlsplit(values["url"])
        if parts.scheme.lower() not in SCHEMES or not parts.netloc:
            raise InputError(path, f"url '{values['url']}' is not an http or https address; refused", row.line)
        sources.append(
            Source(
                values["unit"],
                values["doc_id"],
                values["url"],
                values.get("sha256", "").lower(),
                values["title"],
                values.get("doc_number", ""),
                values.get("issue_date", ""),
                row.line,
                frozenset(values.get("redirect_hosts", "").lower().split()),
            )
        )
    return sources


def acquire(
    data: Path,
    year: int,
    fetcher: Fetcher,
    keep_html: bool = False,
    sources_path: Path | None = None,
) -> Iterator[Outcome]:
    """Fetch every source of a year into documents/ and record it in documents.csv, one outcome per source.

    A failed source leaves its file and its manifest row as they were; the others go on.
    """
    year_dir = data / str(year)
    sources_path = sources_path or year_dir / "sources.csv"
    sources = read_sources(sources_path, data / "reference")
    manifest = year_dir / "documents.csv"
    for source in sources:
        try:
            yield _acquire_one(source, year_dir, manifest, fetcher, keep_html)
        except (FetchError, InputError) as error:
            problem = error.problem if isinstance(error, InputError) else str(error)
            where = InputError(sources_path, f"{source.doc_id}: {source.url}: {problem}", source.line)
            yield Outcome(True, str(where))


def _acquire_one(source: Source, year_dir: Path, manifest: Path, fetcher: Fetcher, keep_html: bool) -> Outcome:
    download = fetcher.get(source.url, source.redirect_hosts)
    if source.sha256 and download.sha256 != source.sha256:
        raise FetchError(
            f"sha256 mismatch: pinned {source.sha256}, downloaded {download.sha256}; "
            "the saved document was not replaced"
        )
    name, content = document_content(download, source, keep_html)
    if not download.cached:
        fetcher.keep(source.url, download)
    target = year_dir / "documents" / name
    unchanged = target.is_file() and target.read_bytes() == content
    if not unchanged:
        write_bytes(target, content)
    _record(manifest, source, f"documents/{name}")
    how = "cached" if download.cached else "fetched"
    how += f" (redirected to {download.url})" if download.url != source.url else ""
    state = "unchanged" if unchanged else "written"
    return Outcome(False, f"{source.doc_id}: {how}, {display_path(target)} {state} (sha256 {download.sha256})")


def document_content(download: Download, source: Source, keep_html: bool) -> tuple[str, bytes]:
    """File name and bytes to save: a PDF or .docx as served, a page's main text (or main part as HTML)."""
    body, kind = download.body, download.content_type
    if body.startswith(b"%PDF-"):
        return f"{source.doc_id}.pdf", body
    if body.startswith(b"PK\x03\x04") and (kind.endswith("wordprocessingml.document") or source.url.endswith(".docx")):
        return f"{source.doc_id}.docx", body
    if kind == "text/plain":
        return f"{source.doc_id}.txt", _decode(download).encode("utf-8")
    if kind in ("text/html", "application/xhtml+xml"):
        page = main_html(_decode(download), source.title)
        if keep_html:
            return f"{source.doc_id}.html", page.encode("utf-8")
        text = _html_text(page)
        if not HANZI.search(text):
            raise FetchError("no Chinese text found in the page")
        return f"{source.doc_id}.txt", (text + "\n").encode("utf-8")
    raise FetchError(f"unsupported content type '{kind}' (expected HTML, PDF, .docx or plain text)")


def _decode(download: Download) -> str:
    """Text as ingest decodes a file, honouring a charset the server or else the page declares."""
    declared = None
    if download.charset:
        try:
            declared = DECLARED.get(codecs.lookup(download.charset).name)
        except LookupError:
            declared = None
    return decode_bytes(Path("download"), download.body, declared or _declared_charset(download.body))


def main_html(html: str, title: str) -> str:
    """A standalone UTF-8 page with only the document's main element: chrome dropped, links and menus gone.

    Known CMS containers win when they hold text; otherwise the smallest element that holds most of the page's
    Chinese text outside links.
    """
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        raise FetchError("not a readable HTML page") from None
    chrome = [
        element
        for element in root.iter(lxml.etree.Element)
        if CHROME.search(f"{element.get('id', '')} {element.get('class', '')}")
    ]
    for element in [*root.xpath(HTML_DROP), *chrome]:
        if element.getparent() is not None:
            element.drop_tree()
    main = _main_element(root)
    body = lxml.html.tostring(main, encoding="unicode")
    head = f'<meta charset="utf-8"><title>{_escape(title)}</title>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"


def _main_element(root: Any) -> Any:
    known = [element for path in CONTAINERS for element in root.xpath(path)]
    best = max(known, key=_hanzi, default=None)
    if best is not None and _hanzi(best) >= MIN_HANZI:
        return best
    node = root.find("body") if root.find("body") is not None else root
    while True:
        children = [child for child in node if isinstance(child.tag, str)]
        child = max(children, key=_hanzi, default=None)
        if child is None or _hanzi(child) < DOMINANT * _hanzi(node) or _hanzi(node) == 0:
            return node
        node = child


def _hanzi(element: Any) -> int:
    """Chinese characters of an element's text outside links (menus and lists of related articles are links)."""
    links = sum(len(HANZI.findall(link.text_content())) for link in element.iter("a"))
    return len(HANZI.findall(element.text_content())) - links


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MANIFEST_COLUMNS = schemas.DOCUMENTS_MANIFEST["required"]


def _record(manifest: Path, source: Source, file: str) -> None:
    """Add or update the source's row in documents.csv; other rows, columns and attribution lines stay."""
    preamble: list[str] = []
    rows: list[dict[str, str]] = []
    if manifest.exists():
        lines = read_text(manifest).splitlines(keepends=True)
        preamble = list(takewhile(PREAMBLE.match, lines))
        rows = [row.values for row in read_csv(manifest, schemas.DOCUMENTS_MANIFEST)]
    columns = list(rows[0]) if rows else MANIFEST_COLUMNS
    entry = {
        "unit": source.unit,
        "doc_id": source.doc_id,
        "title": source.title,
        "doc_number": source.doc_number,
        "issue_date": source.issue_date,
        "file": file,
        "source_url": source.url,
    }
    for row in rows:
        if row["doc_id"] == source.doc_id:
            row.update(entry)
            break
    else:
        rows.append({name: entry.get(name, "") for name in columns})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(manifest, "".join(preamble) + buffer.getvalue())
