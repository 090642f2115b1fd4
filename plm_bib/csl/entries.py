"""Entries of a CSL bibliography through citeproc-py, with per-record caches.

What we feed citeproc-py (items with only the variables it knows, mixed-case words marked
``nocase``...) and how its two-pass protocol is run (register, sort, render) without
redoing what a :class:`~plm_bib.csl.cache.RenderCache` already holds.  The engine's
docstring (:mod:`plm_bib.csl.engine`) says why each adjustment is made.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Tuple

from plm_bib.csl.cache import RenderCache
from plm_bib.csl.citeproc_adapter import (
    FORMATTER,
    ORGANISATION,
    SUFFIX,
    citation_item,
    known_variables,
    memo_enabled,
)
from plm_bib.csl.mapping import record_to_csl
from plm_bib.csl.sorting import Known, SortState, row_of, sort_cites
from plm_bib.identity.text import cjk, cjk_only
from plm_bib.model import Record
from plm_bib.render.markup import clean

__all__ = ["bibliography", "cached_entry", "citeproc_item", "item_of", "numbered", "quotes", "western",
           "Compiled", "SortedCompiled"]

# a compiled style's entry of an item (and number), or None for an item it does not cover
Compiled = Callable[[Dict[str, Any], int], Optional[str]]
# a compiled sorted style's entry and sort keys of an item, or None
SortedCompiled = Callable[[Dict[str, Any]], Optional[Tuple[str, List[Any]]]]
_MISSING = object()
# a whitespace-delimited token holding a word in mixed case, punctuation included: citeproc-py's
# title case puts spaces around a nocase part inside a token ("( CoNLL)", "X- RoBERTa")
_MIXED = re.compile(r"(?<!\S)([^\s<]*?(?:[^\W\d_]*[a-z][^\W\d_]*[A-Z]\w*|[A-Z]+[a-z]+[A-Z]\w*)[^\s<]*)")
_MIXED_HINT = re.compile(r"[^\W\d_A-Z][A-Z]")  # in every match of _MIXED: a letter not A-Z, then A-Z
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what markup.clean removes
_STRING_VARS = ("title", "container-title", "publisher", "number", "event", "collection-title",
                "note", "genre", "publisher-place")



def _nocase(text: str) -> str:
    if "<" in text and "<span" in text.lower():
        text = text.replace("<", "&lt;")
    if not _MIXED_HINT.search(text):
        return text  # no lower-case letter followed by a capital in a word: nothing to mark
    return _MIXED.sub(r'<span class="nocase">\1</span>', text)



ACL = "acl"
GB7714 = "gb7714"


def dialect(path: str) -> str:
    """What a style needs fed differently (the style file's name says it): ``acl`` (arXiv
    preprints as the ACL's BibTeX style writes them), ``gb7714`` (the Chinese national
    standard's CSL files: a whole proceedings volume is typed ``[C]``), else ``""``."""
    name = os.path.basename(path)
    if name.startswith("association-for-computational-linguistics"):
        return ACL
    return GB7714 if "gb-t-7714" in name else ""


def _cjk_name(name: Dict[str, Any]) -> Dict[str, Any]:
    """A personal name written in CJK script is family name then given name with no space
    (``曾小明``), the order and spacing the CSL specification gives such names (citeproc-py
    joins them with the style's sort separator: ``曾 小明``)."""
    family, given = name.get("family"), name.get("given")
    if isinstance(family, str) and isinstance(given, str) and family and given \
            and cjk_only(family) and cjk_only(given):
        joined = {k: v for k, v in name.items() if k != "given"}
        joined["family"] = family + given
        return joined
    return name


def _gb_name(name: Dict[str, Any]) -> Dict[str, Any]:
    """A name as GB/T 7714-2015 (8.1) writes it, for its CSL files: a suffix after the
    initials with a comma (``PEEBLES P Z, Jr``); an organisation (a name of several words
    with no given name, as BibTeX reads ``{World Health Organization}``) not upper-cased."""
    given, family, suffix = (str(name.get(k) or "") for k in ("given", "family", "suffix"))
    literal = str(name.get("literal") or "")
    if given and suffix:
        return {**{k: v for k, v in name.items() if k != "suffix"}, "given": f"{given}{SUFFIX}{suffix}"}
    whole = literal or (family if not given and not suffix and not name.get("non-dropping-particle") else "")
    if whole and re.search(r"[\s,]", whole.strip()) and not cjk_only(whole):
        return {"literal": ORGANISATION + whole}
    return name


_SERIAL = ("article", "article-journal", "article-magazine", "article-newspaper", "periodical")


def _gb(item: Dict[str, Any]) -> Dict[str, Any]:
    """What GB/T 7714's CSL files need fed differently (the engine's docstring says why)."""
    if item["type"] == "book" and item.get("_kind") == "proceedings":
        # the standard's 会议录 [C] (its CSL files give [C] to papers only), its editors as
        # the main creators (its layout of a paper would print them again after "//")
        item = {**item, "type": "paper-conference"}
        if "editor" in item and "author" not in item:
            item = {("author" if k == "editor" else k): v for k, v in item.items()}
    volume = str(item.get("volume", ""))
    if volume.isdigit() and item["type"] not in _SERIAL and not western(item):
        item = {**item, "volume": f"第{volume}卷"}  # 4.1: 第1卷 (the CSL file: 卷 1)
    for var in ("author", "editor"):
        if isinstance(item.get(var), list):
            names = [_gb_name(n) if isinstance(n, dict) else n for n in item[var]]
            if names and names[-1] == {"literal": "others"}:  # BibTeX's "and others", a list's 等
                # 8.1.2: the names given, then "等" (Chinese) or "et al." (Western)
                names[-1] = {"literal": ORGANISATION + ("et al." if western(item) else "等")}
            item = {**item, var: names}
    return item


def citeproc_item(item: Dict[str, Any], ident: str, flavour: str) -> Dict[str, Any]:
    """The item citeproc-py is given for a CSL-JSON ``item``; ``flavour`` is the style's
    :func:`dialect`."""
    known = known_variables()
    out: Dict[str, Any] = {"id": ident, "type": item["type"]}
    if flavour == ACL and item["type"] == "article" and str(item.get("number", "")).startswith("arXiv:"):
        out["note"] = f"arXiv preprint {item['number']}"
    if flavour == GB7714:
        item = _gb(item)
        out["type"] = item["type"]
    for key, value in item.items():
        if key in ("id", "type", "citation-key", "_kind"):
            continue
        if key == "event-title":
            if item.get("container-title"):
                continue  # a paper in proceedings is cited by them, not as a talk
            key = "event"
        if key.replace("-", "_") not in known or key in out:
            continue
        if isinstance(value, str):
            if _CONTROL.search(value):
                value = clean(value)
            if key in _STRING_VARS:
                value = _nocase(value)
        elif isinstance(value, list) and all(isinstance(n, dict) for n in value):
            # a name with no part (a name that was only a macro) would crash citeproc-py
            value = [_cjk_name(n) for n in value if any(n.values())]
            if not value:
                continue
        out[key] = value
    return out


def _punctuation_in_quote(style: Any) -> bool:
    try:
        return str(style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
    except Exception:  # pragma: no cover - citeproc-py internals
        return False



def bibliography(style: Any, items: List[Dict[str, Any]], cache: RenderCache,
                 compiled: Optional[Compiled] = None, sorted_compiled: Optional[SortedCompiled] = None,
                 ) -> Tuple[List[Tuple[str, str]], Optional[SortState]]:
    """``(id, entry)`` pairs in bibliography order; ``compiled`` writes the entries it can
    (numbered styles without a sort: it gets the item and its number); ``sorted_compiled``
    writes the entries and the sort keys (one per ``cs:key``) it can, for sorted styles
    without numbers."""
    from citeproc import CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    memo = memo_enabled()
    if memo:
        cache.trim()
    state = None
    layout = style.root.bibliography.layout
    is_numbered = memo and numbered(style)
    sort = None
    if memo:
        # items whose sort keys and entry are all known need no parsing by citeproc-py
        sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
        keys = [k for k in (sort.findall("cs:key", style.root.nsmap) if sort is not None else [])
                if k.get("variable") != "citation-number"]
        if is_numbered and sort is not None:
            todo = items  # an entry's number is known only after sorting: every item is parsed
        else:
            if compiled is not None and sort is None:
                for n, it in enumerate(items, 1):
                    k = (layout, it["_fp"], n if is_numbered else 0)
                    if k not in cache.entries:
                        text = compiled({key: v for key, v in it.items() if key != "_fp"}, n)
                        if text is not None:
                            cache.entries[k] = text
            elif sorted_compiled is not None and sort is not None and not is_numbered:
                every_key = sort.findall("cs:key", style.root.nsmap)
                for it in items:
                    fp = it["_fp"]
                    if (layout, fp, 0) in cache.entries and (sort, layout, fp) in cache.rows:
                        continue
                    done = sorted_compiled({key: v for key, v in it.items() if key != "_fp"})
                    if done is not None and len(done[1]) == len(every_key):
                        cache.entries[(layout, fp, 0)] = done[0]
                        cache.rows[(sort, layout, fp)] = row_of(done[1])  # what sort_cites reads
            if sort is not None and not is_numbered:
                todo = [it for it in items
                        if (layout, it["_fp"], 0) not in cache.entries or (sort, layout, it["_fp"]) not in cache.rows]
            else:
                todo = [it for n, it in enumerate(items, 1)
                        if (layout, it["_fp"], n if is_numbered else 0) not in cache.entries
                        or any((k, layout, it["_fp"]) not in cache.sort_keys for k in keys)]
        source = CiteProcJSON([{k: v for k, v in it.items() if k != "_fp"} for it in todo])
    else:
        source = CiteProcJSON(items)
    bib = CitationStylesBibliography(style, source, FORMATTER)
    # without a sort the order is the input's: citeproc-py objects are needed only for the
    # entries to render (making one costs more than finding a known entry)
    lazy = memo and sort is None
    # sorted, without numbers: an item whose entry and sort keys are all known is sorted and
    # written from the caches, so it needs no citeproc-py objects either
    known = memo and sort is not None and not is_numbered
    wanted = {id(it) for it in todo} if lazy or known else set()
    cites: Dict[str, Any] = {}
    for it in items:
        if lazy:
            bib.keys.append(str(it["id"]).lower())  # citation numbers are looked up here
            if id(it) not in wanted:
                continue
        elif known and id(it) not in wanted:
            bib.keys.append(str(it["id"]).lower())
            bib.items.append(Known(it["_fp"], str(it["id"]).lower()))
            continue
        # what bib.register does, without its linear search of the keys (ids are unique)
        citation = citation_item(it["id"], memo)
        citation.bibliography = bib
        cite = citation.cites[0]
        if memo:
            cite.__dict__["_plm_bib_fp"] = it["_fp"]
        if lazy:
            cites[it["id"]] = cite
            continue
        bib.keys.append(cite.key)
        bib.items.append(cite)
    if lazy:
        pairs = []
        for n, it in enumerate(items, 1):
            text = cached_entry(cache, layout, it["_fp"], n if is_numbered else 0, cites.get(it["id"]))
            if text is not None:
                pairs.append((str(it["id"]).lower(), text))
        return quotes(style, pairs), state
    if memo and sort is not None:
        bib.items, state = sort_cites(bib.items, sort, layout, cache)
        bib.keys = [cite.key for cite in bib.items]
    else:
        bib.sort()
    if memo:
        # each entry depends on its item alone (and on its number, in numbered styles)
        pairs = []
        for n, cite in enumerate(bib.items, 1):
            text = cached_entry(cache, layout, cite.__dict__["_plm_bib_fp"], n if is_numbered else 0, cite)
            if text is not None:
                pairs.append((cite.key, text))
    else:
        pairs = list(zip(bib.keys, [str(e) for e in bib.bibliography()]))
    return quotes(style, pairs), state


def cached_entry(cache: RenderCache, layout: Any, fingerprint: str, number: int, cite: Any) -> Optional[str]:
    """An entry from the per-record cache, or rendered by citeproc-py from ``cite`` (its
    citation item, made for every item not in the cache) and kept; None for an item
    citeproc-py renders as nothing."""
    k = (layout, fingerprint, number)
    text = cache.entries.get(k, _MISSING)
    if text is _MISSING:
        out = layout.render_bibliography([cite])
        text = cache.entries[k] = str(out[0]) if out else None
    return None if text is None else str(text)


def quotes(style: Any, pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    if _punctuation_in_quote(style):
        pairs = [(k, _punctuation_inside(e)) for k, e in pairs]
    return pairs


@lru_cache(maxsize=1 << 16)
def _punctuation_inside(entry: str) -> str:
    """American English: a comma or period after a closing quote goes inside it."""
    return re.sub(r"\u201d(\x02*)([.,])", "\\2\u201d\\1", entry) if "\u201d" in entry else entry


def numbered(style: Any) -> bool:
    """Whether the style prints citation numbers (an entry then depends on its position)."""
    return bool(style.root.xpath(".//cs:text[@variable='citation-number']", namespaces=style.root.nsmap))



def western(item: Dict[str, Any]) -> bool:
    """Whether an item takes Western terms (``et al.``, ``In:``) rather than Chinese ones
    (``等``, ``见:``): by its language when it has one (``zh``, ``ja``, ``ko`` are not
    Western), else by the script of its title and of its authors' and editors' names."""
    lang = str(item.get("language", ""))
    if lang:
        return not lang.lower().startswith(("zh", "ja", "ko"))
    names = [str(n.get(part, "")) for var in ("author", "editor") for n in item.get(var) or ()
             if isinstance(n, dict) for part in ("family", "given", "literal")]
    return not any(cjk(text) for text in [str(item.get("title", "")), *names])



def item_of(r: Record, ident: str, flavour: str, cache: RenderCache) -> Dict[str, Any]:
    """The citeproc-py item of a record (memoised by the record's repr: records are frozen)."""
    if not memo_enabled():
        return citeproc_item(_csl(r, flavour), ident, flavour)
    # the same Record object again (libraries share their records): no repr needed; the
    # entry keeps the object alive, so its id cannot be reused by another record
    seen = cache.by_object.get((flavour, id(r)))
    if seen is not None and seen[0] is r:
        return {"id": ident, **seen[1]}
    k = (flavour, repr(r))
    hit = cache.items.get(k)
    if hit is None:
        hit = citeproc_item(_csl(r, flavour), "", flavour)
        del hit["id"]
        hit = cache.items[k] = {"_fp": repr(hit), **hit}  # the item's content (dicts built in one order)
    cache.by_object[(flavour, id(r))] = (r, hit)
    return {"id": ident, **hit}



def _csl(r: Record, flavour: str) -> Dict[str, Any]:
    item = record_to_csl(r, exact=False)
    if flavour == GB7714 and r.entry_type == "proceedings":
        item["_kind"] = "proceedings"
    return item


def unmark(entry: str) -> str:
    """An entry without the marks :func:`_gb_name` gave its names (where a style did not use them)."""
    return entry.replace(SUFFIX, ", ").replace(ORGANISATION, "") if "\x1e" in entry or "\x1f" in entry else entry
