"""One polite HTTP client for every source.

* one ``requests.Session``; a timeout on every request;
* retries with exponential backoff on connection errors, 429 and 5xx, honouring
  ``Retry-After`` (urllib3 ``Retry``, capped so a server cannot park us for an hour);
* a minimum interval per host, applied only to requests that reach the network
  (a cached answer costs no waiting);
* ``User-Agent: plm_bib/VERSION (+mailto:...)``;
* an on-disk cache (requests-cache, SQLite, in the user cache directory or
  ``PLM_BIB_CACHE_DIR``); ``refresh`` bypasses it; ``offline`` (or ``PLM_BIB_OFFLINE=1``)
  answers from the cache only and never touches the network.

Errors are small values: :class:`SourceError` carries the URL, the status (if any) and a
message.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable, Dict, Mapping, Optional
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__

__all__ = ["Client", "SourceError", "body_text", "default_cache_path", "offline_from_env"]


def body_text(resp: requests.Response) -> str:
    """The body as text: the declared charset, else UTF-8 (requests would guess Latin-1 for
    ``text/*`` without a charset, which garbles every accented author name)."""
    declared = "charset=" in resp.headers.get("Content-Type", "").lower()
    return resp.content.decode(resp.encoding if declared and resp.encoding else "utf-8", errors="replace")


class SourceError(Exception):
    """A request that failed after retries, or an answer that cannot be used."""

    def __init__(self, url: str, message: str, status: Optional[int] = None):
        self.url = url
        self.status = status
        self.message = message
        super().__init__(f"{url}: {message}" + (f" (HTTP {status})" if status else ""))


class _Retry(Retry):
    """urllib3's Retry with ``Retry-After`` capped at ``max_retry_after`` seconds."""

    max_retry_after = 60.0

    def get_retry_after(self, response: Any) -> Optional[float]:
        value = super().get_retry_after(response)
        return None if value is None else min(float(value), self.max_retry_after)


class _RateLimitedAdapter(HTTPAdapter):
    """Waits before a request reaches the network so that each host sees at most one
    request per its interval."""

    def __init__(self, intervals: Mapping[str, float], default: float, sleep: Callable[[float], None],
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.intervals = dict(intervals)
        self.default = default
        self.sleep = sleep
        self._last: Dict[str, float] = {}
        self._lock = threading.Lock()
        self.sent = 0

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        host = urlsplit(request.url).netloc
        interval = self.intervals.get(host, self.default)
        with self._lock:
            wait = self._last.get(host, -1e9) + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()
            self.sent += 1
        return super().send(request, *args, **kwargs)


def default_cache_path() -> str:
    base = os.environ.get("PLM_BIB_CACHE_DIR")
    if not base:
        try:
            from platformdirs import user_cache_dir

            base = user_cache_dir("plm_bib")
        except ImportError:  # pragma: no cover - platformdirs comes with requests-cache
            base = os.path.join(os.path.expanduser("~"), ".cache", "plm_bib")
    os.makedirs(base, exist_ok=True)
    return os.path.join(base, "http-cache")


def offline_from_env() -> bool:
    return os.environ.get("PLM_BIB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


class Client:
    """The shared HTTP client.  ``cache=False`` (or requests-cache not installed) works
    without a cache; offline mode then has nothing to answer from."""

    def __init__(self, *, mailto: Optional[str] = None, offline: Optional[bool] = None,
                 refresh: bool = False, cache: bool = True, cache_path: Optional[str] = None,
                 timeout: float = 20.0, retries: int = 3, backoff: float = 0.5,
                 intervals: Optional[Mapping[str, float]] = None, default_interval: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.mailto = mailto or os.environ.get("PLM_BIB_MAILTO") or None
        self.offline = offline_from_env() if offline is None else offline
        self.refresh = refresh
        self.timeout = timeout
        self.cached = False
        session: requests.Session
        if cache:
            try:
                import requests_cache

                session = requests_cache.CachedSession(
                    cache_path or default_cache_path(), backend="sqlite",
                    allowable_methods=("GET", "POST"), expire_after=30 * 24 * 3600,
                    stale_if_error=True)
                self.cached = True
            except ImportError:
                session = requests.Session()
        else:
            session = requests.Session()
        retry = _Retry(total=retries, connect=retries, read=retries, status=retries,
                       backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504),
                       allowed_methods=None, respect_retry_after_header=True, raise_on_status=False)
        self.adapter = _RateLimitedAdapter(intervals or {}, default_interval, sleep, max_retries=retry)
        session.mount("http://", self.adapter)
        session.mount("https://", self.adapter)
        agent = f"plm_bib/{__version__}"
        if self.mailto:
            agent += f" (mailto:{self.mailto})"
        session.headers["User-Agent"] = agent
        self.session = session
        self.requests = 0      # answers that came from the network
        self.cache_hits = 0    # answers that came from the cache

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def request(self, method: str, url: str, *, params: Optional[Mapping[str, Any]] = None,
                headers: Optional[Mapping[str, str]] = None, json: Any = None,
                ok: tuple = (200,)) -> requests.Response:  # type: ignore[type-arg]
        """A response with a status in ``ok`` (404 included when asked), else SourceError."""
        kwargs: Dict[str, Any] = {"params": params, "headers": dict(headers or {}), "json": json,
                                  "timeout": self.timeout}
        if self.cached:
            if self.offline:
                kwargs["only_if_cached"] = True
            elif self.refresh:
                kwargs["force_refresh"] = True
        elif self.offline:
            raise SourceError(url, "offline, and there is no cache (pip install 'plm_bib[online]')")
        try:
            resp = self.session.request(method, url, **kwargs)
        except requests.exceptions.Timeout:
            raise SourceError(url, f"timed out after {self.timeout:g} s (retried)") from None
        except requests.exceptions.RetryError as e:
            raise SourceError(url, f"gave up after retries: {e}") from None
        except requests.exceptions.RequestException as e:
            if "timed out" in str(e).lower():
                raise SourceError(url, f"timed out after {self.timeout:g} s (retried)") from None
            raise SourceError(url, f"cannot connect: {type(e).__name__}") from None
        if self.offline and resp.status_code == 504:
            raise SourceError(url, "offline, and the answer is not in the cache")
        if getattr(resp, "from_cache", False):
            self.cache_hits += 1
        else:
            self.requests += 1
        if resp.status_code not in ok:
            retried = resp.status_code in (429, 500, 502, 503, 504)
            raise SourceError(url, "gave up after retries" if retried else "unexpected answer",
                              resp.status_code)
        return resp

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)
