"""Textual's terminal driver, made safe for the moment the terminal goes away."""

from __future__ import annotations

from typing import Any, TextIO

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver


class OutputAfterHangUp:
    """The terminal Textual writes to; once it is gone (EIO after a hang-up), writes are dropped.

    Textual's writer thread ends at the first write that raises, and its queue holds only 30
    writes: the app's next repaints then block the event loop for good. The app never gets to
    handle SIGHUP, save the draft or exit, and stays behind as an orphan process."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except OSError:
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except OSError:
                self.gone = True

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding: the terminal's own
        return getattr(self._file, name)


class HangUpSafeDriver(LinuxDriver):
    """Textual's driver for Linux and macOS terminals, writing through `OutputAfterHangUp`."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        if self._file is not None:  # no stderr at all: Textual fails on its own, as before
            self._file = OutputAfterHangUp(self._file)  # type: ignore[assignment]
