"""Hayagriva YAML, Typst's bibliography format (``#bibliography("refs.yml")``): written, not read.

Each entry is made from the record's CSL item (:func:`plm_bib.csl.record_to_csl`: what the
record is, decided in one place), laid out as the Hayagriva file format has it: a paper in
proceedings is an ``article`` whose ``parent`` is the ``proceedings``, a journal paper's parent
the ``periodical`` (with its volume and issue), an arXiv preprint's parent the ``repository``
arXiv with the id as ``serial-number.arxiv``, as Hayagriva's own examples do. The keys are the
citation keys. The YAML is PyYAML's (:mod:`plm_bib.formats.yaml_text`): every string quoted
by the dumper.

>>> import plm_bib, yaml
>>> entry = yaml.safe_load(plm_bib.export(plm_bib.load().filter(venue="NAACL"), "hayagriva"))["devlin2019bert"]
>>> entry["type"], entry["parent"]["type"], entry["author"][:2], entry["page-range"]
('article', 'proceedings', ['Devlin, Jacob', 'Chang, Ming-Wei'], '4171-4186')
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from plm_bib.formats import register
from plm_bib.formats.yaml_text import dump_yaml
from plm_bib.model import Record
from plm_bib.render.markup import URL_RE, escape_hayagriva

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # what Hayagriva's language identifiers take

__all__ = ["to_hayagriva", "record_to_hayagriva", "HAYAGRIVA_TYPES"]

# CSL type -> (Hayagriva entry type, the type of its parent: the container, or None)
HAYAGRIVA_TYPES: Dict[str, Tuple[str, Optional[str]]] = {
    "article-journal": ("article", "periodical"), "paper-conference": ("article", "proceedings"),
    "article": ("article", "repository"), "chapter": ("chapter", "book"), "book": ("book", None),
    "thesis": ("thesis", None), "report": ("report", None), "webpage": ("web", "web"),
    "post-weblog": ("article", "blog"), "post": ("thread", "web"), "software": ("repository", "web"),
    "speech": ("misc", "web"), "motion_picture": ("video", "web"), "manuscript": ("manuscript", None),
    "patent": ("patent", None), "article-magazine": ("article", "periodical"),
    "article-newspaper": ("article", "newspaper"), "dataset": ("repository", None),
}


def _person(n: Dict[str, str]) -> Any:
    """A CSL name as Hayagriva writes a person: ``Family, Given[, Suffix]``, or the mapping of
    its parts where that text would not read back (a comma in a part, a particle)."""
    if "literal" in n:
        return n["literal"] if "," not in n["literal"] else {"name": n["literal"]}
    prefix = " ".join(n[k] for k in ("dropping-particle", "non-dropping-particle") if n.get(k))
    parts = [n.get("family", ""), n.get("given", ""), n.get("suffix", "")]
    if prefix or any("," in p for p in parts):
        d = {"name": parts[0], "given-name": parts[1], "prefix": prefix, "suffix": parts[2]}
        return {k: v for k, v in d.items() if v}
    return ", ".join(parts if parts[2] else parts[:2] if parts[1] else parts[:1])


def _people(names: List[Dict[str, str]]) -> List[Any]:
    return [_person(n) for n in names if n.get("literal") != "others"]


def record_to_hayagriva(r: Record) -> Dict[str, Any]:
    """The Hayagriva entry of one record (a mapping of its fields, strings only)."""
    from plm_bib.csl import record_to_csl

    item = record_to_csl(r, exact=False)
    ctype = item["type"]
    kind, parent_kind = HAYAGRIVA_TYPES.get(ctype, ("misc", None))
    preprint = ctype == "article" and item.get("publisher") == "arXiv"
    if ctype == "article" and not preprint:
        kind, parent_kind = "article", "periodical"
    contained = parent_kind is not None  # the container's fields (volume, issue, publisher) are its parent's
    parent_kind = parent_kind or "misc"  # (the container of an item of any other type: kept, as a parent)
    fmt = escape_hayagriva  # the formattable strings (titles, publisher, notes); names and ids are taken as they are
    entry: Dict[str, Any] = {"type": kind, "title": fmt(item.get("title", ""))}
    if _people(item.get("author", [])):
        entry["author"] = _people(item["author"])
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        entry["date"] = "-".join(f"{int(x):04d}" if i == 0 else f"{int(x):02d}" for i, x in enumerate(parts[0]))
    container = item.get("container-title") or ("arXiv" if preprint else None)
    parent: Dict[str, Any] = {"type": parent_kind, "title": fmt(container)} if container else {}
    home = parent if parent and contained else entry  # where the container's fields go (volume, editors...)
    if _people(item.get("editor", [])):
        home["editor"] = _people(item["editor"])
    number = None if preprint else item.get("number")
    serial: Dict[str, str] = {}
    for var, key in (("volume", "volume"), ("issue", "issue")):
        if item.get(var):
            home[key] = str(item[var])
    if number and ctype in ("report", "patent"):
        serial["serial"] = str(number)
    elif number:
        home.setdefault("issue", str(number))
    publisher = {k: fmt(str(v)) for k, v in (("name", item.get("publisher")), ("location", item.get("publisher-place")))
                 if v}
    if publisher and not preprint:
        home["publisher"] = publisher if len(publisher) > 1 else publisher.get("name", publisher)
    if item.get("page"):
        entry["page-range"] = re.sub(r"\s*[\u2013\u2014-]+\s*", "-", str(item["page"]))
    if item.get("DOI"):
        entry["doi"] = item["DOI"]
    if item.get("URL") and URL_RE.fullmatch(str(item["URL"])):  # (Hayagriva fails on a URL it cannot parse)
        entry["url"] = item["URL"]
    if preprint and r.ids.get("arxiv"):
        serial["arxiv"] = r.ids["arxiv"]
    for var, key in (("ISBN", "isbn"), ("ISSN", "issn")):
        if item.get(var):
            serial[key] = str(item[var])
    if serial:
        entry["serial-number"] = serial
    if item.get("language") and _LANGUAGE.fullmatch(str(item["language"])):  # (and on a language it cannot read)
        entry["language"] = item["language"]
    if item.get("edition"):
        entry["edition"] = str(item["edition"])
    for var in ("genre", "abstract", "note"):
        if item.get(var):
            entry[var] = fmt(str(item[var]))
    if parent:
        entry["parent"] = parent
    return entry


@register("hayagriva", suffixes=(".yml", ".hayagriva.yml", ".hayagriva.yaml"), aliases=("typst",),
          description="Hayagriva YAML (Typst's #bibliography)")
def to_hayagriva(lib: Any, **options: Any) -> str:
    """Every record as a Hayagriva entry under its citation key."""

    return dump_yaml({r.key: record_to_hayagriva(r) for r in lib})
