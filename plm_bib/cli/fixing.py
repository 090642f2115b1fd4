"""``plm-bib fix``: a reading list given back with its verified corrections (the work is in
:mod:`plm_bib.curation.fix`; this module reads, writes and reports)."""
from __future__ import annotations

import difflib
import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, List, Optional

import click

from plm_bib.cli.common import EXIT_INPUT, encoding_option, write_file

if TYPE_CHECKING:
    from plm_bib.curation.fix import Fixed

__all__ = ["fix", "unified_diff"]


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff of two texts (their own line ends kept) that ``patch`` applies: a last
    line without a line end is marked ``\\ No newline at end of file``."""
    out: List[str] = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     f"a/{name}", f"b/{name}"):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _report(fixed: "Fixed", source: str, quiet: bool) -> None:
    if not quiet:
        for e in fixed.edits:
            what = f"added {e.new!r}" if not e.old else f"{e.old!r} -> {e.new!r}"
            click.echo(f"plm-bib: {source}:{e.line}: fixed: {what} ({e.why})", err=True)
        for left in fixed.left:
            click.echo(f"plm-bib: {source}:{left.line}: left: [{left.kind}] {left.message}", err=True)
    kinds = Counter(e.kind for e in fixed.edits)
    said = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(f"plm-bib: {source}: {len(fixed.edits)} edits{' (' + said + ')' if said else ''}, "
               f"{len(fixed.left)} left as they are", err=True)


@click.command(name="fix")
@click.argument("input", required=False)
@click.option("-o", "--output", default=None, help="write the fixed list to this file (default: standard output)")
@click.option("--in-place", is_flag=True, help="rewrite INPUT itself (atomically: its mode and a symbolic link kept)")
@click.option("--diff", "show_diff", is_flag=True,
              help="print a unified diff of INPUT and the fixed list on standard output (instead of the list "
                   "when there is no -o/--in-place)")
@click.option("--upgrade-links", is_flag=True,
              help="add the published version's link (ACL Anthology, PMLR, OpenReview, DOI) after an arXiv link")
@click.option("-q", "--quiet", is_flag=True, help="on standard error only the count of edits and of what was left")
@encoding_option
def fix(input: Optional[str], output: Optional[str], in_place: bool, show_diff: bool, upgrade_links: bool,
        quiet: bool) -> None:
    """Write the verified corrections into the reading list INPUT (default: the built-in list),
    in the list's own notation, every other byte as it was: a wrong venue, year or track is
    rewritten inside its claim (**EMNLP 2020** -> **Findings of EMNLP 2020**), a venue claimed
    for a preprint that never appeared becomes arXiv YEAR, a missing verified venue is added
    as the list writes its claims.  Unverified claims and duplicates are reported on standard
    error, never changed or deleted (see docs/cli.md, "plm-bib fix")."""
    from plm_bib.curation.fix import fix_bytes
    from plm_bib.readers import BUILTIN_SOURCE, builtin_list_bytes
    from plm_bib.textio import decode_exact, read_bytes

    if output == "":
        raise click.BadParameter("an empty file name", param_hint="'-o'")
    if in_place and output is not None:
        raise click.UsageError("--in-place rewrites INPUT: give -o or --in-place, not both")
    if in_place and input is None:
        raise click.UsageError("--in-place needs INPUT (the built-in list is not rewritten)")
    if input is not None and input.lower().endswith((".bib", ".bibtex", ".json", ".csljson")):
        raise click.BadParameter(f"{input}: fix rewrites a Markdown reading list (check a .bib or CSL-JSON "
                                 "file with `plm-bib check`)", param_hint="'INPUT'")
    if output not in (None, "-") and input is not None and _same_file(input, output):
        click.echo(f"plm-bib: error: {output}: is the input {input}; not overwritten (add --in-place, "
                   "without -o, to rewrite it)", err=True)
        sys.exit(EXIT_INPUT)
    encoding = click.get_current_context().meta.get("plm_bib.encoding")
    source = BUILTIN_SOURCE if input is None else input
    data = builtin_list_bytes() if input is None else read_bytes(input)
    fixed_bytes, fixed = fix_bytes(data, source, encoding, upgrade_links)
    target = input if in_place else output
    if target is not None and target != "-":
        if fixed_bytes != data or not in_place:
            write_file(target, fixed_bytes, "the fixed list")
    if show_diff:
        text, _codec, bom = decode_exact(data, source, encoding)
        mark = "\ufeff" if bom else ""
        click.echo(unified_diff(mark + text, mark + fixed.text,
                                os.path.basename(source)), nl=False)
    elif target is None or target == "-":
        click.echo(fixed_bytes, nl=False)
    _report(fixed, source, quiet)
