"""One polite HTTP client for every source.

* one ``requests.Session``; every request has a **total deadline** (``deadline``, default
  60 s: connecting, every retry and wait, and reading the body, which is streamed and
  checked against a monotonic clock, so a body drip-fed a byte at a time cannot hold a run)
  and a per-read ``timeout``;
* retries with exponential backoff on connection errors, 429 and 5xx, honouring
  ``Retry-After`` (seconds or an HTTP-date) up to ``max_retry_after`` (60 s); a server that
  asks for a longer wait is given up for the rest of the run;
* a **circuit breaker** per source: after ``max_failures`` consecutive failures the source
  is skipped for the rest of the run, and :attr:`Client.notices` says so once;
* a run budget: :meth:`Client.start_run` with a ``timeout`` skips every request once it is
  spent;
* answers larger than ``max_bytes`` (10 MB) are not read further;
* a minimum interval per host, applied only to requests that reach the network, and
  secret headers (``x-api-key``) dropped on a redirect to another host, as requests drops
  ``Authorization`` (both in the session: :mod:`plm_bib.sources.session`);
* ``User-Agent: plm_bib/VERSION (+mailto:...)``;
* an on-disk cache (requests-cache, SQLite, in the user cache directory or
  ``PLM_BIB_CACHE_DIR``) that keeps only answers the source could **parse**
  (:meth:`Client.fetch`): error pages and error JSON are never cached, and a cached answer
  that no longer parses is deleted; ``refresh`` bypasses the cache; ``offline`` (or
  ``PLM_BIB_OFFLINE=1``) answers from the cache only and never touches the network.

Errors are small values: :class:`SourceError` carries the URL, the status (if any) and a
message.
"""
from __future__ import annotations

import codecs
import email.utils
import os
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3

from plm_bib import __version__
from plm_bib.errors import SourceError
from plm_bib.sources.session import (
    CACHE_DAYS,
    RateLimitedAdapter,
    Session,
    cached_session,
    default_cache_path,
    offline_from_env,
)

__all__ = ["Client", "SourceError", "PARSE_ERRORS", "body_text", "default_cache_path",
           "offline_from_env", "retry_after_seconds"]

T = TypeVar("T")

RETRYABLE = (429, 500, 502, 503, 504)
# what a parser of an untrusted answer may raise; each is "unreadable answer", never a crash
PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError,
                RecursionError, ET.ParseError)
_CHUNK = 64 * 1024


def body_text(resp: requests.Response) -> str:
    """The body as text: the declared charset, else UTF-8 (requests would guess Latin-1 for
    ``text/*`` without a charset, which garbles every accented author name).  An unknown
    charset is a :class:`SourceError`."""
    declared = "charset=" in resp.headers.get("Content-Type", "").lower()
    encoding = resp.encoding if declared and resp.encoding else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(str(resp.url), f"the answer declares an unknown charset {encoding[:40]!r}") from None
    return resp.content.decode(encoding, errors="replace")


