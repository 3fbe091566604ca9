"""Spoken answers in the TUI, with real audio and the real Whisper model (loaded once per session).

espeak-ng renders the answers; "load an audio file" transcribes them into the editor; the
microphone path runs the real `Recorder` over a stand-in input stream that plays an espeak-ng clip
block by block (this machine has no microphone, and the real no-microphone line is tested too);
self-timed mode runs on the app's injectable clock. The results snapshot with the delivery panel
uses a fixed transcript, so it does not move with the model.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_canned import ANSWER
from tui_helpers import open_question, settle, text_of
from tui_speech import (
    SHORT,
    SPOKEN,
    HeldTranscription,
    StandInMicrophone,
    canned_transcript,
    espeak_path,
    wer,
)
from tui_store import result_dict

from coach.speech import NO_MICROPHONE, ModelUnavailable, decode, load_model, microphone_available
from coach.store import Store, open_store
from coach.tui.drafts import DraftStore
from coach.tui.history import SessionHistory
from coach.tui.screens.answer import AnswerScreen
from coach.tui.screens.audio_file import AudioFileScreen
from coach.tui.screens.history import HistoryScreen
from coach.tui.screens.past_result import PastResultScreen
from coach.tui.screens.results import ResultsScreen
from coach.tui.screens.resume import ResumeDraftScreen
from coach.tui.stopwatch import FakeClock
from coach.tui.voice import Take, Voice
from coach.tui.widgets.delivery_panel import DeliveryPanel
from coach.tui.widgets.speech_panel import SpeechPanel

Say = Callable[..., Path]
DEAL = 10  # question 10: a deal sourced through relationships
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def say(tmp_path_factory: pytest.TempPathFactory) -> Say:
    """say(text, name, rate=150) -> a WAV file spoken by espeak-ng at `rate` words a minute."""
    espeak = espeak_path()
    if espeak is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; scripts/setup does)")
    folder = tmp_path_factory.mktemp("tui-speech")

    def _say(text: str, name: str, rate: int = 150) -> Path:
        path = folder / name
        if not path.exists():
            subprocess.run(
                [espeak, "-s", str(rate), "-w", str(path), text], check=True, capture_output=True
            )
        return path

    return _say


@pytest.fixture(scope="session")
def whisper() -> object:
    """The Whisper model, loaded once for the whole test session."""
    try:
        return load_model()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))


def speech_of(pilot: Pilot[None]) -> SpeechPanel:
    return pilot.app.screen.query_one("#speech", SpeechPanel)


def editor_text(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#answer", TextArea).text


async def wait_for(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 60) -> None:
    """Let the app run until `done()` (a worker finished its job, a stream played)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting")


async def load_audio_file(pilot: Pilot[None], path: Path) -> None:
    await pilot.press("ctrl+o")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, AudioFileScreen)
    modal.query_one("#audio-path", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def transcribed(pilot: Pilot[None]) -> None:
    await settle(pilot, "transcribe")
    await pilot.pause(0.1)


pytestmark = pytest.mark.anyio


# ------------------------------------------------------------------ audio file


async def test_an_audio_file_lands_in_the_editor_then_scores_with_delivery(
    make_app, say: Say, whisper: object, tmp_path: Path
) -> None:
    wav = say(SPOKEN, "spoken-150.wav", rate=150)
    store = open_store(tmp_path / "coach.sqlite3")
    app = make_app(store=store)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_question(pilot, DEAL)
            await load_audio_file(pilot, wav)
            assert isinstance(app.screen, AnswerScreen)
            # In progress or, on a fast machine, already done.
            assert "spoken-150.wav" in speech_of(pilot).status_text
            await transcribed(pilot)

            text = editor_text(pilot)
            assert wer(SPOKEN, text) < 0.25, text
            assert "Transcribed spoken-150.wav" in speech_of(pilot).status_text
            assert speech_of(pilot).progress.progress == 100  # the bar went all the way
            seconds = decode(wav).size / 16_000
            assert screen.stopwatch.elapsed() == pytest.approx(seconds, abs=0.05)
            assert "Time 0:2" in text_of(pilot, "#timer")  # the audio's length, not typing time

            await pilot.press("ctrl+s")
            await settle(pilot, "submit")
            results = app.screen
            assert isinstance(results, ResultsScreen)
            panel = results.query_one("#delivery", DeliveryPanel)
            delivery = panel.delivery
            assert delivery.wpm == pytest.approx(150, rel=0.15)
            assert {f.word for f in delivery.fillers} >= {"um"}
            shown = str(panel.render())
            assert "Delivery (spoken-150.wav)" in shown
            assert f"{delivery.wpm:.0f} wpm" in shown and "aim 120-160" in shown
            assert "um 0:0" in shown  # the filler with where it fell
            assert "Pauses  none over 2 s" in shown
            assert "against a 2:30 target" in shown

        saved = store.list_attempts()
        assert [a.mode for a in saved] == ["file"]
        assert saved[0].delivery is not None
        assert saved[0].delivery["wpm"] == pytest.approx(delivery.wpm, abs=0.1)
    finally:
        store.close()


async def test_a_bad_audio_file_is_one_clear_line(make_app, tmp_path: Path) -> None:
    notes = tmp_path / "notes.wav"
    notes.write_text("these are my notes, not audio\n" * 20)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 1)
        await pilot.press("ctrl+o")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AudioFileScreen)
        modal.query_one("#audio-path", Input).value = str(tmp_path / "missing.m4a")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal  # stays open, says why
        assert "missing.m4a: file not found" in text_of(pilot, "#audio-error")
        modal.query_one("#audio-path", Input).value = f"'{notes}'"  # quotes from a copied path
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        await transcribed(pilot)
        status = speech_of(pilot).status_text
        assert status.startswith("Could not transcribe: ")
        assert "notes.wav" in status and "cannot decode" in status and "\n" not in status
        assert "Traceback" not in status
        assert editor_text(pilot) == ""
        assert app.screen.phase == "idle"


