"""Audio in: decode any common file to 16 kHz mono, and find where the voice is.

Decoding uses PyAV (FFmpeg), which faster-whisper depends on anyway, so wav, mp3, m4a/aac, ogg,
opus, flac and webm all work without a system FFmpeg. Every failure is an `AudioFileError` with a
one-line message naming the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from coach.speech.errors import AudioFileError, NoSpeech

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# numpy is imported by the functions that use it, not here: the app imports this module for its
# constants before its first paint, and numpy would add about 0.1 s to it.

SAMPLE_RATE = 16_000  # what Whisper expects
KNOWN_SUFFIXES = (".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac", ".webm", ".mp4")
FORMATS_HINT = "wav, mp3, m4a, ogg, opus, flac or webm"
MAX_SECONDS = 30 * 60  # an interview answer; longer files are almost surely a mistake

FRAME_S = 0.02  # 20 ms analysis frames
SILENCE_DBFS = -55.0  # a file whose loudest frame is below this holds no speech
FLOOR_DBFS = -100.0

Samples: TypeAlias = "npt.NDArray[np.float32]"


def decode(path: Path) -> Samples:
    """The file's audio as float32 samples at 16 kHz, mono, or an `AudioFileError`."""
    import numpy as np

    if not path.exists():
        raise AudioFileError(f"{path}: file not found")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a directory, expected an audio file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise AudioFileError(f"{path}: empty file (0 bytes), expected audio")
    import av  # PyAV: a compiled FFmpeg, imported only when a file is decoded

    known = path.suffix.lower() in KNOWN_SUFFIXES
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except PermissionError:
        raise AudioFileError(f"{path}: cannot read (permission denied)") from None
    except (av.error.FFmpegError, ValueError, OSError, UnicodeDecodeError):
        raise _undecodable(path, known) from None
    try:
        streams = [s for s in container.streams if s.type == "audio"]
        if not streams:
            if not known:
                raise _unsupported(path)
            raise AudioFileError(f"{path}: has no audio track")
        if container.duration is not None and container.duration / 1_000_000 > MAX_SECONDS:
            minutes = container.duration / 60_000_000
            raise AudioFileError(
                f"{path}: too long ({minutes:.0f} min); answers up to {MAX_SECONDS // 60} min"
            )
        chunks = _decode_stream(container, streams[0])
    except AudioFileError:
        raise
    except (av.error.FFmpegError, ValueError, OSError, MemoryError):
        raise _undecodable(path, known) from None
    finally:
        container.close()
    if not chunks:
        raise AudioFileError(f"{path}: contains no audio samples (empty or corrupt)")
    pcm = np.concatenate(chunks)
    if pcm.size > MAX_SECONDS * SAMPLE_RATE:
        raise AudioFileError(f"{path}: too long; answers up to {MAX_SECONDS // 60} min")
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)


def _decode_stream(container: object, stream: object) -> list[npt.NDArray[np.int16]]:
    import av
    import numpy as np

    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[npt.NDArray[np.int16]] = []
    frames = container.decode(stream)  # type: ignore[attr-defined]
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            break
        except av.error.InvalidDataError:
            # A truncated or partly damaged file: keep what decoded (as faster-whisper does).
            break
        for out in resampler.resample(frame):
            chunks.append(np.asarray(out.to_ndarray(), dtype=np.int16).reshape(-1))
    for out in resampler.resample(None):
        chunks.append(np.asarray(out.to_ndarray(), dtype=np.int16).reshape(-1))
    return [c for c in chunks if c.size]


def _unsupported(path: Path) -> AudioFileError:
    kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
    return AudioFileError(f"{path}: unsupported format {kind}; use an audio file: {FORMATS_HINT}")


def _undecodable(path: Path, known: bool) -> AudioFileError:
    if not known:
        return _unsupported(path)
    return AudioFileError(
        f"{path}: cannot decode the audio (corrupt, or not really {path.suffix.lower()[1:]})"
    )


def to_16k(samples: npt.NDArray[np.floating], rate: int) -> Samples:
    """Mono float samples at `rate` resampled (linearly; plenty for speech) to 16 kHz."""
    import numpy as np

    data = np.asarray(samples, dtype=np.float32).reshape(-1)
    if rate == SAMPLE_RATE or data.size == 0:
        return data
    count = max(1, round(data.size * SAMPLE_RATE / rate))
    old_t = np.arange(data.size, dtype=np.float64) / rate
    new_t = np.arange(count, dtype=np.float64) / SAMPLE_RATE
    return np.interp(new_t, old_t, data).astype(np.float32)


