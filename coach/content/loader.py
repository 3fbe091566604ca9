"""Load and validate a content pack: `questions.yaml` plus `rubrics/`."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Any, TypeVar

from coach.content import data_cache
from coach.content.models import (
    Criterion,
    Mistake,
    Question,
    QuestionBank,
    QuestionRubric,
    Rubric,
    SignalAddition,
)
from coach.content.schema import Invalid, did_you_mean, field_names, parse
from coach.content.yaml_lines import ContentError, LoadedYaml, format_loc, load_yaml
from coach.record import Record, record

Model = TypeVar("Model")

SHARED_RUBRIC = "networking.yaml"


@record
class ContentPack(Record):
    """The loaded content pack: questions, the shared rubric, per-question rubric additions."""

    root: Path
    questions: tuple[Question, ...]
    rubric: Rubric
    question_rubrics: dict[str, QuestionRubric] = field(default_factory=dict)
    content_hash: str = ""

    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def find_question(self, ref: str | int) -> Question:
        """A question by id or by 1-based position; KeyError with a did-you-mean otherwise."""
        text = str(ref).strip()
        if text.isdigit():
            position = int(text)
            if 1 <= position <= len(self.questions):
                return self.questions[position - 1]
            raise KeyError(
                f"no question at position {position}; expected 1 to {len(self.questions)}"
            )
        for question in self.questions:
            if question.id == text:
                return question
        raise KeyError(f"unknown question {text!r}{did_you_mean(text, self.question_ids())}")

    def rubric_for(self, question_id: str) -> Rubric:
        """The shared rubric with this question's additions merged in."""
        addition = self.question_rubrics.get(question_id)
        return merge_rubric(self.rubric, addition) if addition else self.rubric


def validate(loaded: LoadedYaml, cls: type[Model]) -> Model:
    """The file's data as a `cls` model, or a ContentError naming the file, line and field."""
    if not isinstance(loaded.data, dict):
        raise ContentError(loaded.path, 1, "", "expected a mapping of keys at the top of the file")
    try:
        return parse(cls, loaded.data)
    except Invalid as exc:
        raise ContentError(
            loaded.path, loaded.line_for(exc.loc), format_loc(exc.loc), exc.message
        ) from None


def merge_rubric(rubric: Rubric, addition: QuestionRubric) -> Rubric:
    criteria = dataclasses.replace(
        rubric.criteria,
        **{
            key: _merge_signal(getattr(rubric.criteria, key), extra)
            for key, extra in addition.criteria.items()
        },
    )
    mistakes = dataclasses.replace(
        rubric.mistakes,
        **{
            key: _merge_signal(getattr(rubric.mistakes, key), extra)
            for key, extra in addition.mistakes.items()
        },
    )
    return dataclasses.replace(rubric, criteria=criteria, mistakes=mistakes)


SignalT = TypeVar("SignalT", Criterion, Mistake)


def _merge_signal(base: SignalT, extra: SignalAddition) -> SignalT:
    update: dict[str, Any] = {
        "exemplars": [*base.exemplars, *extra.exemplars],
        "keywords": [*base.keywords, *extra.keywords],
        "counter_keywords": [*base.counter_keywords, *extra.counter_keywords],
    }
    for name in ("weight", "threshold", "penalty", "expected", "tip"):
        value = getattr(extra, name)
        if value is not None and name in field_names(type(base)):
            update[name] = value
    return dataclasses.replace(base, **update)


def inside_pack(root: Path, path: Path) -> Path:
    """`path`, or a ContentError if it resolves (through a symlink) to a file outside the pack."""
    try:
        target = path.resolve()
        target.relative_to(root.resolve())
    except ValueError:
        raise ContentError(
            path, None, "", f"points outside the content pack (to {target}); copy the file in"
        ) from None
    except (OSError, RuntimeError):  # a symlink loop
        raise ContentError(path, None, "", "cannot resolve the file (a symlink loop?)") from None
    return path


def load_pack(root: Path, rubrics: Path | None = None) -> ContentPack:
    """Load a pack and validate every file; raise ContentError at the first problem.

    `rubrics` is a rubrics folder to use instead of the pack's own (a hiring manager's copy)."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, None, "", "expected a content directory holding questions.yaml")
    rubric_root = root if rubrics is None else Path(rubrics)
    rubric_dir = root / "rubrics" if rubrics is None else Path(rubrics)
    extra_dir = rubric_dir / "questions"
    paths = [
        inside_pack(root, root / "questions.yaml"),
        inside_pack(rubric_root, rubric_dir / SHARED_RUBRIC),
        *(inside_pack(rubric_root, p) for p in sorted(extra_dir.glob("*.yaml"))),
    ]
    try:
        blobs = [path.read_bytes() for path in paths]
    except OSError:  # a missing or unreadable file: load_yaml words the error
        blobs = []
    content_hash = hashlib.sha256(b"".join(blobs)).hexdigest()[:16]
    cached = data_cache.read(paths, blobs) if blobs else None
    if cached is not None:
        from_cache = dict(zip(paths, cached, strict=True))
        try:
            return _build(
                root, paths, lambda path: LoadedYaml(path, from_cache[path], {}), content_hash
            )
        except ContentError:
            pass  # data the checks have grown stricter for: the YAML gives the error its line
    loaded: list[LoadedYaml] = []

    def read(path: Path) -> LoadedYaml:
        loaded.append(load_yaml(path))
        return loaded[-1]

    pack = _build(root, paths, read, content_hash)
    data_cache.write(paths, blobs, [file.data for file in loaded])
    return pack


def _build(
    root: Path, paths: list[Path], read: Callable[[Path], LoadedYaml], content_hash: str
) -> ContentPack:
    """The pack from its files (questions, shared rubric, question rubrics), validated in order."""
    questions_path, rubric_path, *extra_paths = paths
    bank = validate(read(questions_path), QuestionBank)
    rubric = validate(read(rubric_path), Rubric)
    ids = [q.id for q in bank.questions]
    question_rubrics: dict[str, QuestionRubric] = {}
    for path in extra_paths:
        loaded = read(path)
        addition = validate(loaded, QuestionRubric)
        if addition.question not in ids:
            raise ContentError(
                path,
                loaded.line_for(("question",)),
                "question",
                f"unknown question {addition.question!r}{did_you_mean(addition.question, ids)}",
            )
        question_rubrics[addition.question] = addition
    return ContentPack(
        root=root,
        questions=tuple(bank.questions),
        rubric=rubric,
        question_rubrics=question_rubrics,
        content_hash=content_hash,
    )
