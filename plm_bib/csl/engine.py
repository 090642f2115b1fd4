"""CSL styles through citeproc-py, hidden behind one call.

citeproc-py's two-pass protocol (register citations, then render the bibliography) is
wrapped in :func:`render_entries`, which returns neutral markup (see :mod:`markup`).
What we add around the engine, each for a reason the tests show:

* items are fed with only the variables citeproc-py knows (it warns on the others) and
  CSL 1.0.2's ``event-title`` under its 1.0.1 name ``event``;
* a paper with a proceedings title is not given its ``event-title``: APA and Chicago
  would cite it as a talk ("Paper presented at ...") rather than by its proceedings;
* words in mixed case (``arXiv``, ``RoBERTa``) are marked ``nocase``: the CSL
  specification leaves such words alone under ``text-case``, citeproc-py does not;
* ``punctuation-in-quote`` (American English) is applied, which citeproc-py skips;
* styles whose default locale is Chinese render English items with English terms
  ("et al." rather than "等"), the multilingual behaviour GB/T 7714-2015 asks for and
  its CSL file describes;
* a page range whose last page has more digits than the first is kept whole
  (citeproc-py prints 9-14 as "9-4" under ``minimal-two``), and ``initialize="false"``
  is honoured (citeproc-py initialises the given names of Chicago's bibliography), and
  labels take the style's ``text-case`` (APA's "(Eds.)");
* works whose in-text citations would be the same get year suffixes (2020a, 2020b) where
  the style asks for them (citeproc-py does not disambiguate);
* the ACL style, which prints only the title of an item that is neither in a journal
  nor in proceedings, gets arXiv preprints as ``arXiv preprint arXiv:ID``, the form of
  the ACL's own BibTeX style.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from functools import lru_cache
from itertools import groupby
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from plm_bib.csl import record_to_csl
from plm_bib.csl.compiled.apa import APA_TARGET, apa_entry
from plm_bib.csl.compiled.ieee import IEEE_TARGET, ieee_entry
from plm_bib.model import Record
from plm_bib.render.markup import CLOSE, OPEN, clean
from plm_bib.render.styles import BadStyle, Style, csl_path

__all__ = ["render_entries", "clear_caches"]

_LOCK = threading.Lock()
# a whitespace-delimited token holding a word in mixed case, punctuation included: citeproc-py's
# title case puts spaces around a nocase part inside a token ("( CoNLL)", "X- RoBERTa")
_MIXED = re.compile(r"(?<!\S)([^\s<]*?(?:[^\W\d_]*[a-z][^\W\d_]*[A-Z]\w*|[A-Z]+[a-z]+[A-Z]\w*)[^\s<]*)")
_MIXED_HINT = re.compile(r"[^\W\d_A-Z][A-Z]")  # in every match of _MIXED: a letter not A-Z, then A-Z
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what markup.clean removes
_STRING_VARS = ("title", "container-title", "publisher", "number", "event", "collection-title",
                "note", "genre", "publisher-place")


def _wrap(kind: str) -> Any:
    return lambda text: f"{OPEN}{kind}{text}{CLOSE}" if str(text) else text


# a citeproc-py formatter that emits our neutral markup; escaping happens in markup.render
_FORMATTER = SimpleNamespace(
    preformat=lambda text: text, Italic=_wrap("i"), Oblique=_wrap("i"), Bold=_wrap("b"),
    Light=lambda text: text, Underline=_wrap("u"), Superscript=_wrap("^"), Subscript=_wrap("_"),
    SmallCaps=_wrap("c"),
)


@lru_cache(maxsize=1)
def _fix_citeproc() -> None:
    """Three citeproc-py departures from the CSL specification, fixed where they happen.

    * It shortens 9-14 to "9-4" under ``minimal-two``; when the last page has more digits
      than the first, every page-range format keeps it whole.
    * It applies no ``text-case="title"`` to labels (APA's "(eds.)" for "(Eds.)"): labels
      are cased in the style's language.
    * It ignores ``initialize="false"`` on ``cs:name`` and initialises given names anyway
      (Chicago's bibliography spells them out); the specification says such names stay
      whole, with ``initialize-with`` only added after initials already there.
    """
    from citeproc.model import FormatNumber, Label, Name

    if not getattr(Label.markup, "_plm_bib_fixed", False):
        def label_markup(self: Any, text: Any) -> Any:
            if not text:
                return None
            lang = str(self.get_root().get("default-locale", "en-US"))[:2]
            return self.wrap(self.format(self.case(self.strip_periods(text), lang)))

        label_markup._plm_bib_fixed = True  # type: ignore[attr-defined]
        Label.markup = label_markup

    original_init = Name.initialize
    if not getattr(original_init, "_plm_bib_fixed", False):
        def initialize(self: Any, given: Any, mark: str, context: Any) -> Any:
            if str(self.get("initialize", "true")).lower() != "false":
                return original_init(self, given, mark, context)
            words = [w + mark.rstrip() if len(w) == 1 and w.isupper() else w for w in str(given).split()]
            return type(given)(" ".join(words)) if not isinstance(given, str) else " ".join(words)

        initialize._plm_bib_fixed = True  # type: ignore[attr-defined]
        Name.initialize = initialize

    original = FormatNumber._format_last_page
    if getattr(original, "_plm_bib_fixed", False):  # pragma: no cover
        return

    def _format_last_page(self: Any, first: str, last: str) -> str:
        if len(first) < len(last):
            return last
        return str(original(self, first, last))

    _format_last_page._plm_bib_fixed = True  # type: ignore[attr-defined]
    FormatNumber._format_last_page = _format_last_page


@lru_cache(maxsize=1)
def _compile_citeproc() -> None:
    """Answers about the style tree computed once, not once per item and element.

    Most of citeproc-py's time went to questions whose answer depends on the style alone:
    XPath searches from a style element (a macro by name, the enclosing layout, a parent
    ``cs:names``, locale terms) and whether a group "calls a variable" (a walk through the
    macros it uses).  Both are memoised per element: the style and locale trees are not
    changed while rendering, so the output is the same (``tests/test_fastpath.py`` renders
    with and without this in two processes and compares).  ``PLM_BIB_CITEPROC_PLAIN=1``
    turns it off.
    """
    import os

    if os.environ.get("PLM_BIB_CITEPROC_PLAIN"):
        return
    from citeproc import model

    plain_search = model.CitationStylesElement.xpath_search
    if getattr(plain_search, "_plm_bib_memo", False):  # pragma: no cover
        return
    searches: Dict[Tuple[Any, str], List[Any]] = {}

    def xpath_search(self: Any, expression: str) -> List[Any]:
        key = (self, expression)
        hit = searches.get(key)
        if hit is None:
            hit = searches[key] = plain_search(self, expression)
        return list(hit)

    xpath_search._plm_bib_memo = True  # type: ignore[attr-defined]
    model.CitationStylesElement.xpath_search = xpath_search

    calls: Dict[Any, bool] = {}
    for cls in (model.Parent, model.Text, model.Date, model.Number, model.Names, model.Label, model.Group):
        plain = cls.__dict__["calls_variable"]

        def calls_variable(self: Any, _plain: Any = plain) -> bool:
            hit = calls.get(self)
            if hit is None:
                hit = calls[self] = bool(_plain(self))
            return hit

        cls.calls_variable = calls_variable

    from citeproc.source import CitationItem

    def reference(self: Any) -> Any:
        # the item's reference is looked up through four mappings on each of its many uses
        d = self.__dict__
        ref = d.get("_plm_bib_reference")
        if ref is None:
            ref = d["_plm_bib_reference"] = self.bibliography.source[self.key]
        return ref

    def number(self: Any) -> int:
        # citeproc-py searched the key list (linear) for each citation number
        bib = self.bibliography
        keys = bib.keys
        cached = bib.__dict__.get("_plm_bib_numbers")
        if cached is None or cached[0] is not keys or cached[1] != len(keys):
            cached = (keys, len(keys), {k: i for i, k in reversed(list(enumerate(keys)))})
            bib.__dict__["_plm_bib_numbers"] = cached
        return int(cached[2][self.key]) + 1

    CitationItem.reference = property(reference)
    CitationItem.number = property(number)

    plain_keys = model.Key.sort_keys

    def sort_keys(self: Any, items: List[Any], context: Any) -> List[Any]:
        # a sort key depends on its item alone (citation numbers aside): kept per item content
        if self.get("variable") == "citation-number":
            return list(plain_keys(self, items, context))
        out = []
        for item in items:
            fp = item.__dict__.get("_plm_bib_fp")
            if fp is None:
                out.extend(plain_keys(self, [item], context))
                continue
            k = (self, context, fp)
            hit = _SORT_KEYS.get(k, _MISSING)
            if hit is _MISSING:
                hit = _SORT_KEYS[k] = plain_keys(self, [item], context)[0]
            out.append(hit)
        return out

    model.Key.sort_keys = sort_keys
    _MEMO.append(True)


_MISSING = object()
_MEMO: List[bool] = []  # not empty once citeproc-py is memoised
# per-record caches: a bibliography formatted again after one record changed renders that
# record only (bounded: cleared when they grow past _CACHE_MAX entries)
_SORT_KEYS: Dict[Tuple[Any, Any, str], Any] = {}
_ENTRIES: Dict[Tuple[Any, str, int], Any] = {}  # (layout, item, number in numbered styles or 0)
_CACHE_MAX = 200_000


@lru_cache(maxsize=32)
def _style(path: str, locale: str) -> Any:
    from citeproc import CitationStylesStyle

    _fix_citeproc()
    _compile_citeproc()

    from lxml import etree

    try:
        return CitationStylesStyle(path, locale=locale or None, validate=False)
    except (etree.LxmlError, AttributeError, KeyError, ValueError, TypeError) as e:
        raise BadStyle(path, f"not a CSL style citeproc-py can read ({type(e).__name__}: {e})") from None


def _nocase(text: str) -> str:
    if "<" in text and "<span" in text.lower():
        text = text.replace("<", "&lt;")
    if not _MIXED_HINT.search(text):
        return text  # no lower-case letter followed by a capital in a word: nothing to mark
    return _MIXED.sub(r'<span class="nocase">\1</span>', text)


@lru_cache(maxsize=1)
def _known_variables() -> frozenset[str]:
    from citeproc import VARIABLES

    return frozenset(VARIABLES)


def _citeproc_item(item: Dict[str, Any], ident: str, acl: bool) -> Dict[str, Any]:
    known = _known_variables()
    out: Dict[str, Any] = {"id": ident, "type": item["type"]}
    if acl and item["type"] == "article" and str(item.get("number", "")).startswith("arXiv:"):
        out["note"] = f"arXiv preprint {item['number']}"
    for key, value in item.items():
        if key in ("id", "type", "citation-key"):
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
            value = [n for n in value if any(n.values())]
            if not value:
                continue
        out[key] = value
    return out


def _punctuation_in_quote(style: Any) -> bool:
    try:
        return str(style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
    except Exception:  # pragma: no cover - citeproc-py internals
        return False


def _bibliography(style: Any, items: List[Dict[str, Any]],
                  compiled: Optional[Callable[[Dict[str, Any], int], Optional[str]]] = None,
                  sorted_compiled: Optional[Callable[[Dict[str, Any]], Optional[Tuple[str, List[Any]]]]] = None,
                  ) -> List[Tuple[str, str]]:
    """``(id, entry)`` pairs in bibliography order; ``compiled`` writes the entries it can
    (numbered styles without a sort: it gets the item and its number); ``sorted_compiled``
    writes the entries and the sort keys (one per ``cs:key``) it can, for sorted styles
    without numbers."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    memo = bool(_MEMO)
    if memo and (len(_ENTRIES) > _CACHE_MAX or len(_SORT_KEYS) > _CACHE_MAX or len(_ROWS) > _CACHE_MAX):
        _ENTRIES.clear()
        _SORT_KEYS.clear()
        _ROWS.clear()
    layout = style.root.bibliography.layout
    numbered = memo and _numbered(style)
    sort = None
    if memo:
        # items whose sort keys and entry are all known need no parsing by citeproc-py
        sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
        keys = [k for k in (sort.findall("cs:key", style.root.nsmap) if sort is not None else [])
                if k.get("variable") != "citation-number"]
        if numbered and sort is not None:
            todo = items  # an entry's number is known only after sorting: every item is parsed
        else:
            if compiled is not None and sort is None:
                for n, it in enumerate(items, 1):
                    k = (layout, it["_fp"], n if numbered else 0)
                    if k not in _ENTRIES:
                        text = compiled({key: v for key, v in it.items() if key != "_fp"}, n)
                        if text is not None:
                            _ENTRIES[k] = text
            elif sorted_compiled is not None and sort is not None and not numbered:
                every_key = sort.findall("cs:key", style.root.nsmap)
                for it in items:
                    fp = it["_fp"]
                    if (layout, fp, 0) in _ENTRIES and (sort, layout, fp) in _ROWS:
                        continue
                    done = sorted_compiled({key: v for key, v in it.items() if key != "_fp"})
                    if done is not None and len(done[1]) == len(every_key):
                        _ENTRIES[(layout, fp, 0)] = done[0]
                        _ROWS[(sort, layout, fp)] = _row(done[1])  # what _sorted reads
            if sort is not None and not numbered:
                todo = [it for it in items
                        if (layout, it["_fp"], 0) not in _ENTRIES or (sort, layout, it["_fp"]) not in _ROWS]
            else:
                todo = [it for n, it in enumerate(items, 1)
                        if (layout, it["_fp"], n if numbered else 0) not in _ENTRIES
                        or any((k, layout, it["_fp"]) not in _SORT_KEYS for k in keys)]
        source = CiteProcJSON([{k: v for k, v in it.items() if k != "_fp"} for it in todo])
    else:
        source = CiteProcJSON(items)
    bib = CitationStylesBibliography(style, source, _FORMATTER)
    # without a sort the order is the input's: citeproc-py objects are needed only for the
    # entries to render (making one costs more than finding a known entry)
    lazy = memo and sort is None
    # sorted, without numbers: an item whose entry and sort keys are all known is sorted and
    # written from the caches, so it needs no citeproc-py objects either
    known = memo and sort is not None and not numbered
    wanted = {id(it) for it in todo} if lazy or known else set()
    cites: Dict[str, Any] = {}
    for it in items:
        if lazy:
            bib.keys.append(str(it["id"]).lower())  # citation numbers are looked up here
            if id(it) not in wanted:
                continue
        elif known and id(it) not in wanted:
            bib.keys.append(str(it["id"]).lower())
            bib.items.append(_Known(it["_fp"], str(it["id"]).lower()))
            continue
        # what bib.register does, without its linear search of the keys (ids are unique)
        citation = Citation([CitationItem(it["id"])])
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
            text = _entry(layout, it["_fp"], n if numbered else 0, cites.get(it["id"]))
            if text is not None:
                pairs.append((str(it["id"]).lower(), text))
        return _quotes(style, pairs)
    if memo and sort is not None:
        bib.items = _sorted(bib.items, sort, layout)
        bib.keys = [cite.key for cite in bib.items]
    else:
        bib.sort()
    if memo:
        # each entry depends on its item alone (and on its number, in numbered styles)
        pairs = []
        for n, cite in enumerate(bib.items, 1):
            text = _entry(layout, cite.__dict__["_plm_bib_fp"], n if numbered else 0, cite)
            if text is not None:
                pairs.append((cite.key, text))
    else:
        pairs = list(zip(bib.keys, [str(e) for e in bib.bibliography()]))
    return _quotes(style, pairs)


class _Known:
    """An item whose sort keys and entry are in the per-record caches (no citeproc-py item)."""

    def __init__(self, fingerprint: str, key: str) -> None:
        self._plm_bib_fp = fingerprint
        self.key = key


def _sorted(cites: List[Any], sort: Any, layout: Any) -> List[Any]:
    """``cites`` in the order citeproc-py's ``Sort.sort`` gives them, faster.

    citeproc-py sorts with a comparison function: key by key, both keys lower-cased,
    compared as integers when both read as integers, else as text; an item without a key
    after one with it.  A column where every key reads as an integer, or none does, or where
    those that do are all ASCII digits of one length (years: integer order is then text
    order), compares like a plain sort key.  The columns up to the first that does not are
    sorted by plain keys (a stable sort); items equal on all of them are then ordered by
    citeproc-py's comparison on the remaining columns.  When that comparison is a total
    preorder on every such group of ties, the stable sorted list is unique, so it is the
    list citeproc-py's own stable sort returns; otherwise (or with a descending key) the
    whole list is sorted with the comparison itself.  Each item's lowered keys are kept
    with the per-record caches.
    """
    keys = sort.findall("cs:key", sort.nsmap)
    descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]
    rows: List[Any] = [None] * len(cites)
    missing = []
    for n, cite in enumerate(cites):
        fp = cite.__dict__.get("_plm_bib_fp")
        hit = _ROWS.get((sort, layout, fp)) if fp is not None else None
        if hit is None:
            missing.append(n)
        else:
            rows[n] = hit
    if missing:
        todo = [cites[n] for n in missing]
        columns = [key.sort_keys(todo, layout) for key in keys]  # memoised per item (see above)
        for m, n in enumerate(missing):
            row = _row([column[m] for column in columns])
            rows[n] = row
            fp = cites[n].__dict__.get("_plm_bib_fp")
            if fp is not None:
                _ROWS[(sort, layout, fp)] = row
    counts = [Counter(kinds) for kinds in zip(*[row[1] for row in rows])] if rows else []
    prefix, modes = _prefix(counts, descending)
    order, by_groups = _order(rows, prefix, modes, descending)
    _LAST_SORT.clear()
    if by_groups:
        _LAST_SORT.append(_SortState(rows, counts, prefix, modes, order, descending))
    return [cites[i] for i in order]


class _SortState:
    """What :func:`_sorted` knew, when it sorted by plain keys and groups of ties: each
    item's row, the kinds counted per column, the columns sorted by plain keys and how, and
    the order."""

    def __init__(self, rows: List[Any], counts: List["Counter[Any]"], prefix: int, modes: List[Optional[str]],
                 order: List[int], descending: List[bool], plain: Optional[List[Any]] = None) -> None:
        self.rows, self.counts, self.prefix, self.modes = rows, counts, prefix, modes
        self.order, self.descending = order, descending
        if plain is None:
            plain = [_plain_key(row[0], prefix, modes) for row in rows] if prefix else []
        self.plain = plain


_LAST_SORT: List[_SortState] = []


def _prefix(counts: List["Counter[Any]"], descending: List[bool]) -> Tuple[int, List[Optional[str]]]:
    """How many leading columns compare like plain keys, and how each of them does."""
    modes: List[Optional[str]] = []
    if any(descending):
        return 0, modes
    for count in counts:
        mode = _column_mode({k for k, c in count.items() if c})
        if mode is None:
            break
        modes.append(mode)
    return len(modes), modes


def _plain_key(values: Tuple[Any, ...], prefix: int, modes: List[Optional[str]]) -> Tuple[Any, ...]:
    return tuple((1, 0) if v is None else (0, int(v) if mode == "int" else v)
                 for v, mode in zip(values[:prefix], modes))


def _comparison(rows: List[Any], descending: List[bool], start: int = 0) -> Callable[[int, int], int]:
    """citeproc-py's comparison (mycmp) of two items by their rows, from column ``start``."""
    ints: Dict[Tuple[int, int], Optional[int]] = {}

    def number(i: int, c: int) -> Optional[int]:
        k = (i, c)
        if k not in ints:
            v = rows[i][0][c]
            ints[k] = None if v is None else _int(str(v))
        return ints[k]

    def compare(a: int, b: int) -> int:
        for c in range(start, len(descending)):
            left, right = rows[a][0][c], rows[b][0][c]
            if left is not None and right is not None:
                x, y = number(a, c), number(b, c)
                if x is not None and y is not None:
                    left, right = x, y
                result: int = (left > right) - (left < right)
                if result:
                    return -result if descending[c] else result
            elif left is not None:
                return -1
            elif right is not None:
                return 1
        return 0

    return compare


def _order(rows: List[Any], prefix: int, modes: List[Optional[str]],
           descending: List[bool]) -> Tuple[List[int], bool]:
    """Indexes of ``rows`` in citeproc-py's sorted order (see :func:`_sorted`), and whether
    it was found by plain keys and groups of ties (False: by citeproc-py's comparison)."""
    from functools import cmp_to_key

    order = list(range(len(rows)))
    if prefix == 0:
        order.sort(key=cmp_to_key(_comparison(rows, descending)))
        return order, False
    plain = [_plain_key(row[0], prefix, modes) for row in rows]
    order.sort(key=plain.__getitem__)
    if prefix == len(descending):
        return order, True
    out: List[int] = []
    for _, members in groupby(order, key=plain.__getitem__):
        group = _order_group(list(members), rows, prefix, descending)
        if group is None:  # citeproc-py's own sort, as it is, on the input order
            return sorted(range(len(rows)), key=cmp_to_key(_comparison(rows, descending))), False
        out.extend(group)
    return out, True


def _order_group(group: List[int], rows: List[Any], prefix: int, descending: List[bool]) -> Optional[List[int]]:
    """A group of items equal on the plain-key columns (in input order), ordered by the
    remaining columns as citeproc-py's comparison orders them; None if that comparison is
    not a total preorder on the group."""
    from functools import cmp_to_key

    if len(group) < 2:
        return group
    # within the group, columns may compare like plain keys even where the whole column
    # does not (then the group's order is a total preorder by construction)
    sub = [_column_mode({rows[i][1][c] for i in group}) for c in range(prefix, len(descending))]
    if all(mode is not None for mode in sub):
        return sorted(group, key=lambda i: tuple((1, 0) if v is None else (0, int(v) if mode == "int" else v)
                                                 for v, mode in zip(rows[i][0][prefix:], sub)))
    rest = _comparison(rows, descending, prefix)
    group = sorted(group, key=cmp_to_key(rest))
    return group if _consistent(group, rest) else None


_ROWS: Dict[Tuple[Any, Any, str], Tuple[Tuple[Any, ...], Tuple[Any, ...]]] = {}


def _row(raw: List[Any]) -> Tuple[Tuple[Any, ...], Tuple[Any, ...]]:
    """An item's sort keys as citeproc-py's comparison reads them (lower-cased), and the
    kind of each: None, "x" (not text), "s" (text), "i" (reads as an integer), or the
    length of a key made of ASCII digits."""
    values = []
    kinds: List[Any] = []
    for value in raw:
        if value is not None:
            try:
                value = str(value.lower())
            except AttributeError:
                pass  # not text (a citation number): compared as it is, or as int(str(value))
        values.append(value)
        if value is None:
            kinds.append(None)
        elif not isinstance(value, str):
            kinds.append("x")
        elif _int(value) is None:
            kinds.append("s")
        else:
            kinds.append(len(value) if value.isascii() and value.isdigit() else "i")
    return tuple(values), tuple(kinds)


def _column_mode(kinds: set) -> Optional[str]:  # type: ignore[type-arg]
    """How a column of keys of these kinds compares: "int", "str", or None (only with
    citeproc-py's comparison)."""
    kinds.discard(None)
    if "x" in kinds:
        return None
    if "s" not in kinds:
        return "int" if kinds else "str"
    numbers = kinds - {"s"}
    if not numbers or (len(numbers) == 1 and "i" not in numbers):
        return "str"
    return None


def _consistent(group: List[int], compare: Callable[[int, int], int]) -> bool:
    """Whether ``compare`` (antisymmetric, as citeproc-py's is) is transitive on ``group``,
    i.e. a total preorder there (checked on every triple; groups of ties are small)."""
    if len(group) > 12:
        return False
    le = {(a, b): compare(a, b) <= 0 for a in group for b in group}
    return all(le[a, c] for a in group for b in group for c in group if le[a, b] and le[b, c])


def _int(text: str) -> Optional[int]:
    try:
        return int(text)
    except ValueError:
        return None  # (int() of a str raises nothing else)


def _entry(layout: Any, fingerprint: str, number: int, cite: Any) -> Optional[str]:
    """An entry from the per-record cache, or rendered by citeproc-py from ``cite`` (its
    citation item, made for every item not in the cache) and kept; None for an item
    citeproc-py renders as nothing."""
    k = (layout, fingerprint, number)
    text = _ENTRIES.get(k, _MISSING)
    if text is _MISSING:
        out = layout.render_bibliography([cite])
        text = _ENTRIES[k] = str(out[0]) if out else None
    return None if text is None else str(text)


def _quotes(style: Any, pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    if _punctuation_in_quote(style):
        pairs = [(k, _punctuation_inside(e)) for k, e in pairs]
    return pairs


@lru_cache(maxsize=1 << 16)
def _punctuation_inside(entry: str) -> str:
    """American English: a comma or period after a closing quote goes inside it."""
    return re.sub(r"\u201d(\x02*)([.,])", "\\2\u201d\\1", entry) if "\u201d" in entry else entry


def _numbered(style: Any) -> bool:
    """Whether the style prints citation numbers (an entry then depends on its position)."""
    return bool(style.root.xpath(".//cs:text[@variable='citation-number']", namespaces=style.root.nsmap))


@lru_cache(maxsize=32)
def _citation_options(path: str) -> Dict[str, str]:
    with open(path, encoding="utf-8") as f:
        m = re.search(r"<citation\b([^>]*)>", f.read())
    return dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1))) if m else {}