# ------------------------------------------------------------------ microphone


async def test_speak_without_a_microphone_says_so_in_one_line(make_app) -> None:
    if microphone_available():
        pytest.skip("this machine has a microphone")
    app = make_app()  # the real Voice: PortAudio finds no input device here
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 1)
        await pilot.press("ctrl+r")
        await settle(pilot, "microphone")
        panel = speech_of(pilot)
        assert panel.display and panel.shown
        assert panel.status_text == NO_MICROPHONE
        assert (
            NO_MICROPHONE == "no microphone found; type your answer or use self-timed mode instead"
        )
        assert "ctrl+g" in panel.hint_text and "ctrl+o" in panel.hint_text
        assert screen.phase == "idle" and screen.recorder is None
        # The other ways work from here.
        await pilot.press("ctrl+g")
        assert screen.phase == "self-timed"


async def test_recording_shows_the_level_and_time_then_transcribes(
    make_app, say: Say, whisper: object, drafts_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = decode(say(SPOKEN, "spoken-150.wav", rate=150))
    microphone = StandInMicrophone(samples, hold_at=6.0)
    transcription = HeldTranscription(monkeypatch)
    history = SessionHistory()
    app = make_app(history=history)
    app.services.voice = microphone.voice()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, DEAL)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.phase == "recording")
        assert microphone.stream.started.is_set()
        assert await asyncio.to_thread(microphone.stream.held.wait, 10), "6 s were heard"
        panel = speech_of(pilot)
        # The meter looks every 0.1 s: wait for the look that saw the 6 s heard so far.
        await wait_for(pilot, lambda: "● Recording 0:06 of 2:30" in panel.status_text)
        assert panel.has_class("-meter")
        assert panel.meter.peak > 0.5, "the meter showed the voice"
        screen.timer.refresh_time()
        assert "Time 0:06 / 2:30" in text_of(pilot, "#timer")
        assert "ctrl+r stops" in panel.hint_text
        assert "Stop recording" in [b.binding.description for b in screen.active_bindings.values()]

        microphone.stream.resume()
        assert await asyncio.to_thread(microphone.stream.done.wait, 10), "the clip was heard"
        await pilot.press("ctrl+r")  # stop: kept beside the draft, then transcribed
        assert microphone.stream.stopped.is_set() and microphone.stream.closed
        assert await asyncio.to_thread(transcription.entered.wait, 10)
        assert screen.phase == "transcribing"
        transcription.release()
        await transcribed(pilot)

        kept = drafts_path / f"{screen.question.id}.wav"
        assert kept.is_file()
        assert decode(kept).size == pytest.approx(samples.size, abs=2)
        text = editor_text(pilot)
        assert wer(SPOKEN, text) < 0.25, text
        draft = json.loads((drafts_path / f"{screen.question.id}.json").read_text())
        assert draft["take"]["mode"] == "spoken" and draft["take"]["transcript"]["words"]

        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        assert isinstance(app.screen, ResultsScreen)
        delivery = app.screen.query_one(DeliveryPanel).delivery
        assert delivery.wpm == pytest.approx(150, rel=0.15)
        assert "Delivery (your recording)" in str(app.screen.query_one(DeliveryPanel).render())
        assert not kept.exists(), "the recording goes with the draft once the answer is scored"

    attempt = history.attempts[-1]
    assert attempt.mode == "spoken" and attempt.delivery is delivery
    assert attempt.seconds == pytest.approx(samples.size / 16_000, abs=0.05)


