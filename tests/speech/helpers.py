"""Texts, WAV helpers and word error rate for the speech tests (no fixtures here)."""

from __future__ import annotations

import re
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# About 25 seconds of a networking story, with fillers set off the way people say them.
STORY = (
    "At my last company I led business development for the mid market team. "
    "Um, our pipeline from cold outreach had stalled, and the board wanted new sources of "
    "qualified opportunities. Uh, so I mapped the accountants and consultants who already "
    "served our best customers. I offered each of them something useful first, a benchmark "
    "report on their own clients, before I asked for anything. I followed up within two days "
    "after every meeting, and I brought marketing and product into the conversations."
)
FIRST_HALF = "I built a referral network with partner firms across the region."
SECOND_HALF = "Then I followed up with every partner within two days of each meeting."
PAUSE_S = 3.0

# A spoken answer to question 10 (relationship-deal), in words espeak-ng reads naturally.
DEAL = (
    "At an energy software company, I shared a conference panel with the operations director "
    "of a national facilities firm that ran about 600 commercial buildings. Partnerships were "
    "not part of my quota, but I saw the potential for a channel relationship. For six months "
    "I gave before asking for anything. I introduced her to two utilities running efficiency "
    "rebates, shared our analysis of energy waste in office towers, and had our solutions "
    "engineer review three of her buildings at no charge. When she mentioned clients pressing "
    "for carbon reporting, I proposed a joint pilot across 40 buildings, and our product and "
    "customer success teams scoped it with her team. The pilot cut energy costs by 14 percent "
    "and grew into a partnership worth 2.2 million dollars in first year contracts, with an "
    "80 day sales cycle against our usual 150. I thanked her and updated her at each "
    "milestone, and she has since referred two more clients."
)

Samples = npt.NDArray[np.int16]


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


# ------------------------------------------------------------------ WAV helpers


def read_wav(path: Path) -> tuple[Samples, int]:
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data.copy(), wav.getframerate()


def write_wav(path: Path, samples: Samples, rate: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())
    return path


def speech_bounds(samples: Samples, rate: int) -> tuple[float, float]:
    """First and last moment louder than -45 dBFS (10 ms frames): where espeak speaks."""
    size = rate // 100
    count = samples.size // size
    frames = samples[: count * size].astype(np.float64).reshape(count, size) / 32768.0
    loud = np.flatnonzero(np.sqrt(np.mean(frames * frames, axis=1)) > 10 ** (-45 / 20))
    return float(loud[0] * size / rate), float((loud[-1] + 1) * size / rate)


def encode(source: Path, target: Path, codec: str) -> Path:
    """Re-encode a WAV file with PyAV (mp3: libmp3lame, m4a: aac, ogg: libopus)."""
    import av

    samples, rate = read_wav(source)
    out_rate = 48_000 if codec == "libopus" else rate
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    sample_format = "fltp" if codec == "aac" else "s16"
    resampler = av.AudioResampler(format=sample_format, layout="mono", rate=out_rate)
    with av.open(str(target), "w") as container:
        stream: Any = container.add_stream(codec, rate=out_rate)
        stream.layout = "mono"
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return target


# ------------------------------------------------------------------ word error rate

_VARIANT = {"umm": "um", "ummm": "um", "uhm": "um", "uhh": "uh", "mid-market": "mid market"}


def norm_words(text: str) -> list[str]:
    words = []
    for raw in re.sub(r"[^\w\s'-]", " ", text.lower()).split():
        word = _VARIANT.get(raw.strip("'-"), raw.strip("'-"))
        words += word.replace("-", " ").split()
    return words


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: (substitutions + deletions + insertions) / reference words."""
    ref, hyp = norm_words(reference), norm_words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))
