"""The commands of ``plm-bib`` that write a library to a file: export, build, pdf, html, enrich."""
from __future__ import annotations

import sys
from typing import Optional

import click

from plm_bib.cli.common import (
    EXIT_OUTPUT,
    REFERENCES_HEADER,
    check_output,
    curated_option,
    emit,
    encoding_option,
    export_text,
    in_place_option,
    known_format,
    load_input,
    report_problems,
    style_option,
)
from plm_bib.cli.keying import key_options, rekey, write_lock
from plm_bib.formats import format_for_path, get_format


@click.command()
@click.argument("input", required=False)
@click.option("-f", "--format", "fmt", help="output format (default: from -o suffix, else json)")
@click.option("-o", "--output", help="output file ('-' for stdout, the default)")
@style_option
@click.option("--ascii", "ascii_", is_flag=True, help="BibTeX/BibLaTeX: LaTeX-encode non-ASCII characters")
@click.option("--title", help="title of a reading-list document (-f tex)")
@click.option("--raw", is_flag=True, help="do not apply the curated metadata (to the built-in list)")
@curated_option
@click.option("-q", "--quiet", is_flag=True, help="do not report input problems on stderr")
@in_place_option
@key_options
@encoding_option
def export(input: Optional[str], fmt: Optional[str], output: Optional[str], style: Optional[str],
           ascii_: bool, title: Optional[str], raw: bool, curated: bool, quiet: bool, in_place: bool,
           keys: Optional[str], key_lock: Optional[str], key_map: Optional[str]) -> None:
    """Write every record of INPUT in a format (json, bibtex, biblatex, csl-json, csl-yaml,
    ris, hayagriva, text, markdown, html, latex, tex: see `plm-bib formats`)."""
    if fmt is None:
        fmt = format_for_path(output) if output and output != "-" else None
        fmt = fmt or "json"
    check_output(output, input, known_format(fmt), in_place)
    lib = load_input(input, curated=False if raw else (curated or None))
    report_problems(lib, quiet)
    lib, lock, changes = rekey(lib, input, keys, key_lock)
    emit(export_text(lib, fmt, style=style, ascii=ascii_, title=title), output)
    write_lock(key_lock, lock, key_map, changes)


@click.command()
@click.argument("input", required=False)
@click.option("-o", "--output", default="references.bib", show_default=True,
              help="the .bib file to write ('-' for stdout)")
@curated_option
@in_place_option
@key_options
@encoding_option
def build(input: Optional[str], output: str, curated: bool, in_place: bool, keys: Optional[str],
          key_lock: Optional[str], key_map: Optional[str]) -> None:
    """Build the BibTeX library of INPUT (default: the built-in list, with the curated metadata).

    The output is deterministic: building twice gives identical bytes.
    """
    check_output(output, input, "bibtex", in_place)
    lib = load_input(input, curated or None)
    report_problems(lib, quiet=False)
    lib, lock, changes = rekey(lib, input, keys, key_lock)
    text = get_format("bibtex").export(lib, header=REFERENCES_HEADER)
    emit(text, output)
    write_lock(key_lock, lock, key_map, changes)
    if output != "-":
        papers = sum(1 for r in lib if r.is_paper)
        click.echo(f"wrote {output}: {papers} papers, {len(lib) - papers} resources", err=True)


@click.command()
@click.argument("input", required=False)
@click.option("-o", "--output", default="reading-list.pdf", show_default=True, help="the PDF to write")
@style_option
@click.option("--engine", type=click.Choice(["typst", "latex"]), default="typst", show_default=True,
              help="typst (pip extra 'pdf', no system packages) or latex (XeLaTeX + biber)")
@click.option("--title", help="document title (default: the list's own title)")
@click.option("--numbering", type=click.Choice(["section", "continuous"]), default="section",
              show_default=True, help="number references per section or through the document")
@click.option("--charts", is_flag=True,
              help="add the papers-per-year and per-venue charts (typst engine; pip extra 'plots')")
