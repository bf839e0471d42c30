"""Fetching one address for acquisition: timeouts, retries with backoff, a minimum interval per host, a cache by
URL, a deadline over all attempts, redirects only to the hosts a source names, and no connection to a loopback,
link-local or private address (checked on the address actually connected to, after DNS)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from provincial_plans import __version__
from provincial_plans.core.atomic import write_bytes, write_text
from provincial_plans.core.errors import PipelineError

SCHEMES = ("http", "https")


RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


USER_AGENT = f"provincial-plans/{__version__} (document acquisition; one request per host at a time)"


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
