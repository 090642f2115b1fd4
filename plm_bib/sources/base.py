"""What every source shares: what it declares (its name, endpoints, polite intervals,
precedence and role; registered in :mod:`plm_bib.sources.registry`), how it asks, and what
it answers (a Candidate)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, TypeVar
from urllib.parse import urlsplit

from plm_bib.errors import SourceError
from plm_bib.model import Problem, Record
from plm_bib.sources.http import Client

T = TypeVar("T")

__all__ = ["Candidate", "Endpoint", "Source", "ROLES"]

# what enrichment does with a source's answers (see plm_bib.sources.enrich):
# "authority": found by id, its record is merged field by field (by precedence);
# "ids": found by id, only the ids it gives are taken (its metadata is no authority);
# "search": found by a search, each candidate must pass the same-work rule
ROLES = ("authority", "ids", "search")


@dataclass(frozen=True)
class Endpoint:
    """Where a service lives: its default base URL (``env`` overrides it, e.g. a test
    server), and the polite interval: the least number of seconds between two requests to
    the default URL's host (None: no limit)."""

    name: str
    env: str
    default: str
    interval: Optional[float] = None

    @property
    def host(self) -> str:
        return urlsplit(self.default).netloc

    def url(self) -> str:
        """The base URL now (the environment variable, else the default), without a final /."""
        return (os.environ.get(self.env) or self.default).rstrip("/")


@dataclass(frozen=True)
class Candidate:
    """What a source says about one record: a partial Record (only the fields it gives),
    how it was found (``id`` or ``search``) and the URL asked."""

    source: str
    record: Record
    found_by: str
    url: str
    ids: Dict[str, str] = field(default_factory=dict)


class Source:
    """A provider: ``lookup`` takes every record at once (so a source can batch) and gives
    candidates by record index, and the problems it met (never an exception).

    Each source declares: ``name``; ``endpoints`` (the first is its own, :attr:`base`);
    ``precedence`` (who wins a field: a higher rank beats a lower one, the list is 0, the
    curated file 6); ``role`` (one of :data:`ROLES`); ``paper_url`` (the first URL of its
    record is the paper's own page, put first when found by id)."""

    name = ""
    endpoints: Tuple[Endpoint, ...] = ()
    precedence = 0
    role = "authority"
    paper_url = False

    def __init__(self, client: Client):
        self.client = client
        # keys of the records not asked at all (the source was given up, or the run's time
        # is spent): the client says so once, in its notices, not once per record
        self.skipped: Set[str] = set()

    @property
    def base(self) -> str:
        return self.endpoints[0].url()

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        raise NotImplementedError

    def ask(self, url: str, parse: Callable[[str], T], **kwargs: Any) -> Tuple[Optional[T], Any]:
        """:meth:`Client.fetch` on behalf of this source (its circuit breaker)."""
        return self.client.fetch(url, parse, source=self.name, **kwargs)

    def fault(self, r: Record, error: SourceError, problems: List[Problem]) -> None:
        """What a failed request means for record ``r``."""
        if error.skipped:
            self.skipped.add(r.key)
        else:
            problems.append(self.problem(r, str(error)))

    def fetch(self, r: Record, url: str, missing: str, problems: List[Problem],
              parse: Callable[[str], T], **kwargs: Any) -> Optional[T]:
        """The parsed answer at ``url``, or ``None`` with a Problem: a fault (an unreadable
        answer included), or ``missing`` (info) on a 404."""
        try:
            value, resp = self.ask(url, parse, ok=(200, 404), **kwargs)
        except SourceError as e:
            self.fault(r, e, problems)
            return None
        if resp.status_code == 404:
            problems.append(self.problem(r, missing, "info"))
            return None
        return value

    def problem(self, r: Record, message: str, level: str = "warning") -> Problem:
        return Problem(r.origin or "<enrich>", r.line, f"{self.name}: {message}", key=r.key, level=level)
