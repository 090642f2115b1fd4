"""Formatted bibliographies: a style (what to say) and a backend (how to mark it up).

>>> import plm_bib
>>> lib = plm_bib.load().filter(year=2019, venue="NAACL")
>>> print(format_bibliography(lib, style="acl", backend="text"), end="")  # doctest: +NORMALIZE_WHITESPACE
Jacob Devlin, Ming-Wei Chang, Kenton Lee, and Kristina Toutanova. 2019. BERT: Pre-training of
Deep Bidirectional Transformers for Language Understanding. In Proceedings of the 2019 Conference
of the North American Chapter of the Association for Computational Linguistics: Human Language
Technologies, Volume 1 (Long and Short Papers), pages 4171–4186, Minneapolis, Minnesota.
Association for Computational Linguistics.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional

from plm_bib.csl.cache import DEFAULT, RenderCache
from plm_bib.errors import BadOption
from plm_bib.gcpause import paused_gc
from plm_bib.keys import tex_key
from plm_bib.model import Record
from plm_bib.render.markup import BACKENDS, render
from plm_bib.render.styles import Style, get_style

__all__ = ["Reference", "format_references", "format_bibliography", "BACKENDS", "clear_caches", "RenderCache"]


@dataclass(frozen=True)
class Reference:
    """One formatted reference: its key, label (``1``, ``Dev19``, or ``""``) and text."""

    key: str
    label: str
    text: str


def format_references(records: Iterable[Record], style: str = "apa", backend: str = "text",
                      cache: Optional[RenderCache] = None) -> List[Reference]:
    """Each record formatted in ``style``, in the style's order, marked up for ``backend``;
    ``cache`` keeps what formatting again needs (the process's default one if None)."""
    if backend not in BACKENDS:
        raise BadOption(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    with paused_gc():  # thousands of short-lived objects per entry, none needing a collection
        return _format_references(list(records), get_style(style), backend, DEFAULT if cache is None else cache)


def _format_references(recs: List[Record], st: Style, backend: str, cache: RenderCache) -> List[Reference]:
    out: List[Reference] = []
    if st.engine == "pybtex":
        from plm_bib.render.pybtex_styles import render_entries as pybtex_entries

        for key, label, rich in pybtex_entries(recs, st):
            out.append(Reference(key, label, render(rich, backend)))
        return out
    from plm_bib.csl.engine import render_entries as csl_entries

    # a reference made from the same engine output is the same (a bibliography formatted
    # again after one record changed marks up that record only)
    references = cache.references
    for key, rich in csl_entries(recs, st, cache):
        ref = references.get((key, rich, backend, st.numeric))
        if ref is None:
            label = ""
            m = _LABEL.match(rich)
            if st.numeric and m:
                label, text = m.group(1), rich[m.end():]
            else:
                text = rich
            ref = references[(key, rich, backend, st.numeric)] = Reference(key, label, render(text, backend).strip())
        out.append(ref)
    return out


_LABEL = re.compile(r"^\s*\[(\d+)\]\s*")


def _author_year_label(r: Record) -> str:
    names = [p.short() for p in r.authors if p.family != "others"]
    if not names:
        who = r.title[:20]
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2 and len(r.authors) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {r.year}" if r.year else who


def _wrap(refs: List[Reference], st: Style, backend: str, by_key: Dict[str, Record]) -> str:
    numbered = st.numeric or st.labelled
    if backend == "text":
        return "\n".join(f"[{render(r.label, 'text')}] {r.text}" if numbered and r.label else r.text for r in refs)
    if backend == "markdown":
        lines = []
        for i, r in enumerate(refs, 1):
            if st.numeric:
                lines.append(f"{i}. {r.text}")
            elif st.labelled:
                lines.append(f"- \\[{render(r.label, 'markdown')}\\] {r.text}")
            else:
                lines.append(f"- {r.text}")
        return "\n".join(lines)
    if backend == "html":
        return '<div class="csl-bib-body">\n' + "\n".join(_html_line(r, numbered) for r in refs) + "\n</div>"
    # latex: a thebibliography block (a label in braces: a "]" in it cannot end the option)
    widest = max((r.label for r in refs), key=len, default="9") if numbered else "9"
    lines = [f"\\begin{{thebibliography}}{{{render(widest, 'latex') or '9'}}}"]
    for r in refs:
        key = tex_key(r.key)
        if st.numeric:
            item = f"\\bibitem{{{key}}}"
        elif st.labelled:
            item = f"\\bibitem[{{{render(r.label, 'latex')}}}]{{{key}}}"
        else:
            item = f"\\bibitem[{{{render(_author_year_label(by_key[r.key]), 'latex')}}}]{{{key}}}"
        lines.append(f"{item}\n{r.text}\n")
    lines.append("\\end{thebibliography}")
    return "\n".join(lines)


def clear_caches() -> None:
    """Forget every formatted record of the default cache, and the markup memoised: the
    next bibliography is formatted cold (a caller's own :class:`RenderCache` has ``clear()``)."""
    DEFAULT.clear()
    _html_line.cache_clear()
    render.cache_clear()


@lru_cache(maxsize=1 << 17)
def _html_line(r: Reference, numbered: bool) -> str:
    label = f'<span class="csl-left-margin">[{render(r.label, "html")}]</span> ' if numbered and r.label else ""
    return f'  <div class="csl-entry" id="ref-{html.escape(r.key)}">{label}{r.text}</div>'


def format_bibliography(records: Iterable[Record], style: str = "apa", backend: str = "text",
                        cache: Optional[RenderCache] = None) -> str:
    """A whole bibliography: lines of text, a Markdown list, an HTML ``div`` or a LaTeX
    ``thebibliography`` block.  ``cache``: a :class:`RenderCache` the caller keeps for
    formatting again (only changed records are then formatted), the default one if None."""
    recs = list(records)
    with paused_gc():
        refs = format_references(recs, style, backend, cache)
        return _wrap(refs, get_style(style), backend, {r.key: r for r in recs}) + "\n"
