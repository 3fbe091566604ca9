"""Words as spoken: which words are fillers ("um", and "like" or "you know" where they fill
rather than mean), and how many words a token is when said ("2.4" is "two point four")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.speech.transcript import Word


@dataclass(frozen=True)
class Filler:
    word: str
    t: float  # seconds from the start of the audio

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "t": round(self.t, 2)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Filler:
        return cls(str(data.get("word", "")), float(data.get("t") or 0.0))



# ------------------------------------------------------------------ fillers

_VARIANTS = [
    (re.compile(r"^(h?u+m+|u+h+m+|e+m+)$"), "um"),
    (re.compile(r"^(u+h+|a+h+)$"), "uh"),
    (re.compile(r"^(e+r+m*|e+h+m+)$"), "erm"),
    (re.compile(r"^(h+m+|m+h*m+)$"), "hmm"),
]
_LIKE_NOT_AFTER = {"would", "i'd", "we'd", "you'd", "they'd", "feel", "felt", "looks"}
_YOU_KNOW_NOT_AFTER = {
    "do", "did", "don't", "didn't", "if", "would", "let", "as", "so", "now", "what",
}
_YOU_KNOW_NOT_BEFORE = {
    "that", "what", "how", "who", "where", "when", "why", "whether", "him", "her", "them", "it",
    "the", "a", "an", "this", "these", "those", "someone", "somebody", "about", "me", "us",
}
_KIND_NOT_AFTER = {
    "what", "which", "this", "that", "the", "a", "an", "any", "some", "every", "one", "same",
    "different", "right", "wrong", "that's", "no", "other", "new", "first", "those", "these",
}
_MEAN_NOT_AFTER = {"what", "which", "do", "did", "don't", "didn't"}


@dataclass(frozen=True)
class _Token:
    norm: str
    start: float
    pause_after: bool  # a comma or sentence end right after it


def _tokens(words: Sequence[Word]) -> list[_Token]:
    tokens = []
    for w in words:
        raw = w.text.lower()
        norm = raw.strip(".,!?;:\"()[]…-")
        for pattern, canonical in _VARIANTS:
            if pattern.match(norm):
                norm = canonical
                break
        ends = raw.rstrip("\"')]").endswith((",", ".", "?", "!", ";", ":", "…", "-"))
        tokens.append(_Token(norm, w.start, ends))
    return tokens


def _is_filler(phrase: str, tokens: list[_Token], i: int, n: int) -> bool:
    """Context rules for the fillers that are also ordinary words; the rest always count."""
    before = tokens[i - 1].norm if i > 0 else ""
    after = tokens[i + n].norm if i + n < len(tokens) else ""
    if phrase == "like":
        # Whisper writes the filler as "like," - "I'd like to", "firms like ours" and "first,
        # like a benchmark" are not fillers.
        return tokens[i].pause_after and before not in _LIKE_NOT_AFTER
    if phrase == "you know":
        if tokens[i + n - 1].pause_after:
            return True
        return before not in _YOU_KNOW_NOT_AFTER and after not in _YOU_KNOW_NOT_BEFORE
    if phrase in ("kind of", "sort of"):
        return before not in _KIND_NOT_AFTER
    if phrase == "i mean":
        return before not in _MEAN_NOT_AFTER and after not in {"it", "that"}
    return True


def find_fillers(words: Sequence[Word], fillers: Sequence[str]) -> list[Filler]:
    """Each filler said, with its start time; longer phrases match first."""
    phrases = sorted(
        {tuple(f.lower().split()) for f in fillers if f.strip()}, key=len, reverse=True
    )
    tokens = _tokens(words)
    found: list[Filler] = []
    i = 0
    while i < len(tokens):
        for phrase in phrases:
            n = len(phrase)
            if tuple(t.norm for t in tokens[i : i + n]) == phrase and _is_filler(
                " ".join(phrase), tokens, i, n
            ):
                found.append(Filler(" ".join(phrase), tokens[i].start))
                i += n
                break
        else:
            i += 1
    return found


# ------------------------------------------------------------------ spoken word count

_NUMBER = re.compile(
    r"^(?P<cur>[$€£]?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<suffix>%|[kmbx]|bn|st|nd|rd|th|s)?$"
)


def spoken_word_count(token: str) -> int:
    """How many words a transcript token stands for when said: "2.4" is 3, "$780K" is 3."""
    text = token.strip(".,!?;:\"'()[]…").lower()
    if not any(c.isdigit() for c in text):
        return 1
    parts = re.split(r"[-–/]", text)
    if len(parts) > 1 and all(parts):
        return sum(spoken_word_count(p) for p in parts) + len(parts) - 1  # "to"
    match = _NUMBER.match(text)
    if not match:
        return 1
    num = match["num"].replace(",", "")
    whole, _, decimals = num.partition(".")
    count = _integer_words(int(whole), year=len(whole) == 4 and "," not in match["num"])
    if decimals:
        count += 1 + len(decimals)  # "point" and one word per digit
    if match["cur"]:
        count += 1  # dollars
    if match["suffix"] in ("%", "k", "m", "b", "bn", "x"):
        count += 1  # percent, thousand, million, billion, times
    return count


def _integer_words(n: int, year: bool = False) -> int:
    if year and 1100 <= n <= 2099 and not 2000 <= n <= 2009 and n % 100:
        return _integer_words(n // 100) + _integer_words(n % 100)  # "twenty nineteen"
    if n < 20:
        return 1
    if n < 100:
        return 1 if n % 10 == 0 else 2
    if n < 1000:
        return 2 + (_integer_words(n % 100) if n % 100 else 0)
    for scale in (10**9, 10**6, 10**3):
        if n >= scale:
            rest = n % scale
            return _integer_words(n // scale) + 1 + (_integer_words(rest) if rest else 0)
    return 1
