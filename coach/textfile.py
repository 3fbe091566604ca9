"""Reading a user's text file: the text, or one plain reason why it cannot be read as UTF-8."""

from __future__ import annotations

from pathlib import Path


class TextFileError(ValueError):
    """`str(error)` is the reason; `line` is the line holding the first byte that is not UTF-8."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def read_user_text(path: Path, expected: str = "a text file") -> str:
    """The file's text (a UTF-8 byte-order mark dropped), or TextFileError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TextFileError("file not found") from None
    except IsADirectoryError:
        raise TextFileError(f"is a directory, expected {expected}") from None
    except OSError as exc:
        raise TextFileError(f"cannot read ({exc.strerror})") from None
    if b"\x00" in raw[:4096]:
        raise TextFileError("looks like a binary file, expected UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TextFileError("not UTF-8 text; save the file as UTF-8", line) from None
