"""Plain-data validation for the content pack's frozen dataclasses: YAML data in, typed objects
out, or an `Invalid` naming the key path and what was expected.

A model is a `@model` class (a frozen, keyword-only dataclass). Its fields' type hints say what a
value may be: `str`, `int`, `float`, `bool`, a `Literal`, `list[X]`, `dict[K, V]`, `X | None`, a
union, or another model. `spec(...)` adds limits (`ge`, `le`, `min_length`, `max_length`,
`pattern`, `non_empty`); a model's `check()` method adds rules across fields, raising `Problem`.

This is a few hundred lines instead of pydantic because the app validates the pack before its
first paint, and importing pydantic and building its schemas took longer than the rest of the
content code together.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, dataclass_transform

from coach.record import Record, record

Loc = tuple[str | int, ...]
T = TypeVar("T")


class Invalid(ValueError):
    """The data does not fit the model: `loc` is the key path, `message` what was expected."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


class Problem(ValueError):
    """Raised by a model's `check()`: a rule across fields is broken (at the key path `at`
    inside the model, if given)."""

    def __init__(self, message: str, at: str | Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at: Loc = (at,) if isinstance(at, str) else at


@record
class Limits(Record):
    """What a model field's value may be, beyond its type."""

    ge: float | None = None
    le: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    non_empty: bool = False  # strip a text, and refuse one that is blank


def spec(
    default: Any = dataclasses.MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    ge: float | None = None,
    le: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    pattern_hint: str = "",
    non_empty: bool = False,
) -> Any:
    """A model field with a default (or `factory`) and limits."""
    limits = Limits(ge, le, min_length, max_length, pattern, pattern_hint, non_empty)
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={"limits": limits})
    return dataclasses.field(default=default, metadata={"limits": limits})


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(spec,))
def model(cls: type[T]) -> type[T]:
    """A frozen, keyword-only dataclass (a `record`) that `parse` can build from YAML data."""
    return record(kw_only=True)(cls)


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def parse(cls: type[T], data: Any, loc: Loc = ()) -> T:
    """`data` (from YAML) as a `cls` model, or `Invalid` at the first thing that does not fit."""
    if not isinstance(data, Mapping):
        raise Invalid(loc, f"expected a mapping of keys{_got(data)}")
    fields = _fields(cls)
    known = [name for name, _, _, _ in fields]
    # Unknown keys first: a misspelt key also makes its field "missing", and the typo is the news.
    for key in data:
        if key not in known:
            raise Invalid((*loc, str(key)), f"unknown field{did_you_mean(str(key), known)}")
    values: dict[str, Any] = {}
    for name, hint, limits, required in fields:
        if name in data:
            values[name] = _value(hint, limits, data[name], (*loc, name))
        elif required:
            raise Invalid((*loc, name), "required field is missing")
    made = cls(**values)
    check = getattr(made, "check", None)
    if check is not None:
        try:
            check()
        except Problem as exc:
            raise Invalid((*loc, *exc.at), exc.message) from None
    return made


NO_LIMITS = Limits()


FieldInfo = tuple[str, Any, Limits, bool]  # name, type, limits, required
_FIELDS: dict[type, list[FieldInfo]] = {}


def _fields(cls: type) -> list[FieldInfo]:
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELDS[cls] = [
            (
                f.name,
                hints[f.name],
                f.metadata.get("limits", NO_LIMITS),
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            )
            for f in dataclasses.fields(cls)
            if f.init
        ]
    return found


