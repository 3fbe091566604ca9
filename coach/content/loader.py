"""Load and validate a content pack: `questions.yaml` plus `rubrics/`."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coach.content.models import (
    Criterion,
    Mistake,
    Question,
    QuestionBank,
    QuestionRubric,
    Rubric,
    SignalAddition,
)
from coach.content.yaml_lines import ContentError, LoadedYaml, format_loc, load_yaml

Model = TypeVar("Model", bound=BaseModel)

SHARED_RUBRIC = "networking.yaml"


@dataclass(frozen=True)
class ContentPack:
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


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _allowed_fields(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed at `loc` inside `model`, for did-you-mean on unknown keys."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = _model_in(annotation)
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def validate(loaded: LoadedYaml, model: type[Model]) -> Model:
    if not isinstance(loaded.data, dict):
        raise ContentError(loaded.path, 1, "", "expected a mapping of keys at the top of the file")
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        # A misspelt key shows up as "missing" plus "extra"; the extra one names the typo.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        error = errors[0]
        loc = tuple(error["loc"])
        line = loaded.line_for(loc)
        field_name = format_loc(loc)
        if error["type"] == "extra_forbidden":
            key = str(loc[-1])
            hint = did_you_mean(key, _allowed_fields(model, loc[:-1]))
            raise ContentError(loaded.path, line, field_name, f"unknown field{hint}") from None
        if error["type"] == "missing":
            raise ContentError(loaded.path, line, field_name, "required field is missing") from None
        message = error["msg"].removeprefix("Value error, ")
        got = error.get("input")
        shown = (
            f" (got {got!r})" if isinstance(got, str | int | float) and len(repr(got)) < 60 else ""
        )
        raise ContentError(loaded.path, line, field_name, f"{message}{shown}") from None


def merge_rubric(rubric: Rubric, addition: QuestionRubric) -> Rubric:
    criteria = rubric.criteria.model_copy(
        update={
            key: _merge_signal(getattr(rubric.criteria, key), extra)
            for key, extra in addition.criteria.items()
        }
    )
    mistakes = rubric.mistakes.model_copy(
        update={
            key: _merge_signal(getattr(rubric.mistakes, key), extra)
            for key, extra in addition.mistakes.items()
        }
    )
    return rubric.model_copy(update={"criteria": criteria, "mistakes": mistakes})


SignalT = TypeVar("SignalT", Criterion, Mistake)


def _merge_signal(base: SignalT, extra: SignalAddition) -> SignalT:
    update: dict[str, Any] = {
        "exemplars": [*base.exemplars, *extra.exemplars],
        "keywords": [*base.keywords, *extra.keywords],
        "counter_keywords": [*base.counter_keywords, *extra.counter_keywords],
    }
    for name in ("weight", "threshold", "penalty", "expected", "tip"):
        value = getattr(extra, name)
        if value is not None and name in type(base).model_fields:
            update[name] = value
    return base.model_copy(update=update)


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
    questions_path = inside_pack(root, root / "questions.yaml")
    rubric_path = inside_pack(rubric_root, rubric_dir / SHARED_RUBRIC)
    bank = validate(load_yaml(questions_path), QuestionBank)
    rubric = validate(load_yaml(rubric_path), Rubric)
    ids = [q.id for q in bank.questions]
    question_rubrics: dict[str, QuestionRubric] = {}
    digest = hashlib.sha256()
    for path in (questions_path, rubric_path):
        digest.update(path.read_bytes())
    extra_dir = rubric_dir / "questions"
    for path in sorted(extra_dir.glob("*.yaml")) if extra_dir.is_dir() else []:
        loaded = load_yaml(inside_pack(rubric_root, path))
        addition = validate(loaded, QuestionRubric)
        if addition.question not in ids:
            raise ContentError(
                path,
                loaded.line_for(("question",)),
                "question",
                f"unknown question {addition.question!r}{did_you_mean(addition.question, ids)}",
            )
        question_rubrics[addition.question] = addition
        digest.update(path.read_bytes())
    return ContentPack(
        root=root,
        questions=tuple(bank.questions),
        rubric=rubric,
        question_rubrics=question_rubrics,
        content_hash=digest.hexdigest()[:16],
    )
