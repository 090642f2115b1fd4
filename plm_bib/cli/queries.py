"""The commands of ``plm-bib`` that answer on the terminal: cite, check, styles, formats."""
from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

import click

from plm_bib.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    check_output,
    curated_option,
    emit,
    encoding_option,
    export_text,
    known_format,
    load_input,
    report_problems,
    style_option,
)
from plm_bib.curation.check import check as run_check
from plm_bib.formats import format_names, get_format
from plm_bib.library import Library

if TYPE_CHECKING:
    from plm_bib.citing.select import Selection
    from plm_bib.curation.check import Finding


@click.command()
@click.argument("keys", nargs=-1)
@click.option("-i", "--input", "--bib", "inputs", multiple=True, metavar="FILE",
              help="the library to cite from; repeatable (default: the .bib files the --aux/--bcf "
                   "file names, else the built-in list)")
@click.option("--aux", metavar="FILE", help="cite what this BibTeX .aux (and the .aux files it inputs) cites")
@click.option("--bcf", metavar="FILE", help="cite what this biber control file (.bcf) cites")
@click.option("-o", "--output", default=None, help="write to this file (default: standard output)")
@click.option("--strict", is_flag=True, help="with --aux/--bcf: exit 1 when a cited key is in no .bib")
@click.option("--fetch/--no-fetch", default=True, show_default=True,
              help="with --aux/--bcf: fill a cited key that is an identifier (arXiv:1810.04805, doi:10..., "
                   "acl:N19-1423) and in no .bib from the online sources, under that key")
@style_option
@click.option("-f", "--format", "fmt", default=None,
              help="text, markdown, html, latex, or an entry format (bibtex, biblatex, csl-json, json) "
                   "[default: text; bibtex with --aux/--bcf]")
@click.option("--no-cache", is_flag=True,
              help="load the .bib file whole, without the persistent index (see docs/performance.md)")
@curated_option
@encoding_option
def cite(keys: List[str], inputs: Tuple[str, ...], aux: Optional[str], bcf: Optional[str], output: Optional[str],
         strict: bool, fetch: bool, style: Optional[str], fmt: Optional[str], no_cache: bool,
         curated: bool) -> None:
    """Print the references of KEYS, formatted in a style (or as entries with -f bibtex);
    with --aux or --bcf, write the entries a LaTeX document cites (see docs/latex.md).

    From a .bib file, the first call keeps an index of the file in the cache folder
    ($PLM_BIB_CACHE_DIR, else ~/.cache/plm_bib), keyed by the file's content: later calls
    read only the cited entries.

    With --aux main.aux (or --bcf main.bcf) the output is the cited entries and every entry
    they need (crossref, xdata... parents), as BibTeX that keeps the .bib's own LaTeX;
    cited keys in no .bib and the entries nothing cites are reported on standard error."""
    check_output(output, None, fmt or "text", None)
    if aux or bcf:
        if keys or (aux and bcf):
            raise click.UsageError("give KEYS, --aux FILE or --bcf FILE, one of them")
        _cite_document(aux or bcf or "", inputs, output, strict, fetch, style, known_format(fmt or "bibtex"))
        return
    if not keys:
        raise click.UsageError("give KEYS to cite, or --aux FILE / --bcf FILE")
    fmt = known_format(fmt or "text")
    for path in inputs:
        check_output(output, path, fmt, None)
    input = inputs[0] if len(inputs) == 1 else None
    if input and input.lower().endswith((".bib", ".bibtex")):
        from plm_bib.citing.index import load_keys

        chosen, missing = load_keys(input, keys, cache=not no_cache, curated=curated,
                                    encoding=click.get_current_context().meta.get("plm_bib.encoding"))
        if curated:
            from plm_bib.curation.report import overlay_findings

            raw, _ = load_keys(input, keys, cache=not no_cache, curated=False,
                               encoding=click.get_current_context().meta.get("plm_bib.encoding"))
            for f in overlay_findings(raw, chosen):
                click.echo(f"plm-bib: {f}", err=True)
    else:
        lib = _libraries(inputs, curated=curated or None) if inputs else load_input(None)
        missing = [k for k in keys if k not in lib]
        chosen = lib.with_records([lib[k] for k in dict.fromkeys(keys) if k in lib], problems=[])
    if missing:
        click.echo(f"plm-bib: error: no record with key {', '.join(map(repr, missing))} in "
                   f"{', '.join(inputs) or 'the built-in list'}", err=True)
        sys.exit(2)
    emit(export_text(chosen, fmt, style=style), output)


