"""Safe YAML loading that remembers the line of every key, so errors can point at the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


class ContentError(Exception):
    """A content file is wrong; the message is one line naming file, line and field."""

    def __init__(self, file: Path | str, line: int | None, field: str, expected: str) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        self.expected = expected
        where = f"{self.file}:{line}" if line else self.file
        label = f" {field}:" if field else ""
        super().__init__(f"{where}:{label} {expected}")


@dataclass(frozen=True)
class LoadedYaml:
    path: Path
    data: Any
    lines: dict[Loc, int]

    def line_for(self, loc: Loc) -> int | None:
        """Line of the deepest known node along `loc` (1-based)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*loc, key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines)


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, None, "", "file not found") from None
    except IsADirectoryError:
        raise ContentError(path, None, "", "expected a YAML file, found a directory") from None
    except OSError as exc:
        raise ContentError(path, None, "", f"cannot read file ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(path, line, "", "file is not valid UTF-8 text") from None


def load_yaml(path: Path) -> LoadedYaml:
    """Read YAML with the safe loader only and keep a map of key paths to line numbers."""
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise ContentError(path, line, "", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, None, "", f"invalid YAML: {exc}") from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LoadedYaml(path=path, data=data, lines=lines)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
