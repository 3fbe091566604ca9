"""Keyword and cue matching: stemmed phrases, typo-tolerant (rapidfuzz), negation-aware."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from coach.scoring.text import stems

CLAUSE_BREAKS = {",", ";", ":", "but", "although", "though", "while", "whereas"}
NEGATION_WINDOW = 4
# "never miss a follow-up" is discipline, not its absence.
CANCELLERS = {"miss", "forget", "forgot", "fail", "skip", "neglect", "stop", "let", "drop", "lose"}
MIN_FUZZY_CHARS = 5


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


class KeySet:
    """Stemmed phrases, looked up only where a sentence token can start one."""

    def __init__(self, phrases: Iterable[str] = (), keys: Iterable[tuple[str, ...]] = ()) -> None:
        self.keys = frozenset([*keys, *(k for p in phrases if (k := phrase_key(p)))])
        self.sizes = sorted({len(k) for k in self.keys})
        self._sizes_from = _sizes_by_first_token(self.keys)

    def positions(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(start, size) of every phrase found in `tokens`, by size, then start."""
        return sorted(_find(tokens, self.keys, self._sizes_from), key=lambda f: (f[1], f[0]))

    def contains(self, tokens: Sequence[str]) -> bool:
        return any(True for _ in _find(tokens, self.keys, self._sizes_from))


def _sizes_by_first_token(keys: Iterable[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    sizes: dict[str, set[int]] = {}
    for key in keys:
        sizes.setdefault(key[0], set()).add(len(key))
    return {token: tuple(sorted(found)) for token, found in sizes.items()}


def _find(
    tokens: Sequence[str], keys: frozenset[tuple[str, ...]], sizes_from: dict[str, tuple[int, ...]]
) -> Iterator[tuple[int, int]]:
    """(start, size) of each key in `tokens`; most tokens start no key, so they cost one lookup."""
    for i, token in enumerate(tokens):
        for size in sizes_from.get(token, ()):
            if size == 1 or tuple(tokens[i : i + size]) in keys:
                yield i, size


@dataclass(frozen=True)
class Hit:
    phrase: tuple[str, ...]
    start: int  # token index in the sentence
    negated: bool
    deferred: bool = False  # "before asking", "only after": the ask is put off, not made first


class PhraseIndex:
    """Every phrase the rubric names, matched in one pass per sentence."""

    def __init__(
        self,
        phrases: Iterable[str],
        negation_cues: Sequence[str],
        fuzzy_ratio: float,
        deferral_cues: Sequence[str] = (),
    ):
        self.keys = frozenset(k for p in phrases if (k := phrase_key(p)))
        self._sizes_from = _sizes_by_first_token(self.keys)
        self.negations = KeySet(negation_cues)
        self.deferrals = KeySet(deferral_cues)
        self.fuzzy_ratio = fuzzy_ratio
        vocabulary: dict[str, tuple[str, ...]] = {}
        for key in self.keys:
            for token in key:
                vocabulary.setdefault(token, (token,))
            if len(key) > 1:
                vocabulary.setdefault("".join(key), key)
        self._vocabulary = vocabulary
        self._fuzzy_words = [w for w in vocabulary if len(w) >= MIN_FUZZY_CHARS]
        self._correct = lru_cache(maxsize=50_000)(self._correct_uncached)
        self._choices = lru_cache(maxsize=None)(self._choices_for_length)

    def _choices_for_length(self, size: int) -> list[str]:
        """The vocabulary words that can reach `fuzzy_ratio` against a token of `size` letters.
        fuzz.ratio is 200 * common / (a + b) with common <= min(a, b), so a word much shorter or
        longer cannot; leaving those out halves the time of a look-up and changes no match (the
        order is kept, so even a tie goes to the same word)."""
        ratio = self.fuzzy_ratio
        shortest = size * ratio / (200 - ratio) - 1e-9
        longest = size * (200 - ratio) / ratio + 1e-9
        return [word for word in self._fuzzy_words if shortest <= len(word) <= longest]

    def _correct_uncached(self, token: str) -> tuple[str, ...]:
        """Map a misspelt or run-together token onto the rubric's vocabulary."""
        if token in self._vocabulary or len(token) < MIN_FUZZY_CHARS or not token.isalpha():
            return self._vocabulary.get(token, (token,))
        match = process.extractOne(
            token, self._choices(len(token)), scorer=fuzz.ratio, score_cutoff=self.fuzzy_ratio
        )
        return self._vocabulary[match[0]] if match else (token,)

    def canonical(self, sentence: str) -> list[str]:
        out: list[str] = []
        for token in stems(sentence):
            out.extend(self._correct(token))
        return out

    @staticmethod
    def _preceded_by(tokens: list[str], start: int, cues: KeySet) -> bool:
        """A cue in the few tokens before `start`, within its clause, not cancelled."""
        begin = start
        while (
            begin > 0 and start - begin < NEGATION_WINDOW and tokens[begin - 1] not in CLAUSE_BREAKS
        ):
            begin -= 1
        window = tokens[begin:start]
        for i, size in cues.positions(window):
            after = window[i + size] if i + size < len(window) else tokens[start]
            if after not in CANCELLERS:
                return True
        return False

    def hits(self, tokens: list[str]) -> list[Hit]:
        """Every rubric phrase in `tokens`, by length, then position."""
        found: list[Hit] = []
        for i, n in sorted(_find(tokens, self.keys, self._sizes_from), key=lambda f: (f[1], f[0])):
            negated = self._preceded_by(tokens, i, self.negations)
            deferred = bool(self.deferrals.keys) and self._preceded_by(tokens, i, self.deferrals)
            found.append(Hit(tuple(tokens[i : i + n]), i, negated, deferred))
        return found


@dataclass(frozen=True)
class PhraseSet:
    """The phrases of one signal, ready to look up in a sentence's hits."""

    keys: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseSet:
        return cls(frozenset(k for p in phrases if (k := phrase_key(p))))

    def matches(self, hits: Sequence[Hit]) -> list[Hit]:
        return [h for h in hits if h.phrase in self.keys]
