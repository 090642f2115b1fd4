"""SHA-256 digests of everything plm_bib writes, for the built-in list and the shared corpora.

The expectations in ``tests/golden/output-digests.json`` were made by this module *before*
a change that must not change any output (the architecture step of issue 17); the test
``test_outputs_unchanged.py`` makes them again and compares.  Only public entry points are
used, so the module survives code being moved.  To make the expectations anew, on purpose
and in a commit that says why::

    python3 tests/output_digests.py --write

Each key names one output: ``<input>|<what>``; a value is the digest of the UTF-8 text.
"""
from __future__ import annotations

import hashlib
import json
import sys
from functools import partial
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":       # this checkout's plm_bib, not an installed one
    sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
GOLDEN = ROOT / "tests" / "golden" / "output-digests.json"

DATA_FORMATS: Tuple[Tuple[str, Dict[str, object]], ...] = (
    ("json", {}), ("bibtex", {}), ("bibtex", {"ascii": True}), ("bibtex", {"latex": "safe"}),
    ("biblatex", {}), ("biblatex", {"latex": "safe"}), ("csl-json", {}),
)
BACKENDS = ("text", "markdown", "html", "latex")
SAMPLE = 24   # records per corpus file formatted in every style and backend


def _styles() -> List[str]:
    from plm_bib.render.styles import builtin_styles

    return [s.name for s in builtin_styles()]


# the day these expectations were made: the Typst source states its date, and an output must not
# change with the day the test runs
MADE_ON = (2026, 12, 1)


def _typst_source() -> Callable[..., str]:
    import datetime

    from plm_bib.render.pdf import typst_source

    return partial(typst_source, date=datetime.date(*MADE_ON))


def _builtin_list_text() -> str:
    from plm_bib.readers import builtin_list_text

    return builtin_list_text()


def _digest(text: str) -> str:
    """The digest of an output, with the shared corpora's folder written as ``$SHARED``.

    Messages and records name the file they came from by its absolute path; the digest must not depend on
    where the checkout sits (CI clones elsewhere).
    """
    for folder in sorted({str(SHARED.resolve()), str(SHARED)}, key=len, reverse=True):  # one may hold the other
        text = text.replace(folder, "$SHARED")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _outputs_of(name: str, lib, *, styled: bool, everything: bool) -> Iterator[Tuple[str, Callable[[], str]]]:
    import plm_bib

    yield f"{name}|problems", lambda: "\n".join(str(p) for p in lib.problems)
    for fmt, opts in DATA_FORMATS:
        tag = ",".join(f"{k}={v}" for k, v in sorted(opts.items()))
        yield f"{name}|{fmt}|{tag}", partial(plm_bib.export, lib, fmt, **opts)
    if not styled:
        return
    sample = lib
    if len(lib) > SAMPLE:
        step = len(lib) / SAMPLE
        sample = lib.with_records([lib[int(i * step)] for i in range(SAMPLE)])
    for style in _styles():
        for backend in BACKENDS:
            yield f"{name}|sample|{style}|{backend}", partial(plm_bib.export, sample, backend, style=style)
    yield f"{name}|reading-list-tex", lambda: plm_bib.export(lib, "reading-list-tex")
    yield f"{name}|check", lambda: "\n".join(str(f) for f in lib.check())
    if not everything:
        return
    typst = _typst_source()
    for style in _styles():
        yield f"{name}|reading-list-tex|{style}", partial(plm_bib.export, lib, "reading-list-tex", style=style)
        yield f"{name}|typst|{style}", partial(typst, lib, style=style)
    yield f"{name}|repr_html", lambda: lib._repr_html_()
    yield f"{name}|json-dict", lambda: json.dumps(lib.to_dict(), sort_keys=True, ensure_ascii=False)
    for r in lib:
        yield f"{name}|{r.key}|bibtex", partial(getattr, r, "bibtex")
        yield f"{name}|{r.key}|repr_html", r._repr_html_
        for style in _styles():
            yield f"{name}|{r.key}|cite|{style}", partial(r.cite, style)


def inputs() -> Iterator[Tuple[str, Callable[[], object], bool, bool]]:
    """(name, make the Library, styled, everything) for each input."""
    import plm_bib

    yield "builtin", plm_bib.load, True, True
    yield "builtin-uncurated", lambda: plm_bib.parse_markdown(
        _builtin_list_text(), "reading-list.md"), True, True
    if not SHARED.is_dir():
        return
    for p in sorted((SHARED / "reading-lists").glob("*.md")):
        yield f"lists/{p.name}", (lambda p=p: plm_bib.read_markdown(p)), True, False
    for p in sorted((SHARED / "bib").rglob("*.bib")):
        rel = p.relative_to(SHARED / "bib").as_posix()
        big = p.stat().st_size > 10_000_000
        yield f"bib/{rel}", (lambda p=p: plm_bib.read(str(p))), not big, False


def _read(make: Callable[[], object]):
    import plm_bib

    try:
        return make()
    except plm_bib.InputError as e:   # a file we refuse: its message is the output
        return str(e)


def digests(only: Callable[[str], bool] = lambda name: True) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for name, make, styled, everything in inputs():
        if not only(name):
            continue
        lib = _read(make)
        if isinstance(lib, str):
            out[f"{name}|refused"] = _digest(lib)
            continue
        out.update(digests_of(name, lib, styled=styled, everything=everything))
    return out


def digests_of(name: str, lib, *, styled: bool, everything: bool) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for key, make_text in _outputs_of(name, lib, styled=styled, everything=everything):
        try:
            text = make_text()
        except Exception as e:  # noqa: BLE001  (a crash is an output too: it must not change silently)
            text = f"raised {type(e).__name__}: {e}"
        out[key] = _digest(text)
    return out


def _main(argv: List[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="make the expectations anew")
    ap.add_argument("--only", action="append", default=[], metavar="PREFIX",
                    help="only the inputs whose name starts with PREFIX (builtin, lists/, bib/dblp, ...)")
    args = ap.parse_args(argv)
    prefixes = tuple(args.only)
    got = digests(lambda name: not prefixes or name.startswith(prefixes))
    if args.write:
        if prefixes:
            ap.error("--write makes every expectation: no --only")
        GOLDEN.write_text(json.dumps(got, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {len(got)} digests to {GOLDEN}")
        return 0
    diff = compare(got, prefixes)
    print(f"{len(got)} outputs, {len(diff)} differ")
    for k in diff[:50]:
        print("  ", k)
    return 1 if diff else 0


def expected() -> Dict[str, str]:
    return dict(json.loads(GOLDEN.read_text(encoding="utf-8")))


def compare(got: Dict[str, str], prefixes: Tuple[str, ...] = ()) -> List[str]:
    """The outputs that differ from the expectations (or are missing on either side)."""
    want = {k: v for k, v in expected().items() if not prefixes or k.startswith(prefixes)}
    return sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
