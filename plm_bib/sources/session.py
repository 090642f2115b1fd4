"""The requests session under the client: at most one request per host per its polite
interval (applied only to requests that reach the network), secret headers kept on their
host, and the on-disk cache (requests-cache, SQLite), opened read-only: the client writes an
answer only once its source has parsed it."""
from __future__ import annotations

import os
import threading
from typing import Any, Callable, Dict, Mapping
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = ["RateLimitedAdapter", "Session", "cached_session", "default_cache_path", "offline_from_env",
           "SECRET_HEADERS", "CACHE_DAYS"]

# headers that carry a secret: never sent on to another host (requests strips only Authorization)
SECRET_HEADERS = ("x-api-key",)
CACHE_DAYS = 30


class RateLimitedAdapter(HTTPAdapter):
    """Waits before a request reaches the network so that each host sees at most one
    request per its interval."""

    def __init__(self, intervals: Mapping[str, float], default: float, sleep: Callable[[float], None],
                 clock: Callable[[], float], **kwargs: Any):
        super().__init__(**kwargs)
        self.intervals = dict(intervals)
        self.default = default
        self.sleep = sleep
        self.clock = clock
        self._last: Dict[str, float] = {}
        self._lock = threading.Lock()
        self.sent = 0

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        host = urlsplit(request.url).netloc
        interval = self.intervals.get(host, self.default)
        with self._lock:
            wait = self._last.get(host, -1e9) + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = self.clock()
            self.sent += 1
        return super().send(request, *args, **kwargs)


class _SecretsStayHome:
    """Session behaviour: a redirect to another host (or scheme/port, by requests' own rule
    for ``Authorization``) drops every header of :data:`SECRET_HEADERS`."""

    def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
        super().rebuild_auth(prepared_request, response)  # type: ignore[misc]
        if self.should_strip_auth(response.request.url, prepared_request.url):  # type: ignore[attr-defined]
            for name in SECRET_HEADERS:
                prepared_request.headers.pop(name, None)


class Session(_SecretsStayHome, requests.Session):
    pass


def cached_session(path: str) -> requests.Session:
    import requests_cache

    class _CachedSession(_SecretsStayHome, requests_cache.CachedSession):
        pass

    # read_only: nothing is written when it arrives; Client.fetch writes an answer only
    # after its source has parsed it
    return _CachedSession(path, backend="sqlite", allowable_methods=("GET", "POST"),
                          expire_after=CACHE_DAYS * 24 * 3600, stale_if_error=True, read_only=True)


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
