"""The layers of plm_bib, read from its source (AST, nothing imported).

(a) no import circle among modules, counting the imports run when a module is imported (not
    those under ``if TYPE_CHECKING:``); an import inside a function runs when it is called: it
    is allowed only where listed below (the face module, the thin methods that call it, and the
    present exceptions, each with its reason or owner);
(b) :mod:`plm_bib.model` and :mod:`plm_bib.errors` import nothing of the package when imported;
(c) the parsing packages (metadata, bibtex, readinglist, the CSL mapping) never import sources,
    render, formats or the CLI, not even inside a function;
(d) only the CLI prints or exits;
(e) no module is over 400 lines (the present exceptions are listed with their owners).

Every test reports every violation it finds, not only the first.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "plm_bib"
MAX_LINES = 400

# modules allowed over MAX_LINES, each with its reason (none today)
LONG_MODULES: Dict[str, str] = {}

# where an import of the package may sit inside a function: "module:function" (a method as
# Class.method) -> why.  "module:*" allows every function of the module.
LAZY_IMPORTS = {
    # the face: thin methods of the data layer import it when called, it imports the writers
    "plm_bib.face:*": "the face module: imports the package doing each job when asked",
    "plm_bib.model:Record.bibtex": "thin method -> face",
    "plm_bib.model:Record.cite": "thin method -> face",
    "plm_bib.model:Record._repr_html_": "thin method -> face",
    "plm_bib.library:Library.to_dataframe": "thin method -> face",
    "plm_bib.library:Library._repr_html_": "thin method -> face",
    "plm_bib.library:Library.to_bibtex": "thin method -> face",
    "plm_bib.library:Library.to_csl_json": "thin method -> face",
    "plm_bib.library:Library.format": "thin method -> face",
    "plm_bib.library:Library.to_pdf": "thin method -> face",
    "plm_bib.library:Library.check": "thin method -> face",
    "plm_bib.library:Library.plot": "thin method -> face",
    # load time: `import plm_bib` and the CLI's start do not load what a call may not need
    "plm_bib:enrich": "core: import plm_bib does not load the HTTP stack",
    "plm_bib:fix_markdown": "core: import plm_bib does not load the checker (start-up time)",
    "plm_bib.cli.fixing:*": "core: each command loads what it runs (start-up time)",
    "plm_bib.cli.common:export_text": "core: the styles loaded when a command writes (start-up time)",
    "plm_bib.cli.common:load_input": "core: the curated overlay loaded only with --curated (start-up time)",
    "plm_bib.cli.outputs:*": "core: each command loads what it runs (start-up time)",
    "plm_bib.cli.queries:*": "core: each command loads what it runs (start-up time)",
    "plm_bib.readers:_json_kind": "core: the CSL mapping is loaded for CSL-JSON input only",
    "plm_bib.readers:_csl_library": "core: the CSL mapping is loaded for CSL-JSON input only",
    "plm_bib.readers:read": "core: native JSON reader loaded for native input only",
    "plm_bib.readers:load": "core: the curated overlay loaded when asked for",
    "plm_bib.citing.index:*": "core: loaded by `plm-bib cite`; bibtex/overlay when the index misses",
    "plm_bib.formats:_load_builtin": "core: the registry loads its built-in formats on first use",
    "plm_bib.formats.native:to_csl_json": "core: the CSL mapping loaded for CSL-JSON output only",
    "plm_bib.formats.ris:*": "core: the CSL mapping loaded when RIS is written or read (the registry loads it)",
    "plm_bib.formats.csl_yaml:*": "core: the CSL mapping and the CSL reader loaded for CSL-YAML only",
    "plm_bib.formats.hayagriva:*": "core: the CSL mapping loaded when Hayagriva YAML is written",
    # present exceptions in other areas (issue 17, being reworked by their owners)
    "plm_bib.readinglist.authors:_read_names": "the LaTeX decoder loaded for names written in TeX only",
    "plm_bib.sources:__getattr__": "the registry (every source and its parser) loaded when asked for",
    "plm_bib.render.bibliography:_format_references": "the engine a style needs (citeproc-py or pybtex), when used",
}

PARSING = ("plm_bib.metadata", "plm_bib.bibtex", "plm_bib.readinglist")
PARSING_MODULES = ("plm_bib.csl",)  # the CSL mapping (csl/__init__), not its engine
ABOVE_PARSING = ("plm_bib.sources", "plm_bib.render", "plm_bib.formats", "plm_bib.cli")
PRINTS_OR_EXITS = {"print", "exit", "quit", "sys.exit", "os._exit", "click.echo", "click.secho",
                   "sys.stdout.write", "sys.stderr.write", "sys.stdout.buffer.write", "click.get_text_stream"}


@dataclass(frozen=True)
class Import:
    module: str      # the importing module
    target: str      # the plm_bib module imported
    line: int
    function: str    # "" at module level, else the (qualified) function name


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> Dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(name: str, known: Dict[str, Path], here: str, is_pkg: bool, level: int) -> Optional[str]:
    if level:  # relative import: resolved against the importing package
        base = here.split(".") if is_pkg else here.split(".")[:-1]
        base = base[: len(base) - (level - 1)]
        name = ".".join(base + ([name] if name else []))
    return name if name.split(".")[0] == "plm_bib" else None


def imports_of(name: str, path: Path, known: Dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_pkg = path.name == "__init__.py"

    def targets(node: ast.stmt) -> Iterator[str]:
        if isinstance(node, ast.Import):
            for a in node.names:
                t = _resolve(a.name, known, name, is_pkg, 0)
                if t:
                    yield t
        elif isinstance(node, ast.ImportFrom):
            t = _resolve(node.module or "", known, name, is_pkg, node.level)
            if not t:
                return
            subs = [f"{t}.{a.name}" for a in node.names if f"{t}.{a.name}" in known]
            yield from subs
            if len(subs) < len(node.names):
                yield t

    def walk(nodes: List[ast.stmt], scope: List[str], in_function: bool) -> Iterator[Import]:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for t in targets(node):
                    yield Import(name, t, node.lineno, ".".join(scope) if in_function else "")
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from walk(node.orelse, scope, in_function)  # the body: type-only
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(node.body, scope + [node.name], True)
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, scope + [node.name], in_function)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        yield from walk([n for n in inner if isinstance(n, ast.AST)], scope, in_function)

    yield from walk(tree.body, [], False)


def all_imports() -> List[Import]:
    known = modules()
    return [i for name, path in known.items() for i in imports_of(name, path, known)]


def _cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on: Set[str] = set()
    out: List[List[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def _in(module: str, packages: Tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _lazy_allowed(i: Import) -> bool:
    return f"{i.module}:*" in LAZY_IMPORTS or f"{i.module}:{i.function}" in LAZY_IMPORTS


# -- (a) ---------------------------------------------------------------------------
def test_no_import_circle() -> None:
    edges: Dict[str, Set[str]] = {}
    for i in all_imports():
        if not i.function and i.target != i.module:
            edges.setdefault(i.module, set()).add(i.target)
    circles = _cycles(edges)
    assert not circles, "import circles (module-level imports):\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_imports_inside_functions_only_where_listed() -> None:
    bad = [f"{i.module}:{i.function} (line {i.line}) imports {i.target}"
           for i in all_imports() if i.function and not _lazy_allowed(i)]
    assert not bad, "imports inside functions outside LAZY_IMPORTS:\n" + "\n".join(bad)


def test_thin_methods_import_only_the_face() -> None:
    bad = [f"{i.module}:{i.function} (line {i.line}) imports {i.target}"
           for i in all_imports() if i.module in ("plm_bib.model", "plm_bib.library") and i.function
           and i.target != "plm_bib.face"]
    assert not bad, "\n".join(bad)


# -- (b) ---------------------------------------------------------------------------
# leaves: modules that import nothing of the package, which the data model may use
LEAVES = ("plm_bib.slotted",)


def test_model_and_errors_import_nothing_of_the_package() -> None:
    bad = [f"{i.module} (line {i.line}) imports {i.target}" for i in all_imports()
           if i.module in ("plm_bib.model", "plm_bib.errors") + LEAVES and not i.function
           and i.target not in LEAVES]
    assert not bad, "\n".join(bad)


# -- (c) ---------------------------------------------------------------------------
def test_parsing_never_imports_sources_render_formats_cli() -> None:
    bad = [f"{i.module}{':' + i.function if i.function else ''} (line {i.line}) imports {i.target}"
           for i in all_imports()
           if (_in(i.module, PARSING) or i.module in PARSING_MODULES) and _in(i.target, ABOVE_PARSING)]
    assert not bad, "\n".join(bad)


# -- (d) ---------------------------------------------------------------------------
def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else ""
    return ""


def test_only_the_cli_prints_or_exits() -> None:
    bad = []
    for name, path in modules().items():
        if _in(name, ("plm_bib.cli",)) or name == "plm_bib.__main__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _dotted(node.func) in PRINTS_OR_EXITS:
                bad.append(f"{name} line {node.lineno}: {_dotted(node.func)}()")
            elif isinstance(node, ast.Raise) and node.exc is not None and _dotted(
                    node.exc.func if isinstance(node.exc, ast.Call) else node.exc) == "SystemExit":
                bad.append(f"{name} line {node.lineno}: raise SystemExit")
    assert not bad, "\n".join(bad)


# -- (e) ---------------------------------------------------------------------------
def test_no_module_over_400_lines() -> None:
    bad = []
    for name, path in modules().items():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and name not in LONG_MODULES:
            bad.append(f"{name}: {n} lines")
    assert not bad, "\n".join(bad)


# -- the test's own reading ----------------------------------------------------------
def test_the_reader_sees_what_it_must(tmp_path: Path) -> None:
    src = ("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
           "from plm_bib.model import Record\nif TYPE_CHECKING:\n    from plm_bib.library import Library\n"
           "def f():\n    from plm_bib import face\n")
    path = tmp_path / "x.py"
    path.write_text(src, encoding="utf-8")
    known = modules()
    got = [(i.target, i.function) for i in imports_of("plm_bib.x", path, known)]
    assert got == [("plm_bib.model", ""), ("plm_bib.face", "f")]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
