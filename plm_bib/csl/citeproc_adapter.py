"""citeproc-py behind one door: the only module that imports it or knows its internals.

Nothing of citeproc-py is changed process-wide.  Our styles are parsed with a parser of
our own whose element classes are subclasses of citeproc-py's (``CitationStylesElement``'s
subclasses, one each, made here): the fixes and the memoisation below live in those
subclasses and in :class:`Cite` (a ``CitationItem``), so a citeproc-py bibliography made
by anyone else, before or after ours, is made by citeproc-py as shipped
(``tests/csl/test_citeproc_adapter.py`` checks it).

Fixes (citeproc-py departs from the CSL specification):

* it shortens 9-14 to "9-4" under ``minimal-two``; when the last page has more digits
  than the first, every page-range format keeps it whole;
* it applies no ``text-case="title"`` to labels (APA's "(eds.)" for "(Eds.)"): labels
  are cased in the style's language;
* it ignores ``initialize="false"`` on ``cs:name`` and initialises given names anyway
  (Chicago's bibliography spells them out); such names stay whole, with
  ``initialize-with`` only added after initials already there;
* it applies a ``cs:name-part`` text-case to an organisation's name too (GB/T 7714's
  upper-cased family names made "WORLD HEALTH ORGANIZATION"): names marked
  :data:`ORGANISATION` take none; a given name carrying :data:`SUFFIX` and a suffix is
  initialised and followed by ", suffix";
* it counts a variable as "called" by a ``cs:group`` when it sits in a ``cs:choose``
  branch that was not taken, and then suppresses the group: GB/T 7714's
  ``[<type code>/<medium>]`` group lost its type code (``[J]``) whenever the item had no
  URL or DOI (the medium's branch tests them).  The CSL specification counts only the
  variables the group actually tried to render: a group citeproc-py suppressed is
  rendered again counting only the branches taken;
* after a ``cs:substitute`` it suppresses a child's own variable, not those a macro child
  rendered (APA: "Title. (n.d.). Title. Site."); the specification suppresses every
  substituted variable: the ``cs:text`` variables of the branches the macro took too.

Memoisation (``memo=True``; ``PLM_BIB_CITEPROC_PLAIN=1`` turns it off): most of
citeproc-py's time went to questions whose answer depends on the style alone: XPath
searches from a style element (a macro by name, the enclosing layout, a parent
``cs:names``, locale terms) and whether a group "calls a variable".  Both are kept per
element of our parsed trees (they are not changed while rendering).  A :class:`Cite`
looks its reference up once and finds its citation number without citeproc-py's linear
search of the keys.

The supported citeproc-py versions are pinned in ``setup.cfg`` (we subclass internals).
"""
from __future__ import annotations

import os
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Dict, List, Tuple

from citeproc import CitationStylesStyle, model
from citeproc.source import CitationItem, VariableError
from lxml import etree

from plm_bib.render.markup import CLOSE, OPEN

__all__ = ["FORMATTER", "Cite", "load_style", "known_variables", "memo_enabled", "PATCHED", "SUFFIX",
           "ORGANISATION"]

# the citeproc-py methods our subclasses replace or wrap (the test checks citeproc-py's own
# classes still have their shipped functions)
PATCHED: Tuple[Tuple[Any, str], ...] = (
    (model.Label, "markup"), (model.Name, "initialize"), (model.Name_Part, "format_part"),
    (model.FormatNumber, "_format_last_page"),
    (model.CitationStylesElement, "xpath_search"), (model.Key, "sort_keys"), (model.Style, "set_locale_list"),
    (CitationItem, "reference"), (CitationItem, "number"), (model.Group, "process"),
    (model.Substitute, "render"),
) + tuple((cls, "calls_variable") for cls in (model.Parent, model.Text, model.Date, model.Number, model.Names,
                                               model.Label, model.Group))


def memo_enabled() -> bool:
    """Whether citeproc-py's answers about the style tree are memoised (not under
    ``PLM_BIB_CITEPROC_PLAIN=1``)."""
    return not os.environ.get("PLM_BIB_CITEPROC_PLAIN")


