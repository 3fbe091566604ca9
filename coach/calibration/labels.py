"""Read a labels file (JSONL or YAML) of human grades and true/false labels.

A bad record is reported with its line and left out; the others are used. A bad field inside an
otherwise good record (an unknown label id, a label that is not true/false) is reported and only
that field is ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coach.content import ALL_IDS, did_you_mean
from coach.content.yaml_lines import Loc, yaml_reader_problem
from coach.textfile import TextFileError, read_user_text

KNOWN_FIELDS = ("id", "question", "answer", "grade", "grades", "labels", "kind", "note", "notes")

# Turns a question reference (id or 1-based position) into a question id, or raises KeyError.
Resolver = Callable[[str | int], str]


class LabelsError(Exception):
    """The labels file cannot be read at all (missing, not UTF-8, not JSONL or a YAML list)."""


@dataclass(frozen=True)
class LabelIssue:
    file: str
    line: int | None
    message: str
    skipped: bool  # True: the whole record was left out; False: only one field was ignored

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        tail = " (record skipped)" if self.skipped else " (ignored)"
        return f"{where}: {self.message}{tail}"


@dataclass(frozen=True)
class LabelRecord:
    id: str
    line: int  # 1-based line of the record in its file
    question: str  # question id (resolved when a resolver was given)
    answer: str
    grade: int | None = None  # the reference human grade ("grade", else the median of "grades")
    grades: tuple[int, ...] = ()  # one grade per rater, in rater order, when several were given
    labels: dict[str, bool] = field(default_factory=dict)
    kind: str | None = None

    @property
    def human_grade(self) -> int | None:
        return self.grade


@dataclass(frozen=True)
class LabelSet:
    path: Path
    records: tuple[LabelRecord, ...]
    issues: tuple[LabelIssue, ...]

    @property
    def skipped(self) -> int:
        return sum(1 for issue in self.issues if issue.skipped)


class _Bad(Exception):
    def __init__(self, message: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc


def _median_grade(grades: tuple[int, ...]) -> int:
    """The median rounded half up: raters 3 and 4 give 4 (an even split favours the higher)."""
    ordered = sorted(grades)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return int(math.floor(value + 0.5))


def _grade(value: Any, name: str, loc: Loc) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"field '{name}' must be a whole number from 1 to 5 (got {value!r})", loc)
    if isinstance(value, float) and not value.is_integer():
        raise _Bad(f"field '{name}' must be a whole number from 1 to 5 (got {value!r})", loc)
    if not 1 <= value <= 5:
        raise _Bad(f"field '{name}' must be from 1 to 5 (got {value!r})", loc)
    return int(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


class _Parser:
    def __init__(self, path: Path, resolve: Resolver | None) -> None:
        self.path = path
        self.resolve = resolve
        self.issues: list[LabelIssue] = []
        self.records: list[LabelRecord] = []
        self.seen: dict[str, int] = {}

    def issue(self, line: int | None, message: str, skipped: bool) -> None:
        self.issues.append(LabelIssue(str(self.path), line, message, skipped))

    def add(self, data: Any, line: int, line_of: Callable[[Loc], int]) -> None:
        try:
            record = self.record(data, line, line_of)
        except _Bad as exc:
            self.issue(line_of(exc.loc) if exc.loc else line, exc.message, skipped=True)
            return
        first = self.seen.get(record.id)
        if first is not None:
            self.issue(
                line_of(("id",)), f"duplicate id {record.id!r} (first at line {first})", True
            )
            return
        self.seen[record.id] = line
        self.records.append(record)

    def record(self, data: Any, line: int, line_of: Callable[[Loc], int]) -> LabelRecord:
        if not isinstance(data, dict):
            raise _Bad("expected a record with question, answer and grade or labels")
        for key in data:
            if key not in KNOWN_FIELDS:
                hint = did_you_mean(str(key), list(KNOWN_FIELDS))
                self.issue(line_of((key,)), f"unknown field {key!r}{hint}", skipped=False)
        record_id = _text(data.get("id")).strip() or f"line {line}"
        question = data.get("question")
        if question is None:
            raise _Bad("field 'question' is missing (a question id or 1-based position)")
        if isinstance(question, bool) or not isinstance(question, str | int):
            raise _Bad("field 'question' must be a question id or position", ("question",))
        question_id = str(question).strip()
        if self.resolve is not None:
            try:
                question_id = self.resolve(question)
            except KeyError as exc:
                raise _Bad(f"field 'question': {exc.args[0]}", ("question",)) from None
        answer = data.get("answer")
        if not isinstance(answer, str):
            if answer is None:
                raise _Bad("field 'answer' is missing")
            raise _Bad("field 'answer' must be text", ("answer",))
        if not any(ch.isalnum() for ch in answer):
            raise _Bad("field 'answer' is empty", ("answer",))
        grades = self.grades(data)
        grade: int | None = None
        if data.get("grade") is not None:
            grade = _grade(data["grade"], "grade", ("grade",))
        elif grades:
            grade = _median_grade(grades)
        labels = self.labels(data.get("labels"), line_of)
        if grade is None and not labels:
            raise _Bad("nothing to compare: give a 'grade', 'grades' or 'labels'")
        kind = data.get("kind")
        return LabelRecord(
            id=record_id,
            line=line,
            question=question_id,
            answer=answer,
            grade=grade,
            grades=grades,
            labels=labels,
            kind=str(kind) if kind is not None else None,
        )

    def grades(self, data: dict[str, Any]) -> tuple[int, ...]:
        raw = data.get("grades")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise _Bad("field 'grades' must be a list of grades, one per rater", ("grades",))
        return tuple(_grade(value, f"grades[{i}]", ("grades", i)) for i, value in enumerate(raw))

    def labels(self, raw: Any, line_of: Callable[[Loc], int]) -> dict[str, bool]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise _Bad("field 'labels' must map ids to true or false", ("labels",))
        out: dict[str, bool] = {}
        for key, value in raw.items():
            name = str(key)
            where = line_of(("labels", key))
            if name not in ALL_IDS:
                hint = did_you_mean(name, list(ALL_IDS))
                self.issue(where, f"labels.{name}: unknown id{hint}", skipped=False)
            elif value is None:
                continue  # not judged: partial labels are fine
            elif not isinstance(value, bool):
                self.issue(where, f"labels.{name}: expected true or false (got {value!r})", False)
            else:
                out[name] = value
        return out


def _read(path: Path) -> str:
    try:
        return read_user_text(path, "a labels file")
    except TextFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise LabelsError(f"{where}: {exc}") from None


def _looks_like_jsonl(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return True
    if suffix in (".yaml", ".yml"):
        return False
    first = text.lstrip()[:1]
    return first == "{"  # a JSON array ("[") is read as YAML, which keeps its line numbers


def _parse_jsonl(parser: _Parser, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            parser.issue(number, f"not valid JSON ({exc.msg} at column {exc.colno})", skipped=True)
            continue

        def line_of(_loc: Loc, n: int = number) -> int:
            return n

        parser.add(data, number, line_of)


def node_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    """Record the 1-based line of every key path under `node` in `lines`."""
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            node_lines(value_node, (*loc, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            node_lines(item, (*loc, index), lines)


def _yaml_items(path: Path, text: str) -> Iterator[tuple[Any, int, dict[Loc, int]]]:
    """(record data, record line, line of every key inside it) for each item of the YAML list."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        context = exc.context_mark
        extra = ""
        if exc.context and context is not None and mark is not None and context.line != mark.line:
            extra = f" ({exc.context} at line {context.line + 1})"
        raise LabelsError(f"{where}: invalid YAML: {exc.problem or exc}{extra}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (str: two lines)
        line = text[: exc.position].count("\n") + 1
        raise LabelsError(f"{path}:{line}: invalid YAML: {yaml_reader_problem(exc)}") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise LabelsError(f"{path}: invalid YAML: {first}") from None
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        raise LabelsError(
            f"{path}:{root.start_mark.line + 1}: expected a YAML list of records "
            "(- id: ..., question: ..., answer: ..., grade: ...)"
        )
    for item, value in zip(root.value, data, strict=True):
        lines: dict[Loc, int] = {}
        node_lines(item, (), lines)
        yield value, item.start_mark.line + 1, lines


def _parse_yaml(parser: _Parser, path: Path, text: str) -> None:
    for data, line, lines in _yaml_items(path, text):

        def line_of(loc: Loc, lines: dict[Loc, int] = lines, line: int = line) -> int:
            for end in range(len(loc), 0, -1):
                found = lines.get(tuple(loc[:end]))
                if found is not None:
                    return found
            return line

        parser.add(data, line, line_of)


def parse_labels(text: str, path: Path, resolve: Resolver | None = None) -> LabelSet:
    """Parse labels text; `path` decides the format (.jsonl or .yaml) and names the file."""
    parser = _Parser(path, resolve)
    if _looks_like_jsonl(path, text):
        _parse_jsonl(parser, text)
    else:
        _parse_yaml(parser, path, text)
    return LabelSet(path, tuple(parser.records), tuple(parser.issues))


def load_labels(path: Path, resolve: Resolver | None = None) -> LabelSet:
    """Read a labels file; raise LabelsError only when nothing in it can be read."""
    path = Path(path)
    return parse_labels(_read(path), path, resolve)