def _year_suffixes(path: str, ordered: Sequence[Record]) -> Dict[str, str]:
    """``2020a``/``2020b`` for works whose in-text citations would be the same, as CSL's
    ``disambiguate-add-year-suffix`` asks (citeproc-py does not disambiguate).  Two works
    collide when their cited names (after et-al truncation, or all of them when the style
    may add names) and, if the style may add given names, their first author's initial,
    and their year are the same."""
    opts = _citation_options(path)
    if opts.get("disambiguate-add-year-suffix") != "true":
        return {}
    groups: Dict[Tuple[Any, ...], List[str]] = {}
    for r in ordered:
        group = _suffix_group(path, r, opts)
        if group is not None:
            groups.setdefault(group, []).append(r.key)
    out: Dict[str, str] = {}
    for keys in groups.values():
        if len(keys) > 1:
            for n, key in enumerate(keys):
                out[key] = _LETTERS[n % 26]
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix_group(path: str, r: Record, opts: Dict[str, str]) -> Optional[Tuple[Any, ...]]:
    """What a work's in-text citation would show (see :func:`_year_suffixes`), or None
    for a work without year or names; kept per Record object."""
    seen = _GROUPS.get((path, id(r)))
    if seen is not None and seen[0] is r:
        return seen[1]  # type: ignore[no-any-return]
    group = None
    people = r.authors or r.editors
    if r.year and people:
        et_al_min = int(opts.get("et-al-min", "0") or 0)
        use_first = int(opts.get("et-al-use-first", "1") or 1)
        names = tuple(p.family for p in people)
        if opts.get("disambiguate-add-names") != "true" and et_al_min and len(names) >= et_al_min:
            names = names[:use_first] + ("et al.",)
        initial = people[0].given[:1] if opts.get("disambiguate-add-givenname") == "true" else ""
        group = (names, initial, r.year)
    if len(_GROUPS) > _CACHE_MAX:
        _GROUPS.clear()
    _GROUPS[(path, id(r))] = (r, group)
    return group