def _wrap(kind: str) -> Any:
    return lambda text: f"{OPEN}{kind}{text}{CLOSE}" if str(text) else text


# a citeproc-py formatter that emits our neutral markup; escaping happens in markup.render
FORMATTER = SimpleNamespace(
    preformat=lambda text: text, Italic=_wrap("i"), Oblique=_wrap("i"), Bold=_wrap("b"),
    Light=lambda text: text, Underline=_wrap("u"), Superscript=_wrap("^"), Subscript=_wrap("_"),
    SmallCaps=_wrap("c"),
)


class _LabelCase:
    def markup(self: Any, text: Any) -> Any:
        if not text:
            return None
        lang = str(self.get_root().get("default-locale", "en-US"))[:2]
        return self.wrap(self.format(self.case(self.strip_periods(text), lang)))


# what an item's names may carry for a style that needs them (see csl.entries): a suffix
# written after the initials with a comma (GB/T 7714's "PEEBLES P Z, Jr"), and the mark of
# an organisation's name, which takes no name-part text-case ("World Health Organization")
SUFFIX = "\x1f"
ORGANISATION = "\x1e"


class _NameInitialize:
    def initialize(self: Any, given: Any, mark: str, context: Any) -> Any:
        if SUFFIX in str(given):
            head, suffix = str(given).split(SUFFIX, 1)
            return f"{self.initialize(head, mark, context)}, {suffix}" if head else suffix
        if str(self.get("initialize", "true")).lower() != "false":
            return super().initialize(given, mark, context)  # type: ignore[misc]
        words = [w + mark.rstrip() if len(w) == 1 and w.isupper() else w for w in str(given).split()]
        return type(given)(" ".join(words)) if not isinstance(given, str) else " ".join(words)


class _NamePartCase:
    def format_part(self: Any, given: Any, family: Any) -> Any:
        if self.get("name") == "family" and str(family or "").startswith(ORGANISATION):
            return given, str(family)[1:]  # an organisation's name is no family name
        return super().format_part(given, family)  # type: ignore[misc]


class _LastPage:
    def _format_last_page(self: Any, first: str, last: str) -> str:
        if len(first) < len(last):
            return last
        return str(super()._format_last_page(first, last))  # type: ignore[misc]


# the tests of a cs:if (or cs:else-if), in If.render's order, by the methods it calls
_TESTS = (("type", "_type"), ("variable", "_variable"), ("is-numeric", "_is_numeric"),
          ("is-uncertain-date", "_is_uncertain_date"), ("locator", "_locator"))


def _holds(branch: Any, item: Any, context: Any) -> bool:
    """Whether the condition of a ``cs:if`` or ``cs:else-if`` holds for ``item`` (what
    citeproc-py's ``If.render`` decides before rendering the branch)."""
    results: List[bool] = []
    for attribute, method in _TESTS:
        if attribute in branch.attrib:
            results += getattr(branch, method)(item)
    if "position" in branch.attrib:
        results += branch._position(item, context)
    match = branch.get("match")
    return any(results) if match == "any" else not any(results) if match == "none" else all(results)


def _called(element: Any, item: Any, context: Any) -> bool:
    """Whether ``element`` calls a variable when rendering ``item``: a ``cs:choose`` by the
    branch it takes only (citeproc-py's ``calls_variable`` counts every branch)."""
    if isinstance(element, model.Choose):
        for branch in element.iterchildren():
            if isinstance(branch, model.If) and not _holds(branch, item, context):
                continue
            return any(_called(child, item, context) for child in branch.iterchildren())
        return False
    if isinstance(element, model.Text) and "macro" in element.attrib:
        return _called(element.get_macro(element.get("macro")), item, context)
    if isinstance(element, (model.Group, model.Macro)):
        return any(_called(child, item, context) for child in element.iterchildren())
    return bool(element.calls_variable())


