"""The frozen result of scoring one answer; `to_dict` gives the public JSON contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """One answer sentence behind a point given or taken."""

    index: int  # position of the sentence in `ScoreResult.sentences`
    text: str
    start: int  # character offsets into the answer text, for highlighting
    end: int


@dataclass(frozen=True)
class CriterionResult:
    id: str
    passed: bool
    score: float
    evidence: tuple[Evidence, ...]
    tip: str
    weight: float = 0.0
    reason: str = ""  # one plain line on why it passed or failed


@dataclass(frozen=True)
class StarPartResult:
    present: bool
    sentences: tuple[Evidence, ...]
    score: float = 0.0


@dataclass(frozen=True)
class MistakeResult:
    id: str
    evidence: tuple[Evidence, ...]
    tip: str
    penalty: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class TalkingPointResult:
    text: str
    covered: bool
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class SentenceLabel:
    index: int
    text: str
    start: int
    end: int
    star: str | None  # situation / task / action / result, or None for a sentence outside the story
    own: bool  # the candidate speaks of their own work (I / we), not a lecture


@dataclass(frozen=True)
class ScoreResult:
    question: str
    overall: int
    grade: int
    criteria: tuple[CriterionResult, ...]
    star: dict[str, StarPartResult]
    star_order_ok: bool
    mistakes: tuple[MistakeResult, ...]
    model_answer_similarity: float
    talking_points: tuple[TalkingPointResult, ...]
    word_count: int
    off_topic: bool
    topic_similarity: float
    sentences: tuple[SentenceLabel, ...]
    follow_up_probe: str
    semantic: bool = True  # False when the embedding model could not be loaded
    truncated: bool = False  # True when only the first `max_words` words were analysed
    notes: tuple[str, ...] = field(default_factory=tuple)

    def criterion(self, criterion_id: str) -> CriterionResult:
        for item in self.criteria:
            if item.id == criterion_id:
                return item
        raise KeyError(criterion_id)

    def mistake_ids(self) -> list[str]:
        return [m.id for m in self.mistakes]

    def labels(self) -> dict[str, bool]:
        """Every criterion, STAR part and mistake id mapped to true/false (calibration view)."""
        out = {c.id: c.passed for c in self.criteria}
        out.update({part: value.present for part, value in self.star.items()})
        found = set(self.mistake_ids())
        from coach.content.models import MISTAKE_IDS

        out.update({m: m in found for m in MISTAKE_IDS})
        return out

    def to_dict(self) -> dict[str, Any]:
        def evidence(items: tuple[Evidence, ...]) -> list[str]:
            return [e.text for e in items]

        return {
            "question": self.question,
            "overall": self.overall,
            "grade": self.grade,
            "criteria": [
                {
                    "id": c.id,
                    "passed": c.passed,
                    "score": round(c.score, 3),
                    "evidence": evidence(c.evidence),
                    "tip": c.tip,
                    "weight": c.weight,
                    "reason": c.reason,
                }
                for c in self.criteria
            ],
            "star": {
                part: {
                    "present": value.present,
                    "sentences": evidence(value.sentences),
                    "score": round(value.score, 3),
                }
                for part, value in self.star.items()
            },
            "star_order_ok": self.star_order_ok,
            "mistakes": [
                {
                    "id": m.id,
                    "evidence": evidence(m.evidence),
                    "tip": m.tip,
                    "penalty": m.penalty,
                    "reason": m.reason,
                }
                for m in self.mistakes
            ],
            "model_answer_similarity": round(self.model_answer_similarity, 3),
            "talking_points": [
                {"text": t.text, "covered": t.covered, "evidence": evidence(t.evidence)}
                for t in self.talking_points
            ],
            "word_count": self.word_count,
            "off_topic": self.off_topic,
            "topic_similarity": round(self.topic_similarity, 3),
            "follow_up_probe": self.follow_up_probe,
            "semantic": self.semantic,
            "truncated": self.truncated,
            "notes": list(self.notes),
            "sentences": [asdict(s) for s in self.sentences],
        }
