"""Fuzz the YAML content loader with mutated copies of the bundled pack.

Every case ends in a loaded pack or a one-line `ContentError`; never another exception, never a
hang. A pack that loads must also score an answer with the keyword scorer.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from coach.content import ContentError, ContentPack, load_pack
from coach.locations import bundled_content_dir
from coach.scoring import EmptyAnswer, Scorer

from .helpers import assert_one_line, fuzz, time_limit

SOURCE = bundled_content_dir()
FILES = sorted(
    str(p.relative_to(SOURCE))
    for p in [SOURCE / "questions.yaml", *sorted((SOURCE / "rubrics").rglob("*.yaml"))]
)
TEXTS = {name: (SOURCE / name).read_text(encoding="utf-8") for name in FILES}
ANSWER = "I built a referral network with partners and followed up within two days. Pipeline rose 30%."

YAML_BITS = st.sampled_from(
    [":", "- ", "  ", "\t", "\n", "{", "}", "[", "]", "&a ", "*a", "!!str ", "!!binary ", "---",
     "...", "#", "'", '"', "|", ">", "? ", "null", "~", "-1", "1e999", ".nan", "yes", "\x00",
     "\ufeff", "é", "\u2028", "id:", "weight: -5", "threshold: 2", "questions:", "criteria:"]
)
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """Cut, insert, duplicate, swap or truncate characters and lines of a YAML file."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "insert", "dup", "swap", "truncate", "replace"]))
        lines = text.splitlines(keepends=True)
        if kind == "cut" and text:
            start = draw(st.integers(0, len(text) - 1))
            text = text[:start] + text[start + draw(st.integers(1, 200)) :]
        elif kind == "insert":
            at = draw(st.integers(0, len(text)))
            bit = draw(st.one_of(YAML_BITS, st.text(max_size=20)))
            text = text[:at] + bit + text[at:]
        elif kind == "dup" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[: i + 1] + lines[i:])
        elif kind == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif kind == "replace" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = indent + draw(YAML_BITS) + draw(st.text(max_size=15)) + "\n"
            text = "".join(lines)
    return text


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*here, index))
    return out


@st.composite
def tree_mutation(draw: st.DrawFn, text: str) -> str:
    """Replace, delete or add a node anywhere in the parsed file, then dump it back."""
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            if kind == "replace":
                data = draw(VALUES)
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if kind == "replace":
            parent[last] = draw(VALUES)
        elif kind == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.one_of(st.text(max_size=12), st.integers()))] = draw(VALUES)
        else:
            parent.insert(last, draw(VALUES))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def mutated_pack(draw: st.DrawFn) -> Changes:
    """{relative path: new text} for one to three files of the pack."""
    names = draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True))
    out = {}
    for name in names:
        how = draw(st.sampled_from([text_mutation, tree_mutation]))
        out[name] = draw(how(TEXTS[name]))
    return Changes(out)


class Changes(dict[str, str | bytes]):
    """New contents for some pack files; shown as a short diff when a case fails."""

    def __repr__(self) -> str:
        parts = []
        for name, new in self.items():
            if isinstance(new, bytes):
                parts.append(f"{name}: {len(new)} bytes {new[:80]!r}")
                continue
            old = TEXTS[name].splitlines()
            diff = difflib.unified_diff(old, new.splitlines(), lineterm="", n=0)
            parts.append(f"{name}:\n" + "\n".join(list(diff)[2:40]))
        return "\n".join(parts)


_PACK: list[Path] = []


def _scratch_pack() -> Path:
    """One copy of the bundled pack per session; each case rewrites files and restores them."""
    if not _PACK:
        root = Path(tempfile.mkdtemp(prefix="coach-fuzz-")) / "pack"
        shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns("calibration"))
        _PACK.append(root)
    return _PACK[0]


def load_mutated(changes: dict[str, str | bytes]) -> ContentPack | ContentError:
    root = _scratch_pack()
    try:
        for name, text in changes.items():
            data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
            (root / name).write_bytes(data)
        return _load_and_use(root)
    finally:
        for name in changes:
            (root / name).write_text(TEXTS[name], encoding="utf-8")


def _load_and_use(root: Path) -> ContentPack | ContentError:
    try:
        with time_limit(20):
            pack = load_pack(root)
    except ContentError as exc:
        assert_one_line(str(exc), str(root))
        return exc
    # A pack the loader accepts must be usable by the scorer.
    with time_limit(20):
        scorer = Scorer(pack, None)
        for question in pack.questions[:2]:
            try:
                result = scorer.score(question.id, ANSWER)
            except EmptyAnswer:
                continue
            assert 0 <= result.overall <= 100
    return pack


def test_the_bundled_pack_loads() -> None:
    assert isinstance(load_mutated({}), ContentPack)


@fuzz(normal=100)
@given(mutated_pack())
def test_mutated_packs_load_or_give_one_line(changes: Changes) -> None:
    load_mutated(changes)


@fuzz(normal=50)
@given(st.sampled_from(FILES), st.binary(max_size=2000))
def test_random_bytes_as_a_content_file(name: str, data: bytes) -> None:
    load_mutated(Changes({name: data}))