class _GroupCalls:
    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """citeproc-py's ``Group.process``, once (not again when suppressed: 2^depth renders)."""
        output: List[Any] = []
        children: List[Tuple[Any, bool]] = []  # each child, and whether it gave text
        called = rendered = False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            calls = bool(child.calls_variable())
            called = called or calls
            try:  # a group's delimiter also delimits a cs:choose child's children
                options = dict(kwargs, delimiter=delimiter) if isinstance(child, model.Choose) else kwargs
                text = child.render(item, context=context, **options)
            except VariableError:
                text = None
            children.append((child, text is not None))
            if text is not None:
                output.append(text)
                rendered = rendered or calls
        if output and (rendered or not called):
            return self.join(output)
        if output:  # suppressed by citeproc-py's count: again with the branches taken only
            taken = [(_called(child, item, context), gave) for child, gave in children]
            if any(calls and gave for calls, gave in taken) or not any(calls for calls, _ in taken):
                return self.join(output)
        raise VariableError


def _text_variables(element: Any, item: Any, context: Any) -> List[str]:
    """The ``cs:text`` variables ``element`` renders for ``item`` (macros followed, branches taken)."""
    if isinstance(element, model.Choose):
        for branch in element.iterchildren():
            if isinstance(branch, model.If) and not _holds(branch, item, context):
                continue
            return [v for child in branch.iterchildren() for v in _text_variables(child, item, context)]
        return []
    if isinstance(element, model.Text):
        if "macro" in element.attrib:
            return _text_variables(element.get_macro(element.get("macro")), item, context)
        return [element.get("variable")] if "variable" in element.attrib else []
    if isinstance(element, (model.Group, model.Macro)):
        return [v for child in element.iterchildren() for v in _text_variables(child, item, context)]
    return []


class _SubstituteSuppresses:  # citeproc-py's Substitute.render, and what a macro child rendered
    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        for child in self.getchildren():
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text:
                self.add_to_repressed_list(child, context)
                if isinstance(child, model.Text) and "macro" in child.attrib:
                    repressed = context.get_layout().repressed.setdefault(child.tag, [])
                    repressed.extend(_text_variables(child, item, context))
                return text
        return None


# per element of our parsed trees (keys keep the element proxies alive; the trees are kept
# by load_style's cache, a few styles)
_SEARCHES: Dict[Tuple[Any, str], List[Any]] = {}
_CALLS: Dict[Any, bool] = {}


class _Memo:
    def xpath_search(self: Any, expression: str) -> List[Any]:
        key = (self, expression)
        hit = _SEARCHES.get(key)
        if hit is None:
            hit = _SEARCHES[key] = super().xpath_search(expression)  # type: ignore[misc]
        return list(hit)


class _MemoCalls:
    def calls_variable(self: Any) -> bool:
        hit = _CALLS.get(self)
        if hit is None:
            hit = _CALLS[self] = bool(super().calls_variable())  # type: ignore[misc]
        return hit


class _Locales:
    def set_locale_list(self: Any, output_locale: str, validate: bool = True) -> None:
        """citeproc-py's ``Style.set_locale_list``, with the locale files parsed by our parser."""
        from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS

        self.locales: List[Any] = []
        added = set()

        def add_instyle_locale(locale: Any) -> None:
            expr = f'./cs:locale[@xml:lang="{locale}"]' if locale else "./cs:locale[not(@xml:lang)]"
            results = self.xpath_search(expr)
            if results:
                element, = results
                self.locales.append(element)

        def add_system_locale(locale: str) -> None:
            if locale not in added:
                path = os.path.join(LOCALES_PATH, f"locales-{locale}.xml")
                try:
                    root = etree.parse(path, self._plm_parser).getroot()
                except OSError:
                    raise ValueError(f"'{locale}' is not a known locale") from None
                self.locales.append(root)
                added.add(locale)

        add_instyle_locale(output_locale)
        language = output_locale.split("-")[0]
        add_instyle_locale(language)
        add_instyle_locale(None)
        if output_locale in LANGUAGE_NAMES:
            add_system_locale(output_locale)
        if language in PRIMARY_DIALECTS:
            add_system_locale(PRIMARY_DIALECTS[language])
        add_system_locale("en-US")
        for locale in self.locales:
            locale.style = self