def _western(item: Dict[str, Any]) -> bool:
    lang = str(item.get("language", ""))
    if lang:
        return not lang.startswith(("zh", "ja", "ko"))
    return not re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", str(item.get("title", "")))


_ITEMS: Dict[Tuple[bool, str], Dict[str, Any]] = {}
_GROUPS: Dict[Tuple[str, int], Tuple[Record, Any]] = {}
_BY_OBJECT: Dict[Tuple[bool, int], Tuple[Record, Dict[str, Any]]] = {}


def clear_caches() -> None:
    """Forget every formatted record (the next bibliography is formatted cold)."""
    _ITEMS.clear()
    _BY_OBJECT.clear()
    _ENTRIES.clear()
    _SORT_KEYS.clear()
    _ROWS.clear()
    _GROUPS.clear()
    _PREVIOUS.clear()
    _LAST_SORT.clear()


def _item(r: Record, ident: str, acl: bool) -> Dict[str, Any]:
    """The citeproc-py item of a record (memoised by the record's repr: records are frozen)."""
    if not _MEMO:
        return _citeproc_item(record_to_csl(r, exact=False), ident, acl)
    if len(_ITEMS) > _CACHE_MAX or len(_BY_OBJECT) > _CACHE_MAX:
        _ITEMS.clear()
        _BY_OBJECT.clear()
    # the same Record object again (libraries share their records): no repr needed; the
    # entry keeps the object alive, so its id cannot be reused by another record
    seen = _BY_OBJECT.get((acl, id(r)))
    if seen is not None and seen[0] is r:
        return {"id": ident, **seen[1]}
    k = (acl, repr(r))
    hit = _ITEMS.get(k)
    if hit is None:
        hit = _citeproc_item(record_to_csl(r, exact=False), "", acl)
        del hit["id"]
        hit = _ITEMS[k] = {"_fp": repr(hit), **hit}  # the item's content (dicts built in one order)
    _BY_OBJECT[(acl, id(r))] = (r, hit)
    return {"id": ident, **hit}


