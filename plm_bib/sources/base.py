"""What every source shares: where it lives, and what it answers (a Candidate)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, TypeVar

from plm_bib.model import Problem, Record
from plm_bib.sources.http import Client, SourceError

T = TypeVar("T")

__all__ = ["Candidate", "Source", "BASE_URLS", "base_url"]

# source -> (environment variable, default base URL)
BASE_URLS: Dict[str, Tuple[str, str]] = {
    "arxiv": ("PLM_BIB_ARXIV_URL", "https://export.arxiv.org/api/query"),
    "acl": ("PLM_BIB_ACL_URL", "https://aclanthology.org"),
    "dblp": ("PLM_BIB_DBLP_URL", "https://dblp.org"),
    "crossref": ("PLM_BIB_CROSSREF_URL", "https://api.crossref.org"),
    "doi": ("PLM_BIB_DOI_URL", "https://doi.org"),
    "datacite": ("PLM_BIB_DATACITE_URL", "https://api.datacite.org"),
    "s2": ("PLM_BIB_S2_URL", "https://api.semanticscholar.org"),
}


def base_url(name: str) -> str:
    env, default = BASE_URLS[name]
    return (os.environ.get(env) or default).rstrip("/")


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
    candidates by record index, and the problems it met (never an exception)."""

    name = ""

    def __init__(self, client: Client):
        self.client = client
        # keys of the records not asked at all (the source was given up, or the run's time
        # is spent): the client says so once, in its notices, not once per record
        self.skipped: Set[str] = set()

    @property
    def base(self) -> str:
        return base_url(self.name)

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
        return Problem(r.source or "<enrich>", r.line, f"{self.name}: {message}", r.key, level=level)