def frame_dbfs(samples: Samples, rate: int = SAMPLE_RATE) -> npt.NDArray[np.float64]:
    """RMS level of each 20 ms frame in dBFS (floored at -100)."""
    import numpy as np

    size = max(1, round(rate * FRAME_S))
    count = samples.size // size
    if count == 0:
        return np.full(1, FLOOR_DBFS)
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    db: npt.NDArray[np.float64] = np.maximum(20.0 * np.log10(np.maximum(rms, 1e-12)), FLOOR_DBFS)
    return db


def level_dbfs(block: npt.NDArray[np.floating]) -> float:
    """RMS level of one block of samples in dBFS (floored at -100)."""
    import numpy as np

    if block.size == 0:
        return FLOOR_DBFS
    rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64))))
    return max(20.0 * math.log10(max(rms, 1e-12)), FLOOR_DBFS)


@dataclass(frozen=True, eq=False)
class Voicing:
    """Which 20 ms frames carry voice, by an energy threshold adapted to the recording.

    `reliable` is False when the recording has too little dynamic range (steady loud noise) for
    energy to tell voice from background; callers then keep Whisper's own timings.
    """

    voiced: npt.NDArray[np.bool_]
    threshold_dbfs: float
    reliable: bool
    frame_s: float = FRAME_S

    @property
    def duration_s(self) -> float:
        return float(self.voiced.size * self.frame_s)

    def span(self) -> tuple[float, float] | None:
        """Start of the first voiced frame and end of the last, in seconds."""
        import numpy as np

        idx = np.flatnonzero(self.voiced)
        if idx.size == 0:
            return None
        return float(idx[0] * self.frame_s), float((idx[-1] + 1) * self.frame_s)

    def trim(self, start: float, end: float) -> tuple[float, float]:
        """(start, end) narrowed to the voiced frames inside it; unchanged if none are voiced."""
        import numpy as np

        if not self.reliable:
            return start, end
        first = max(0, math.floor(start / self.frame_s))
        last = min(self.voiced.size, math.ceil(end / self.frame_s))
        idx = np.flatnonzero(self.voiced[first:last])
        if idx.size == 0:
            return start, end
        return (
            max(start, (first + int(idx[0])) * self.frame_s),
            min(end, (first + int(idx[-1]) + 1) * self.frame_s),
        )

    def voiced_share(self, start: float, end: float) -> float:
        """Share of voiced frames in [start, end]; 1.0 when energy cannot tell."""
        if not self.reliable:
            return 1.0
        first = max(0, math.floor(start / self.frame_s))
        last = max(first + 1, min(self.voiced.size, math.ceil(end / self.frame_s)))
        part = self.voiced[first:last]
        return float(part.mean()) if part.size else 0.0

    def runs(self, mask: npt.NDArray[np.bool_], bridge_s: float = 0.0) -> list[tuple[float, float]]:
        """(start, end) of the runs of True frames in `mask`, bridging gaps up to `bridge_s`."""
        import numpy as np

        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return []
        bridge = round(bridge_s / self.frame_s)
        breaks = np.flatnonzero(np.diff(idx) > bridge + 1)
        starts = np.concatenate([idx[:1], idx[breaks + 1]])
        ends = np.concatenate([idx[breaks], idx[-1:]]) + 1
        return [
            (float(a * self.frame_s), float(b * self.frame_s))
            for a, b in zip(starts, ends, strict=True)
        ]


def voicing(samples: Samples, rate: int = SAMPLE_RATE) -> Voicing:
    """Voiced frames: above max(noise floor + 12 dB, loud speech - 40 dB)."""
    import numpy as np

    db = frame_dbfs(samples, rate)
    floor = float(np.percentile(db, 5))
    loud = float(np.percentile(db, 99))
    threshold = max(floor + 12.0, loud - 40.0, SILENCE_DBFS)
    reliable = loud - floor >= 18.0
    return Voicing(voiced=db > threshold, threshold_dbfs=threshold, reliable=reliable)


def check_not_silent(samples: Samples, name: str) -> None:
    """Raise `NoSpeech` when nothing in the audio is loud enough to be speech."""
    import numpy as np

    if samples.size == 0 or float(np.max(frame_dbfs(samples))) < SILENCE_DBFS:
        raise NoSpeech(f"no speech found in {name}")
