"""Fixtures for the practice-history tests: real scores, temporary databases.

`pack` and `scorer` (the real model, loaded once per session) come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.content import ContentPack
from coach.scoring import Scorer, ScoreResult
from coach.store import Store

WEAK = (
    "Networking is about meeting as many people as possible. I go to a lot of events and I "
    "connect with everyone on LinkedIn. I have over 3,000 connections and I collect hundreds of "
    "business cards every year."
)
MEDIUM = (
    "When I joined my last company I sorted my contacts into tiers and met the top ten partners "
    "every month. I always tried to help them first with an introduction or an article. Over the "
    "year the network brought in more referrals than before."
)
SCRIPT = "I met partners monthly. <script>alert('pwned')</script> Referrals rose 30%."


@pytest.fixture(scope="session")
def results(pack: ContentPack, scorer: Scorer) -> dict[str, ScoreResult]:
    """Real results: weak, medium and strong answers, and one holding a <script> tag."""
    strong = {q.id: q.model_answer.text() for q in pack.questions}
    items = {
        "weak": ("build-network", WEAK),
        "medium": ("build-network", MEDIUM),
        "strong": ("build-network", strong["build-network"]),
        "strong_referral": ("referral-requests", strong["referral-requests"]),
        "strong_event": ("event-roi", strong["event-roi"]),
        "script": ("build-network", SCRIPT),
    }
    scored = scorer.score_many(list(items.values()))
    return dict(zip(items, scored, strict=True))


@pytest.fixture(scope="session")
def answers(pack: ContentPack) -> dict[str, str]:
    strong = {q.id: q.model_answer.text() for q in pack.questions}
    return {
        "weak": WEAK,
        "medium": MEDIUM,
        "strong": strong["build-network"],
        "strong_referral": strong["referral-requests"],
        "strong_event": strong["event-roi"],
        "script": SCRIPT,
    }


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coach.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path, timeout=5) as opened:
        yield opened