def _value(hint: Any, limits: Limits, value: Any, loc: Loc) -> Any:
    if hint is str and type(value) is str and limits is NO_LIMITS:
        return value  # most values in a pack: settle them before any type introspection
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _union(args, limits, value, loc)
    if origin is Literal:
        if any(value == arg and type(value) is type(arg) for arg in args):
            return value
        shown = ", ".join(repr(a) for a in args)
        expected = f"one of {shown}" if len(args) > 1 else shown
        hint_text = did_you_mean(value, [str(a) for a in args]) if isinstance(value, str) else ""
        raise Invalid(loc, f"expected {expected}{hint_text}{_got(value)}")
    if origin is list:
        if not isinstance(value, list | tuple):
            raise Invalid(loc, f"expected a list{_got(value)}")
        _check_length(value, limits, loc, "item")
        if args[0] is str and all(type(item) is str for item in value):
            return list(value)
        return [_value(args[0], NO_LIMITS, item, (*loc, i)) for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise Invalid(loc, f"expected a mapping of keys{_got(value)}")
        _check_length(value, limits, loc, "entry")
        key_hint, value_hint = args
        out = {}
        for key, item in value.items():
            checked_key = _value(key_hint, NO_LIMITS, key, (*loc, str(key)))
            out[checked_key] = _value(value_hint, NO_LIMITS, item, (*loc, str(key)))
        return out
    if dataclasses.is_dataclass(hint):
        return parse(hint, value, loc)  # type: ignore[arg-type]
    if hint is str:
        return _text(value, limits, loc)
    if hint is bool:
        return _bool(value, loc)
    if hint is int:
        return _in_range(_int(value, loc), limits, loc)
    if hint is float:
        return _in_range(_float(value, loc), limits, loc)
    raise TypeError(f"unsupported field type {hint!r}")  # a mistake in a model, not in the data


def _union(args: tuple[Any, ...], limits: Limits, value: Any, loc: Loc) -> Any:
    if value is None and type(None) in args:
        return None
    options = [a for a in args if a is not type(None)]
    # Build the option the data's own shape asks for, so its error is the one reported.
    for option in options:
        if (isinstance(value, Mapping) and dataclasses.is_dataclass(option)) or option is type(
            value
        ):
            return _value(option, limits, value, loc)
    first: Invalid | None = None
    for option in options:
        try:
            return _value(option, limits, value, loc)
        except Invalid as exc:
            first = first or exc
    assert first is not None
    raise first


def _text(value: Any, limits: Limits, loc: Loc) -> str:
    if not isinstance(value, str):
        raise Invalid(loc, f"expected text{_got(value)}")
    text: str = value.strip() if limits.non_empty else value
    if limits.non_empty and not text:
        raise Invalid(loc, "must not be empty")
    if limits.min_length and len(text) < limits.min_length:
        raise Invalid(loc, "must not be empty" if limits.min_length == 1 else "too short")
    if limits.max_length is not None and len(text) > limits.max_length:
        raise Invalid(loc, f"expected at most {limits.max_length} characters")
    if limits.pattern and not re.fullmatch(limits.pattern, text):
        raise Invalid(loc, f"expected {limits.pattern_hint or limits.pattern}{_got(text)}")
    return text


def _bool(value: Any, loc: Loc) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Invalid(loc, f"expected true or false{_got(value)}")


def _int(value: Any, loc: Loc) -> int:
    if isinstance(value, bool):
        raise Invalid(loc, f"expected a whole number (an integer){_got(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d{1,18}\s*", value):
        return int(value)
    raise Invalid(loc, f"expected a whole number (an integer){_got(value)}")


def _float(value: Any, loc: Loc) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise Invalid(loc, f"expected a number{_got(value)}") from None
    else:
        raise Invalid(loc, f"expected a number{_got(value)}")
    if number != number or number in (float("inf"), float("-inf")):
        raise Invalid(loc, f"expected a finite number{_got(value)}")
    return number


def _in_range(number: T, limits: Limits, loc: Loc) -> T:
    low, high = limits.ge, limits.le
    if (low is not None and number < low) or (high is not None and number > high):  # type: ignore[operator]
        if low is not None and high is not None:
            expected = f"a number from {low:g} to {high:g}"
        elif low is not None:
            expected = f"a number of at least {low:g}"
        else:
            expected = f"a number of at most {high:g}"
        raise Invalid(loc, f"expected {expected}{_got(number)}")
    return number


def _check_length(value: Any, limits: Limits, loc: Loc, noun: str) -> None:
    count = len(value)
    if limits.min_length is not None and count < limits.min_length:
        plural = "" if limits.min_length == 1 else "s"
        raise Invalid(loc, f"expected at least {limits.min_length} {noun}{plural}, got {count}")
    if limits.max_length is not None and count > limits.max_length:
        plural = "" if limits.max_length == 1 else "s"
        raise Invalid(loc, f"expected at most {limits.max_length} {noun}{plural}, got {count}")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _got(value: Any) -> str:
    """What the data held instead: the value when short, else its kind."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a whole number checked as a float: "got 8", as the file has it
    if isinstance(value, str | int | float) and len(repr(value)) < 60:
        return f" (got {value!r})"
    return f", got {_kind(value)}"