def _libraries(paths: Sequence[str], curated: Optional[bool]) -> Library:
    from plm_bib.citing.select import combine

    return combine([load_input(p, curated=curated) for p in paths])


def _cite_document(document: str, inputs: Sequence[str], output: Optional[str], strict: bool, fetch: bool,
                   style: Optional[str], fmt: str) -> None:
    """``cite --aux``/``--bcf``: the cited entries of the given (or named) .bib files, as they are
    (no curated overlay: the user's own entries)."""
    from plm_bib.citing.aux import read_cited
    from plm_bib.citing.select import select

    cited = read_cited(document)
    paths = list(inputs)
    if not paths:
        for path, where in cited.database_paths():
            if output is not None and output != "-" and os.path.exists(output) and os.path.exists(path) \
                    and os.path.samefile(path, output):
                click.echo(f"plm-bib: error: {where}: {path} is the output -o {output}: "
                           "name the .bib files to cite from with --bib", err=True)
                sys.exit(EXIT_INPUT)
            if not os.path.exists(path):
                click.echo(f"plm-bib: error: {where}: the document's database {path} does not exist "
                           "(name the .bib files with --bib)", err=True)
                sys.exit(EXIT_INPUT)
            paths.append(path)
    for path in paths:
        check_output(output, path, fmt, None)
    lib = _libraries(paths, curated=False) if paths else load_input(None)
    report_problems(lib, quiet=False)
    chosen = select(lib, cited)
    if fetch:
        _fetch_identifiers(chosen)
    emit(export_text(lib.with_records(chosen.records, problems=[]), fmt, style=style), output)
    for m in chosen.missing:
        click.echo(f"plm-bib: {'error' if strict else 'warning'}: {m}", err=True)
    shown = ", ".join(chosen.uncited)  # every key: what a user prunes their .bib by
    click.echo(f"{len(chosen.records)} entries written ({len(chosen.records) - len(chosen.parents)} cited, "
               f"{len(chosen.parents)} needed by them); {len(chosen.missing)} missing; "
               f"{len(chosen.uncited)} entries nothing cites" + (f": {shown}" if shown else ""), err=True)
    if strict and chosen.missing:
        sys.exit(EXIT_FINDINGS)


def _fetch_identifiers(chosen: "Selection") -> None:
    """The missing cited keys that are identifiers, filled online and added to ``chosen``."""
    from plm_bib.citing.fetch import fetch_cited, identifier_of

    wanted = [m.key for m in chosen.missing if not m.field and identifier_of(m.key)]
    if not wanted:
        return
    found, problems, _ = fetch_cited(wanted)
    for p in problems:
        if p.level != "info":
            click.echo(f"plm-bib: {p}", err=True)
    got = {r.key for r in found}
    chosen.records.extend(found)
    chosen.missing[:] = [m for m in chosen.missing if m.key not in got or m.field]
    if found:
        click.echo(f"{len(found)} cited identifiers filled from the online sources: "
                   f"{', '.join(r.key for r in found)}", err=True)


@click.command()
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--json", "as_json", is_flag=True, help="print findings as JSON (the same as --format json)")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="github: GitHub Actions annotations (::error file=F,line=L::...)")
@click.option("--strict", is_flag=True, help="exit 1 when a finding of level error is found")
@click.option("--level", type=click.Choice(["info", "warning", "error"]), default="info",
              show_default=True, help="lowest level to show")
