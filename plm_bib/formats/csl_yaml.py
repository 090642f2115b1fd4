"""CSL-YAML: the CSL-JSON items as YAML, in pandoc's bibliography form (a ``references`` list).

The items are those of the CSL-JSON writer (:func:`plm_bib.csl.record_to_csl`: one mapping),
dumped by PyYAML's safe dumper with every string quoted (:mod:`plm_bib.formats.yaml_text`).
Reading goes through the CSL-JSON reader (:mod:`plm_bib.csl.to_record`) after what YAML adds
is undone: pandoc writes variable names in lower case (``doi``, ``url``, ``isbn``) and dates as
EDTF text (``issued: 2019-06``), which YAML may read as a number or a date.

>>> import plm_bib
>>> text = plm_bib.export(plm_bib.load().filter(venue="NAACL"), "csl-yaml")
>>> print(text[:text.index('  "author"')], end="")
---
"references":
- "id": "devlin2019bert"
  "citation-key": "devlin2019bert"
  "type": "paper-conference"
  "title": "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
>>> parse_csl_yaml(text)["devlin2019bert"].pages
'4171--4186'
"""
from __future__ import annotations

import datetime
import re
from typing import Any, Dict, List

from plm_bib.errors import InputError
from plm_bib.formats import register
from plm_bib.formats.yaml_text import dump_yaml
from plm_bib.library import Library

__all__ = ["to_csl_yaml", "parse_csl_yaml", "csl_yaml_items"]

# the CSL variables whose canonical names are not lower case (pandoc writes them lower case)
_UPPER = {v.lower(): v for v in ("DOI", "ISBN", "ISSN", "PMCID", "PMID", "URL")}
_EDTF = re.compile(r"(-?\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?")


@register("csl-yaml", suffixes=(".csl.yaml", ".csl.yml", ".yaml"), aliases=("cslyaml", "csl-yml"),
          description="CSL-YAML: CSL items under 'references' (pandoc --citeproc)")
def to_csl_yaml(lib: Any, **options: Any) -> str:
    """The CSL-JSON items of every record as pandoc's YAML bibliography."""
    from plm_bib.csl import record_to_csl
    return dump_yaml({"references": [record_to_csl(r) for r in lib]}, explicit_start=True)


def _date(value: Any) -> Any:
    """A date as YAML read it (a number, a date, EDTF text) -> the CSL date object."""
    if isinstance(value, datetime.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        ends = value.split("/")
        if 1 <= len(ends) <= 2 and all(_EDTF.fullmatch(e) for e in ends):
            return {"date-parts": [[int(x) for x in _EDTF.fullmatch(e).groups() if x]  # type: ignore[union-attr]
                                   for e in ends]}
        return {"raw": value}
    return value


def _plain(value: Any) -> Any:
    """YAML's dates and times inside a value as ISO text (JSON has none)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def csl_yaml_items(data: Any) -> Any:
    """The CSL items of a YAML bibliography (its ``references``, or a list), with pandoc's
    lower-case names and EDTF dates as the CSL-JSON reader takes them; any other value as it is."""
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    if not isinstance(data, list):
        return data
    from plm_bib.csl.variables import DATE_VARIABLES

    out: List[Any] = []
    for item in data:
        if not isinstance(item, dict):
            out.append(_plain(item))
            continue
        fixed: Dict[str, Any] = {}
        for k, v in item.items():
            name = _UPPER.get(str(k), str(k))
            fixed[name] = _date(v) if name in DATE_VARIABLES else _plain(v)
        out.append(fixed)
    return out


def parse_csl_yaml(text: str, source: str = "<string>") -> Library:
    """A Library from CSL-YAML (``references:`` holding CSL items, as pandoc writes it, or a
    list of items): each item is read as a CSL-JSON item, with the line it starts on; text
    that is not YAML is an InputError with its line."""
    import yaml

    from plm_bib.readers import _csl_library

    try:  # (pandoc's metadata block ends in "---": an empty second document; the first one is read)
        roots = [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n is not None]
        root = roots[0] if roots else None
        data = yaml.SafeLoader("").construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InputError(source, f"not valid YAML: {e.problem or e.context}", mark.line + 1 if mark else 0
                         ) from None
    except (yaml.YAMLError, RecursionError) as e:
        raise InputError(source, f"not readable YAML: {e}") from None
    seq = root
    if isinstance(root, yaml.MappingNode):
        seq = next((v for k, v in root.value if getattr(k, "value", None) == "references"), None)
    lines = [n.start_mark.line + 1 for n in seq.value] if isinstance(seq, yaml.SequenceNode) else [1]
    if isinstance(data, dict) and "references" not in data:
        hayagriva = bool(data) and all(isinstance(v, dict) and "type" in v for v in data.values())
        raise InputError(source, "a Hayagriva file (Typst's bibliography): plm-bib writes Hayagriva but reads "
                                 "CSL-YAML" if hayagriva else "CSL-YAML must hold a 'references' list of items "
                                 "(pandoc's form) or a list of items", 1)
    return _csl_library(csl_yaml_items(data), "", source, lines)
