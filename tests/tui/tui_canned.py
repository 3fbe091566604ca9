"""A fixed, realistic score for question 2, so the snapshots test the screens, not the rubric."""

from __future__ import annotations

from coach.scoring import ScoreResult
from coach.scoring.result import (
    CriterionResult,
    Evidence,
    MistakeResult,
    SentenceLabel,
    StarPartResult,
    TalkingPointResult,
)

QUESTION_ID = "convert-opportunities"
SENTENCES = (
    ("In 2022 I joined a fintech startup with no pipeline among mid-market CFOs.", "situation"),
    ("My task was to source qualified deals from networking within two quarters.", "task"),
    ("I hosted a monthly roundtable for twelve finance leaders.", "action"),
    ("I shared a benchmark report before asking for anything.", "action"),
    ("As a result we sourced $1.2M in pipeline and closed three deals worth $400k.", "result"),
)
ANSWER = " ".join(text for text, _ in SENTENCES)


def _labels() -> tuple[SentenceLabel, ...]:
    labels, cursor = [], 0
    for index, (text, part) in enumerate(SENTENCES):
        start = ANSWER.index(text, cursor)
        cursor = start + len(text)
        labels.append(SentenceLabel(index, text, start, cursor, part, own=True))
    return tuple(labels)


def evidence(*indices: int) -> tuple[Evidence, ...]:
    labels = _labels()
    return tuple(Evidence(i, labels[i].text, labels[i].start, labels[i].end) for i in indices)


def canned_result() -> ScoreResult:
    return ScoreResult(
        question=QUESTION_ID,
        overall=68,
        grade=4,
        criteria=(
            CriterionResult(
                "metrics", True, 0.9, evidence(4), "", 30, "impact numbers: $1.2M, $400k"
            ),
            CriterionResult(
                "outcome_focus", True, 0.8, evidence(4, 1), "", 25, "names the outcome"
            ),
            CriterionResult("value_first", True, 0.7, evidence(3), "", 20, "gave before asking"),
            CriterionResult(
                "follow_up",
                False,
                0.1,
                (),
                "Say how and when you followed up, and what it led to.",
                25,
                "no follow-up described",
            ),
        ),
        star={
            "situation": StarPartResult(True, evidence(0), 0.8),
            "task": StarPartResult(True, evidence(1), 0.7),
            "action": StarPartResult(True, evidence(2, 3), 0.9),
            "result": StarPartResult(True, evidence(4), 0.9),
        },
        star_order_ok=True,
        mistakes=(
            MistakeResult(
                "activity_over_outcome",
                evidence(2),
                "Lead with what the meetings produced, not how many there were.",
                5,
                "counts activity: twelve finance leaders",
            ),
        ),
        model_answer_similarity=0.61,
        talking_points=(
            TalkingPointResult("Qualify contacts before pursuing them", True, evidence(1)),
            TalkingPointResult("Measure conversion to qualified pipeline", True, evidence(4)),
            TalkingPointResult("Hand over to sales with context", False),
        ),
        word_count=len(ANSWER.split()),
        off_topic=False,
        topic_similarity=0.55,
        sentences=_labels(),
        follow_up_probe="How did you decide which of those contacts were worth a second meeting?",
        semantic=True,
    )