@click.option("--online", is_flag=True,
              help="verify the entries the curated data does not know through the enrichment sources")
@click.option("--offline", is_flag=True,
              help="as --online, answered from the cache only (what `plm-bib enrich` fetched)")
@click.option("--sources", default="arxiv,acl,dblp,crossref,s2", show_default=True,
              help="with --online/--offline: the sources to ask")
@encoding_option
def check(inputs: Tuple[str, ...], as_json: bool, fmt: str, strict: bool, level: str, online: bool,
          offline: bool, sources: str) -> None:
    """Compare what each INPUT (default: the built-in list) claims with the verified records: a
    list's venue, year, title and links; a .bib entry's entry type, booktitle/journal (venue and
    track), year, pages, DOI, eprint, authors and title.  The input is checked as written (no
    overlay).  Several INPUTs (as pre-commit passes the staged files) are checked one by one."""
    from plm_bib.curation.check import LEVELS
    from plm_bib.readinglist import LOW_CONFIDENCE

    findings = []
    doubtful = []
    items = 0
    for input in inputs or (None,):
        lib, found = _checked(input, online, offline, sources)
        findings += [f for f in found if LEVELS.index(f.level) >= LEVELS.index(level)]
        doubtful += [p for p in lib.problems if p.message.startswith((LOW_CONFIDENCE, "item without a title"))]
        items += len(lib)
    if as_json or fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    elif fmt == "github":
        for f in findings:
            click.echo(f.github())
    else:
        for f in findings:
            click.echo(str(f))
        counts = {lv: sum(1 for f in findings if f.level == lv) for lv in LEVELS}
        click.echo(f"{len(findings)} findings: {counts['error']} errors, {counts['warning']} warnings, "
                   f"{counts['info']} notices", err=True)
        for p in doubtful:
            click.echo(str(p), err=True)
        click.echo(f"{len(doubtful)} of {items} items read with low confidence", err=True)
    if strict and any(f.level == "error" for f in findings):
        sys.exit(EXIT_FINDINGS)


def _checked(input: Optional[str], online: bool, offline: bool, sources: str) -> Tuple[Library, List["Finding"]]:
    """One input read as written and its findings."""
    from plm_bib.curation.overlay import apply_curated
    from plm_bib.identity import read_from_file

    lib = load_input(input, curated=False)
    if not any(read_from_file(r) for r in lib):  # a reading list: its claims are read against the overlay
        lib = apply_curated(lib)
    found = _found_online(lib, sources, offline) if online or offline else None
    return lib, run_check(lib, found)


def _found_online(lib: Library, sources: str, offline: bool) -> Library:
    """The entries of a file that the curated data does not know, enriched."""
    from plm_bib.curation.overlay import find_curated
    from plm_bib.identity import read_from_file
    from plm_bib.sources.enrich import SOURCES, enrich
    from plm_bib.sources.http import Client
    from plm_bib.sources.registry import POLITE_INTERVALS

    names = [s.strip() for s in sources.split(",") if s.strip()]
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise click.BadParameter(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}",
                                 param_hint="'--sources'")
    todo = [r for r in lib if r.is_paper and read_from_file(r) and find_curated(r) is None]
    with Client(offline=offline or None, intervals=POLITE_INTERVALS) as client:
        return enrich(lib.with_records(todo, problems=[]), names, client=client)


@click.command(name="styles")
def styles_cmd() -> None:
    """List the built-in bibliography styles."""
    from plm_bib.render.styles import builtin_styles

    for st in builtin_styles():
        click.echo(f"{st.name:9} {st.engine:7} {st.description}")


@click.command(name="formats")
def formats_cmd() -> None:
    """List the output formats."""
    for name in format_names():
        f = get_format(name)
        click.echo(f"{name:17} {' '.join(f.suffixes):19} {f.description}")
