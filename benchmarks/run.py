"""Benchmarks: plm_bib against its peers, in one process, on the same input.

    python benchmarks/run.py [--quick] [--write docs/performance.md]

Corpora are slices of the real ACL Anthology export in ../shared/data/bib/large (1k and
10k entries) and the whole file (88,536 entries).  Peers: a bare regex scan (the floor in
Python), bibtexparser v2 ``parse_string`` (no middlewares), pybtex's parser (non-strict).
Each number is the median of the runs; memory is the peak traced by tracemalloc in a run
of its own.  Start-up times are medians of fresh processes.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ACL = ROOT.parent / "shared" / "data" / "bib" / "large" / "acl_anthology.bib"


def slice_entries(text: str, n: int) -> str:
    starts = [m.start() for m in re.finditer(r"^@", text, re.M)]
    return text[: starts[n]] if n < len(starts) else text


def timed(fn: Callable[[], object], runs: int) -> Tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6


def peers(text: str) -> Dict[str, Callable[[], object]]:
    import bibtexparser
    from pybtex.database.input.bibtex import Parser

    from plm_bib.reading import parse_bibtex_text

    def pybtex_parse() -> object:
        from pybtex import errors

        errors.set_strict_mode(False)
        return Parser().parse_string(text)

    return {
        "regex scan (floor)": lambda: re.findall(r"^@(\w*)\{([^,]*),", text, re.M),
        "bibtexparser parse_string": lambda: bibtexparser.parse_string(text),
        "pybtex parse (non-strict)": pybtex_parse,
        "plm_bib load (normalised records)": lambda: parse_bibtex_text(text),
    }


def pandoc_format(lib: object, style: str) -> Optional[float]:
    """Seconds for pandoc --citeproc to render the same records (CSL-JSON) in the same CSL
    style to HTML, or None when pandoc is not installed."""
    import shutil
    import tempfile

    if not shutil.which("pandoc"):
        return None
    from plm_bib.formats import export
    from plm_bib.styles import csl_path, get_style

    with tempfile.TemporaryDirectory() as tmp:
        refs = Path(tmp) / "refs.json"
        refs.write_text(export(lib, "csl-json"), encoding="utf-8")  # type: ignore[arg-type]
        doc = Path(tmp) / "doc.md"
        doc.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
        t = time.perf_counter()
        subprocess.run(["pandoc", "--citeproc", "--bibliography", str(refs), "--csl",
                        csl_path(get_style(style).target), "-t", "html", str(doc)],
                       capture_output=True, check=True)
        return time.perf_counter() - t


def startup(runs: int) -> List[Tuple[str, float]]:
    cmds = [("import plm_bib", [sys.executable, "-c", "import plm_bib"]),
            ("plm-bib --help", [sys.executable, "-m", "plm_bib", "--help"]),
            ("plm-bib build (built-in list)", [sys.executable, "-m", "plm_bib", "build", "-o", "-"])]
    out = []
    for name, cmd in cmds:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=True)
            times.append(time.perf_counter() - t)
        out.append((name, statistics.median(times)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1k and 10k only")
    ap.add_argument("--write", help="write the Markdown tables into this file")
    args = ap.parse_args()
    from plm_bib.formats import export
    from plm_bib.reading import parse_bibtex_text
    from plm_bib.textio import read_text

    full = read_text(ACL)
    sizes = [1000, 10000] + ([] if args.quick else [88536])
    lines = ["| corpus | step | median | entries/s | peak memory | vs peer |", "|---|---|---|---|---|---|"]
    for n in sizes:
        text = slice_entries(full, n)
        runs = 3 if n <= 10000 else 1
        base = None
        for name, fn in peers(text).items():
            t, mem = timed(fn, runs)
            if name.startswith("bibtexparser"):
                base = t
            ratio = f"{t / base:.2f}x" if base else ""
            lines.append(f"| {n:,} entries | {name} | {t:.2f} s | {n / t:,.0f} | {mem:,.0f} MB | {ratio} |")
        lib = parse_bibtex_text(text)
        for fmt in ("bibtex", "csl-json"):
            t, mem = timed(lambda lib=lib, fmt=fmt: export(lib, fmt), runs)
            lines.append(f"| {n:,} entries | plm_bib export {fmt} | {t:.2f} s | {n / t:,.0f} | {mem:,.0f} MB | |")
        if n <= 10000:
            few = lib.with_records(list(lib)[:1000])
            for style in ("apa", "ieee", "plain"):
                t, mem = timed(lambda few=few, style=style: few.format(style, "html"), 1)
                peer = pandoc_format(few, style) if style != "plain" else None
                vs = f"pandoc --citeproc {peer:.2f} s: {t / peer:.2f}x" if peer else ""
                lines.append(f"| 1,000 of them | format {style}, HTML | {t:.2f} s | {1000 / t:,.0f} "
                             f"| {mem:,.0f} MB | {vs} |")
    start = ["| command | median of 5 fresh processes |", "|---|---|"]
    start += [f"| `{name}` | {t:.2f} s |" for name, t in startup(5)]
    table = "\n".join(lines) + "\n\n" + "\n".join(start) + "\n"
    print(table)
    if args.write:
        path = Path(args.write)
        doc = path.read_text(encoding="utf-8")
        begin, end = "<!-- results: begin -->", "<!-- results: end -->"
        doc = doc[: doc.index(begin) + len(begin)] + "\n\n" + table + "\n" + doc[doc.index(end):]
        path.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
