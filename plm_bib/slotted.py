"""Frozen, slotted dataclasses made and copied without their ``__init__``.

A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__`` (a name lookup
per slot), and :func:`dataclasses.replace` calls it with every field: most of the cost of
deriving a :class:`~plm_bib.model.Record`, which readers do by the thousand.  The functions
made here set each slot through its own descriptor instead.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict, Type, TypeVar

__all__ = ["replacer", "maker"]

T = TypeVar("T")


def maker(cls: Type[T]) -> Callable[..., T]:
    """``cls(**fields)`` (the same keywords and defaults, keywords only) without the frozen
    dataclass's ``__init__``, which sets each slot by ``object.__setattr__`` (a name lookup per
    slot): here each slot is set through its own descriptor."""
    _check(cls)
    ns: Dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_missing": object()}
    params, body = [], []
    for i, f in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        ns[f"_s{i}"] = getattr(cls, f.name).__set__
        value = f.name
        if f.default is not dataclasses.MISSING:
            ns[f"_d{i}"] = f.default
            params.append(f"{f.name}=_d{i}")
        elif f.default_factory is not dataclasses.MISSING:
            ns[f"_f{i}"] = f.default_factory
            params.append(f"{f.name}=_missing")
            value = f"_f{i}() if {f.name} is _missing else {f.name}"
        else:
            params.append(f.name)
        body.append(f"    _s{i}(r, {value})")
    exec(f"def make(*, {', '.join(params)}):\n    r = _new(_cls)\n" + "\n".join(body) + "\n    return r\n", ns)
    return ns["make"]  # type: ignore[no-any-return]


def _check(cls: type) -> None:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields) or hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: not a slotted dataclass whose fields all go to __init__")


def replacer(cls: Type[T]) -> Callable[[T, Dict[str, Any]], T]:
    """``replace(obj, changes)``: what ``dataclasses.replace(obj, **changes)`` gives for a frozen,
    slotted dataclass whose fields all go to ``__init__`` and which has no ``__post_init__``
    (checked here); a name in ``changes`` that is no field is a TypeError."""
    _check(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    ns: Dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_names": frozenset(f.name for f in fields)}
    body = []
    for i, f in enumerate(fields):
        ns[f"_s{i}"] = getattr(cls, f.name).__set__
        body.append(f"    _s{i}(r, c[{f.name!r}] if {f.name!r} in c else old.{f.name})")
    src = ("def replace(old, c):\n"
           "    if not _names.issuperset(c):\n"
           f"        raise TypeError(f'{cls.__name__} has no field {{sorted(set(c) - _names)[0]!r}}')\n"
           "    r = _new(_cls)\n" + "\n".join(body) + "\n    return r\n")
    exec(src, ns)
    return ns["replace"]  # type: ignore[no-any-return]
