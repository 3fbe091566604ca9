"""Delivery metrics over word timestamps (pure functions: words in, metrics out)."""

from __future__ import annotations

import pytest

from coach.content import load_pack
from coach.locations import bundled_content_dir
from coach.speech import DEFAULT_FILLERS, Delivery, Transcript, Word, analyze, analyze_text
from coach.speech.delivery import pace_of, time_verdict
from coach.speech.spoken_words import find_fillers, spoken_word_count


def words_at(text: str, rate_wpm: float = 140, start: float = 0.0) -> list[Word]:
    """Words spread evenly at `rate_wpm`; "||3" in the text inserts a 3 s silence."""
    out: list[Word] = []
    t = start
    step = 60.0 / rate_wpm
    for token in text.split():
        if token.startswith("||"):
            t += float(token[2:])
            continue
        out.append(Word(token, t, t + step * 0.8, 0.9))
        t += step
    return out


def transcript(text: str, rate_wpm: float = 140) -> Transcript:
    words = tuple(words_at(text, rate_wpm))
    return Transcript("test", text, words, words[-1].end + 0.5 if words else 1.0, 0.1)


def fillers_in(text: str, fillers: tuple[str, ...] = DEFAULT_FILLERS) -> list[str]:
    return [f.word for f in find_fillers(words_at(text), fillers)]


def test_rubric_fillers_are_the_default_ones_and_more() -> None:
    rubric_fillers = load_pack(bundled_content_dir()).rubric.language.fillers
    assert set(DEFAULT_FILLERS) <= {f.lower() for f in rubric_fillers}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I, uh, mapped the partners.", ["um", "uh"]),
        ("Umm, ummm. Uhh, erm hmm", ["um", "um", "uh"]),
        ("We, like, hosted a dinner.", ["like"]),
        ("I'd like to share a story. Firms like ours grew.", []),
        ("I gave value first, like a benchmark report.", []),
        ("And, you know, I followed up.", ["you know"]),
        ("Do you know the CEO? You know what she said.", []),
        ("It was sort of a pilot.", ["sort of"]),
        ("What kind of partner was it? That sort of deal.", []),
        ("Basically we closed it.", ["basically"]),
    ],
)
def test_fillers_in_context(text: str, expected: list[str]) -> None:
    assert fillers_in(text) == expected


def test_filler_list_comes_from_the_rubric() -> None:
    rubric_fillers = tuple(load_pack(bundled_content_dir()).rubric.language.fillers)
    text = "Actually, I mean, we kind of won. Erm, basically."
    assert fillers_in(text, rubric_fillers) == ["actually", "i mean", "kind of", "erm", "basically"]
    assert fillers_in(text, ("basically",)) == ["basically"]


@pytest.mark.parametrize(
    ("token", "count"),
    [
        ("pipeline,", 1),
        ("12", 1),
        ("25", 2),
        ("600", 2),
        ("2.4", 3),
        ("$2.2", 4),
        ("14%", 2),
        ("$780K", 5),  # seven hundred eighty thousand dollars
        ("1,200", 4),
        ("2019", 2),
        ("10-15", 3),
        ("40.", 1),
    ],
)
def test_numerals_count_as_the_words_said(token: str, count: int) -> None:
    assert spoken_word_count(token) == count


@pytest.mark.parametrize(
    ("wpm", "pace"),
    [(100, "too slow"), (115, "a bit slow"), (140, "good"), (170, "a bit fast"), (190, "too fast")],
)
def test_pace_bands(wpm: float, pace: str) -> None:
    assert pace_of(wpm) == pace


def test_time_against_target() -> None:
    assert time_verdict(130, 120) == "ok"
    assert time_verdict(151, 120) == "long"
    assert time_verdict(50, 120) == "short"
    assert time_verdict(50, None) is None


