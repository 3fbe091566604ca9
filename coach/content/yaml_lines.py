"""Safe YAML loading that remembers the line of every key, so errors can point at the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.record import Record, record

if TYPE_CHECKING:
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
        super().__init__(one_line(f"{where}:{label} {expected}"))


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters written as escapes (a field named
    "\\n" in a broken file must not break the one-line error)."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


@record
class LoadedYaml(Record):
    """A YAML file's data with the line of every key path, for errors that name it."""

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


class DuplicateKey(Exception):
    def __init__(self, loc: Loc, line: int, first_line: int) -> None:
        super().__init__(loc)
        self.loc, self.line, self.first_line = loc, line, first_line


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    import yaml  # already loaded by load_yaml: a dictionary look-up

    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*loc, key)
            line = key_node.start_mark.line + 1
            # YAML keeps only the last of two equal keys, so an edit to the first would be lost.
            if child in lines and key != "<<":
                raise DuplicateKey(child, line, lines[child])
            lines[child] = line
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


def compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the plain data built from it."""
    # Imported here: a start whose content pack comes from the cache (coach.content.data_cache)
    # does not need PyYAML at all, and importing it costs about 10 ms.
    import yaml

    # libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python
    # one. Either way only plain YAML types are built: a `!!python/...` tag is an error.
    safe_loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = safe_loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def load_yaml(path: Path) -> LoadedYaml:
    """Read YAML with the safe loader only and keep a map of key paths to line numbers."""
    import yaml

    text = read_text(path)
    try:
        node, data = compose_and_construct(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise ContentError(path, line, "", f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (str: two lines)
        line = text[: exc.position].count("\n") + 1
        raise ContentError(path, line, "", f"invalid YAML: {yaml_reader_problem(exc)}") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise ContentError(path, None, "", f"invalid YAML: {first}") from None
    lines: dict[Loc, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except DuplicateKey as exc:
            raise ContentError(
                path,
                exc.line,
                format_loc(exc.loc),
                f"duplicate key: it is already on line {exc.first_line}, and YAML keeps only the last",
            ) from None
    return LoadedYaml(path=path, data=data, lines=lines)


def yaml_reader_problem(exc: yaml.reader.ReaderError) -> str:
    """One line for a character YAML refuses (a control character, a stray byte-order mark)."""
    char = exc.character
    code = f"#x{ord(char):04x}" if isinstance(char, str) else f"#x{char:02x}"
    return f"character {code} is not allowed ({exc.reason})"


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
