"""Real speech for the tests: espeak-ng renders WAV files once per session, Whisper loads once.

Nothing here is mocked: the clips are synthesized speech, the transcripts come from the real
model. Tests that need espeak-ng skip with a reason when it is missing (`scripts/setup` installs
it).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach.speech import ModelUnavailable, Transcript, load_model, transcribe

from .helpers import espeak_path


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if espeak_path() is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; scripts/setup does)")
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def say(speech_dir: Path) -> Callable[..., Path]:
    """say(text, name, rate=150) -> a WAV file spoken by espeak-ng at `rate` words per minute."""
    made: dict[tuple[str, str, int], Path] = {}

    def _say(text: str, name: str, rate: int = 150) -> Path:
        key = (text, name, rate)
        if key not in made:
            path = speech_dir / name
            subprocess.run(
                [str(espeak_path()), "-s", str(rate), "-w", str(path), text],
                check=True,
                capture_output=True,
            )
            made[key] = path
        return made[key]

    return _say


@pytest.fixture(scope="session")
def whisper() -> object:
    """The Whisper model, loaded once for the whole session."""
    try:
        return load_model()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def transcribed(whisper: object) -> Iterator[Callable[[Path], Transcript]]:
    """transcribed(path) -> Transcript, each file transcribed once per session."""
    cache: dict[Path, Transcript] = {}

    def _get(path: Path) -> Transcript:
        if path not in cache:
            cache[path] = transcribe(path)
        return cache[path]

    yield _get
