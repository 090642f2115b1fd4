"""Format registry: a format is added in one place, by name, aliases and file suffixes.

>>> from plm_bib.formats import format_names
>>> "bibtex" in format_names()
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from plm_bib.errors import FormatNotFound

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.library import Library

__all__ = ["Format", "register", "get_format", "format_for_path", "format_names", "export"]


@dataclass(frozen=True)
class Format:
    name: str
    export: Callable[..., str]
    suffixes: Tuple[str, ...] = ()
    aliases: Tuple[str, ...] = ()
    description: str = ""


_REGISTRY: Dict[str, Format] = {}
_LOOKUP: Dict[str, str] = {}


def register(name: str, *, suffixes: Tuple[str, ...] = (), aliases: Tuple[str, ...] = (),
             description: str = ""
             ) -> Callable[[Callable[..., str]], Callable[..., str]]:
    def deco(fn: Callable[..., str]) -> Callable[..., str]:
        _REGISTRY[name] = Format(name, fn, suffixes, aliases, description or (fn.__doc__ or "").strip())
        for a in (name,) + aliases:
            _LOOKUP[a.lower()] = name
        return fn

    return deco


def _load_builtin() -> None:
    from plm_bib.formats import csl_yaml, hayagriva, native, ris, styled  # noqa: F401  (register on import)


def get_format(name: str) -> Format:
    _load_builtin()
    key = _LOOKUP.get(name.lower())
    if key is None:
        raise FormatNotFound(f"unknown format {name!r}; known: {', '.join(format_names())}")
    return _REGISTRY[key]


def format_for_path(path: str) -> Optional[str]:
    _load_builtin()
    low = path.lower()
    best = None
    for f in _REGISTRY.values():
        for s in f.suffixes:
            if low.endswith(s) and (best is None or len(s) > best[0]):
                best = (len(s), f.name)
    return best[1] if best else None


def format_names() -> List[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def export(lib: "Library", fmt: str, **options: Any) -> str:
    """Text of ``lib`` in format ``fmt`` (see :func:`format_names`)."""
    return get_format(fmt).export(lib, **options)
