"""Session plans: a named list of questions, `n` random ones or due ones first, with time limits.

A plan is written in YAML (validated like the content pack, errors name file and line) and kept
in the store. Example::

    name: Monday drill
    seconds: 120            # default time limit per question (15-900)
    questions:
      - build-network
      - question: referral-requests
        seconds: 90

    name: Warm-up
    pick: random            # or: due (due questions first, then new ones, then the rest)
    count: 3
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from coach.content import ContentError, did_you_mean
from coach.content.loader import validate
from coach.content.schema import Invalid, Problem, model, parse, spec
from coach.content.yaml_lines import format_loc, load_yaml
from coach.record import Record
from coach.store.errors import InvalidValue
from coach.store.models import PlanItem, PlanStep, SessionPlan

MIN_SECONDS, MAX_SECONDS = 15, 900


@model
class _PlanQuestion(Record):
    """A plan file's question entry in its long form (`question:` and `seconds:`)."""

    question: str = spec(min_length=1)
    seconds: int | None = spec(None, ge=MIN_SECONDS, le=MAX_SECONDS)


@model
class _PlanFile(Record):
    """A session plan file as written in YAML."""

    version: Literal[1] = 1
    name: str = spec(non_empty=True, max_length=80)
    description: str = ""
    pick: Literal["list", "random", "due"] = "list"
    count: int | None = spec(None, ge=1, le=100)
    seconds: int | None = spec(None, ge=MIN_SECONDS, le=MAX_SECONDS)
    questions: list[_PlanQuestion | str] = spec(factory=list)

    def check(self) -> None:
        if self.pick == "list" and not self.questions:
            raise Problem("a 'list' plan needs questions (or use pick: random / due with count)")
        if self.pick != "list" and self.count is None:
            raise Problem(f"a '{self.pick}' plan needs count: how many questions to ask")


def _to_plan(model: _PlanFile) -> SessionPlan:
    items = tuple(
        PlanItem(q, None) if isinstance(q, str) else PlanItem(q.question, q.seconds)
        for q in model.questions
    )
    return SessionPlan(
        name=model.name,
        pick=model.pick,
        items=items,
        count=model.count,
        seconds=model.seconds,
        description=model.description,
    )


def plan_from_dict(data: Mapping[str, Any]) -> SessionPlan:
    """A plan from its `SessionPlan.to_dict()` form; InvalidValue if it does not fit."""
    try:
        return _to_plan(parse(_PlanFile, dict(data)))
    except Invalid as exc:
        raise InvalidValue(f"{format_loc(exc.loc) or 'plan'}: {exc.message}") from None


def load_plan_file(path: Path, question_ids: Sequence[str] | None = None) -> SessionPlan:
    """Read and validate a plan YAML file; ContentError names the file, line and field."""
    loaded = load_yaml(Path(path))
    plan = _to_plan(validate(loaded, _PlanFile))
    if question_ids is not None:
        for index, item in enumerate(plan.items):
            if item.question_id not in question_ids:
                line = loaded.line_for(("questions", index))
                raise ContentError(
                    path,
                    line,
                    f"questions[{index}]",
                    f"unknown question {item.question_id!r}"
                    f"{did_you_mean(item.question_id, list(question_ids))}",
                )
    return plan


def check_plan(plan: SessionPlan, question_ids: Sequence[str]) -> None:
    """InvalidValue if the plan names a question the pack does not have."""
    for item in plan.items:
        if item.question_id not in question_ids:
            raise InvalidValue(
                f"plan {plan.name!r}: unknown question {item.question_id!r}"
                f"{did_you_mean(item.question_id, list(question_ids))}"
            )


def resolve_plan(
    plan: SessionPlan,
    question_ids: Sequence[str],
    practice_order: Sequence[str] | None = None,
    rng: random.Random | None = None,
) -> list[PlanStep]:
    """The concrete questions a session asks, in order, each with its time limit.

    `practice_order` ranks question ids for "due" plans (due first, then new, then the rest:
    `Store.practice_order` gives it). Questions unknown to the pack are left out.
    """
    known = set(question_ids)
    limits = {item.question_id: item.seconds for item in plan.items}
    pool = [item.question_id for item in plan.items if item.question_id in known]
    if plan.pick == "list":
        chosen = pool
    elif plan.pick == "random":
        candidates = pool or list(question_ids)
        chosen = (rng or random.Random()).sample(candidates, min(plan.count or 1, len(candidates)))
    else:
        allowed = set(pool) if pool else known
        ranked = [q for q in (practice_order or question_ids) if q in allowed]
        ranked += [q for q in (pool or question_ids) if q not in ranked]
        chosen = ranked[: plan.count or 1]
    return [PlanStep(q, limits.get(q) or plan.seconds) for q in chosen]