async def test_quitting_mid_recording_keeps_the_audio_and_offers_it_back(
    make_app, say: Say, whisper: object, drafts_path: Path
) -> None:
    samples = decode(say(SHORT, "short.wav"))
    microphone = StandInMicrophone(samples, hold_at=2.0)
    app = make_app()
    app.services.voice = microphone.voice()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 3)
        question_id = screen.question.id
        await pilot.press("ctrl+r")
        await settle(pilot, "microphone")
        await asyncio.to_thread(microphone.stream.held.wait, 10)
        await pilot.press("ctrl+q")  # mid-answer
    microphone.stream.resume()
    kept = drafts_path / f"{question_id}.wav"
    assert kept.is_file(), "the audio recorded so far was kept"
    assert decode(kept).size == pytest.approx(2.0 * 16_000, abs=2048)

    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        offer = again.screen
        assert isinstance(offer, ResumeDraftScreen)
        assert offer.draft.recording == str(kept)
        shown = " ".join(str(w.render()) for w in offer.query("#resume-box Static"))
        assert "and your recording" in shown and "resume transcribes it" in shown
        await pilot.press("enter")  # Resume: the kept recording is transcribed
        await pilot.pause()
        assert isinstance(again.screen, AnswerScreen)
        await transcribed(pilot)
        text = editor_text(pilot)
        assert wer(SHORT.split(" with")[0], " ".join(text.split()[:5])) < 0.5, text
        assert again.screen.take is not None and again.screen.take.mode == "spoken"


async def test_escape_cancels_a_transcription_and_keeps_the_recording(
    make_app, say: Say, whisper: object, drafts_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = decode(say(SPOKEN, "spoken-150.wav", rate=150))
    microphone = StandInMicrophone(samples)
    transcription = HeldTranscription(monkeypatch)
    app = make_app()
    app.services.voice = microphone.voice()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, DEAL)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.phase == "recording")
        assert await asyncio.to_thread(microphone.stream.done.wait, 10), "the clip was heard"
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(transcription.entered.wait, 10)
        assert screen.phase == "transcribing"
        await pilot.press("escape")  # while the transcription has not finished
        transcription.release()
        await transcribed(pilot)
        panel = speech_of(pilot)
        assert panel.status_text == "Transcription cancelled."
        assert "recording is kept" in panel.hint_text
        assert editor_text(pilot) == ""
        assert (drafts_path / f"{screen.question.id}.wav").is_file()
        assert screen.phase == "idle"
        # The kept recording is offered in the audio-file box, filled in.
        await pilot.press("ctrl+o")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AudioFileScreen)
        assert modal.query_one("#audio-path", Input).value == str(
            drafts_path / f"{screen.question.id}.wav"
        )
        await pilot.press("escape")


async def test_a_recording_with_no_speech_fails_clearly_and_still_times_the_answer(
    make_app, drafts_path: Path, whisper: object
) -> None:
    hum = (0.0005 * np.sin(np.arange(16_000 * 4) / 7)).astype(np.float32)  # 4 s, nothing said
    microphone = StandInMicrophone(hum)
    history = SessionHistory()
    app = make_app(history=history)
    app.services.voice = microphone.voice()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 1)
        await pilot.press("ctrl+r")
        await settle(pilot, "microphone")
        await asyncio.to_thread(microphone.stream.done.wait, 10)
        await pilot.press("ctrl+r")
        await transcribed(pilot)
        panel = speech_of(pilot)
        assert panel.status_text == "Could not transcribe: no speech found in the recording"
        assert panel.has_class("-error")
        assert (drafts_path / f"{screen.question.id}.wav").is_file()
        # Typing what was said still scores, timed by the recording.
        editor = screen.query_one("#answer", TextArea)
        editor.insert("I met ten partners and closed two deals.")
        await pilot.pause()
        assert screen.stopwatch.elapsed() == pytest.approx(4.0, abs=0.01)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        assert isinstance(app.screen, ResultsScreen)
        panel_text = str(app.screen.query_one(DeliveryPanel).render())
        assert "Pauses  not measured" in panel_text
    assert history.attempts[-1].mode == "spoken"


