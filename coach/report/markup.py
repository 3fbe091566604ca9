"""A tiny HTML/SVG builder that escapes every string unless it is already `Markup`.

Text from answers, notes, names and content always goes through `esc`, so an answer holding
`<script>` renders as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping


class Markup(str):
    """A string already safe to put in HTML."""

    __slots__ = ()


Child = object  # str (escaped), Markup (as is), None (skipped), numbers, or iterables of these


def esc(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def _children(items: Iterable[Child]) -> Iterable[Markup]:
    for item in items:
        if item is None or item is False:
            continue
        if isinstance(item, str | int | float):
            yield esc(item)
        elif isinstance(item, Iterable):
            yield from _children(item)
        else:
            yield esc(item)


def join(items: Iterable[Child], sep: str = "") -> Markup:
    return Markup(sep.join(_children(items)))


def attrs(values: Mapping[str, object] | None) -> Markup:
    if not values:
        return Markup("")
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    return Markup(" " + " ".join(parts)) if parts else Markup("")


def tag(name: str, attributes: Mapping[str, object] | None = None, *children: Child) -> Markup:
    return Markup(f"<{name}{attrs(attributes)}>{join(children)}</{name}>")


def void(name: str, attributes: Mapping[str, object] | None = None) -> Markup:
    return Markup(f"<{name}{attrs(attributes)}>")


def selfclosing(name: str, attributes: Mapping[str, object] | None = None) -> Markup:
    """An SVG element with no children."""
    return Markup(f"<{name}{attrs(attributes)}/>")