def render_entries(records: Sequence[Record], style: Style) -> List[Tuple[str, str]]:
    """``(key, neutral markup)`` of each record, in the style's bibliography order."""
    path = csl_path(style.target)
    acl = style.target == "association-for-computational-linguistics"
    _compile_citeproc()
    records = list(records)
    with _LOCK:
        base = _style(path, "")
        compiled = sorted_compiled = None
        if _MEMO and style.target == IEEE_TARGET:
            compiled = ieee_entry
        if _MEMO and style.target == APA_TARGET:
            sorted_compiled = apa_entry
        previous = _PREVIOUS.get((path, acl))
        if previous is not None and _MEMO:
            again = _again(previous, records, base, path, acl, compiled, sorted_compiled)
            if again is not None:
                return again
        _LAST_SORT.clear()
        items = [_item(r, f"r{i}", acl) for i, r in enumerate(records)]
        out = _bibliography(base, items, compiled, sorted_compiled)
        sort_state = _LAST_SORT[0] if _LAST_SORT else None
        western: set = set()  # type: ignore[type-arg]
        if str(base.root.get("default-locale", "en-US")).startswith("zh"):
            western = {it["id"] for it in items if _western(it)}
            if western:
                english = dict(_bibliography(_style(path, "en-US"), items))
                out = [(k, english[k] if k in western else text) for k, text in out]
    keys = {f"r{i}": r.key for i, r in enumerate(records)}
    result = [(keys[k], text) for k, text in out]
    by_key = {r.key: r for r in records}
    suffixes = _year_suffixes(path, [by_key[k] for k, _ in result])
    if suffixes:
        result = [(k, text.replace(str(by_key[k].year), f"{by_key[k].year}{suffixes[k]}", 1)
                   if k in suffixes else text) for k, text in result]
    _PREVIOUS.pop((path, acl), None)
    if _MEMO and not western and len(out) == len(records) == len(by_key):
        _remember(path, acl, base, records, out, result, sort_state)
    return result


