"""Shared fixtures: the bundled pack and one real scorer per test session (the model loads once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from coach.content import ContentPack, load_pack  # noqa: E402
from coach.locations import bundled_content_dir  # noqa: E402
from coach.scoring import MiniLM, Scorer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(bundled_content_dir())


@pytest.fixture(scope="session")
def embedder() -> MiniLM:
    model = MiniLM()
    model.load()
    return model


@pytest.fixture(scope="session")
def scorer(pack: ContentPack, embedder: MiniLM) -> Scorer:
    return Scorer(pack, embedder)


@pytest.fixture(scope="session")
def keyword_scorer(pack: ContentPack) -> Scorer:
    return Scorer(pack, None)
