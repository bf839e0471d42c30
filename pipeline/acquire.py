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
import contextlib
import csv
import hashlib
import http.client
import io
import ipaddress
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import takewhile
from pathlib import Path
from typing import Any

from . import __version__, schemas
from .atomic import write_bytes, write_text
from .dataset import load_units
from .errors import InputError, PipelineError, display_path
from .ingest import DECLARED, HTML_DROP, _declared_charset, _html_text, decode_bytes
from .inputs import PREAMBLE, read_csv, read_text, unique

SCHEMES = ("http", "https")
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = f"provincial-plans/{__version__} (document acquisition; one request per host at a time)"
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
class Settings:
    """How politely and how persistently to fetch."""

    timeout: float = 30.0  # seconds per attempt (connect and each read)
    retries: int = 3  # further attempts after a timeout, a dropped connection or a 408/429/5xx answer
    backoff: float = 2.0  # seconds before the first retry, doubled for each further one
    min_interval: float = 2.0  # seconds between the starts of two requests to one host
    max_bytes: int = 20_000_000  # the same limit ingest puts on a document
    deadline: float = 300.0  # seconds for one document: every attempt, wait and byte

    def __post_init__(self) -> None:
        if min(self.timeout, self.deadline) <= 0 or min(self.retries, self.backoff, self.min_interval) < 0:
            raise PipelineError(
                "--timeout and --deadline must be above 0; --retries, --backoff and --min-interval not below 0"
            )


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
class Download:
    """The bytes an address served (or the cache kept), with what the server said they are and the address that
    served them after redirects."""

    body: bytes
    content_type: str
    charset: str | None
    cached: bool
    url: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What happened to one source: a line for the user, and whether it failed."""

    failed: bool
    message: str


class FetchError(Exception):
    """A download that did not succeed after every attempt; the text says why."""


class Truncated(http.client.HTTPException):
    """A body shorter than the Content-Length its server declared: the connection dropped (retried)."""


class _Guard:
    """One attempt at a document: the hosts it may be redirected to, whether private addresses are allowed (tests),
    and the deadline, at which every connection it opened is shut down so that a blocked read returns."""

    def __init__(self, hosts: frozenset[str], private_addresses: bool, remaining: float) -> None:
        self.hosts = hosts
        self.private_addresses = private_addresses
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(remaining, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Guard:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def connect(
        self, address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT, source: Any = None
    ) -> socket.socket:
        """socket.create_connection, refusing an address that is not public before a byte is sent."""
        connection = socket.create_connection(address, timeout, source)
        try:
            peer = ipaddress.ip_address(connection.getpeername()[0].split("%")[0])
            if not self.private_addresses and not public(peer):
                raise FetchError(
                    f"refused: {address[0]} is at {peer}, not a public address (loopback, link-local or private)"
                )
            with self._lock:
                if self.expired:
                    raise TimeoutError("deadline passed")
                self._sockets.append(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._sockets:
                with contextlib.suppress(OSError):  # closed already
                    connection.shutdown(socket.SHUT_RDWR)


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is one a government site can have: not loopback, link-local, private, reserved or shared
    (an IPv4 address written as IPv6, ::ffff:127.0.0.1, is judged as the IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args: Any, guard: _Guard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args: Any, guard: _Guard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(partial(_GuardedHTTP, guard=req.guard), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(partial(_GuardedHTTPS, guard=req.guard), req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow one to ftp:), and to another host only where the
    source row names it."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        parts = urllib.parse.urlsplit(newurl)
        if parts.scheme.lower() not in SCHEMES:
            fp.close()
            raise FetchError(f"refused redirect to '{newurl}' (only http and https addresses are fetched)")
        if (parts.hostname or "").lower() not in req.guard.hosts:
            fp.close()
            raise FetchError(
                f"refused redirect to '{newurl}': another host (name it in the row's redirect_hosts to allow it)"
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.guard = req.guard
        return new


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "provincial-plans" / "acquire"


class Fetcher:
    """HTTP(S) GET with a timeout, retries with exponential backoff, a deadline per document, a per-host interval
    and a cache keyed by URL.

    `private_addresses` allows connections to loopback, link-local and private addresses. It exists for tests
    against a local server; the command line never sets it."""

    def __init__(
        self, settings: Settings, cache_dir: Path, refresh: bool = False, *, private_addresses: bool = False
    ) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.refresh = refresh
        self.private_addresses = private_addresses
        self._last_start: dict[str, float] = {}
        # no environment proxies: the address check must see the server itself
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _Redirects
        )

    def get(self, url: str, redirect_hosts: frozenset[str] = frozenset()) -> Download:
        hosts = frozenset({_host(url), *redirect_hosts})
        cached = None if self.refresh else self._from_cache(url)
        if cached is not None and _host(cached.url) in hosts:
            return cached
        deadline = time.monotonic() + self.settings.deadline
        late = f"the document's deadline of {self.settings.deadline:g} s passed"
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            guard = _Guard(hosts, self.private_addresses, deadline - time.monotonic())
            try:
                with guard:
                    download = self._request(url, guard)
            except urllib.error.HTTPError as error:
                error.close()
                problem = f"HTTP {error.code} {error.reason}"
                if error.code not in RETRY_STATUS:
                    raise FetchError(problem) from None
            except (http.client.HTTPException, OSError) as error:  # timeouts, refused, dropped or cut connections
                if guard.expired:
                    raise FetchError(f"{late} ({_attempts(attempt)})") from None
                problem = _network_problem(error, self.settings.timeout)
            else:
                return download
            if attempt < attempts:
                pause = self.settings.backoff * 2 ** (attempt - 1)
                if time.monotonic() + pause >= deadline:
                    raise FetchError(f"{problem}; {late} before another attempt ({_attempts(attempt)})")
                time.sleep(pause)
        raise FetchError(f"{problem} ({_attempts(attempts)})")

    def keep(self, url: str, download: Download) -> None:
        """Cache a download, only once it passed its pin: a changed page must not become the cached truth."""
        key = self._key(url)
        write_bytes(self.cache_dir / f"{key}.body", download.body)
        meta = {"url": url, "final_url": download.url, "sha256": download.sha256, "content_type": download.content_type}
        meta |= {"charset": download.charset, "fetched": datetime.now(UTC).isoformat(timespec="seconds")}
        write_text(self.cache_dir / f"{key}.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")

    def _request(self, url: str, guard: _Guard) -> Download:
        self._wait_for(urllib.parse.urlsplit(url).netloc.lower())
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        request.guard = guard
        with self._opener.open(request, timeout=self.settings.timeout) as response:
            body = bytearray()
            while chunk := response.read1(1 << 16):  # at the deadline the guard shuts the connection: reads end
                body += chunk
                if len(body) > self.settings.max_bytes:
                    raise FetchError(f"more than {self.settings.max_bytes} bytes")
            if guard.expired:
                raise TimeoutError("deadline passed")
            declared = response.headers.get("Content-Length", "").strip()
            if declared.isdigit() and int(declared) != len(body):
                raise Truncated(f"body cut short: {len(body)} of the {declared} bytes its Content-Length declares")
            kind, charset = response.headers.get_content_type(), response.headers.get_content_charset()
            return Download(bytes(body), kind, charset, False, response.geturl())

    def _wait_for(self, host: str) -> None:
        last = self._last_start.get(host)
        if last is not None:
            delay = last + self.settings.min_interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last_start[host] = time.monotonic()

    def _from_cache(self, url: str) -> Download | None:
        key = self._key(url)
        try:
            meta = json.loads((self.cache_dir / f"{key}.json").read_text(encoding="utf-8"))
            body = (self.cache_dir / f"{key}.body").read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None  # a damaged or colliding entry is fetched again
        return Download(body, meta["content_type"], meta.get("charset"), True, meta.get("final_url", url))

    @staticmethod
    def _key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count > 1 else ''}"


def _host(url: str) -> str:
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def _network_problem(error: BaseException, timeout: float) -> str:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, Truncated):
        return str(reason)
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s"
    return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__


# ------------------------------------------------------------------------------------------------- the sources


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


# ------------------------------------------------------------------------------------------------ the content


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
    import lxml.etree
    import lxml.html

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


# ---------------------------------------------------------------------------------------------- the manifest

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
