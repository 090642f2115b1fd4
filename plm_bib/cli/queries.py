"""The commands of ``plm-bib`` that answer on the terminal: cite, check, styles, formats."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import click

from plm_bib.cli.common import (
    EXIT_FINDINGS,
    curated_option,
    emit,
    encoding_option,
    export_text,
    known_format,
    load_input,
    style_option,
)
from plm_bib.curation.check import check as run_check
from plm_bib.formats import format_names, get_format
from plm_bib.library import Library


@click.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("-i", "--input", "--bib", "input", help="the library to cite from (default: built-in list)")
@style_option
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              help="text, markdown, html, latex, or an entry format (bibtex, biblatex, csl-json, json)")
@click.option("--no-cache", is_flag=True,
              help="load the .bib file whole, without the persistent index (see docs/performance.md)")
@curated_option
@encoding_option
def cite(keys: List[str], input: Optional[str], style: Optional[str], fmt: str, no_cache: bool,
         curated: bool) -> None:
    """Print the references of KEYS, formatted in a style (or as entries with -f bibtex).

    From a .bib file, the first call keeps an index of the file in the cache folder
    ($PLM_BIB_CACHE_DIR, else ~/.cache/plm_bib), keyed by the file's content: later calls
    read only the cited entries."""
    known_format(fmt)
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
        lib = load_input(input, curated or None)
        missing = [k for k in keys if k not in lib]
        chosen = lib.with_records([lib[k] for k in dict.fromkeys(keys) if k in lib], problems=[])
    if missing:
        click.echo(f"plm-bib: error: no record with key {', '.join(map(repr, missing))} in "
                   f"{input or 'the built-in list'}", err=True)
        sys.exit(2)
    emit(export_text(chosen, fmt, style=style), None)


@click.command()
@click.argument("input", required=False)
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
def check(input: Optional[str], as_json: bool, fmt: str, strict: bool, level: str, online: bool,
          offline: bool, sources: str) -> None:
    """Compare what the input claims with the verified records: a list's venue, year, title
    and links; a .bib entry's entry type, booktitle/journal (venue and track), year, pages,
    DOI, eprint, authors and title.  The input is checked as written (no overlay)."""
    from plm_bib.curation.check import LEVELS
    from plm_bib.curation.overlay import apply_curated
    from plm_bib.identity import read_from_file
    from plm_bib.readinglist import LOW_CONFIDENCE

    lib = load_input(input, curated=False)
    if not any(read_from_file(r) for r in lib):  # a reading list: its claims are read against the overlay
        lib = apply_curated(lib)
    found = _found_online(lib, sources, offline) if online or offline else None
    findings = [f for f in run_check(lib, found) if LEVELS.index(f.level) >= LEVELS.index(level)]
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
        doubtful = [p for p in lib.problems if p.message.startswith((LOW_CONFIDENCE, "item without a title"))]
        for p in doubtful:
            click.echo(str(p), err=True)
        click.echo(f"{len(doubtful)} of {len(lib)} items read with low confidence", err=True)
    if strict and any(f.level == "error" for f in findings):
        sys.exit(EXIT_FINDINGS)


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
