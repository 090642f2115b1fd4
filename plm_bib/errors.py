"""Every exception plm_bib raises on purpose, in one hierarchy.

``except plm_bib.PlmBibError`` catches all of them.  Each also derives from the built-in
exception it replaced (``KeyError`` for an unknown name, ``ValueError`` for a bad option,
``RuntimeError`` for a PDF that cannot be made), so code written against the old types
keeps working.  Line-level problems of an input are not exceptions: they are
:class:`plm_bib.model.Problem` values kept beside the records.

>>> issubclass(StyleNotFound, PlmBibError) and issubclass(StyleNotFound, KeyError)
True
>>> str(InputError("refs.bib", "not UTF-8", line=3))
'refs.bib:3: not UTF-8'
"""
from __future__ import annotations

from typing import Optional

__all__ = ["PlmBibError", "InputError", "BadStyle", "UnknownName", "StyleNotFound", "FormatNotFound",
           "BadOption", "BadKey", "SourceError", "PdfError", "ExtraNeeded"]


class PlmBibError(Exception):
    """The base of every plm_bib error."""


class InputError(PlmBibError):
    """Input that cannot be read at all (not a line-level problem): its file and line."""

    def __init__(self, source: str, message: str, line: int = 0):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


class BadStyle(InputError):
    """A ``.csl`` file that is not a CSL style (not XML, empty, another root, no bibliography)."""


class UnknownName(PlmBibError, KeyError):
    """A name (style, format, source) that no registry knows; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0])


class StyleNotFound(UnknownName):
    """No built-in style, alias, CSL style name or ``.csl`` file of that name."""


class FormatNotFound(UnknownName):
    """No export format of that name."""


class BadOption(PlmBibError, ValueError):
    """An option value out of its range (an unknown backend, engine, a negative timeout...)."""


class BadKey(PlmBibError, ValueError):
    """A citation key that a LaTeX or BibTeX writer cannot write (not safe: see
    :func:`plm_bib.keys.is_safe_key`)."""


class SourceError(PlmBibError):
    """A request that failed after retries, or an answer that cannot be used.  ``skipped``:
    not asked at all (its source was given up, or the run's time is spent)."""

    def __init__(self, url: str, message: str, status: Optional[int] = None, *,
                 skipped: bool = False, give_up: bool = False, counts: bool = True):
        self.url = url
        self.status = status
        self.message = message
        self.skipped = skipped
        self.give_up = give_up  # the source is not worth asking again in this run
        self.counts = counts    # a failure of the source (not: offline, and not in the cache)
        super().__init__(f"{url}: {message}" + (f" (HTTP {status})" if status else ""))


class PdfError(PlmBibError, RuntimeError):
    """The PDF cannot be made (no CJK font, no engine, an engine error)."""


class ExtraNeeded(PlmBibError, ImportError):
    """A feature whose optional dependencies are not installed; the message names the extra
    to install (``pip install 'plm_bib[plots]'``)."""
