"""A saved attempt's result back as a `ScoreResult`, so the results screen can show it again.

The store keeps `ScoreResult.to_dict()`: evidence as sentence texts. Each text is matched back
to its sentence (index and character offsets) so the evidence highlights as it did live.
Plain Python (no Textual); tolerant of fields missing from older saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coach.scoring import ScoreResult
from coach.scoring.result import (
    CriterionResult,
    Evidence,
    MistakeResult,
    SentenceLabel,
    StarPartResult,
    TalkingPointResult,
)


def _sentences(data: Mapping[str, Any]) -> tuple[SentenceLabel, ...]:
    out = []
    for n, item in enumerate(data.get("sentences") or ()):
        if not isinstance(item, Mapping):
            continue
        out.append(
            SentenceLabel(
                index=int(item.get("index", n)),
                text=str(item.get("text", "")),
                start=int(item.get("start", 0)),
                end=int(item.get("end", 0)),
                star=item.get("star") or None,
                own=bool(item.get("own", False)),
            )
        )
    return tuple(out)


class _Evidence:
    """Sentence texts back to `Evidence`, by exact text (the scorer quotes whole sentences)."""

    def __init__(self, sentences: Sequence[SentenceLabel]) -> None:
        self.by_text: dict[str, SentenceLabel] = {}
        for sentence in sentences:
            self.by_text.setdefault(sentence.text, sentence)

    def __call__(self, texts: Any) -> tuple[Evidence, ...]:
        out = []
        for text in texts or ():
            found = self.by_text.get(str(text))
            if found is not None:
                out.append(Evidence(found.index, found.text, found.start, found.end))
            else:
                out.append(Evidence(-1, str(text), 0, 0))
        return tuple(out)


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [item for item in data.get(key) or () if isinstance(item, Mapping)]


def result_from_dict(data: Mapping[str, Any]) -> ScoreResult:
    """The `ScoreResult` a saved `to_dict()` came from (evidence matched back to sentences)."""
    sentences = _sentences(data)
    evidence = _Evidence(sentences)
    star_data = data.get("star") or {}
    return ScoreResult(
        question=str(data.get("question", "")),
        overall=int(data.get("overall", 0)),
        grade=int(data.get("grade", 1)),
        criteria=tuple(
            CriterionResult(
                id=str(c.get("id", "")),
                passed=bool(c.get("passed", False)),
                score=float(c.get("score", 0.0)),
                evidence=evidence(c.get("evidence")),
                tip=str(c.get("tip", "")),
                weight=float(c.get("weight", 0.0)),
                reason=str(c.get("reason", "")),
            )
            for c in _items(data, "criteria")
        ),
        star={
            str(part): StarPartResult(
                present=bool(value.get("present", False)),
                sentences=evidence(value.get("sentences")),
                score=float(value.get("score", 0.0)),
            )
            for part, value in star_data.items()
            if isinstance(value, Mapping)
        },
        star_order_ok=bool(data.get("star_order_ok", True)),
        mistakes=tuple(
            MistakeResult(
                id=str(m.get("id", "")),
                evidence=evidence(m.get("evidence")),
                tip=str(m.get("tip", "")),
                penalty=float(m.get("penalty", 0.0)),
                reason=str(m.get("reason", "")),
            )
            for m in _items(data, "mistakes")
        ),
        model_answer_similarity=float(data.get("model_answer_similarity", 0.0)),
        talking_points=tuple(
            TalkingPointResult(
                text=str(t.get("text", "")),
                covered=bool(t.get("covered", False)),
                evidence=evidence(t.get("evidence")),
            )
            for t in _items(data, "talking_points")
        ),
        word_count=int(data.get("word_count", 0)),
        off_topic=bool(data.get("off_topic", False)),
        topic_similarity=float(data.get("topic_similarity", 0.0)),
        sentences=sentences,
        follow_up_probe=str(data.get("follow_up_probe", "")),
        semantic=bool(data.get("semantic", True)),
        truncated=bool(data.get("truncated", False)),
        notes=tuple(str(n) for n in data.get("notes") or ()),
    )
