"""YAML text for the YAML formats (Hayagriva, CSL-YAML): PyYAML's safe dumper, every string
double-quoted and escaped by the dumper itself (never YAML made by hand), so no value can be
read back as another type (``2019``, ``yes``, ``1e3``, ``null``) or break the structure
(``: ``, ``#``, ``{``, ``- ``, a newline).

>>> print(dump_yaml({"title": 'A "q": #1 {x}\\n- y', "volume": "1", "year": 2019}), end="")
"title": "A \\"q\\": #1 {x}\\n- y"
"volume": "1"
"year": 2019
"""
from __future__ import annotations

from typing import Any

__all__ = ["dump_yaml"]

_DUMPER: Any = None


def _dumper() -> Any:
    global _DUMPER
    if _DUMPER is None:
        import yaml

        # the safe dumper, with every string written double-quoted
        quoted_dumper: Any = type("QuotedDumper", (yaml.SafeDumper,), {})

        def _quoted(dumper: Any, data: str) -> Any:
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')

        quoted_dumper.add_representer(str, _quoted)
        _DUMPER = quoted_dumper
    return _DUMPER


def dump_yaml(data: Any, explicit_start: bool = False) -> str:
    """``data`` (dicts, lists, strings, integers) as YAML text: UTF-8 characters as they are,
    block style, keys in their order, no line folded (a long title stays on its line)."""
    import yaml

    return str(yaml.dump(data, Dumper=_dumper(), allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=1 << 30, explicit_start=explicit_start))
