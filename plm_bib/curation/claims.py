"""A .bib entry is a list of claims: its entry type, booktitle/journal (read by the venue
registry into a venue and a track), year, pages, DOI, eprint, authors and title, each
checked against the verified record of the same work (:func:`entry_findings`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from plm_bib.identity import authors_agree, is_preprint, normalize_title
from plm_bib.metadata.venues import event_name, read_container, track_name, venue_info
from plm_bib.model import Person, Record

__all__ = ["EntryClaim", "entry_claim", "entry_findings", "venue_words"]


@dataclass(frozen=True)
class EntryClaim:
    """What an entry says it is: ``venue`` (canonical short name, ``arXiv`` for a preprint,
    ``None`` when it names none), ``track`` (``None``: the main volume), ``written`` (the
    booktitle or journal as written, or ``None``)."""

    venue: Optional[str]
    track: Optional[str]
    written: Optional[str]


def entry_claim(r: Record) -> EntryClaim:
    written = r.booktitle or r.journal or r.extra.get("journaltitle") or None
    if r.venue:  # the reader's reading: an arXiv id in a misc/article, or a venue field
        info = venue_info(r.venue)
        if info is not None:
            return EntryClaim(r.venue, r.track, written or r.venue)
    if written:
        read = read_container(written)
        if read is not None:
            return EntryClaim(read[0], read[1], written)
        return EntryClaim(None, None, written)
    if r.ids.get("arxiv") or r.extra.get("howpublished", "").lower().startswith("arxiv"):
        return EntryClaim("arXiv", None, None)
    return EntryClaim(None, None, None)


def venue_words(venue: Optional[str], year: Optional[int], track: Optional[str], main: bool = False) -> str:
    """``EMNLP 2020 System Demonstrations``, ``Findings of EMNLP 2020``, ``arXiv preprint (2019)``."""
    if is_preprint(venue):
        return f"arXiv preprint ({year})" if year else "arXiv preprint"
    name = event_name(venue, year) if venue else "?"
    s = f"{name} {year}" if year else name
    if track:
        s += f" {track_name(track)}"
    elif main and venue and venue_info(venue) is not None:
        s += " main conference" if venue_info(venue).kind == "conference" and not venue.startswith(  # type: ignore[union-attr]
            "Findings of ") else ""
    return s


def _pages(p: Optional[str]) -> str:
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "-", (p or "").strip())


def _names(people: Sequence[Person]) -> str:
    return "; ".join(p.display() for p in people)


def _same(a: Person, b: Person) -> bool:
    return a.display().casefold() == b.display().casefold() or authors_agree(a, b)


def _authors(mine: Sequence[Person], theirs: Sequence[Person]) -> Optional[Tuple[str, str]]:
    """(kind, message) when the author lists disagree, else None."""
    if not mine or not theirs:
        return None
    if mine[-1].family.casefold() == "others" and not mine[-1].given:  # BibTeX's "and others": a first part
        mine = mine[:-1]
        if len(mine) > len(theirs):
            return "authors", f"{len(mine)} authors and others given, the verified record has {len(theirs)}"
        theirs = theirs[:len(mine)]
    elif len(mine) != len(theirs):
        return "authors", f"{len(mine)} authors given, the verified record has {len(theirs)}"
    if all(_same(a, b) for a, b in zip(mine, theirs)):
        return None
    left = list(theirs)
    for a in mine:
        hit = next((b for b in left if _same(a, b)), None)
        if hit is None:
            return "authors", "the authors differ from the verified record's"
        left.remove(hit)
    return "author-order", "the authors are in another order than in the verified record"


def entry_findings(r: Record, v: Record) -> List[Tuple[str, str, str, Optional[str], Optional[str]]]:
    """What entry ``r`` claims that its verified record ``v`` contradicts:
    ``(kind, level, message, claimed, verified)`` tuples (the caller adds where)."""
    out: List[Tuple[str, str, str, Optional[str], Optional[str]]] = []
    c = entry_claim(r)
    ver = venue_words(v.venue, v.year, v.track)
    said = c.written or (f"@{r.entry_type}" if c.venue else None)
    cited_preprint = is_preprint(c.venue)
    published = bool(v.venue) and not is_preprint(v.venue)
    if cited_preprint and published:
        out.append(("published", "warning", f"cited as an arXiv preprint; it was published at {ver}",
                    said or "arXiv", ver))
    elif c.venue is None and c.written is None:
        if published:
            out.append(("missing-venue", "warning", f"the entry gives no venue; it appeared at {ver}", None, ver))
    elif c.venue is None:
        if published and v.booktitle != c.written and v.journal != c.written:
            out.append(("venue", "warning", f"venue {c.written!r} not recognised; it appeared at {ver}",
                        c.written, ver))
    elif v.venue and c.venue != v.venue:
        if v.venue == f"Findings of {c.venue}":
            msg = f"cites the {c.venue} main volume; it is in {ver}"
            kind = "findings"
        elif c.venue == f"Findings of {v.venue}":
            msg, kind = f"cites Findings of {v.venue}; it is in {ver}", "findings"
        elif is_preprint(v.venue):
            msg, kind = f"claims {c.venue}, but it is an arXiv preprint never published at a venue", "venue"
        else:
            msg, kind = f"claims {venue_words(c.venue, r.year, c.track, True)}, but it appeared at {ver}", "venue"
        out.append((kind, "error", msg, said, ver))
    elif c.track != v.track:
        out.append(("track", "error", f"claims {venue_words(c.venue, r.year, c.track, True)}; it is in "
                    f"{venue_words(v.venue, v.year, v.track, True)}", said, ver))
    if not (cited_preprint and published):
        if r.year is not None and v.year is not None and r.year != v.year:
            out.append(("year", "error", f"year {r.year}, verified {v.year}", str(r.year), str(v.year)))
        if r.doi and v.doi and r.doi.lower() != v.doi.lower():
            out.append(("doi", "error", "the DOI is not the verified record's", r.doi, v.doi))
        if r.entry_type != v.entry_type and c.written is not None and not (cited_preprint and is_preprint(v.venue)):
            out.append(("entry-type", "warning", f"@{r.entry_type}, the verified record is @{v.entry_type}",
                        r.entry_type, v.entry_type))
    if r.pages and v.pages and _pages(r.pages) != _pages(v.pages) and not cited_preprint:
        out.append(("pages", "error", "the pages are not the verified record's", r.pages, v.pages))
    mine_arxiv, their_arxiv = r.ids.get("arxiv"), v.ids.get("arxiv")
    if mine_arxiv and their_arxiv and mine_arxiv.split("v")[0] != their_arxiv.split("v")[0]:
        out.append(("eprint", "error", "the arXiv id is not the verified record's", mine_arxiv, their_arxiv))
    who = _authors(r.authors, v.authors)
    if who is not None:
        out.append((who[0], "error", who[1], _names(r.authors), _names(v.authors)))
    if r.title and normalize_title(r.title) != normalize_title(v.title):
        out.append(("title", "warning", "the title differs from the verified title", r.title, v.title))
    return out
