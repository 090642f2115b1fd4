"""Placeholder replaced below."""
from .library import Library


def apply_curated(lib: Library) -> Library:
    return lib
