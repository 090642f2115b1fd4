"""Items -> Records: ids from links, paper or resource from the evidence, venue and year from
the claims, duplicates merged (each merge reported; which listings are the same item and how
they merge is :mod:`plm_bib.identity`'s rule).

Papers vs resources: an id (arXiv, ACL Anthology, DOI, OpenReview, PMLR), a venue claim of the
item, authors, a paper host or a PDF link, or a table whose columns name papers, say paper; a
resource word (tutorial, slides, video, blog...), or main links that all point at code, blog,
video or Q&A hosts with no paper evidence beside them, say resource.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.identity import MIN_LISTING_TITLE, identity_keys, normalize_title, title_key
from plm_bib.identity import merge_listings as merge_records
from plm_bib.identity.provenance import LIST
from plm_bib.metadata.ids import acl_venue, arxiv_year, extract_ids, url_host
from plm_bib.metadata.links import host_in, site_name
from plm_bib.metadata.venues import container_title, venue_info, venue_publisher
from plm_bib.model import PAPER, RESOURCE, Link, Problem, Record
from plm_bib.readinglist.fields import Item

__all__ = ["text_language", "item_to_record", "items_to_records", "merge_records", "identity_keys", "normalize_title",
           "with_venue_fields"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PAPER_HOSTS = ("openaccess.thecvf.com", "papers.nips.cc", "proceedings.neurips.cc", "ieeexplore.ieee.org",
                "dl.acm.org", "link.springer.com", "ijcai.org", "aaai.org", "ojs.aaai.org", "sciencedirect.com",
                "semanticscholar.org", "proceedings.mlr.press", "jmlr.org", "transacl.org", "nature.com",
                "science.org", "researchgate.net", "biorxiv.org", "medrxiv.org", "ecva.net", "mlsys.org",
                "usenix.org", "vldb.org", "isca-speech.org", "portal.acm.org", "citeseerx.ist.psu.edu")


def _paper_link(url: str, kind: str) -> bool:
    return kind == "pdf" or url.lower().split("?")[0].endswith(".pdf") or host_in(url_host(url), _PAPER_HOSTS)




# GB/T 7714's document type codes (its section 4 and Appendix B) as BibTeX entry types
_TYPE_CODES = {"J": "article", "C": "inproceedings", "M": "book", "D": "phdthesis", "R": "techreport",
               "A": "incollection", "N": "article"}
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\uac00-\ud7af]")


def text_language(text: str) -> str:
    """The language of a title as a list writes it: kana is Japanese, hangul Korean, other
    Han characters Chinese, the rest English."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh" if _CJK.search(text) else "en"


def item_to_record(item: Item, source: str) -> Record:
    ids: Dict[str, str] = {}
    for lk in item.links:
        for k, v in extract_ids(lk.url).items():
            ids.setdefault(k, v)
    for k, v in item.ids.items():
        ids.setdefault(k, v)
    venue_claims = [c for c in item.claims if c.venue and not c.preprint]
    own_venue = [c for c in venue_claims if c.origin == "item"]
    paper_links = [lk for lk in item.links if _paper_link(lk.url, lk.kind)]
    is_paper = bool(ids) or bool(venue_claims) or (bool(item.authors) and not item.from_table) or \
        any(c.preprint for c in item.claims) or bool(paper_links) or "paper-table" in item.hints or \
        "paper-key" in item.hints or (not item.links and not item.from_table)
    if is_paper and item.links and all(lk.kind in ("blog", "qa", "video") for lk in item.links) \
            and not item.authors and "paper-table" not in item.hints:
        is_paper = False
    if item.links and all(lk.kind == "slides" for lk in item.links) and not venue_claims:
        is_paper = False
    if is_paper and item.links and item.links[0].kind in ("code", "blog", "video", "qa", "webpage") and \
            not ids and not paper_links and not item.authors and not own_venue and \
            "paper-table" not in item.hints and "paper-key" not in item.hints and item.links[0].kind != "webpage":
        is_paper = False
    if "resource-word" in item.hints and not ids and not item.authors:
        is_paper = False
    if not is_paper and item.date_claims:
        item.claims.extend(item.date_claims)
    urls = tuple(Link(url=lk.url, kind=lk.kind, label=lk.label, line=item.line) for lk in item.links)
    year = venue = track = None
    provenance: Dict[str, str] = {}
    if is_paper:
        if "acl" in ids:
            venue, year, track = acl_venue(ids["acl"])
            provenance.update(venue="acl-id", year="acl-id")
        if venue is None and venue_claims:
            venue, year, track = venue_claims[0].venue, venue_claims[0].year, venue_claims[0].track
            provenance.update(venue="list", year="list", **({"track": "list"} if track else {}))
        if year is None and "arxiv" in ids:
            year = arxiv_year(ids["arxiv"])
            provenance["year"] = "arxiv-id"
        if year is None:
            years = [c.year for c in item.claims if c.year]
            if years:
                year = years[0]
                provenance["year"] = "list"
        if venue is None and "arxiv" in ids:
            venue = "arXiv"
            provenance["venue"] = "arxiv-id"
        info = venue_info(venue) if venue else None
        codes = [h.partition(":")[2].split("/")[0] for h in item.hints if h.startswith("type-code:")]
        coded = next((_TYPE_CODES[c] for c in codes if c in _TYPE_CODES), None)
        entry_type = info.entry_type if info else (coded or ("inproceedings" if venue else "misc"))
        kind = PAPER
        resource_kind = None
    else:
        kind = RESOURCE
        entry_type = "online"
        kinds = [lk.kind for lk in item.links]
        resource_kind = {"slides": "slides", "blog": "blog", "code": "repository", "qa": "qa",
                         "video": "video"}.get(kinds[0], "webpage") if kinds else "webpage"
    return Record(
        key="",
        title=item.title,
        kind=kind,
        entry_type=entry_type,
        authors=tuple(item.authors),
        year=year,
        venue=venue,
        track=track,
        ids=ids,
        urls=urls,
        sections=(item.section,),
        notes=tuple(item.notes),
        aliases=tuple(item.aliases),
        claims=tuple(item.claims),
        titles_as_listed=(item.title,),
        origin=source,
        lines=(item.line,),
        language=text_language(item.title),
        resource_kind=resource_kind,
        site=site_name(item.links[0].url) if item.links and kind == RESOURCE else None,
        provenance=provenance,
    )