@lru_cache(maxsize=2)
def _lookup(memo: bool) -> etree.ElementNamespaceClassLookup:
    """citeproc-py's element classes, each as a subclass with our fixes (and memoisation)."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
    shipped = [cls for cls in model.CitationStylesElement.__subclasses__() if cls.__module__ == model.__name__]
    # elements citeproc-py has no class for (a locale's cs:terms, cs:info's children); this
    # class joins the list citeproc-py's own parser maps tag names from, under a name that is
    # no XML tag (it has spaces), so that parser maps every tag as before
    namespace[None] = type("CitationStylesElement (plm_bib, memo)" if memo else "CitationStylesElement (plm_bib)",
                           ((_Memo,) if memo else ()) + (model.CitationStylesElement,), {"__module__": __name__})
    for cls in shipped:
        mixins: List[type] = [_Memo] if memo else []
        if memo and hasattr(cls, "calls_variable"):
            mixins.append(_MemoCalls)
        if issubclass(cls, model.Label):
            mixins.append(_LabelCase)
        if issubclass(cls, model.Name):
            mixins.append(_NameInitialize)
        if issubclass(cls, model.Name_Part):
            mixins.append(_NamePartCase)
        if issubclass(cls, model.FormatNumber):
            mixins.append(_LastPage)
        if issubclass(cls, model.Style):
            mixins.append(_Locales)
        if issubclass(cls, model.Group):
            mixins.append(_GroupCalls)
        if issubclass(cls, model.Substitute):
            mixins.append(_SubstituteSuppresses)
        ours = type(cls.__name__, (*mixins, cls), {"__module__": __name__})
        namespace[cls.__name__.replace("_", "-").lower()] = ours
    return lookup


def _parser(memo: bool) -> etree.XMLParser:
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(_lookup(memo))
    return parser


class _Style(CitationStylesStyle):  # type: ignore[misc]
    """A style parsed by our parser (what ``CitationStylesStyle(path, locale, validate=False)``
    does, with our element classes)."""

    def __init__(self, path: str, locale: str, memo: bool) -> None:  # noqa: D107 - no super().__init__
        parser = _parser(memo)
        try:
            self.xml = etree.parse(path, parser)
        except OSError:
            raise ValueError(f"'{path}' is not a known style") from None
        self.root = self.xml.getroot()
        self.root._plm_parser = parser
        self.root.set_locale_list(locale or self.root.get("default-locale", "en-US"), validate=False)


def load_style(path: str, locale: str = "") -> Any:
    """The CSL style at ``path`` for citeproc-py, in ``locale`` (its default if empty),
    parsed once per (path, locale, memoisation)."""
    return _load(path, locale, memo_enabled())


@lru_cache(maxsize=32)
def _load(path: str, locale: str, memo: bool) -> Any:
    return _Style(path, locale, memo)


class Cite(CitationItem):  # type: ignore[misc]
    """A ``CitationItem`` that looks its reference up once and its number without a linear
    search of the bibliography's keys (citeproc-py's own does both on each use)."""

    @property
    def reference(self) -> Any:
        d = self.__dict__
        ref = d.get("_plm_bib_reference")
        if ref is None:
            ref = d["_plm_bib_reference"] = self.bibliography.source[self.key]
        return ref

    @property
    def number(self) -> int:
        bib = self.bibliography
        keys = bib.keys
        cached = bib.__dict__.get("_plm_bib_numbers")
        if cached is None or cached[0] is not keys or cached[1] != len(keys):
            cached = (keys, len(keys), {k: i for i, k in reversed(list(enumerate(keys)))})
            bib.__dict__["_plm_bib_numbers"] = cached
        return int(cached[2][self.key]) + 1


def citation_item(key: str, memo: bool) -> Any:
    """A citeproc-py citation of one item (our :class:`Cite` when memoising), registered in
    no bibliography yet."""
    from citeproc import Citation

    citation = Citation([(Cite if memo else CitationItem)(key)])
    return citation


@lru_cache(maxsize=1)
def known_variables() -> frozenset[str]:
    """The CSL variables citeproc-py knows (it warns on the others)."""
    from citeproc import VARIABLES

    return frozenset(VARIABLES)


def clear_style_memo() -> None:
    """Forget the parsed styles and what was memoised about their elements."""
    _load.cache_clear()
    _SEARCHES.clear()
    _CALLS.clear()
