"""BibTeX: ``.bib`` text <-> Records, the only package that knows bibtexparser.

It owns reading (:mod:`~plm_bib.bibtex.read`: :func:`parse_bibtex`, the fast scanner
:mod:`~plm_bib.bibtex.scan` with bibtexparser for the blocks it leaves, put together in
:mod:`~plm_bib.bibtex.blocks`, bibtexparser on the whole text, the reference, in
:mod:`~plm_bib.bibtex.read_bibtexparser`, one entry's fields -> a Record in
:mod:`~plm_bib.bibtex.read_entry`, ``@string`` macros in :mod:`~plm_bib.bibtex.macros`, the
Problems of a file), LaTeX -> text (:mod:`~plm_bib.bibtex.decode`), text -> LaTeX
(:mod:`~plm_bib.bibtex.latex_text`: escaping, title protection, the safe mode), BibTeX name
lists both ways (:mod:`~plm_bib.bibtex.name_lists`) and writing BibTeX or BibLaTeX
(:mod:`~plm_bib.bibtex.write`: :func:`records_to_bibtex`, in the layout of bibtexparser's
writer).  Reading keeps everything: a block bibtexparser cannot parse becomes a Problem
with its line and raw text; fields the model does not hold go to ``Record.extra``
verbatim; reading follows BibTeX where bibtexparser does not (``@comment`` words skipped,
macros resolved, keys that differ only in case a warning).

**LaTeX source and text, one rule.**  A Record holds text (decoded Unicode: ``title``,
``authors``, ``journal``...; ``volume``, ``number`` and ``extra`` values as written).  A
record read from a ``.bib`` also keeps, in ``Record.latex``, the source of each field
whose text is not plain (a LaTeX special character or ligature, braces, a macro
expression, a value the writer would normalise; a plain title gets its acronyms braced, as
every written title does, which changes no text): ``latex[name]`` is the
value as written without its enclosing, ``latex["=" + name]`` a macro expression
(``procacl # acl``), ``latex["@string " + macro]`` each definition it uses (in value
syntax) and ``latex["@preamble"]`` the file's ``@preamble`` blocks.  Plain values keep no
source (the writer reproduces them), so memory grows only by the values that need it; an
``extra`` value is the very string object kept in ``latex``.

The writer (``write._Writer.source``) writes a field's source back exactly when the record's
current value is still what that source decodes to: edits, enrichment and values from
other inputs (Markdown, CSL-JSON, the network) differ and are escaped as text
(:func:`escape_latex`, ``name_lists.write_names``, ``latex_text.url_value``).  A kept source must also
be balanced as BibTeX counts braces (``\\{`` counts too).  Macro expressions are written
bare, with the ``@string`` definitions they use and the ``@preamble`` blocks of the
records written.  ``records_to_bibtex(..., latex="safe")`` (for documents compiled here)
keeps source LaTeX only when every control sequence in it is a harmless text command
(:data:`HARMLESS_COMMANDS`) and it holds no ``^^``, no ``%``, ``#`` or ``&`` unescaped;
it writes no macro, no input ``@preamble``, and no line holding ``\\end{filecontents``.
Field names are checked: one that is not a BibTeX name is written as ``x-`` and its
letters and digits (``write._field_name``).
"""
from __future__ import annotations

from plm_bib.bibtex.caches import clear_parse_caches
from plm_bib.bibtex.decode import latex_to_text
from plm_bib.bibtex.latex_text import HARMLESS_COMMANDS, escape_latex, is_harmless_latex, protect_title, to_ascii_latex
from plm_bib.bibtex.macros import MONTHS
from plm_bib.bibtex.read import parse_bibtex
from plm_bib.bibtex.read_bibtexparser import entry_to_record
from plm_bib.bibtex.read_entry import RESOURCE_TYPES, fields_to_record
from plm_bib.bibtex.write import record_fields, records_to_bibtex

__all__ = ["parse_bibtex", "records_to_bibtex", "latex_to_text", "escape_latex", "protect_title",
           "record_fields", "is_harmless_latex", "HARMLESS_COMMANDS", "to_ascii_latex", "fields_to_record",
           "entry_to_record", "MONTHS", "RESOURCE_TYPES", "clear_parse_caches"]
