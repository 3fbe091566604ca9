"""Pydantic models of the content pack: questions and rubrics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

StarPart = Literal["situation", "task", "action", "result"]
STAR_PARTS: tuple[StarPart, ...] = ("situation", "task", "action", "result")
CRITERION_IDS: tuple[str, ...] = ("metrics", "outcome_focus", "value_first", "follow_up")
MISTAKE_IDS: tuple[str, ...] = (
    "generic",
    "activity_over_outcome",
    "criticizes_others",
    "transactional",
    "ignores_cross_functional",
)
# Every id a result, a probe or a calibration label may name.
ALL_IDS: tuple[str, ...] = (*CRITERION_IDS, *STAR_PARTS, *MISTAKE_IDS)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NonEmpty = str


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


# ---------------------------------------------------------------- questions


class TalkingPoint(Strict):
    text: str
    keywords: list[str] = Field(default_factory=list)

    _text = field_validator("text")(_non_empty)


class ModelAnswer(Strict):
    situation: str
    task: str
    action: str
    result: str

    _parts = field_validator("situation", "task", "action", "result")(_non_empty)

    def text(self) -> str:
        return " ".join([self.situation, self.task, self.action, self.result])


class Question(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    question: str
    why_asked: str
    key_concepts: list[str] = Field(min_length=1)
    talking_points: list[TalkingPoint] = Field(min_length=1)
    scenarios: list[str] = Field(min_length=2)
    target_seconds: int = Field(ge=15, le=900)
    model_answer: ModelAnswer
    follow_up_probes: dict[str, str] = Field(min_length=1)

    _texts = field_validator("title", "question", "why_asked")(_non_empty)

    @field_validator("follow_up_probes")
    @classmethod
    def _probe_ids(cls, probes: dict[str, str]) -> dict[str, str]:
        for key in probes:
            if key not in ALL_IDS:
                raise ValueError(f"unknown probe id {key!r}; expected one of {', '.join(ALL_IDS)}")
        return probes


class QuestionBank(Strict):
    version: Literal[1] = 1
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> QuestionBank:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        return self


# ---------------------------------------------------------------- rubric


class Semantic(Strict):
    """How a cosine similarity maps to a 0-1 score: `low` and below is 0, `high` and above is 1."""

    low: float = Field(ge=-1, le=1)
    high: float = Field(ge=-1, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Semantic:
        if self.high <= self.low:
            raise ValueError("semantic.high must be greater than semantic.low")
        return self


class Signal(Strict):
    """What a criterion, STAR part or mistake looks for in a sentence."""

    exemplars: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    # Keywords that count against the signal; negated, they count for it ("I never pitch").
    counter_keywords: list[str] = Field(default_factory=list)
    semantic: Semantic = Semantic(low=0.3, high=0.6)
    semantic_weight: float = Field(default=0.5, ge=0, le=1)
    # A keyword followed by one of these words does not count ("introduced me" is receiving).
    not_followed_by: list[str] = Field(default_factory=list)
    # A sentence holding one of these is talk of what might happen, not evidence ("it's early").
    hedges: list[str] = Field(default_factory=list)
    # Impact figures in a sentence count as keyword evidence ("came away with $400K in pipeline").
    impact_numbers_count: bool = False
    tip: str = ""


class Criterion(Signal):
    weight: float = Field(ge=0)
    threshold: float = Field(ge=0, le=1)
    # Share of credit for evidence in a sentence that sets the scene or states the goal
    # ("my goal was $500K of pipeline" is a target, not a result).
    context_credit: float = Field(default=1.0, ge=0, le=1)
    # Evidence must come from the candidate's own example (I / we), not a lecture.
    own_example: bool = True


class PartRubric(Signal):
    weight: float = Field(ge=0)
    # A sentence labelled with this part counts as the part being present at or above this score.
    threshold: float = Field(default=0.45, ge=0, le=1)
    cues: list[str] = Field(default_factory=list)


class Mistake(Signal):
    penalty: float = Field(ge=0)
    threshold: float = Field(default=0.5, ge=0, le=1)
    # For ignores_cross_functional: whether silence about partner teams is itself the mistake.
    expected: bool = False
    # For activity_over_outcome: this many activity figures (events, cards, followers) make a boast.
    min_count: int = Field(default=0, ge=0)


class Criteria(Strict):
    metrics: Criterion
    outcome_focus: Criterion
    value_first: Criterion
    follow_up: Criterion


class Parts(Strict):
    situation: PartRubric
    task: PartRubric
    action: PartRubric
    result: PartRubric


class Mistakes(Strict):
    generic: Mistake
    activity_over_outcome: Mistake
    criticizes_others: Mistake
    transactional: Mistake
    ignores_cross_functional: Mistake


class NumberTerms(Strict):
    """Words near a number that say whether it measures impact or mere activity."""

    impact: list[str] = Field(min_length=1)
    activity: list[str] = Field(min_length=1)


class Language(Strict):
    negation_cues: list[str] = Field(min_length=1)
    # Words that put an ask or pitch off until later ("before asking") - for counter keywords only.
    deferral_cues: list[str] = Field(default_factory=list)
    first_person: list[str] = Field(min_length=1)
    lecture_cues: list[str] = Field(default_factory=list)
    criticism_targets: list[str] = Field(default_factory=list)
    criticism_words: list[str] = Field(default_factory=list)
    cross_functional_roles: list[str] = Field(default_factory=list)
    cross_functional_teams: list[str] = Field(default_factory=list)
    team_markers: list[str] = Field(default_factory=list)
    buzzwords: list[str] = Field(default_factory=list)
    topic_terms: list[str] = Field(default_factory=list)
    immediacy_cues: list[str] = Field(default_factory=list)
    common_names: list[str] = Field(default_factory=list)
    weakness_cues: list[str] = Field(default_factory=list)
    imperative_verbs: list[str] = Field(default_factory=list)
    fillers: list[str] = Field(default_factory=list)


class Grading(Strict):
    # Overall score at or above cutoffs[i] earns grade i + 2 (below the first: grade 1).
    cutoffs: list[float] = Field(min_length=4, max_length=4)
    off_topic_threshold: float = Field(ge=-1, le=1)
    off_topic_soft_threshold: float = Field(default=0.6, ge=-1, le=1)
    off_topic_min_terms: int = Field(default=3, ge=0)
    off_topic_cap: float = Field(ge=0, le=100)
    model_answer_weight: float = Field(ge=0)
    talking_points_weight: float = Field(ge=0)
    talking_point_threshold: float = Field(ge=-1, le=1)
    fuzzy_ratio: float = Field(default=88, ge=50, le=100)
    max_words: int = Field(default=1500, ge=50)

    @field_validator("cutoffs")
    @classmethod
    def _rising(cls, cutoffs: list[float]) -> list[float]:
        if any(b <= a for a, b in zip(cutoffs, cutoffs[1:], strict=False)):
            raise ValueError("cutoffs must rise strictly, e.g. [30, 45, 60, 75]")
        return cutoffs


class Rubric(Strict):
    version: Literal[1] = 1
    name: str = "networking"
    grading: Grading
    language: Language
    number_terms: NumberTerms
    star: Parts
    criteria: Criteria
    mistakes: Mistakes


# ---------------------------------------------------------------- per-question additions


class SignalAddition(Strict):
    """Per-question additions: lists are appended to the shared rubric, numbers replace it."""

    exemplars: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    counter_keywords: list[str] = Field(default_factory=list)
    weight: float | None = Field(default=None, ge=0)
    threshold: float | None = Field(default=None, ge=0, le=1)
    penalty: float | None = Field(default=None, ge=0)
    expected: bool | None = None
    tip: str | None = None


class QuestionRubric(Strict):
    question: str
    criteria: dict[
        Literal["metrics", "outcome_focus", "value_first", "follow_up"], SignalAddition
    ] = Field(default_factory=dict)
    mistakes: dict[
        Literal[
            "generic",
            "activity_over_outcome",
            "criticizes_others",
            "transactional",
            "ignores_cross_functional",
        ],
        SignalAddition,
    ] = Field(default_factory=dict)
