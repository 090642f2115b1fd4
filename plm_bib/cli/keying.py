"""Keys on the command line: ``--keys SCHEME`` and ``--key-lock FILE`` (export, build), and
the ``duplicates`` command (the same work under two keys in one .bib; ``--merge``)."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable, List, Optional, Sequence, Tuple, TypeVar

import click

from plm_bib.cli.common import (
    EXIT_FINDINGS,
    check_output,
    emit,
    encoding_option,
    export_text,
    in_place_option,
    load_input,
    report_problems,
    write_file,
)
from plm_bib.curation.duplicates import find_duplicates, kept_index, merge_duplicates, merged_text, own_key
from plm_bib.errors import BadOption
from plm_bib.keylock import LOCK_NAME, lock_text, locked_keys, read_lock
from plm_bib.keylock import own_key as locked_own_key
from plm_bib.keyschemes import check_scheme, scheme_keys
from plm_bib.library import Library
from plm_bib.textio import read_text

__all__ = ["key_options", "rekey", "duplicates"]

F = TypeVar("F", bound=Callable[..., Any])


def key_options(f: F) -> F:
    f = click.option("--key-map", "key_map", metavar="FILE",
                     help="write the keys that changed as JSON, old key -> new key")(f)
    f = click.option("--key-lock", "key_lock", metavar="FILE",
                     help=f"the key lock ({LOCK_NAME}): a work keeps the key it was given there; new works "
                          "are added; changed keys are printed and kept in its 'renamed'")(f)
    return click.option("--keys", "keys", metavar="SCHEME", callback=_scheme_option,
                        help="key scheme: scholar (devlin2019bert, the default for lists), acl "
                             "(devlin-etal-2019-bert), keep (the file's own keys, the default for "
                             "files), or a key pattern in JabRef's notation, e.g. "
                             "'[auth:lower][year][veryshorttitle:lower]' (docs/cli.md)")(f)


def _scheme_option(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return check_scheme(value)
    except BadOption as e:
        raise click.BadParameter(str(e)) from None


def _print_changes(changes: List[Tuple[str, str]]) -> None:
    for old, new in changes:
        click.echo(f"plm-bib: key changed: {old} -> {new}", err=True)


def _own_keys(input: Optional[str]) -> bool:
    """Whether the keys of ``input`` are the user's: a .bib or JSON file's, not a reading list's."""
    return input is not None and input.lower().endswith((".bib", ".bibtex", ".json"))


def rekey(lib: Library, input: Optional[str], keys: Optional[str], key_lock: Optional[str]
          ) -> Tuple[Library, Optional[str], List[Tuple[str, str]]]:
    """``lib`` (read from ``input``) keyed by the scheme and the lock (unchanged when neither
    is asked for), the lock's new text (written by the caller once the output is) and the
    keys that changed."""
    if keys is None and key_lock is None:
        return lib, None, []
    scheme = keys or "keep"
    records = list(lib)
    mine = _own_keys(input)
    if key_lock is None:
        new = scheme_keys(records, scheme)
        changes = sorted({(old, k) for old, k in ((locked_own_key(r, mine), k) for r, k in zip(records, new))
                          if old and old != k})
        _print_changes(changes)
        return lib.with_records([r if r.key == k else r.replace(key=k) for r, k in zip(records, new)]), None, changes
    out, lock, changes = locked_keys(records, read_lock(key_lock), scheme, mine)
    _print_changes(changes)
    return lib.with_records(out), lock_text(lock), changes


def write_lock(path: Optional[str], text: Optional[str], key_map: Optional[str] = None,
               changes: Sequence[Tuple[str, str]] = ()) -> None:
    """Write the lock and the map of changed keys (after the output)."""
    for name, what, body in ((path, "the key lock", text),
                             (key_map, "the key map", json.dumps(dict(changes), ensure_ascii=False, indent=1) + "\n")):
        if name is not None and body is not None:
            write_file(name, body, what)


@click.command()
@click.argument("input")
@click.option("--merge", is_flag=True, help="keep one entry of each work (the most complete), the other keys "
                                            "in its biblatex ids field; write the .bib")
@click.option("-o", "--output", help="with --merge: the .bib to write ('-' for stdout, the default)")
@click.option("--strict", is_flag=True, help="exit 1 when a duplicate is found")
@in_place_option
@encoding_option
def duplicates(input: str, merge: bool, output: Optional[str], strict: bool, in_place: bool) -> None:
    """Report the works of INPUT (a .bib) listed under two or more keys: the same DOI, arXiv
    or ACL Anthology id, or the same title with the authors and the year in common.

    With --merge, each work keeps its most complete entry (the most fields; then a published
    venue over a preprint; then the first in the file), the other keys go into its biblatex
    ids field (biber resolves a citation of any of them) and an alias map old -> kept is
    printed for BibTeX users, whose documents must cite the kept key."""
    if output is not None and not merge:
        raise click.BadParameter("-o writes the merged .bib: add --merge", param_hint="'-o'")
    check_output(output, input, "bibtex", in_place)
    lib = load_input(input, curated=False)
    report_problems(lib, quiet=False)
    records = list(lib)
    groups = find_duplicates(records)
    # the report goes to stdout, unless the merged .bib does
    to_err = merge and (output is None or output == "-")
    for g in groups:
        keep = kept_index(records, g)
        first = records[g.indexes[0]]
        for i, partner, why in zip(g.indexes[1:], g.partners, g.reasons):
            r, p = records[i], records[partner]
            click.echo(f"{r.origin}:{r.line}: {own_key(r)} is the same work as {own_key(p)} (line {p.line}): "
                       f"{why}", err=to_err)
        if merge:
            click.echo(f"{first.origin}:{records[keep].line}: kept {records[keep].key}", err=to_err)
    if merge:
        merged, aliases = merge_duplicates(records, groups)
        text = None
        if input.lower().endswith((".bib", ".bibtex")):
            # the file's own text with the entries cut and ids added: nothing else changes
            text = merged_text(read_text(input, click.get_current_context().meta.get("plm_bib.encoding")),
                               records, groups)
        emit(text if text is not None else export_text(lib.with_records(merged, problems=[]), "bibtex"), output)
        if aliases:
            click.echo("% alias map (old key -> kept key): cite the kept key with BibTeX; biber also "
                       "takes the old one (ids)", err=to_err)
        for old, new in aliases:
            click.echo(f"{old} -> {new}", err=to_err)
    n = sum(len(g.indexes) - 1 for g in groups)
    click.echo(f"{len(groups)} works with more than one entry; {n} duplicate entries"
               + (" merged" if merge else ""), err=True)
    if strict and groups:
        sys.exit(EXIT_FINDINGS)
