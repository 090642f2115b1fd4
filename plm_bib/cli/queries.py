"""The commands of ``plm-bib`` that answer on the terminal: cite, check, styles, formats."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import click

from plm_bib.cli.common import EXIT_FINDINGS, emit, encoding_option, export_text, known_format, load_input, style_option
from plm_bib.curation.check import check as run_check
from plm_bib.formats import format_names, get_format


@click.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("-i", "--input", "--bib", "input", help="the library to cite from (default: built-in list)")
@style_option
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              help="text, markdown, html, latex, or an entry format (bibtex, biblatex, csl-json, json)")
@click.option("--no-cache", is_flag=True,
              help="load the .bib file whole, without the persistent index (see docs/performance.md)")
@encoding_option
def cite(keys: List[str], input: Optional[str], style: Optional[str], fmt: str, no_cache: bool) -> None:
    """Print the references of KEYS, formatted in a style (or as entries with -f bibtex).

    From a .bib file, the first call keeps an index of the file in the cache folder
    ($PLM_BIB_CACHE_DIR, else ~/.cache/plm_bib), keyed by the file's content: later calls
    read only the cited entries."""
    known_format(fmt)
    if input and input.lower().endswith((".bib", ".bibtex")):
        from plm_bib.citing.index import load_keys

        chosen, missing = load_keys(input, keys, cache=not no_cache,
                                    encoding=click.get_current_context().meta.get("plm_bib.encoding"))
    else:
        lib = load_input(input)
        missing = [k for k in keys if k not in lib]
        chosen = lib.with_records([lib[k] for k in dict.fromkeys(keys) if k in lib], problems=[])
    if missing:
        click.echo(f"plm-bib: error: no record with key {', '.join(map(repr, missing))} in "
                   f"{input or 'the built-in list'}", err=True)
        sys.exit(2)
    emit(export_text(chosen, fmt, style=style), None)


@click.command()
@click.argument("input", required=False)
@click.option("--json", "as_json", is_flag=True, help="print findings as JSON")
@click.option("--strict", is_flag=True, help="exit 1 when a finding of level error is found")
@click.option("--level", type=click.Choice(["info", "warning", "error"]), default="info",
              show_default=True, help="lowest level to show")
@encoding_option
def check(input: Optional[str], as_json: bool, strict: bool, level: str) -> None:
    """Compare what the list claims (venue, year, title, links) with the verified records."""
    from plm_bib.curation.check import LEVELS
    from plm_bib.readinglist import LOW_CONFIDENCE

    lib = load_input(input)
    findings = [f for f in run_check(lib) if LEVELS.index(f.level) >= LEVELS.index(level)]
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
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
