"""Benchmarks: plm_bib against its peers, on the same input, in one invocation.

    python benchmarks/run.py [--quick] [--write docs/performance.md]

Corpora: 1k, 10k and 100k entries made of real entries: every entry of the ``.bib`` files
under ../shared/data/bib (the ACL Anthology export and the smaller corpora), shuffled with
a fixed seed, keys made unique; each corpus is the start of the next one.  Plus the real
ACL Anthology file, end to end.  Peers: a bare regex scan (the floor in Python),
bibtexparser v2 ``parse_file`` and its writer, pybtex's parser (non-strict) and its plain
style, ``pandoc --citeproc`` with the same CSL files on the same records (when installed).
Times are medians of ``--runs`` runs (1 at 100k); memory is the peak traced by
tracemalloc in a run of its own.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "bib"
ACL = SHARED / "large" / "acl_anthology.bib"

Row = Tuple[str, str, float, Optional[float], str]  # corpus, step, seconds, MB, note


# -- corpora ----------------------------------------------------------------------------------
def real_entries() -> List[str]:
    """Every entry of the shared corpora that reads alike on its own, as text: files with
    ``@string`` definitions, duplicate keys or backslash-newlines are left out (their entries
    need the rest of their file), and so are the blocks the scanner leaves to bibtexparser."""
    from plm_bib.bibtex.scan import Chunk, ScannedEntry, StringDef, scan
    from plm_bib.textio import InputError, read_text

    out: List[str] = []
    for path in sorted(SHARED.rglob("*.bib")):
        try:
            text = read_text(path)
        except InputError:
            continue
        scanned = scan(text)
        keys = [e.key for e in scanned if isinstance(e, ScannedEntry)]
        if "\\\n" in text or len(set(keys)) != len(keys) or any(
                isinstance(e, StringDef) or isinstance(e, Chunk) and text[e.start:e.stop].lower().startswith("@string")
                for e in scanned):
            continue
        out.extend(text[e.start:e.end] for e in scanned if isinstance(e, ScannedEntry) and e.fields and e.entry_type)
    return out


def make_corpora(sizes: List[int], folder: Path) -> Dict[int, Path]:
    entries = real_entries()
    random.Random(20261125).shuffle(entries)
    biggest = max(sizes)
    picked: List[str] = []
    seen: Dict[str, int] = {}
    head = re.compile(r"(@\w*\s*[{(]\s*)([^,\s]+)")  # an entry in braces or in parentheses
    while len(picked) < biggest:
        for raw in entries:
            m = head.match(raw)
            assert m
            key = m.group(2)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                raw = raw[:m.start(2)] + f"{key}-{seen[key]}" + raw[m.end(2):]
            picked.append(raw)
            if len(picked) == biggest:
                break
    out = {}
    for n in sizes:
        path = folder / f"corpus-{n}.bib"
        path.write_text("\n\n".join(picked[:n]) + "\n", encoding="utf-8")
        out[n] = path
    return out


# -- measuring --------------------------------------------------------------------------------
def timed(fn: Callable[[], object], runs: int, memory: bool = True) -> Tuple[float, Optional[float]]:
    times = []
    for _ in range(runs):
        gc.collect()  # the garbage of earlier steps is not collected on this step's time
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    peak = None
    if memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return statistics.median(times), peak


def cold_format(lib: object, style: str, backend: str) -> str:
    from plm_bib.csl.citeproc_adapter import clear_style_memo
    from plm_bib.render import bibliography

    bibliography.clear_caches()  # the default RenderCache and the memoised markup
    clear_style_memo()  # the parsed styles
    return lib.format(style, backend)  # type: ignore[attr-defined]


def pandoc_format(lib: object, style: str, backend: str) -> Optional[float]:
    """Seconds for pandoc --citeproc to render the same records (CSL-JSON) in the same CSL
    file, process start included; None without pandoc."""
    if not shutil.which("pandoc"):
        return None
    from plm_bib.formats import export
    from plm_bib.render.styles import csl_path, get_style

    with tempfile.TemporaryDirectory() as tmp:
        refs = Path(tmp) / "refs.json"
        refs.write_text(export(lib, "csl-json"), encoding="utf-8")  # type: ignore[arg-type]
        doc = Path(tmp) / "doc.md"
        doc.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
        t = time.perf_counter()
        subprocess.run(["pandoc", "--citeproc", "--bibliography", str(refs), "--csl",
                        csl_path(get_style(style).target), "-t", "plain" if backend == "text" else backend,
                        str(doc)], capture_output=True, check=True)
        return time.perf_counter() - t


def pybtex_plain(path: Path, backend: str) -> Tuple[float, int]:
    """Seconds for pybtex to parse the file and format its entries in its plain style, and
    the number of entries it could not format (a required field missing, or an entry type
    it has no template for: its plain style stops there, so each entry is formatted alone)."""
    from pybtex import errors
    from pybtex.database.input.bibtex import Parser
    from pybtex.plugin import find_plugin
    from pybtex.style.template import FieldIsMissing

    errors.set_strict_mode(False)
    text = path.read_text(encoding="utf-8")
    t = time.perf_counter()
    bib = Parser().parse_string(text)
    style = find_plugin("pybtex.style.formatting", "plain")()
    out = find_plugin("pybtex.backends", "html" if backend == "html" else "text")()
    entries = list(style.sort(bib.entries.values()))
    failed = 0
    parts = []
    for label, entry in zip(style.format_labels(entries), entries):
        try:
            parts.append(style.format_entry(label, entry).text.render(out))
        except (FieldIsMissing, AttributeError):  # a required field missing; a type it has no template for
            failed += 1
    return time.perf_counter() - t, failed


def load_and_export(n: int, path: Path, runs: int) -> List[Row]:
    import bibtexparser
    from pybtex import errors
    from pybtex.database.input.bibtex import Parser

    from plm_bib.bibtex import clear_parse_caches as clear_caches
    from plm_bib.formats import export
    from plm_bib.readers import read_bibtex

    errors.set_strict_mode(False)
    text = path.read_text(encoding="utf-8")
    label = f"{n:,} entries"
    rows: List[Row] = []
    t, mem = timed(lambda: re.findall(r"^@(\w*)\{([^,]*),", text, re.M), runs)
    rows.append((label, "regex scan (floor)", t, mem, ""))
    bp_lib = None

    def bp() -> object:
        nonlocal bp_lib
        bp_lib = bibtexparser.parse_file(str(path))
        return bp_lib

    base, mem = timed(bp, runs)
    rows.append((label, "bibtexparser parse_file", base, mem, "1.00x"))
    t, mem = timed(lambda: Parser().parse_file(str(path)), runs)
    rows.append((label, "pybtex parse (non-strict)", t, mem, f"{t / base:.2f}x"))
    def load_cold() -> object:
        clear_caches()  # no decoding or name memoised by an earlier run
        return read_bibtex(path)

    t, mem = timed(load_cold, runs)
    rows.append((label, "plm_bib load (normalised records)", t, mem, f"{t / base:.2f}x bibtexparser"))
    lib = read_bibtex(path)
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    writer, mem = timed(lambda: bibtexparser.write_string(bp_lib, bibtex_format=fmt), runs)
    rows.append((label, "bibtexparser writer", writer, mem, "1.00x"))
    for f in ("bibtex", "csl-json"):
        t, mem = timed(lambda f=f: clear_caches() or export(lib, f), runs)
        rows.append((label, f"plm_bib export {f}", t, mem, f"{t / writer:.2f}x bibtexparser writer"))
    return rows


def formatting(n: int, path: Path) -> List[Row]:
    from plm_bib.readers import read_bibtex

    lib = read_bibtex(path)
    label = f"{n:,} entries"
    rows: List[Row] = []
    for backend in ("html", "text"):
        plain, failed = pybtex_plain(path, backend)
        rows.append((label, f"pybtex plain style, {backend}", plain, None,
                     f"parse included; {failed} entries it cannot format"))
        for style in ("apa", "ieee"):
            t, _ = timed(lambda style=style, backend=backend: cold_format(lib, style, backend), 1, memory=False)
            peer = pandoc_format(lib, style, backend)
            note = f"pandoc {peer:.2f} s: {t / peer:.2f}x; pybtex plain: {t / plain:.2f}x" if peer else \
                f"pybtex plain: {t / plain:.2f}x"
            rows.append((label, f"format {style}, {backend}, cold", t, None, note))
            if backend == "html":
                recs = list(lib)
                recs[len(recs) // 2] = recs[len(recs) // 2].replace(title="A changed title")
                changed = lib.with_records(recs)
                again, _ = timed(lambda c=changed, s=style, b=backend: c.format(s, b), 1,
                                 memory=False)
                rows.append((label, f"format {style}, {backend}, one record changed", again, None,
                             f"{t / again:.0f}x faster than cold"))
    return rows


def cite_rows(n: int, path: Path, key: str) -> List[Row]:
    rows: List[Row] = []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PLM_BIB_CACHE_DIR": cache}
        cmd = [sys.executable, "-m", "plm_bib", "cite", key, "--bib", str(path)]

        def run(extra: List[str]) -> float:
            t = time.perf_counter()
            subprocess.run(cmd + extra, capture_output=True, check=True, env=env, cwd=ROOT)
            return time.perf_counter() - t

        def first_call() -> float:
            for old in Path(cache).glob("*.sqlite"):
                old.unlink()  # no index: this call builds it
            return run([])

        # alternated, medians of 3: at 100k a single run of either varies by ±10%
        wholes, firsts = [], []
        for _ in range(3):
            wholes.append(run(["--no-cache"]))
            firsts.append(first_call())
        whole, first = statistics.median(wholes), statistics.median(firsts)
        second = statistics.median(run([]) for _ in range(5))
    label = f"{n:,} entries"
    rows.append((label, "`plm-bib cite KEY --bib` without index", whole, None, "load + APA"))
    rows.append((label, "`plm-bib cite`, first call (builds the index)", first, None, f"{first / whole:.2f}x"))
    rows.append((label, "`plm-bib cite`, next calls", second, None, "median of 5"))
    return rows


def acl_end_to_end() -> List[Row]:
    from plm_bib.formats import export
    from plm_bib.readers import read_bibtex

    rows: List[Row] = []
    t = time.perf_counter()
    lib = read_bibtex(ACL)
    rows.append(("ACL Anthology file", f"load ({len(lib):,} records)", time.perf_counter() - t, None, ""))
    t = time.perf_counter()
    export(lib, "csl-json")
    rows.append(("ACL Anthology file", "export CSL-JSON", time.perf_counter() - t, None, ""))
    few = lib.with_records(list(lib)[::len(lib) // 1000][:1000])
    t = time.perf_counter()
    cold_format(few, "apa", "html")
    rows.append(("ACL Anthology file", "format 1,000 of its entries, APA, HTML", time.perf_counter() - t, None, ""))
    return rows


def startup(runs: int) -> List[Tuple[str, float]]:
    cmds = [("import plm_bib", [sys.executable, "-c", "import plm_bib"]),
            ("plm-bib --help", [sys.executable, "-m", "plm_bib", "--help"]),
            ("plm-bib build (built-in list)", [sys.executable, "-m", "plm_bib", "build", "-o", "-"]),
            ("python itself (no import)", [sys.executable, "-c", "pass"])]
    out = []
    for name, cmd in cmds:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=True)
            times.append(time.perf_counter() - t)
        out.append((name, statistics.median(times)))
    return out


def scaling(rows: List[Row], sizes: List[int]) -> List[str]:
    """Seconds per entry at each size, against the smallest: 1.0 is linear."""
    steps = ["bibtexparser parse_file", "plm_bib load (normalised records)", "plm_bib export bibtex",
             "plm_bib export csl-json"]
    lines = ["| step | " + " | ".join(f"µs/entry at {n:,}" for n in sizes) + f" | {sizes[-1]:,} vs {sizes[0]:,} |",
             "|---|" + "---|" * (len(sizes) + 1)]
    for step in steps:
        per = [next(t / n * 1e6 for c, s, t, _, _ in rows if s == step and c == f"{n:,} entries") for n in sizes]
        lines.append(f"| {step} | " + " | ".join(f"{p:.1f}" for p in per) + f" | {per[-1] / per[0]:.2f} |")
    return lines


def table(rows: List[Row]) -> List[str]:
    lines = ["| corpus | step | median | entries/s | peak memory | vs peer |", "|---|---|---|---|---|---|"]
    for corpus, step, t, mem, note in rows:
        n = re.match(r"([\d,]+) entries", corpus)
        rate = f"{int(n.group(1).replace(',', '')) / t:,.0f}" if n and "cite" not in step else ""
        lines.append(f"| {corpus} | {step} | {t:.2f} s | {rate} | {f'{mem:,.0f} MB' if mem is not None else ''} "
                     f"| {note} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1k and 10k only, no ACL end-to-end")
    ap.add_argument("--runs", type=int, default=3, help="runs per step up to 10k entries (1 at 100k)")
    ap.add_argument("--write", help="write the Markdown tables into this file")
    args = ap.parse_args()
    sizes = [1000, 10000] + ([] if args.quick else [100000])
    rows: List[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        corpora = make_corpora(sizes, Path(tmp))
        for n in sizes:
            rows += load_and_export(n, corpora[n], args.runs if n <= 10000 else 1)
            print("\n".join(table(rows[-8:])), file=sys.stderr)
        for n in (1000, 10000):
            rows += formatting(n, corpora[n])
            print("\n".join(table(rows[-12:])), file=sys.stderr)
        key = re.search(r"@\w+\{([^,]+),", corpora[sizes[-1]].read_text(encoding="utf-8")[-5000:])
        assert key
        rows += cite_rows(sizes[-1], corpora[sizes[-1]], key.group(1))
    if not args.quick:
        rows += acl_end_to_end()
    start = ["| command | median of 5 fresh processes |", "|---|---|"]
    start += [f"| `{name}` | {t:.2f} s |" for name, t in startup(5)]
    out = "\n".join(table(rows)) + "\n\nScaling (time per entry):\n\n" + "\n".join(scaling(rows, sizes)) + \
        "\n\n" + "\n".join(start) + "\n"
    print(out)
    if args.write:
        path = Path(args.write)
        doc = path.read_text(encoding="utf-8")
        begin, end = "<!-- results: begin -->", "<!-- results: end -->"
        doc = doc[: doc.index(begin) + len(begin)] + "\n\n" + out + "\n" + doc[doc.index(end):]
        path.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