def retry_after_seconds(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """``Retry-After`` (delay-seconds or an HTTP-date) in seconds from ``now``, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _mb(n: int) -> str:
    return f"{n / 1e6:g} MB"


class Client:
    """The shared HTTP client.  ``cache=False`` (or requests-cache not installed) works
    without a cache; offline mode then has nothing to answer from.  ``sleep`` and ``clock``
    (monotonic seconds) can be injected (tests)."""

    def __init__(self, *, mailto: Optional[str] = None, offline: Optional[bool] = None,
                 refresh: bool = False, cache: bool = True, cache_path: Optional[str] = None,
                 timeout: float = 20.0, deadline: float = 60.0, retries: int = 3, backoff: float = 0.5,
                 max_retry_after: float = 60.0, max_bytes: int = 10_000_000, max_failures: int = 3,
                 intervals: Optional[Mapping[str, float]] = None, default_interval: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.mailto = mailto or os.environ.get("PLM_BIB_MAILTO") or None
        self.offline = offline_from_env() if offline is None else offline
        self.refresh = refresh
        self.timeout = timeout
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_failures = max_failures
        self.sleep = sleep
        self.clock = clock
        self.cached = False
        session: requests.Session = Session()
        if cache:
            try:
                session = cached_session(cache_path or default_cache_path())
                self.cached = True
            except ImportError:
                pass
        self.adapter = RateLimitedAdapter(intervals or {}, default_interval, sleep, clock, max_retries=0)
        session.mount("http://", self.adapter)
        session.mount("https://", self.adapter)
        agent = f"plm_bib/{__version__}"
        if self.mailto:
            agent += f" (mailto:{self.mailto})"
        session.headers["User-Agent"] = agent
        self.session = session
        self.requests = 0      # answers that came from the network
        self.cache_hits = 0    # answers that came from the cache
        self.notices: List[Tuple[str, str]] = []  # (source, message): a source given up, the run's time spent
        self.start_run()

    # -- the run: budget and circuit breakers ---------------------------------------------
    def start_run(self, timeout: Optional[float] = None) -> None:
        """A new run: every source is asked again, and the run may take ``timeout`` seconds
        (None: no limit)."""
        self.run_timeout = timeout
        self._run_ends = None if timeout is None else self.clock() + timeout
        self._failures: Dict[str, int] = {}
        self._given_up: Dict[str, str] = {}
        self._run_spent = False
        self.notices = []

    def _run_spent_error(self, url: str) -> SourceError:
        """The run's time is spent: said once (a notice), and each lookup is skipped."""
        if not self._run_spent:
            self._run_spent = True
            self.notices.append(("enrich", f"the run's time limit ({self.run_timeout:g} s) is spent: "
                                           "the remaining lookups were skipped"))
        return SourceError(url, "skipped: the run's time limit is spent", skipped=True)

    def _check_open(self, source: str, url: str) -> None:
        if self._run_ends is not None and self.clock() >= self._run_ends:
            raise self._run_spent_error(url)
        if source in self._given_up:
            raise SourceError(url, f"skipped: {source} was given up ({self._given_up[source]})", skipped=True)

    def _failed(self, source: str, error: SourceError) -> None:
        if error.skipped or not error.counts:
            return
        n = self._failures[source] = self._failures.get(source, 0) + 1
        if error.give_up or n >= self.max_failures:
            why = error.message if error.give_up else f"{n} consecutive failures, the last: {error.message}"
            self._given_up[source] = why
            self.notices.append((source, f"skipped for the rest of the run: {why}"))

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------------
    def fetch(self, url: str, parse: Callable[[str], T], *, source: str = "", method: str = "GET",
              params: Optional[Mapping[str, Any]] = None, headers: Optional[Mapping[str, str]] = None,
              json: Any = None, ok: Tuple[int, ...] = (200,)) -> Tuple[Optional[T], requests.Response]:
        """``parse`` applied to the text of a 200 answer, and the response; ``(None, resp)``
        for another status in ``ok`` (a 404 asked for); else :class:`SourceError`.  A parse
        failure (any of :data:`PARSE_ERRORS`) is a SourceError ("unreadable answer") and the
        answer is not cached (a cached copy is deleted); a parsed answer is cached."""
        source = source or urlsplit(url).netloc
        resp = self.request(method, url, params=params, headers=headers, json=json, ok=ok, source=source)
        if resp.status_code != 200:
            return None, resp
        try:
            value = parse(body_text(resp))
        except SourceError as e:
            self._forget(resp)
            self._failed(source, e)
            raise
        except PARSE_ERRORS as e:
            self._forget(resp)
            detail = str(e).splitlines()[0][:120] if str(e) else ""
            err = SourceError(url, f"unreadable answer ({type(e).__name__}{': ' + detail if detail else ''})")
            self._failed(source, err)
            raise err from None
        self._keep(resp)
        self._failures[source] = 0
        return value, resp

    def request(self, method: str, url: str, *, params: Optional[Mapping[str, Any]] = None,
                headers: Optional[Mapping[str, str]] = None, json: Any = None,
                ok: Tuple[int, ...] = (200,), source: str = "") -> requests.Response:
        """A response with a status in ``ok``, its body read (200 only), else SourceError.
        Nothing is cached here: :meth:`fetch` caches what parses."""
        source = source or urlsplit(url).netloc
        self._check_open(source, url)
        try:
            resp = self._send(method, url, params, headers, json, ok)
        except SourceError as e:
            self._failed(source, e)
            raise
        if resp.status_code != 200:
            self._failures[source] = 0  # an answer (a 404 asked for) is not a failure
        return resp

    def _send(self, method: str, url: str, params: Optional[Mapping[str, Any]],
              headers: Optional[Mapping[str, str]], json: Any, ok: Tuple[int, ...]) -> requests.Response:
        kwargs: Dict[str, Any] = {"params": params, "headers": dict(headers or {}), "json": json, "stream": True}
        if self.cached:
            if self.offline:
                kwargs["only_if_cached"] = True
            elif self.refresh:
                kwargs["force_refresh"] = True
        elif self.offline:
            raise SourceError(url, "offline, and there is no cache (pip install 'plm_bib[online]')", counts=False)
        start = self.clock()
        ends = start + self.deadline
        by_run = self._run_ends is not None and self._run_ends < ends  # the run's limit comes first
        if self._run_ends is not None:
            ends = min(ends, self._run_ends)
        attempt = 0
        while True:
            left = ends - self.clock()
            if left <= 0:
                raise self._run_spent_error(url) if by_run else \
                    SourceError(url, f"no answer within {self.deadline:g} s (the limit per request)")
            read_timeout = min(self.timeout, left)
            kwargs["timeout"] = (read_timeout, read_timeout)
            wait: Optional[float] = None
            try:
                resp = self.session.request(method, url, **kwargs)
            except requests.exceptions.Timeout:
                error = f"timed out after {read_timeout:g} s"
            except requests.exceptions.RequestException as e:
                error = (f"timed out after {read_timeout:g} s" if "timed out" in str(e).lower()
                         else f"cannot connect: {type(e).__name__}")
            else:
                if self.offline and resp.status_code == 504:
                    resp.close()
                    raise SourceError(url, "offline, and the answer is not in the cache", counts=False)
                if resp.status_code in RETRYABLE and not getattr(resp, "from_cache", False):
                    wait = retry_after_seconds(resp.headers.get("Retry-After"))
                    status = resp.status_code
                    resp.close()
                    self.requests += 1
                    if wait is not None and wait > self.max_retry_after:
                        raise SourceError(url, f"the server asks to wait {wait:.0f} s (more than the "
                                               f"{self.max_retry_after:g} s allowed)", status, give_up=True)
                    if attempt >= self.retries:
                        raise SourceError(url, "gave up after retries", status)
                    error = f"HTTP {status}"
                else:
                    if getattr(resp, "from_cache", False):
                        self.cache_hits += 1
                    else:
                        self.requests += 1
                    if resp.status_code not in ok:
                        status = resp.status_code
                        resp.close()
                        raise SourceError(url, "unexpected answer", status)
                    if resp.status_code == 200:
                        try:
                            self._read_body(resp, url, ends, by_run)
                        except _ReadFailed as e:
                            error = e.message
                        else:
                            return resp
                    else:
                        resp.close()
                        return resp
            if attempt >= self.retries:
                raise SourceError(url, f"{error} (gave up after {attempt + 1} attempts)")
            delay = self.backoff * (2 ** attempt) if wait is None else wait
            if self.clock() + delay >= ends:
                if by_run:
                    raise self._run_spent_error(url)
                raise SourceError(url, f"{error}; the next try would come after the time limit "
                                       f"({self.deadline:g} s per request)")
            if delay > 0:
                self.sleep(delay)
            attempt += 1

    def _read_body(self, resp: requests.Response, url: str, ends: float, by_run: bool = False) -> None:
        """Read the body into ``resp`` under the size limit and the deadline."""
        if getattr(resp, "from_cache", False):
            if len(resp.content) > self.max_bytes:
                raise SourceError(url, f"answer larger than {_mb(self.max_bytes)}: not read")
            return
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            resp.close()
            raise SourceError(url, f"answer of {_mb(int(declared))}, larger than {_mb(self.max_bytes)}: not read")
        raw = resp.raw
        read1 = getattr(raw, "read1", None)
        chunks: List[bytes] = []
        total = 0

        def too_slow() -> SourceError:
            if by_run:
                return self._run_spent_error(url)
            return SourceError(url, f"the answer took longer than {self.deadline:g} s to arrive "
                                    "(the limit per request): not read further")

        try:
            while True:
                left = ends - self.clock()
                if left <= 0:
                    resp.close()
                    raise too_slow()
                _shorten_read_timeout(raw, min(self.timeout, left))
                chunk = read1(_CHUNK, decode_content=True) if read1 else raw.read(_CHUNK, decode_content=True)
                if not chunk:
                    break
                total += len(chunk)
                if total > self.max_bytes:
                    resp.close()
                    raise SourceError(url, f"answer larger than {_mb(self.max_bytes)}: not read further")
                chunks.append(chunk)
        except (urllib3.exceptions.HTTPError, OSError, requests.exceptions.RequestException) as e:
            resp.close()
            if ends - self.clock() <= 0.05:  # the read was cut at the deadline
                raise too_slow() from None
            kind = "timed out" if "timed out" in str(e).lower() else f"broken answer ({type(e).__name__})"
            raise _ReadFailed(kind) from None
        resp._content = b"".join(chunks)
        resp._content_consumed = True

    # -- the cache --------------------------------------------------------------------------
    def _cache_key(self, resp: requests.Response) -> Optional[str]:
        cache = getattr(self.session, "cache", None)
        if cache is None:
            return None
        first = resp.history[0].request if resp.history else resp.request
        return str(cache.create_key(first))

    def _keep(self, resp: requests.Response) -> None:
        if not self.cached or self.offline or getattr(resp, "from_cache", False):
            return
        from requests_cache.policy.expiration import get_expiration_datetime

        key = self._cache_key(resp)
        expires = get_expiration_datetime(timedelta(days=CACHE_DAYS))
        self.session.cache.save_response(resp, key, expires)  # type: ignore[attr-defined]

    def _forget(self, resp: requests.Response) -> None:
        key = self._cache_key(resp)
        if key is not None:
            self.session.cache.delete(key)  # type: ignore[attr-defined]

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)


class _ReadFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _shorten_read_timeout(raw: Any, seconds: float) -> None:
    """Best effort: the socket's read timeout no longer than the time left (urllib3 keeps
    the connection on a streamed response)."""
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.01))
        except OSError:
            pass
