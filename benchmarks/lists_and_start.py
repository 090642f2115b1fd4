"""Reading real Markdown lists, and ``plm-bib check`` from a fresh process (issue 20's targets).

    python benchmarks/lists_and_start.py [--runs 3] [--processes 5] [--out FILE]

1. Every reading list under ../shared/data/reading-lists, read as it is with
   ``plm_bib.read_markdown``: items, the first read in this process (tables loaded, regular
   expressions compiled), then the median of ``--runs`` cold reads (every memo of the package
   emptied before each, untimed).
2. ``plm-bib check`` of the built-in list in fresh processes, as pip installs the package
   (bytecode compiled first): the first run with an empty cache folder (no pinyin memo: pypinyin
   is imported), then the median of ``--processes`` runs that find the memo the first one kept;
   ``python -c pass`` beside it (the interpreter's own start).
Prints Markdown tables (and writes them to ``--out``).
"""
from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from real_files import median_time  # noqa: E402  (benchmarks/real_files.py: the one timing loop)

LISTS = ROOT.parent / "shared" / "data" / "reading-lists"


def clear_memos() -> None:
    """Empty every memo of the package (``lru_cache`` functions that hold more than one
    value, and the pinyin memo); the tables loaded once (``maxsize=1``) stay."""
    from plm_bib.metadata import pinyin

    for name, module in list(sys.modules.items()):
        if not name.startswith("plm_bib") or module is None:
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(info(), "maxsize", None) != 1:
                value.cache_clear()
    pinyin._MEMO.clear()


def lists_table(runs: int) -> List[str]:
    import plm_bib

    out = ["| reading list | size | items | first read | median of cold reads |", "|---|---:|---:|---:|---:|"]
    for path in sorted(LISTS.glob("*.md")):
        t = time.perf_counter()
        lib = plm_bib.read_markdown(path)
        first = time.perf_counter() - t
        cold = median_time(lambda p=path: plm_bib.read_markdown(p), runs, setup=clear_memos)
        size = path.stat().st_size / 1e3
        out.append(f"| {path.name} | {size:,.0f} KB | {len(lib):,} | {first:.3f} s | {cold:.3f} s |")
        print(out[-1], file=sys.stderr)
    return out


def _run(cmd: List[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
    return time.perf_counter() - t


def start_table(processes: int) -> List[str]:
    compileall.compile_dir(str(ROOT / "plm_bib"), quiet=1)  # what pip install does
    check = [sys.executable, "-m", "plm_bib", "check"]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PLM_BIB_CACHE_DIR": cache}
        first = _run(check, env)
        warm = statistics.median(_run(check, env) for _ in range(processes))
        bare = statistics.median(_run([sys.executable, "-c", "pass"], env) for _ in range(processes))
    return ["| command | time |", "|---|---:|",
            f"| `plm-bib check`, first run (empty cache folder: pypinyin imported) | {first:.2f} s |",
            f"| `plm-bib check`, median of {processes} fresh processes (pinyin memo kept) | {warm:.2f} s |",
            f"| `python -c pass`, median of {processes} | {bare:.2f} s |"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--processes", type=int, default=5)
    ap.add_argument("--out")
    args = ap.parse_args()
    text = "\n".join(start_table(args.processes)) + "\n\n" + "\n".join(lists_table(args.runs)) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
