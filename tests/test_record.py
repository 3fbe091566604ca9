"""`@record` classes behave as `@dataclass(frozen=True)` ones do, side by side."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from coach.content import load_pack
from coach.locations import bundled_content_dir
from coach.record import Record, record


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    note: str = dataclasses.field(default="", repr=False)


@record
class RecordPoint(Record):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    note: str = dataclasses.field(default="", repr=False)


@record
class RecordPoint3(RecordPoint):
    z: int = 0


Check = Callable[[type[Any]], object]

CHECKS: dict[str, Check] = {
    "equal": lambda cls: cls(1, 2, ("a",)) == cls(1, 2, ("a",)),
    "unequal": lambda cls: cls(1, 2) == cls(1, 3),
    "not equal to a tuple": lambda cls: cls(1, 2) == (1, 2, (), ""),
    "same hash": lambda cls: hash(cls(1, 2)) == hash(cls(1, 2)),
    "in a set": lambda cls: len({cls(1), cls(1), cls(2)}),
    "repr": lambda cls: repr(cls(1, 2, ("a",), "hidden")).split("(", 1)[1],
    "replace": lambda cls: dataclasses.replace(cls(1, 2), y=5) == cls(1, 5),
    "asdict": lambda cls: dataclasses.asdict(cls(1, 2)),
    "fields": lambda cls: [f.name for f in dataclasses.fields(cls)],
    "copy": lambda cls: copy.deepcopy(cls(1, 2, ("a",))) == cls(1, 2, ("a",)),
    "pickle": lambda cls: pickle.loads(pickle.dumps(cls(1, 2))) == cls(1, 2),
    "missing argument": lambda cls: _raises(lambda: cls()),
    "set a field": lambda cls: _raises(lambda: setattr(cls(1), "x", 2)),
    "set a new attribute": lambda cls: _raises(lambda: setattr(cls(1), "w", 2)),
    "delete a field": lambda cls: _raises(lambda: delattr(cls(1), "x")),
}


def _raises(action: Callable[[], object]) -> str:
    try:
        action()
    except Exception as exc:  # the kind of error is what must match
        return type(exc).__name__
    return "nothing raised"


@pytest.mark.parametrize("check", list(CHECKS))
def test_a_record_behaves_as_a_frozen_dataclass(check: str) -> None:
    assert CHECKS[check](RecordPoint) == CHECKS[check](FrozenPoint)


def test_a_subclass_is_neither_equal_to_its_base_nor_shares_its_fields() -> None:
    assert RecordPoint3(1, 2) != RecordPoint(1, 2)
    assert RecordPoint3(1, 2, z=3) == RecordPoint3(1, 2, z=3) != RecordPoint3(1, 2, z=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        RecordPoint3(1).z = 5  # type: ignore[misc]


def test_a_record_must_extend_record() -> None:
    with pytest.raises(TypeError, match="must extend Record"):

        @record
        class Loose:
            x: int


def test_the_content_pack_cannot_be_changed_once_loaded() -> None:
    pack = load_pack(bundled_content_dir())
    question = pack.questions[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.title = "changed"  # type: ignore[misc]
    assert load_pack(bundled_content_dir()) == pack
