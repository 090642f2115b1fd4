"""Loading real ``.bib`` files whole: plm_bib against bibtexparser v2, file by file.

    python benchmarks/real_files.py [--runs 3] [--min-entries 0] [--no-synthetic] [--out FILE]

Every ``.bib`` file under ../shared/data/bib (the ACL Anthology export among them), loaded as
it is (``@string``, duplicate keys, parentheses, broken blocks and all), then one file made
of all of them, then the synthetic 1k/10k/100k corpora of ``benchmarks/run.py``.  Per file:
entries (bibtexparser's count), the median of ``--runs`` runs in this one process of
``plm_bib.read_bibtex`` (caches cleared before each run, untimed: cold) and of ``bibtexparser.parse_file``
(default middlewares), their ratio, and plm_bib's ratio to the regex floor (finding the entry
heads with one regular expression, the least a Python reader does).  Peak memory
(tracemalloc, a run of its own) of both for files of at least ``--memory-from`` entries.
Prints a Markdown table (and writes it to ``--out``).
"""
from __future__ import annotations

import argparse
import gc
import logging
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared" / "data" / "bib"
_HEADS = re.compile(r"^@(\w*)\{([^,]*),", re.M)

Row = Tuple[str, int, float, float, float, Optional[float], Optional[float]]


def median_time(fn: Callable[[], object], runs: int, setup: Optional[Callable[[], object]] = None) -> float:
    """The median time of ``fn``; ``setup`` runs before each, untimed."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def peak(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure(label: str, path: Path, runs: int, memory: bool) -> Row:
    import bibtexparser

    from plm_bib.bibtex import clear_parse_caches
    from plm_bib.readers import read_bibtex

    text = path.read_text(encoding="utf-8")

    def ours() -> object:
        return read_bibtex(path)

    def theirs() -> object:
        return bibtexparser.parse_file(str(path))

    entries = len(bibtexparser.parse_file(str(path)).entries)
    floor = median_time(lambda: _HEADS.findall(text), runs)
    bp = median_time(theirs, runs)
    # cold: every memo emptied before each run, untimed (emptying them frees the previous
    # file's memos, which is no part of reading this one)
    plm = median_time(ours, runs, setup=clear_parse_caches)
    if memory:
        clear_parse_caches()
    mem_plm = peak(ours) if memory else None
    mem_bp = peak(theirs) if memory else None
    return label, entries, plm, bp, floor, mem_plm, mem_bp


def shared_files() -> Tuple[List[Path], List[Path]]:
    """The shared ``.bib`` files both readers load as UTF-8, and those they do not."""
    out, skipped = [], []
    for path in sorted(SHARED.rglob("*.bib")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            skipped.append(path)  # bibtexparser's parse_file reads UTF-8 only
            continue
        out.append(path)
    return out, skipped


def table(rows: List[Row]) -> List[str]:
    lines = ["| file | entries | plm_bib | bibtexparser | ratio | vs regex floor | peak MB plm_bib / bibtexparser |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, n, plm, bp, floor, m1, m2 in rows:
        mem = f"{m1:,.1f} / {m2:,.1f}" if m1 is not None and m2 is not None else ""
        lines.append(f"| {label} | {n:,} | {plm * 1e3:,.1f} ms | {bp * 1e3:,.1f} ms | {plm / bp:.2f}x "
                     f"| {plm / floor:,.0f}x | {mem} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--min-entries", type=int, default=0, help="leave out smaller files (the table only)")
    ap.add_argument("--memory-from", type=int, default=1000, help="peak memory for files of this many entries on")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--only", action="append", default=[], help="only files whose path holds this")
    ap.add_argument("--no-files", action="store_true",
                    help="only the rows after the files: all files in one, and the synthetic corpora")
    ap.add_argument("--out", help="also write the table here")
    args = ap.parse_args()
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its per-block warnings
    rows: List[Row] = []
    every, skipped = shared_files()
    files = [p for p in every if not args.only or any(o in str(p) for o in args.only)]
    for path in [] if args.no_files else files:
        row = measure(str(path.relative_to(SHARED)), path, args.runs, memory=False)
        if row[1] >= args.memory_from:
            row = measure(row[0], path, args.runs, memory=True)
        if row[1] >= args.min_entries:
            rows.append(row)
            print("\n".join(table(rows)[-1:]), file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.only:
            whole = Path(tmp) / "all-shared-files.bib"
            whole.write_text("\n".join(p.read_text(encoding="utf-8") for p in files), encoding="utf-8")
            rows.append(measure(f"all {len(files)} files in one", whole, args.runs, memory=True))
            print("\n".join(table(rows)[-1:]), file=sys.stderr)
        if not args.no_synthetic:
            from run import make_corpora  # benchmarks/run.py: the 1k/10k/100k corpora of real entries

            sizes = [1000, 10000, 100000]
            for n, path in make_corpora(sizes, Path(tmp)).items():
                rows.append(measure(f"synthetic {n:,}", path, args.runs, memory=True))
                print("\n".join(table(rows)[-1:]), file=sys.stderr)
    out = "\n".join(table(rows)) + "\n"
    worst = max(rows, key=lambda r: r[2] / r[3])
    out += f"\nworst ratio: {worst[2] / worst[3]:.2f}x ({worst[0]})\n"
    out += "not UTF-8 (left out): " + ", ".join(str(p.relative_to(SHARED)) for p in skipped) + "\n"
    print(out)
    if args.out:
        Path(args.out).write_text(out, encoding="utf-8")


if __name__ == "__main__":
    main()
