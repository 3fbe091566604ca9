"""Find numbers in a sentence and tell impact figures from activity counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coach.scoring.matching import KeySet
from coach.scoring.text import stems

NumberKind = Literal["impact", "activity", "neutral"]

WRITTEN = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    "hundreds|thousand|thousands|million|millions|billion|dozen|dozens|half|double|doubled|"
    "tripled|triple|quadrupled|halved|twice"
)
_NUMBER = re.compile(
    r"(?P<cur>[$€£]|\b(?:EUR|USD|GBP|AUD|CAD|CHF)\b)?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<unit>%|percent\b|x\b|k\b|m\b|mm\b|bn\b|b\b|million\b|billion\b|thousand\b)?"
    r"(?P<money>\s?(?:dollars|euros|pounds)\b)?"
    rf"|\b(?P<word>{WRITTEN})\b"
    r"|\bone\s+(?P<one>\w+)",
    re.I,
)
_YEAR = re.compile(r"^(19|20)\d\d$")
WINDOW = 8
TIME_UNITS = frozenset(
    stems("minutes hours days weeks months quarters years minute hour day week month quarter year")
)
TIME_WINDOW = 4
# "in two quarters", "within 48 hours": a duration, not a result, unless it is time saved
DURATION_WORDS = frozenset(stems("in within over after during inside across for"))
TIME_SAVED = frozenset(
    stems("cut cuts reduce reduced shorten shortened shorter save saved faster quicker halved down")
)
# Words that say a figure changed, not what it measures: in "our followers grew 40%" the
# followers are what grew.
CHANGE_WORDS = frozenset(
    stems(
        "grew grow growth increase increased improved improve reduce reduced cut raised lift "
        "lifted boosted rose doubled tripled jumped climbed faster shorter"
    )
)
# A term said to be missing does not say what a figure measures: "grown to 400K with no return".
ABSENT_WORDS = frozenset(stems("no without zero"))
LARGE_UNITS = frozenset({"m", "mm", "bn", "b", "k", "million", "billion"})
RATE_UNITS = frozenset({"%", "percent"})
CONTEXT_CHARS = 160  # enough for WINDOW words either side


@dataclass(frozen=True)
class NumberMention:
    text: str
    start: int
    end: int
    kind: NumberKind


class NumberClassifier:
    def __init__(self, impact_terms: Sequence[str], activity_terms: Sequence[str]) -> None:
        self.impact = KeySet(impact_terms)
        self.activity = KeySet(activity_terms)
        self.impact_measures = KeySet(
            keys=[k for k in self.impact.keys if k[0] not in CHANGE_WORDS]
        )

    @staticmethod
    def _nearest(window: list[str], terms: KeySet, from_end: bool) -> int | None:
        distances = [
            (len(window) - i - size) if from_end else i
            for i, size in terms.positions(window)
            if not ABSENT_WORDS.intersection(window[max(0, i - 2) : i])  # "with no clear return"
        ]
        return min(distances, default=None)

    def _led_by_impact(self, before: list[str]) -> bool:
        """Whether an impact word comes before every activity word: the clause is about the
        impact ("pipeline from events rose"), not the activity ("followers grew")."""
        impact = [start for start, _ in self.impact.positions(before)]
        activity = [start for start, _ in self.activity.positions(before)]
        return bool(impact) and min(impact) < min(activity, default=len(before))

    def _context_kind(
        self, before: list[str], after: list[str], impact: KeySet | None = None
    ) -> NumberKind | None:
        scored: list[tuple[int, int, NumberKind]] = []
        for terms, kind in ((impact or self.impact, "impact"), (self.activity, "activity")):
            for window, from_end, side in ((after, False, 0), (before, True, 1)):
                distance = self._nearest(window, terms, from_end)
                if distance is not None:
                    scored.append((distance, side, kind))  # type: ignore[arg-type]
        if not scored:
            return None
        return min(scored)[2]

    def find(self, sentence: str) -> list[NumberMention]:
        found: list[NumberMention] = []
        for match in _NUMBER.finditer(sentence):
            # A bounded slice keeps this linear on one endless "word" of digits and letters.
            before = stems(sentence[max(0, match.start() - CONTEXT_CHARS) : match.start()])[
                -WINDOW:
            ]
            after = stems(sentence[match.end() : match.end() + CONTEXT_CHARS])[:WINDOW]
            kind = self._classify(match, before, after)
            if kind is not None:
                found.append(NumberMention(match.group().strip(), match.start(), match.end(), kind))
        return found

    def _classify(
        self, match: re.Match[str], before: list[str], after: list[str]
    ) -> NumberKind | None:
        if match.group("one") is not None:
            # "one of my partners" is no figure; "one deal" or "one contract" is.
            kind = self._context_kind([], [*stems(match.group("one")), *after[:2]])
            return "impact" if kind == "impact" else None
        if before and (
            before[-1] in {"tier", "q", "step", "phase", "number", "no", "top"}
            or before[-1] in TIME_UNITS  # "by month eleven", "on day 30": when, not how much
        ):
            return "neutral"
        number = match.group("num") or ""
        if _YEAR.match(number) and not match.group("unit") and not match.group("cur"):
            return "neutral"
        if match.group("cur") or match.group("money"):
            return "impact"
        if after[:1] and after[0] in TIME_UNITS:
            # "48 hours later": how long, not how much, unless an impact word leads up to it
            # ("cut the cycle to 75 days", "saved 10 hours a week"). After "in" or "within" the
            # impact word before it is another figure's ("$300K of pipeline in two quarters"):
            # only time saved makes that span a result ("reduced response time to within a day").
            if before[-1:] and before[-1] in DURATION_WORDS:
                return "impact" if TIME_SAVED.intersection(before) else "neutral"
            near = self._nearest(before[-TIME_WINDOW:], self.impact, from_end=True)
            return "impact" if near is not None else "neutral"
        if before[-2:-1] in (["ask"], ["request"]) and before[-1] == "for":
            return "activity"  # "I ask for three referrals": a count of asks, not of results
        if before[-2:] == ["out", "of"]:
            # "three trade shows out of twelve by the pipeline...": twelve counts the shows
            kind = self._context_kind(before[:-2], [])
            if kind is not None:
                return kind
        kind = self._context_kind(before, after)
        unit = (match.group("unit") or "").lower()
        word = (match.group("word") or "").lower()
        large = unit in LARGE_UNITS or word in {"million", "billion"}
        if (
            kind == "activity"
            and (large or unit in RATE_UNITS)
            and not self.activity.contains(after[:2])  # "1.2 million impressions" counts them
            and self._led_by_impact(before)
        ):
            # A rate or a sum is not a count of things done: in "pipeline from events rose 35%
            # to 2.1M" the figures measure the pipeline, the nearer word only says where from.
            return "impact"
        if (
            kind == "impact"
            and self._context_kind(before, after, self.impact_measures) == "activity"
            and not self._led_by_impact(before)
        ):
            # Only a word of change made it impact, and what changed is an activity count.
            return "activity"
        if kind is not None:
            return kind
        if large:
            return "impact"
        if word in {"doubled", "tripled", "quadrupled", "halved"}:
            return "impact"
        return "neutral"