class _Previous:
    """The last bibliography of a style, kept so that formatting it again after a few records
    changed (the same list with some records replaced) touches those records only."""

    def __init__(self, style: Any, records: List[Record], order: List[int], base: List[str], final: List[str],
                 groups: List[Any], sort_state: Optional[_SortState], numbered: bool, sort: Any) -> None:
        self.style, self.records, self.order, self.base, self.final = style, records, order, base, final
        self.groups, self.sort_state, self.numbered, self.sort = groups, sort_state, numbered, sort


_PREVIOUS: Dict[Tuple[str, bool], _Previous] = {}


def _remember(path: str, acl: bool, style: Any, records: List[Record], out: List[Tuple[str, str]],
              result: List[Tuple[str, str]], sort_state: Optional[_SortState]) -> None:
    order = [int(k[1:]) for k, _ in out]  # ids are "r<index>"
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    numbered = _numbered(style)
    if sort is not None and (numbered or sort_state is None or sort_state.order != order):
        return  # numbers follow the sort, or the sort went by citeproc-py's comparison
    if sort is None and order != list(range(len(records))):
        return
    base: List[str] = [""] * len(records)
    final: List[str] = [""] * len(records)
    for (_, text), (_, done), i in zip(out, result, order):
        base[i], final[i] = text, done
    opts = _citation_options(path)
    suffixed = opts.get("disambiguate-add-year-suffix") == "true"
    groups = [_suffix_group(path, r, opts) if suffixed else None for r in records]
    _PREVIOUS[(path, acl)] = _Previous(style, records, order, base, final, groups, sort_state, numbered, sort)