@curated_option
@encoding_option
def pdf(input: Optional[str], output: str, style: Optional[str], engine: str, title: Optional[str],
        numbering: str, charts: bool, curated: bool) -> None:
    """Render INPUT (default: the built-in list) as a reading-list PDF: a section per heading,
    formatted references, the list's notes, corrections of its claims, and links."""
    from plm_bib.render.pdf import PdfError, render_pdf
    from plm_bib.render.styles import StyleNotFound

    check_output(output, input, "pdf", None)
    if charts and engine != "typst":
        raise click.BadParameter("charts are drawn in the typst engine's PDF only", param_hint="'--charts'")
    lib = load_input(input, curated or None)
    report_problems(lib, quiet=False)
    try:
        render_pdf(lib, output, style=style or "ieee", engine=engine, title=title, numbering=numbering,
                   charts=charts)
    except StyleNotFound as e:
        raise click.BadParameter(str(e), param_hint="'--style'") from None
    except PdfError as e:
        click.echo(f"plm-bib: error: {e}", err=True)
        sys.exit(EXIT_OUTPUT)
    except OSError as e:
        click.echo(f"plm-bib: error: {output}: cannot write: {e.strerror or e}", err=True)
        sys.exit(EXIT_OUTPUT)
    click.echo(f"wrote {output}: {len(lib)} records in {len(lib.by_section())} sections", err=True)


@click.command(name="html")
@click.argument("input", required=False)
@click.option("-o", "--output", default="reading-list.html", show_default=True,
              help="the HTML file to write ('-' for stdout)")
@style_option
@click.option("--title", help="page title (default: the list's own title)")
@click.option("--charts/--no-charts", default=True, show_default=True,
              help="the papers-per-year and per-venue charts (pip extra 'plots'; without it the page says so)")
@curated_option
@click.option("-q", "--quiet", is_flag=True, help="do not report input problems on stderr")
@encoding_option
def html_cmd(input: Optional[str], output: str, style: Optional[str], title: Optional[str], charts: bool,
             curated: bool, quiet: bool) -> None:
    """Write INPUT (default: the built-in list) as one self-contained, searchable web page:
    sections, formatted references, notes, links, verification marks and corrections, search,
    filters, copy-BibTeX buttons and charts; it needs no network."""
    check_output(output, input, "html-page", None)
    lib = load_input(input, curated or None)
    report_problems(lib, quiet)
    emit(export_text(lib, "html-page", style=style, title=title, charts=charts), output)
    if output != "-":
        click.echo(f"wrote {output}: {len(lib)} records in {len(lib.by_section())} sections", err=True)


@click.command(name="enrich")
@click.argument("input", required=False)
@click.option("-o", "--output", help="output file ('-' for stdout, the default)")
@click.option("-f", "--format", "fmt", help="output format (default: from -o suffix, else json)")
@click.option("--sources", default="arxiv,acl,dblp,crossref,s2", show_default=True,
              help="comma-separated sources to ask")
@click.option("--offline", is_flag=True, default=None,
              help="answer from the cache only, never the network (also PLM_BIB_OFFLINE=1)")
@click.option("--refresh", is_flag=True, help="ask the sources again instead of using the cache")
@click.option("--mailto", help="your e-mail address, sent to Crossref (polite pool) and in the User-Agent")
@click.option("--raw/--curated", default=True, show_default=True,
              help="enrich the list as written (raw) or after the curated metadata")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="seconds for the whole run; once spent, the remaining lookups are skipped")
@in_place_option
@encoding_option
def enrich_cmd(input: Optional[str], output: Optional[str], fmt: Optional[str], sources: str,
               offline: Optional[bool], refresh: bool, mailto: Optional[str], raw: bool,
               timeout: Optional[float], in_place: bool) -> None:
    """Fill the papers of INPUT from arXiv, the ACL Anthology, DBLP, doi.org/Crossref and
    Semantic Scholar; report what could not be matched; write the result."""
    from plm_bib.sources.enrich import SOURCES, enrich

    names = [s.strip() for s in sources.split(",") if s.strip()]
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise click.BadParameter(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}",
                                 param_hint="'--sources'")
    if fmt is None:
        fmt = (format_for_path(output) if output and output != "-" else None) or "json"
    check_output(output, input, known_format(fmt), in_place)
    lib = load_input(input, curated=not raw)
    try:
        with click.progressbar(length=len(names), label="enriching", file=sys.stderr,
                               show_eta=False, item_show_func=lambda s: s) as bar:
            def step(name: str) -> None:
                bar.update(1, name)

            out = enrich(lib, names, mailto=mailto, offline=offline, refresh=refresh, progress=step,
                         timeout=timeout)
    except KeyboardInterrupt:
        click.echo("plm-bib: interrupted: nothing written (the cache keeps what was fetched)", err=True)
        sys.exit(130)
    new_problems = out.problems[len(lib.problems):]
    for p in new_problems:
        if p.level != "info":
            click.echo(f"plm-bib: {p}", err=True)
    emit(export_text(out, fmt), output)
    changed = sum(1 for a, b in zip(lib, out) if a.to_dict() != b.replace(key=a.key).to_dict())
    click.echo(f"enriched {changed} of {len(out.papers)} papers; {len(new_problems)} notices", err=True)
