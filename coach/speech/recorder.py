"""Recording from the microphone with `sounddevice` (PortAudio), for the TUI's speak mode.

    recorder = Recorder(on_level=meter.update)  # on_level runs on PortAudio's thread
    recorder.start()                             # NoMicrophone: offer typing or self-timed mode
    ...                                          # poll recorder.level / recorder.elapsed_s
    recording = recorder.stop()                  # or recorder.cancel() to throw it away
    transcript = transcribe(recording.samples_16k(), progress=..., cancel=...)

Nothing is written to disk unless `Recording.save_wav` is called.
"""

from __future__ import annotations

import contextlib
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from coach.speech.audio import SAMPLE_RATE, Samples, level_dbfs, to_16k
from coach.speech.errors import NoMicrophone, RecorderError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

METER_FLOOR_DBFS = -60.0  # the level meter shows -60..0 dBFS as 0..1
MAX_SECONDS = 15 * 60.0

LevelCallback = Callable[[float], None]
AudioCallback = Callable[["npt.NDArray[np.float32]", int, Any, Any], None]


class InputStream(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


# (samplerate, device, callback) -> an unstarted input stream; tests pass their own.
StreamFactory = Callable[[int, int | str | None, AudioCallback], InputStream]


@dataclass(frozen=True, eq=False)
class Recording:
    """Mono float32 samples in -1..1 at `samplerate` Hz."""

    samples: Samples
    samplerate: int

    @property
    def duration_s(self) -> float:
        return self.samples.size / self.samplerate if self.samplerate else 0.0

    def samples_16k(self) -> Samples:
        """The samples at 16 kHz, ready for `transcribe`."""
        return to_16k(self.samples, self.samplerate)

    def save_wav(self, path: Path) -> Path:
        """Write a 16-bit PCM WAV file (e.g. to keep an attempt for later)."""
        import numpy as np

        pcm = (np.clip(self.samples, -1.0, 1.0) * 32767.0).astype("<i2")
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.samplerate)
            out.writeframes(pcm.tobytes())
        return path


def _sounddevice() -> Any:
    """The sounddevice module, or NoMicrophone when PortAudio (libportaudio2) is missing."""
    try:
        import sounddevice
    except (ImportError, OSError):
        raise NoMicrophone() from None
    return sounddevice


def input_device(device: int | str | None = None) -> dict[str, Any]:
    """The input device that would be used (name, default_samplerate, ...), or NoMicrophone."""
    sd = _sounddevice()
    try:
        info = sd.query_devices(device, kind="input")
    except (sd.PortAudioError, ValueError):
        raise NoMicrophone() from None
    if not info or int(info.get("max_input_channels", 0)) < 1:
        raise NoMicrophone()
    return dict(info)


def microphone_available() -> bool:
    """True when there is an input device to record from (to decide whether to offer speak mode)."""
    try:
        input_device()
    except NoMicrophone:
        return False
    return True


def _default_stream(samplerate: int, device: int | str | None, callback: AudioCallback) -> Any:
    sd = _sounddevice()
    return sd.InputStream(
        samplerate=samplerate, channels=1, dtype="float32", device=device, callback=callback
    )


class Recorder:
    """Records one answer. `start()`, then `stop()` (a `Recording`) or `cancel()`.

    `level` (0..1) and `elapsed_s` can be polled from any thread; `on_level(level)` is called for
    each block of audio on PortAudio's own thread, so a UI must hand it over to its event loop
    (e.g. Textual's `call_from_thread`). Recording stops taking audio at `max_seconds`
    (`limit_reached` turns True).
    """

    def __init__(
        self,
        *,
        device: int | str | None = None,
        samplerate: int | None = None,
        max_seconds: float = MAX_SECONDS,
        on_level: LevelCallback | None = None,
        stream_factory: StreamFactory | None = None,
    ) -> None:
        self.device = device
        self.samplerate = samplerate or 0
        self.max_seconds = max_seconds
        self.on_level = on_level
        self._factory = stream_factory
        self._lock = threading.Lock()
        self._blocks: list[Samples] = []
        self._frames = 0
        self._level = 0.0
        self._stream: InputStream | None = None
        self.limit_reached = False
        self.status_errors = 0  # overflows reported by PortAudio (audio was dropped)

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def level(self) -> float:
        return self._level

    @property
    def elapsed_s(self) -> float:
        return self._frames / self.samplerate if self.samplerate else 0.0

    def start(self) -> None:
        """Open the microphone and start taking audio; NoMicrophone or RecorderError if not."""
        if self._stream is not None:
            raise RecorderError("already recording")
        with self._lock:
            self._blocks, self._frames, self._level = [], 0, 0.0
            self.limit_reached = False
        if self._factory is not None:
            self.samplerate = self.samplerate or SAMPLE_RATE
            stream = self._factory(self.samplerate, self.device, self._on_audio)
        else:
            stream = self._open_microphone()
        try:
            stream.start()
        except Exception as exc:  # PortAudio reports a busy or vanished device many ways
            stream.close()
            raise RecorderError(f"cannot start recording ({exc})") from None
        self._stream = stream

    def _open_microphone(self) -> InputStream:
        sd = _sounddevice()
        info = input_device(self.device)
        rates = [self.samplerate] if self.samplerate else [SAMPLE_RATE]
        native = int(info.get("default_samplerate") or 0)
        if native and native not in rates:
            rates.append(native)  # not every device records at 16 kHz; resampled on stop
        last: Exception | None = None
        for rate in rates:
            try:
                stream: InputStream = _default_stream(rate, self.device, self._on_audio)
            except (sd.PortAudioError, ValueError) as exc:
                last = exc
                continue
            self.samplerate = rate
            return stream
        raise RecorderError(f"cannot open the microphone {info.get('name', '')!r} ({last})")

    def _on_audio(
        self, indata: npt.NDArray[np.float32], frames: int, time: Any, status: Any
    ) -> None:
        """PortAudio's callback: keep the block, update the level. Must never raise."""
        import numpy as np

        if status:
            self.status_errors += 1
        block = np.array(indata, dtype=np.float32).reshape(len(indata), -1)[:, 0]
        level = min(1.0, max(0.0, (level_dbfs(block) - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS))
        with self._lock:
            room = int(self.max_seconds * self.samplerate) - self._frames
            if room <= 0:
                self.limit_reached = True
                block = block[:0]
            elif block.size > room:
                block = block[:room]
                self.limit_reached = True
            if block.size:
                self._blocks.append(block)
                self._frames += block.size
            # A meter that falls back slowly is easier to read than the raw level.
            self._level = max(level, self._level * 0.7)
        if self.on_level is not None:
            with contextlib.suppress(Exception):  # a UI error must not kill the audio thread
                self.on_level(self._level)

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        # A device that vanished mid-recording fails to stop; the audio taken so far is kept.
        with contextlib.suppress(Exception):
            stream.stop()
        with contextlib.suppress(Exception):
            stream.close()

    def stop(self) -> Recording:
        """Stop and return what was recorded (RecorderError if `start` was not called)."""
        import numpy as np

        if self._stream is None:
            raise RecorderError("not recording")
        self._close()
        with self._lock:
            samples = (
                np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.float32)
            )
            self._blocks = []
            self._level = 0.0
        return Recording(samples.astype(np.float32), self.samplerate)

    def cancel(self) -> None:
        """Stop and throw the audio away; safe to call at any time."""
        self._close()
        with self._lock:
            self._blocks, self._frames, self._level = [], 0, 0.0