def _written_out(r: Record, short: str, aliases: Sequence[str]) -> Optional[str]:
    """The venue as the item's claim writes it out, its year and the punctuation around it
    dropped (``第十届中国计算语言学大会``: it holds the full name ``中国计算语言学大会``), or ``None``
    when the claim gives only a short name (``CCL 2011``) or a track (``ACL2020 WS``)."""
    if r.track:
        return None
    full = [a.casefold() for a in aliases if len(a) > len(short) + 2]
    for c in r.claims:
        if c.venue != short or c.origin != "item":
            continue
        name = re.sub(r"(?:19|20)\d\d", " ", c.raw)
        name = re.sub(r"\s+", " ", re.sub(r"^[\W_]+|[\W_]+$", "", name)).strip()
        if name and not re.search(r"[()（）【】\[\]]", name) and any(a in name.casefold() for a in full):
            return name
    return None


def with_venue_fields(r: Record) -> Record:
    """``r`` complete from its venue alone: a paper whose venue the registry knows gets the
    venue's entry type, proceedings title (``booktitle``) or journal, and for a proceedings
    paper the publisher and address (an article's publisher is no field of its entry:
    biblatex's data model rejects it), where it has none, each with provenance ``list`` (the
    lowest rank: any source or the curated file replaces them; ``check`` still calls the
    claim unverified)."""
    info = venue_info(r.venue or "") if r.is_paper else None
    if info is None or info.is_preprint:
        return r
    title = container_title(info.short, r.year, r.track, r.language)
    written = title is None
    if written:  # no title that year (or for that track): the name as the list writes it out, if it does
        title = _written_out(r, info.short, info.aliases)
        if title is None:
            return r
    changes: Dict[str, object] = {}
    etype = r.entry_type
    if etype == "misc":  # a paper typed before its venue was known (a merged listing)
        etype = changes["entry_type"] = info.entry_type
    container = "journal" if etype == "article" else "booktitle" if etype == "inproceedings" else None
    if container and not (r.booktitle or r.journal):
        changes[container] = title
    if etype == "inproceedings" and not r.publisher and info.publisher and not written:
        changes["publisher"] = venue_publisher(info.short, r.language)
    if not r.address and info.address and changes.get("publisher"):
        changes["address"] = info.address
    if not changes:
        return r
    return r.replace(**changes, provenance={**r.provenance, **{f: LIST for f in changes}})


def items_to_records(items: Sequence[Item], source: str) -> Tuple[List[Record], List[Problem]]:
    """Records from items, merging duplicates (the merge is reported as a Problem of level info)."""
    records: List[Record] = []
    index: Dict[str, int] = {}
    problems: List[Problem] = []
    for item in items:
        rec = item_to_record(item, source)
        lookup = identity_keys(rec)
        if rec.kind == RESOURCE and len(normalize_title(rec.title)) >= MIN_LISTING_TITLE:
            # a slide deck listed under a paper's exact title is that paper's extra link
            lookup.append(title_key(rec.title))
        hit = next((index[k] for k in lookup if k in index), None)
        if hit is None:
            index.update({k: len(records) for k in identity_keys(rec)})
            records.append(rec)
            continue
        prev = records[hit]
        records[hit] = merge_records(prev, rec)
        index.update({k: hit for k in identity_keys(records[hit])})
        problems.append(Problem(source, item.line,
                                f"duplicate of the item on line {prev.line}: merged", item.raw, level="info"))
    return [with_venue_fields(r) for r in records], problems