def test_analyze_pace_fillers_pauses_and_time() -> None:
    text = " ".join(["we grew pipeline with partners"] * 20) + " ||3.5 " + " ".join(
        ["um, we closed deals"] * 10
    )
    delivery = analyze(transcript(text, rate_wpm=150), target_seconds=60)
    assert delivery.word_count == 140
    assert delivery.wpm == pytest.approx(150, rel=0.02)  # the long pause is left out
    assert len(delivery.pauses) == 1
    pause = delivery.pauses[0]
    assert pause.after == "partners" and pause.length_s == pytest.approx(3.5 + 0.08, abs=0.01)
    assert pause.t == pytest.approx(99 * 0.4 + 0.32, abs=0.01)
    assert [f.word for f in delivery.fillers] == ["um"] * 10
    assert delivery.filler_per_min == pytest.approx(10 / (delivery.speaking_s / 60))
    assert delivery.fillers_flagged and not delivery.pace_flagged
    assert delivery.time_verdict == "ok"
    advice = {n.metric for n in delivery.notes if n.advice}
    assert advice == {"fillers", "pauses"}


def test_to_dict_has_the_documented_keys() -> None:
    data = analyze(transcript("um, we grew ||2.5 revenue by forty percent")).to_dict()
    assert {"wpm", "fillers", "filler_per_min", "pauses", "duration_s", "speaking_s"} <= set(data)
    assert data["fillers"] == [{"word": "um", "t": 0.0}]
    assert set(data["pauses"][0]) >= {"t", "length_s"}


def test_empty_transcript_is_harmless() -> None:
    delivery = analyze(Transcript("x", "", (), 3.0, 0.1))
    assert delivery.wpm == 0 and delivery.fillers == () and delivery.pauses == ()


def test_self_timed_answer_without_audio() -> None:
    text = " ".join(["we grew pipeline with partners, um, and"] * 30)  # 210 words
    delivery = analyze_text(text, elapsed_s=90.0, target_seconds=120)
    assert delivery.wpm == pytest.approx(140, rel=0.01)
    assert delivery.filler_per_min == pytest.approx(20, rel=0.02)
    assert delivery.pauses == () and delivery.time_verdict == "ok"
    assert analyze_text("", 10.0).wpm == 0


def test_a_self_timed_answer_claims_nothing_about_pauses() -> None:
    """Without audio the pauses are unknown: the notes say so instead of "No pauses"."""
    delivery = analyze_text("we grew pipeline with partners " * 20, elapsed_s=60.0)
    assert not any("No pauses" in n.text for n in delivery.notes)
    assert [n.text for n in delivery.notes if n.metric == "pauses"] == [
        "Pauses not measured (no audio)."
    ]
    assert not delivery.from_audio
    spoken = analyze(transcript("we grew pipeline with partners " * 20))
    assert spoken.from_audio
    assert [n.text for n in spoken.notes if n.metric == "pauses"] == ["No pauses over 2 s."]


@pytest.mark.parametrize("audio", [True, False], ids=["spoken", "self-timed"])
def test_delivery_round_trips_through_its_dict(audio: bool) -> None:
    text = "um, we grew ||2.5 revenue by forty percent, uh, with partners"
    if audio:
        delivery = analyze(transcript(text), target_seconds=60)
    else:
        delivery = analyze_text(text.replace("||2.5 ", ""), 9.0, target_seconds=60)
    data = delivery.to_dict()
    back = Delivery.from_dict(data)
    assert back.to_dict() == data
    assert back.from_audio is audio and back.notes == delivery.notes
    assert [f.word for f in back.fillers] == ["um", "uh"]
    assert len(back.pauses) == (1 if audio else 0)


def test_delivery_from_an_older_record_fills_what_is_missing() -> None:
    old = {"duration_s": 95.0, "wpm": 190.0, "fillers": [{"word": "um"}], "pauses": [{"t": 3}]}
    delivery = Delivery.from_dict(old)
    assert delivery.pace == "too fast" and delivery.pace_flagged
    assert delivery.speaking_s == 95.0 and delivery.from_audio
    assert delivery.fillers[0].word == "um" and delivery.fillers[0].t == 0.0
    assert delivery.pauses[0].t == 3.0 and delivery.pauses[0].after == ""
    assert delivery.target_seconds is None and delivery.time_verdict is None
    assert delivery.notes == ()
    assert Delivery.from_dict({}).wpm == 0.0
    with pytest.raises((TypeError, ValueError)):
        Delivery.from_dict({"wpm": "fast"})


def test_the_printed_delivery_of_a_timed_answer_claims_no_pauses() -> None:
    from coach.cli.speech_cmd import render_delivery

    text = render_delivery(analyze_text("We closed four deals worth 620K.", 6.0))
    assert "pauses   not measured (no audio)" in text
    assert "none over" not in text
