"""Fixtures for the TUI tests: an app factory with a fixed clock, a temporary drafts directory,
the engines the app can run on (the real model loaded once per session, keyword checks only,
a canned result for deterministic snapshots, or a model that is still "loading"), and a
practice store on a temporary database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_canned import canned_result
from tui_fakes import CannedScorer, GatedLoad

from coach.content import ContentPack
from coach.scoring import MiniLM, Scorer
from coach.scoring.embedding import MemoEmbedder
from coach.store import Store
from coach.tui.app import CoachApp, create_app
from coach.tui.engine import Engine
from coach.tui.stopwatch import FakeClock

AppFactory = Callable[..., CoachApp]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def memo_embedder(embedder: MiniLM) -> MemoEmbedder:
    """The real model (loaded once per session), remembering what it embedded across tests."""
    return MemoEmbedder(embedder)


@pytest.fixture(scope="session")
def model_scorer(pack: ContentPack, memo_embedder: MemoEmbedder) -> Scorer:
    """The real MiniLM scorer, shared by the tests that score with the model."""
    return Scorer(pack, memo_embedder)


@pytest.fixture
def canned_engine(pack: ContentPack) -> Engine:
    return Engine.from_scorer(CannedScorer(pack, canned_result()))


@pytest.fixture
def gated(memo_embedder: MemoEmbedder) -> Iterator[GatedLoad]:
    load = GatedLoad(memo_embedder)
    yield load
    load.gate.set()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def drafts_path(tmp_path: Path) -> Path:
    return tmp_path / "drafts"


@pytest.fixture
def make_app(pack: ContentPack, clock: FakeClock, drafts_path: Path) -> AppFactory:
    """`make_app(engine=...)`: the app as `coach` builds it, with test-friendly parts."""

    def make(**overrides: object) -> CoachApp:
        options: dict[str, object] = {
            "pack": pack,
            "engine": Engine.keyword_only(pack),
            "drafts": drafts_path,
            "clock": clock,
            "seed": 7,
            "draft_delay": 0.05,
            "live_delay": 0.05,
        }
        options.update(overrides)
        return create_app(**options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The practice history on a temporary database (pass `store=store` to `make_app`)."""
    with Store(tmp_path / "coach.sqlite3") as opened:
        yield opened