# ------------------------------------------------------------------ self-timed


async def test_self_timed_answer_runs_on_the_clock(make_app, clock: FakeClock, tmp_path) -> None:
    store = open_store(tmp_path / "coach.sqlite3")
    app = make_app(store=store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_question(pilot, 2)
            await pilot.press("ctrl+g")
            assert screen.phase == "self-timed"
            assert "answer aloud now" in speech_of(pilot).status_text
            clock.advance(60)
            screen.timer.refresh_time()
            assert "Time 1:00" in text_of(pilot, "#timer")
            await pilot.press("ctrl+g")
            assert screen.phase == "idle"
            assert "you spoke for 1:00" in speech_of(pilot).status_text
            # Typing the transcript afterwards does not run the clock on.
            words = ("um we closed the deal " * 30).split()
            await pilot.press("u", "m")
            screen.query_one("#answer", TextArea).insert(" " + " ".join(words[1:]))
            clock.advance(30)
            await pilot.pause()
            assert screen.stopwatch.elapsed() == 60.0
            await pilot.press("ctrl+s")
            await settle(pilot, "submit")
            results = app.screen
            assert isinstance(results, ResultsScreen)
            panel = results.query_one(DeliveryPanel)
            assert panel.delivery.wpm == pytest.approx(150, abs=3)
            assert panel.delivery.filler_per_min == pytest.approx(30, abs=1)
            shown = str(panel.render())
            assert "Delivery (self-timed)" in shown
            assert "! Fillers 30" in shown and "um x30" in shown
            assert "Pauses  not measured" in shown
        saved = store.list_attempts()
        assert saved[0].mode == "spoken"
        assert saved[0].delivery is not None and saved[0].delivery["pauses"] == []
    finally:
        store.close()


# ------------------------------------------------------------------ history


async def open_latest_attempt(pilot: Pilot[None]) -> PastResultScreen:
    """From home: the history (h), then the newest attempt's saved result (enter)."""
    await pilot.press("h")
    await settle(pilot, "history", "history-candidates")
    assert isinstance(pilot.app.screen, HistoryScreen)
    await pilot.press("enter")
    await pilot.pause()
    past = pilot.app.screen
    assert isinstance(past, PastResultScreen), past
    return past


async def test_a_saved_spoken_attempt_shows_its_delivery_again_in_the_history(
    make_app, canned_engine, store: Store
) -> None:
    transcript = canned_transcript()  # fillers and one 2.8 s pause
    app = make_app(engine=canned_engine, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_question(pilot, 2)
        screen.land_take(Take("spoken", transcript.duration_s, transcript))
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        assert isinstance(app.screen, ResultsScreen)
        live = str(app.screen.query_one("#delivery", DeliveryPanel).render())
        await pilot.press("escape")
        await pilot.pause()

        past = await open_latest_attempt(pilot)
        again = str(past.query_one("#delivery", DeliveryPanel).render())
        assert again == live, "the panel the results screen showed"
        assert "Delivery (your recording)" in again
        assert " wpm " in again and "aim 120-160" in again
        assert "um 0:01, uh 0:19" in again  # each filler with where it fell
        assert "Pauses  1 over 2 s" in again and 'after "quarters."' in again
        assert "against a 2:00 target" in again


async def test_a_saved_self_timed_attempt_shows_pauses_as_not_measured(
    make_app, clock: FakeClock, store: Store
) -> None:
    app = make_app(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_question(pilot, 2)
        await pilot.press("ctrl+g")
        clock.advance(60)
        await pilot.press("ctrl+g")
        screen.query_one("#answer", TextArea).insert(("um we closed the deal " * 30).strip())
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        await pilot.press("escape")
        await pilot.pause()

        past = await open_latest_attempt(pilot)
        shown = str(past.query_one("#delivery", DeliveryPanel).render())
        assert "Delivery (timed only)" in shown
        assert "Pauses  not measured" in shown
        assert "! Fillers 30" in shown and "um x30" in shown  # counted, not placed in time
    [saved] = store.list_attempts()
    assert saved.delivery is not None
    pause_notes = [n["text"] for n in saved.delivery["notes"] if n["metric"] == "pauses"]
    assert pause_notes == ["Pauses not measured (no audio)."], "no claim about pauses"


async def test_an_older_spoken_record_still_shows_its_delivery(make_app, store: Store) -> None:
    """Saved before `from_audio` and the notes were kept: what is there is shown."""
    store.save_attempt(
        result=result_dict("convert-opportunities", 3, 60),
        answer=ANSWER,
        mode="spoken",
        seconds_taken=95.0,
        target_seconds=120,
        delivery={"duration_s": 95.0, "wpm": 190.0, "filler_per_min": 0.0, "pauses": []},
    )
    app = make_app(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        past = await open_latest_attempt(pilot)
        shown = str(past.query_one("#delivery", DeliveryPanel).render())
        assert "! Pace    190 wpm" in shown and "too fast" in shown
        assert "1:35 speaking" in shown


# ------------------------------------------------------------------ drafts and takes


def test_a_recording_is_a_draft_until_the_answer_is_scored(tmp_path: Path) -> None:
    drafts = DraftStore(tmp_path)
    wav = drafts.recording_path("q1")
    wav.write_bytes(b"RIFF" + b"\0" * 64)  # killed before its draft was written
    [orphan] = drafts.all()
    assert orphan.question_id == "q1" and orphan.text == "" and orphan.recording == str(wav)
    assert drafts.load("q1") == orphan
    take = Take("spoken", 12.5, canned_transcript(), recording=wav)
    drafts.save(orphan.__class__("q1", "typed", 12.5, take=take.to_dict(), recording=str(wav)))
    loaded = drafts.load("q1")
    assert loaded is not None and Take.from_dict(loaded.take) == Take.from_dict(take.to_dict())
    back = Take.from_dict(loaded.take)
    assert back is not None and back.transcript is not None
    assert back.transcript.words == canned_transcript().words
    drafts.discard("q1")
    assert not wav.exists() and drafts.all() == []
    assert Take.from_dict({"mode": "sung"}) is None
    assert Take.from_dict({"mode": "spoken", "transcript": {"words": [["x"]]}}) is None


# ------------------------------------------------------------------ snapshot


@pytest.mark.parametrize("size", SIZES)
def test_results_with_the_delivery_panel(
    snap_compare, make_app, canned_engine, size: tuple[int, int]
) -> None:
    """A fixed transcript (fillers, a 2.8 s pause) gives the delivery panel its figures."""
    transcript = canned_transcript()

    async def steps(pilot: Pilot[None]) -> None:
        screen = await open_question(pilot, 2)
        screen.query_one("#answer", TextArea).cursor_blink = False
        screen.land_take(Take("spoken", transcript.duration_s, transcript))
        await settle(pilot, "live")
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")

    assert snap_compare(make_app(engine=canned_engine), terminal_size=size, run_before=steps)


def test_answer_screen_while_recording(snap_compare, make_app, canned_engine) -> None:
    """Mid-recording at 80x24: the level meter, the time recorded, the keys that apply."""
    tone = (0.2 * np.sin(np.arange(16_000 * 8) / 3)).astype(np.float32)  # a steady voice
    microphone = StandInMicrophone(tone, hold_at=4.0)
    app = make_app(engine=canned_engine)
    app.services.voice = microphone.voice()

    async def steps(pilot: Pilot[None]) -> None:
        screen = await open_question(pilot, 2)
        screen.query_one("#answer", TextArea).cursor_blink = False
        await pilot.press("ctrl+r")
        await settle(pilot, "microphone")
        await asyncio.to_thread(microphone.stream.held.wait, 10)
        await pilot.pause(0.3)
        screen.timer.refresh_time()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=steps)
    finally:
        for stream in microphone.streams:
            stream.stop()


def test_answer_screen_without_a_microphone(snap_compare, make_app, canned_engine) -> None:
    app = make_app(engine=canned_engine)
    app.services.voice = Voice(microphone=lambda: False)

    async def steps(pilot: Pilot[None]) -> None:
        screen = await open_question(pilot, 2)
        screen.query_one("#answer", TextArea).cursor_blink = False
        await pilot.press("ctrl+r")
        await settle(pilot, "microphone")

    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)
