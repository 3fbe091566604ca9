"""Transcription of real (synthesized) speech: words, fillers, pace, pauses, formats, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from coach.content import load_pack
from coach.locations import bundled_content_dir
from coach.speech import (
    NoSpeech,
    Transcript,
    TranscriptionCancelled,
    Word,
    analyze,
    decode,
    transcribe,
)
from coach.speech.audio import voicing
from coach.speech.transcriber import _refine, _uncovered

from .helpers import (
    DEAL,
    FIRST_HALF,
    PAUSE_S,
    SECOND_HALF,
    STORY,
    encode,
    norm_words,
    read_wav,
    speech_bounds,
    wer,
    write_wav,
)

Say = Callable[..., Path]
Transcribed = Callable[[Path], Transcript]


def test_wer_helper() -> None:
    assert wer("a b c d", "a b c d") == 0
    assert wer("a b c d", "a x c") == 0.5
    assert wer("Umm, the mid-market team.", "um the mid market team") == 0


def test_transcript_is_close_to_the_text(say: Say, transcribed: Transcribed) -> None:
    transcript = transcribed(say(STORY, "story-150.wav"))
    error = wer(STORY, transcript.text)
    print(f"\nWER {error:.3f}: {transcript.text}")
    assert error < 0.25
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= transcript.duration_s + 0.05 for w in transcript.words)
    assert transcript.lines()[0].text.startswith("At my last company")


def test_fillers_are_kept_with_their_times(say: Say, transcribed: Transcribed) -> None:
    transcript = transcribed(say(STORY, "story-150.wav"))
    words = norm_words(transcript.text)
    assert "um" in words and "uh" in words, transcript.text
    fillers = load_pack(bundled_content_dir()).rubric.language.fillers
    delivery = analyze(transcript, fillers=fillers)
    found = {f.word: f.t for f in delivery.fillers}
    assert {"um", "uh"} <= set(found)
    # "Um" comes right after the first sentence, "uh" after the second.
    team = next(w for w in transcript.words if w.text.lower().startswith("team"))
    assert 0 <= found["um"] - team.end < 1.5
    assert found["um"] < found["uh"]


@pytest.mark.parametrize("rate", [130, 150, 175])
def test_words_per_minute_match_the_espeak_rate(
    say: Say, transcribed: Transcribed, rate: int
) -> None:
    path = say(STORY, f"story-{rate}.wav", rate)
    samples, sample_rate = read_wav(path)
    start, end = speech_bounds(samples, sample_rate)
    expected = 60 * len(STORY.split()) / (end - start)
    transcript = transcribed(path)
    delivery = analyze(transcript)
    print(f"\nespeak -s {rate}: spoken {expected:.0f} wpm, measured {delivery.wpm:.0f} wpm")
    assert abs(delivery.wpm - expected) / expected < 0.15
    assert abs(delivery.speaking_s - (end - start)) < 0.5
    assert delivery.pauses == ()
    # No stock phrase invented after the speech ("Thank you guys."): nothing after it ends.
    assert transcript.words[-1].end <= end + 0.3, transcript.text[-60:]


def test_no_speech_is_lost_and_the_result_is_repeatable(say: Say, transcribed: Transcribed) -> None:
    path = say(DEAL, "deal.wav")
    transcript = transcribed(path)
    samples = decode(path)
    assert _uncovered(list(transcript.words), voicing(samples)) == []
    assert wer(DEAL, transcript.text) < 0.25
    again = transcribe(say(FIRST_HALF, "first.wav"))
    assert again.text == transcribe(say(FIRST_HALF, "first.wav")).text


def test_stretched_words_are_cut_back_and_uncovered_speech_is_found() -> None:
    """Whisper put the last word of a window over 20 s of speech it skipped."""
    samples = np.zeros(16_000 * 12, dtype=np.float32)
    samples[: 16_000 * 10] = 0.2 * np.sin(np.arange(16_000 * 10) / 3)  # "speech" for 10 s
    voice = voicing(samples)
    words = [Word("I", 0.0, 0.3, 1.0), Word("shared", 0.3, 0.9, 1.0), Word("it.", 0.9, 10.0, 1.0)]
    refined = _refine(words, voice)
    assert refined[-1].end == pytest.approx(0.9 + 1.5)
    [(start, end)] = _uncovered(words, voice)
    assert start == pytest.approx(2.4 + 0.4 - 0.1, abs=0.05) and end == pytest.approx(10.1)


@pytest.fixture(scope="session")
def paused(say: Say, speech_dir: Path) -> tuple[Path, float, float]:
    """Two clips with 3 s of silence between them; (file, pause start, pause length)."""
    first, rate = read_wav(say(FIRST_HALF, "first.wav"))
    second, rate2 = read_wav(say(SECOND_HALF, "second.wav"))
    assert rate == rate2
    gap = np.zeros(int(PAUSE_S * rate), dtype=np.int16)
    path = write_wav(speech_dir / "paused.wav", np.concatenate([first, gap, second]), rate)
    _, end_first = speech_bounds(first, rate)
    start_second, _ = speech_bounds(second, rate)
    length = (first.size / rate - end_first) + PAUSE_S + start_second
    return path, end_first, length


def test_inserted_pause_is_found_where_it_falls(
    paused: tuple[Path, float, float], transcribed: Transcribed
) -> None:
    path, start, length = paused
    delivery = analyze(transcribed(path))
    print(f"\npause expected at {start:.2f} s for {length:.2f} s, found {delivery.pauses}")
    assert len(delivery.pauses) == 1
    pause = delivery.pauses[0]
    assert abs(pause.t - start) < 0.4
    assert abs(pause.length_s - length) < 0.5
    assert norm_words(pause.after) == ["region"]
    # The pause does not slow the pace down: it is reported on its own.
    assert delivery.wpm > 130


@pytest.mark.parametrize(("suffix", "codec"), [(".mp3", "libmp3lame"), (".m4a", "aac"),
                                                (".ogg", "libopus")])
def test_common_formats(say: Say, speech_dir: Path, suffix: str, codec: str) -> None:
    wav = say(FIRST_HALF, "first.wav")
    other = encode(wav, speech_dir / f"first{suffix}", codec)
    reference = decode(wav)
    decoded = decode(other)
    assert abs(decoded.size - reference.size) / 16_000 < 0.1
    assert wer(FIRST_HALF, transcribe(other).text) < 0.25


def test_transcribes_samples_with_progress_in_a_worker_thread(
    say: Say, whisper: object
) -> None:
    samples = decode(say(FIRST_HALF, "first.wav"))
    seen: list[float] = []
    result: list[Transcript] = []
    worker = threading.Thread(
        target=lambda: result.append(transcribe(samples, progress=seen.append))
    )
    worker.start()
    worker.join(60)
    assert result and wer(FIRST_HALF, result[0].text) < 0.25
    assert result[0].source == "the recording"
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_cancel_stops_a_transcription(say: Say, whisper: object) -> None:
    cancel = threading.Event()
    with pytest.raises(TranscriptionCancelled):
        transcribe(say(STORY, "story-150.wav"), progress=lambda _: cancel.set(), cancel=cancel)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TranscriptionCancelled):
        transcribe(say(FIRST_HALF, "first.wav"), cancel=cancel)


def test_silence_and_noise_hold_no_speech(speech_dir: Path, whisper: object) -> None:
    silence = write_wav(speech_dir / "silence.wav", np.zeros(16_000 * 4, dtype=np.int16), 16_000)
    with pytest.raises(NoSpeech, match=r"^no speech found in .*silence\.wav$"):
        transcribe(silence)
    noise = np.random.default_rng(7).normal(0, 0.03, 16_000 * 4).astype(np.float32)
    with pytest.raises(NoSpeech, match="no speech found in the recording"):
        transcribe(noise)
