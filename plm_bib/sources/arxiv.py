"""arXiv export API: many ids per request (``id_list``), Atom feed answers."""
from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from functools import partial
from typing import Dict, List, Optional, Tuple

from plm_bib.errors import SourceError
from plm_bib.metadata.ids import normalize_arxiv
from plm_bib.metadata.names import parse_name
from plm_bib.model import PAPER, Link, Problem, Record
from plm_bib.sources.base import Candidate, Endpoint, Source

__all__ = ["ArxivSource", "parse_feed"]

_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def _text(el: Optional[ET.Element]) -> str:
    return re.sub(r"\s+", " ", el.text or "").strip() if el is not None else ""


def _date(published: str) -> Tuple[Optional[int], Optional[int]]:
    """Year and month of an Atom ``published`` date, or ``(None, None)`` if it is not a date."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None, None
    try:
        d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None, None
    return d.year, d.month


def parse_feed(xml: str, notes: Optional[Dict[str, str]] = None) -> Dict[str, Record]:
    """arXiv id (no version) -> a preprint Record, for every entry of an Atom feed.
    An entry that is an error (an invalid id) has no ``arxiv:`` id and is skipped.  A
    document that is not an Atom feed (an HTML error page) raises ValueError.  An entry
    whose date is not a date keeps no date, and ``notes[id]`` says why."""
    root = ET.fromstring(xml)
    if root.tag != f"{{{_NS['a']}}}feed":
        raise ValueError(f"not an Atom feed (the document is <{root.tag.rpartition('}')[2][:40]}>)")
    out: Dict[str, Record] = {}
    for entry in root.findall("a:entry", _NS):
        ident = _text(entry.find("a:id", _NS))
        m = re.search(r"arxiv\.org/abs/(.+)$", ident)
        if not m:
            continue
        full = m.group(1)
        base = normalize_arxiv(full)
        if not base:
            continue
        title = _text(entry.find("a:title", _NS))
        if not title or title.lower() == "error":
            continue
        authors = []
        for a in entry.findall("a:author", _NS):
            authors.append(parse_name(_text(a.find("a:name", _NS))))
        published = _text(entry.find("a:published", _NS))
        year, month = _date(published)
        if year is None and published and notes is not None:
            notes[base] = f"arXiv gives {base} the date {published[:40]!r}, which is not a date: left out"
        prim = entry.find("arxiv:primary_category", _NS)
        doi = _text(entry.find("arxiv:doi", _NS)) or None
        extra = {"primaryclass": prim.get("term", "")} if prim is not None and prim.get("term") else {}
        journal_ref = _text(entry.find("arxiv:journal_ref", _NS))
        if journal_ref:
            extra["journal_ref"] = journal_ref
        if doi:
            extra["published_doi"] = doi  # the journal version's DOI, as the authors gave it
        out[base] = Record(
            key="", title=title, kind=PAPER, entry_type="misc", authors=tuple(authors), year=year,
            month=month, venue="arXiv", publisher="arXiv", doi=f"10.48550/arXiv.{base}",
            ids={"arxiv": base}, urls=(Link(f"https://arxiv.org/abs/{base}", "paper"),), extra=extra,
        )
    return out


class ArxivSource(Source):
    """Batched lookups, at most one request every ``delay`` seconds (arXiv asks for 3)."""

    name = "arxiv"
    endpoints = (Endpoint("arxiv", "PLM_BIB_ARXIV_URL", "https://export.arxiv.org/api/query", 3.0),)
    precedence = 2
    role = "authority"
    paper_url = True
    batch = 100

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        want: Dict[str, List[int]] = {}
        for i, r in enumerate(records):
            a = r.ids.get("arxiv")
            if a:
                want.setdefault(normalize_arxiv(a) or a, []).append(i)
        found: Dict[int, List[Candidate]] = {}
        problems: List[Problem] = []
        ids = sorted(want)
        for start in range(0, len(ids), self.batch):
            chunk = ids[start:start + self.batch]
            params = {"id_list": ",".join(chunk), "start": 0, "max_results": len(chunk)}
            notes: Dict[str, str] = {}
            try:
                feed, resp = self.ask(self.base, partial(parse_feed, notes=notes), params=params)
            except SourceError as e:
                for a in chunk:
                    for i in want[a]:
                        self.fault(records[i], e, problems)
                continue
            feed = feed or {}
            for a in chunk:
                rec = feed.get(a)
                for i in want[a]:
                    if rec is None:
                        problems.append(self.problem(records[i], f"no arXiv record for {a}", "info"))
                    else:
                        if a in notes:
                            problems.append(self.problem(records[i], notes[a]))
                        found.setdefault(i, []).append(Candidate(self.name, rec, "id", resp.url,
                                                                 {"arxiv": a}))
        return found, problems