def _again(prev: _Previous, records: List[Record], style: Any, path: str, acl: bool,
           compiled: Optional[Callable[[Dict[str, Any], int], Optional[str]]],
           sorted_compiled: Optional[Callable[[Dict[str, Any]], Optional[Tuple[str, List[Any]]]]]
           ) -> Optional[List[Tuple[str, str]]]:
    """The bibliography of ``records`` from the previous one when only a few records were
    replaced in place: their entries (and sort rows) are made, they are moved to their
    sorted place among the others, and year suffixes are worked out again for the groups
    they left or joined.  None when the change is of another kind (then everything is
    formatted again)."""
    from bisect import bisect_left, bisect_right

    n = len(records)
    if n != len(prev.records) or n == 0 or prev.style is not style \
            or str(style.root.get("default-locale", "")).startswith("zh"):
        return None  # (the style parsed again: its elements, which key the caches, are new)
    changed = [i for i, (a, b) in enumerate(zip(records, prev.records)) if a is not b]
    if not changed:
        return [(records[i].key, prev.final[i]) for i in prev.order]
    if len(changed) > max(8, n // 100):
        return None
    keys = {r.key for r in records}
    if len(keys) != n:
        return None
    layout = style.root.bibliography.layout
    items = {i: _item(records[i], f"r{i}", acl) for i in changed}
    base = list(prev.base)
    order = prev.order
    state = prev.sort_state
    if prev.sort is None:  # entries in input order, numbered by position
        for i in changed:
            text = _entry_at(style, items[i], i + 1, prev.numbered, n, compiled)
            if text is None:
                return None
            base[i] = text
    else:
        assert state is not None
        pairs = dict(_bibliography(style, list(items.values()), None, sorted_compiled))
        if len(pairs) != len(items):
            return None
        rows = list(state.rows)
        counts = [Counter(c) for c in state.counts]
        for i in changed:
            row = _ROWS.get((prev.sort, layout, items[i]["_fp"]))
            if row is None:
                return None
            for count, old, new in zip(counts, rows[i][1], row[1]):
                count[old] -= 1
                count[new] += 1
            rows[i] = row
            base[i] = pairs[f"r{i}"]
        prefix, modes = _prefix(counts, state.descending)
        if prefix == 0 or prefix != state.prefix or modes != state.modes:
            return None
        plain = list(state.plain)
        gone = set(changed)
        order = [j for j in order if j not in gone]
        for i in changed:
            plain[i] = _plain_key(rows[i][0], prefix, modes)
            lo = bisect_left(order, plain[i], key=plain.__getitem__)
            hi = bisect_right(order, plain[i], key=plain.__getitem__)
            group = _order_group(sorted(order[lo:hi] + [i]), rows, prefix, state.descending)
            if group is None:
                return None
            order[lo:hi] = group
        state = _SortState(rows, counts, prefix, modes, order, state.descending, plain)
    final = list(prev.final)
    groups = list(prev.groups)
    opts = _citation_options(path)
    touched: set = set()  # type: ignore[type-arg]
    if opts.get("disambiguate-add-year-suffix") == "true":
        for i in changed:
            touched.update(g for g in (groups[i], _suffix_group(path, records[i], opts)) if g is not None)
            groups[i] = _suffix_group(path, records[i], opts)
    for i in changed:
        final[i] = base[i]
    for g in touched:
        members = [j for j in order if groups[j] == g]
        for m, j in enumerate(members):
            year = str(records[j].year)
            final[j] = base[j].replace(year, f"{year}{_LETTERS[m % 26]}", 1) if len(members) > 1 else base[j]
    result = [(records[i].key, final[i]) for i in order]
    prev.records, prev.order, prev.base, prev.final, prev.groups = records, order, base, final, groups
    prev.sort_state = state
    return result


def _entry_at(style: Any, item: Dict[str, Any], number: int, numbered: bool, total: int,
              compiled: Optional[Callable[[Dict[str, Any], int], Optional[str]]]) -> Optional[str]:
    """The entry of ``item`` as number ``number`` of ``total`` in a style without a sort
    (what :func:`_bibliography` writes for it), or None."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    layout = style.root.bibliography.layout
    fp = item["_fp"]
    k = (layout, fp, number if numbered else 0)
    text = _ENTRIES.get(k)
    if text is None and compiled is not None:
        text = compiled({key: v for key, v in item.items() if key != "_fp"}, number)
        if text is not None:
            _ENTRIES[k] = text
    if text is None:
        bib = CitationStylesBibliography(style, CiteProcJSON([{key: v for key, v in item.items() if key != "_fp"}]),
                                         _FORMATTER)
        bib.keys.extend(f"r{i}" for i in range(total))  # citation numbers are looked up here
        citation = Citation([CitationItem(item["id"])])
        citation.bibliography = bib
        cite = citation.cites[0]
        cite.__dict__["_plm_bib_fp"] = fp
        text = _entry(layout, fp, number if numbered else 0, cite)
        if text is None:
            return None
    return _quotes(style, [("", str(text))])[0][1]
