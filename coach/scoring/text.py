"""Text steps the scorer is built from: sentence splitting, tokens, stems, numbers.

Each step is a small named function so they compose and can be tested one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ABBREVIATIONS = {"e.g", "i.e", "mr", "mrs", "ms", "dr", "vs", "etc", "inc", "corp", "approx", "st"}
CONJUNCTION_BREAKS = re.compile(r",?\s+(?:and then|and so|so then|but then|and|so|but)\s+", re.I)
LONG_SENTENCE_WORDS = 45
MIN_PIECE_WORDS = 8

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[$€£%,;:]")


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Plain ASCII quotes and dashes, so the later steps see one spelling."""
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", " - ")
        .replace("\u00a0", " ")
    )


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.strip(" \t\r\n-*•")
    if not stripped or not re.search(r"[A-Za-z0-9]", stripped):
        return None
    offset = start + piece.index(stripped)
    return Span(stripped, offset, offset + len(stripped))


def _is_abbreviation(text: str, end: int) -> bool:
    before = text[:end].rstrip(".!?\"')]")
    word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word != "i")


def _break_long(span: Span) -> list[Span]:
    """Spoken transcripts run on; cut long stretches at conjunctions into clause-sized pieces."""
    if len(span.text.split()) <= LONG_SENTENCE_WORDS:
        return [span]
    pieces: list[Span] = []
    cursor = 0
    for match in CONJUNCTION_BREAKS.finditer(span.text):
        words_before = len(span.text[cursor : match.start()].split())
        words_after = len(span.text[match.end() :].split())
        if words_before >= MIN_PIECE_WORDS and words_after >= MIN_PIECE_WORDS:
            piece = _trimmed(span.text, cursor, match.start())
            if piece:
                pieces.append(Span(piece.text, span.start + piece.start, span.start + piece.end))
            cursor = match.start()
    rest = _trimmed(span.text, cursor, len(span.text))
    if rest:
        pieces.append(Span(rest.text, span.start + rest.start, span.start + rest.end))
    return pieces or [span]


def split_sentences(text: str) -> list[Span]:
    """Sentences with their character offsets in `text`."""
    spans: list[Span] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith((".", "!", "?")) and _is_abbreviation(text, match.end()):
            continue
        span = _trimmed(text, cursor, match.end())
        if span:
            spans.extend(_break_long(span))
        cursor = match.end()
    tail = _trimmed(text, cursor, len(text))
    if tail:
        spans.extend(_break_long(tail))
    return spans


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens and slashes split words; clause punctuation is kept."""
    cleaned = normalise(text).lower().replace("-", " ").replace("/", " ")
    return _TOKEN.findall(cleaned)


@lru_cache(maxsize=100_000)  # a small vocabulary recurs across every sentence and answer
def stem(token: str) -> str:
    """A light suffix stripper: follow, follows, followed, following -> follow."""
    if len(token) <= 3 or not token.isalpha():
        return token
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                return token
            base = token[: -len(suffix)] + replacement
            if (
                suffix in ("ing", "ed")
                and len(base) >= 4
                and base[-1] == base[-2]
                and base[-1] not in "lsz"
            ):
                base = base[:-1]
            return base.rstrip("e") if len(base) > 3 else base
    return token.rstrip("e") if len(token) > 4 else token


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]


def truncate_words(text: str, max_words: int) -> tuple[str, bool]:
    """Keep the first `max_words` words (bounded work on huge input)."""
    for count, match in enumerate(_WORD.finditer(text), start=1):
        if count > max_words:
            return text[: match.start()].rstrip(), True
    return text, False
