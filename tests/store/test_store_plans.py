"""Session plans (YAML and store) and sessions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from coach.content import ContentError, ContentPack
from coach.scoring import ScoreResult
from coach.store import (
    InvalidValue,
    NotFound,
    PlanItem,
    PlanStep,
    SessionPlan,
    Store,
    check_plan,
    load_plan_file,
    resolve_plan,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_list_plan_from_yaml(tmp_path: Path, pack: ContentPack) -> None:
    path = write(
        tmp_path,
        "name: Monday drill\nseconds: 120\nquestions:\n  - build-network\n"
        "  - question: referral-requests\n    seconds: 90\n",
    )
    plan = load_plan_file(path, pack.question_ids())
    assert plan == SessionPlan(
        "Monday drill",
        "list",
        (PlanItem("build-network", None), PlanItem("referral-requests", 90)),
        seconds=120,
    )
    steps = resolve_plan(plan, pack.question_ids())
    assert steps == [PlanStep("build-network", 120), PlanStep("referral-requests", 90)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nquestions:\n  - build-netwrk\n",
            r"plan.yaml:3: questions\[0\]: unknown question "
            r"'build-netwrk'; did you mean 'build-network'\?",
        ),
        ("name: x\npick: random\n", "needs count"),
        ("name: x\n", "needs questions"),
        ("name: x\nseconds: 5\nquestions: [build-network]\n", "plan.yaml:2: seconds:"),
        (
            "name: x\nquestions: [build-network]\ncolour: red\n",
            "plan.yaml:3: colour: unknown field",
        ),
        ("name: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_plans_name_file_line_and_field(
    tmp_path: Path, pack: ContentPack, text: str, message: str
) -> None:
    with pytest.raises(ContentError, match=message):
        load_plan_file(write(tmp_path, text), pack.question_ids())


def test_random_and_due_plans(pack: ContentPack) -> None:
    ids = pack.question_ids()
    rand = SessionPlan("warm-up", "random", count=3, seconds=60)
    steps = resolve_plan(rand, ids, rng=random.Random(7))
    assert len(steps) == 3 and len({s.question_id for s in steps}) == 3
    assert all(s.seconds == 60 for s in steps)
    assert steps == resolve_plan(rand, ids, rng=random.Random(7))
    pool = SessionPlan("pool", "random", (PlanItem("event-roi"), PlanItem("new-market")), count=5)
    assert {s.question_id for s in resolve_plan(pool, ids)} == {"event-roi", "new-market"}
    due = SessionPlan("due", "due", count=2)
    order = ["new-market", "event-roi", *ids]
    assert [s.question_id for s in resolve_plan(due, ids, order)] == ["new-market", "event-roi"]
    assert [s.question_id for s in resolve_plan(due, ids)] == ids[:2]


def test_check_plan_against_a_pack(pack: ContentPack) -> None:
    check_plan(SessionPlan("ok", items=(PlanItem("event-roi"),)), pack.question_ids())
    with pytest.raises(InvalidValue, match="unknown question 'nope'"):
        check_plan(SessionPlan("bad", items=(PlanItem("nope"),)), pack.question_ids())


def test_plans_in_the_store(store: Store) -> None:
    plan = SessionPlan("Drill", items=(PlanItem("event-roi", 60),), description="short")
    assert store.save_plan(plan) == plan
    with pytest.raises(InvalidValue, match="already exists"):
        store.save_plan(plan)
    bigger = SessionPlan("Drill", "due", count=3)
    assert store.save_plan(bigger, replace=True) == bigger
    assert store.list_plans() == [bigger]
    assert store.get_plan("drill") == bigger
    with pytest.raises(InvalidValue, match="needs questions"):
        store.save_plan(SessionPlan("empty"))
    store.delete_plan("Drill")
    with pytest.raises(NotFound):
        store.get_plan("Drill")


def test_sessions_group_attempts(store: Store, results: dict[str, ScoreResult]) -> None:
    store.add_candidate("ana")
    plan = SessionPlan("Drill", items=(PlanItem("build-network"),))
    steps = resolve_plan(plan, ["build-network"])
    session = store.start_session("ana", plan=plan, steps=steps)
    assert (
        session.candidate == "ana"
        and session.plan_name == "Drill"
        and session.steps == (PlanStep("build-network", None),)
    )
    inside = store.save_attempt(
        result=results["weak"], answer="x", candidate="ana", session_id=session.id
    )
    store.save_attempt(result=results["medium"], answer="y", candidate="ana")
    with pytest.raises(InvalidValue, match="another candidate"):
        store.save_attempt(result=results["weak"], answer="z", session_id=session.id)
    with pytest.raises(NotFound, match="no session 99"):
        store.save_attempt(result=results["weak"], answer="z", session_id=99)
    assert [a.id for a in store.list_attempts(session=session.id)] == [inside.id]
    ended = store.end_session(session.id, note="Good focus")
    assert ended.ended_at is not None and ended.note == "Good focus"
    assert [s.id for s in store.list_sessions("ana")] == [session.id]
    assert store.list_sessions("me") == []
