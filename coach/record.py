"""Frozen dataclasses that cost little to define: `@record` instead of `@dataclass(frozen=True)`.

For every frozen dataclass Python compiles six methods from source text when its module is
imported (`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`). The app
imports some sixty such classes before its first frame, and compiling them took about 30 ms of a
0.3 s start. A `record` compiles only its `__init__`; equality, hash, repr and the refusal to
change a field after `__init__` come from the `Record` base class, written once for all. The
content, store and app-state classes use it; the scoring code, which loads after the first frame,
keeps plain frozen dataclasses.

They behave as frozen dataclasses do: `dataclasses.fields`, `replace` and `asdict` work, equal
fields make equal records of the same class, and setting or deleting a field afterwards raises
`dataclasses.FrozenInstanceError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")

_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}
_NAMES: dict[type, frozenset[str]] = {}


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = dataclasses.fields(cls)
        _NAMES[cls] = frozenset(f.name for f in found)
    return found


def _names(cls: type) -> frozenset[str]:
    if cls not in _NAMES:
        _fields(cls)
    return _NAMES[cls]


class Record:
    """The methods every `@record` class shares."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, f.name) for f in _fields(type(self))])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in _fields(type(self)) if f.repr)
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def __setattr__(self, name: str, value: Any) -> None:
        # `__init__` sets each field once; anything after that is a change, and refused.
        if name in self.__dict__ or name not in _names(type(self)):
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, *, kw_only: bool = False) -> Any:
    """A frozen dataclass whose shared methods come from `Record` (which `cls` must extend)."""

    def make(cls: type[T]) -> type[T]:
        if not issubclass(cls, Record):
            raise TypeError(f"{cls.__qualname__} must extend Record to be a @record")
        return dataclasses.dataclass(eq=False, repr=False, kw_only=kw_only)(cls)

    return make if cls is None else make(cls)
