"""The content pack's models: questions and rubrics, as frozen dataclasses checked by `schema`.

No `from __future__ import annotations` here: `schema` reads every field's type when the pack
loads, and type hints kept as strings would each be compiled then, before the first frame.
"""

from typing import Literal

from coach.content.schema import Problem, model, spec
from coach.record import Record

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


# ---------------------------------------------------------------- questions


@model
class TalkingPoint(Record):
    """A point a strong answer makes, with keywords that show it was made."""

    text: str = spec(non_empty=True)
    keywords: list[str] = spec(factory=list)


@model
class ModelAnswer(Record):
    """A model answer in its four STAR parts."""

    situation: str = spec(non_empty=True)
    task: str = spec(non_empty=True)
    action: str = spec(non_empty=True)
    result: str = spec(non_empty=True)

    def text(self) -> str:
        return " ".join([self.situation, self.task, self.action, self.result])


@model
class Question(Record):
    """One interview question with its scenarios, talking points and model answer."""

    id: str = spec(
        pattern=r"[a-z0-9][a-z0-9-]*",
        pattern_hint="lowercase letters, digits and dashes, like 'event-roi'",
    )
    title: str = spec(non_empty=True)
    question: str = spec(non_empty=True)
    why_asked: str = spec(non_empty=True)
    key_concepts: list[str] = spec(min_length=1)
    talking_points: list[TalkingPoint] = spec(min_length=1)
    scenarios: list[str] = spec(min_length=2)
    target_seconds: int = spec(ge=15, le=900)
    model_answer: ModelAnswer
    follow_up_probes: dict[str, str] = spec(min_length=1)

    def check(self) -> None:
        for key in self.follow_up_probes:
            if key not in ALL_IDS:
                raise Problem(
                    f"unknown probe id {key!r}; expected one of {', '.join(ALL_IDS)}",
                    "follow_up_probes",
                )


@model
class QuestionBank(Record):
    """The whole of `questions.yaml`."""

    version: Literal[1] = 1
    questions: list[Question] = spec(min_length=1)

    def check(self) -> None:
        seen: set[str] = set()
        for index, question in enumerate(self.questions):
            if question.id in seen:
                raise Problem(f"duplicate question id {question.id!r}", ("questions", index, "id"))
            seen.add(question.id)


# ---------------------------------------------------------------- rubric


@model
class Semantic(Record):
    """How a cosine similarity maps to a 0-1 score: `low` and below is 0, `high` and above is 1."""

    low: float = spec(ge=-1, le=1)
    high: float = spec(ge=-1, le=1)

    def check(self) -> None:
        if self.high <= self.low:
            raise Problem("semantic.high must be greater than semantic.low")


@model
class Signal(Record):
    """What a criterion, STAR part or mistake looks for in a sentence."""

    exemplars: list[str] = spec(factory=list)
    keywords: list[str] = spec(factory=list)
    # Keywords that count against the signal; negated, they count for it ("I never pitch").
    counter_keywords: list[str] = spec(factory=list)
    semantic: Semantic = Semantic(low=0.3, high=0.6)
    semantic_weight: float = spec(default=0.5, ge=0, le=1)
    # A keyword followed by one of these words does not count ("introduced me" is receiving).
    not_followed_by: list[str] = spec(factory=list)
    # A sentence holding one of these is talk of what might happen, not evidence ("it's early").
    hedges: list[str] = spec(factory=list)
    # Impact figures in a sentence count as keyword evidence ("came away with $400K in pipeline").
    impact_numbers_count: bool = False
    tip: str = ""


@model
class Criterion(Signal):
    """A criterion a good answer meets (metrics, outcome focus, value first, follow-up)."""

    weight: float = spec(ge=0)
    threshold: float = spec(ge=0, le=1)
    # Share of credit for evidence in a sentence that sets the scene or states the goal
    # ("my goal was $500K of pipeline" is a target, not a result).
    context_credit: float = spec(default=1.0, ge=0, le=1)
    # Evidence must come from the candidate's own example (I / we), not a lecture.
    own_example: bool = True


@model
class PartRubric(Signal):
    """How to recognise one STAR part in a sentence."""

    weight: float = spec(ge=0)
    # A sentence labelled with this part counts as the part being present at or above this score.
    threshold: float = spec(default=0.45, ge=0, le=1)
    cues: list[str] = spec(factory=list)


@model
class Mistake(Signal):
    """A mistake the scorer looks for, and the points it costs."""

    penalty: float = spec(ge=0)
    threshold: float = spec(default=0.5, ge=0, le=1)
    # For ignores_cross_functional: whether silence about partner teams is itself the mistake.
    expected: bool = False
    # For activity_over_outcome: this many activity figures (events, cards, followers) make a boast.
    min_count: int = spec(default=0, ge=0)


@model
class Criteria(Record):
    """The four criteria, by id."""

    metrics: Criterion
    outcome_focus: Criterion
    value_first: Criterion
    follow_up: Criterion


@model
class Parts(Record):
    """The four STAR parts, by name."""

    situation: PartRubric
    task: PartRubric
    action: PartRubric
    result: PartRubric


@model
class Mistakes(Record):
    """The five listed mistakes, by id."""

    generic: Mistake
    activity_over_outcome: Mistake
    criticizes_others: Mistake
    transactional: Mistake
    ignores_cross_functional: Mistake


@model
class NumberTerms(Record):
    """Words near a number that say whether it measures impact or mere activity."""

    impact: list[str] = spec(min_length=1)
    activity: list[str] = spec(min_length=1)


@model
class Language(Record):
    """Word lists the scorer reads sentences with: negations, first person, lectures, teams."""

    negation_cues: list[str] = spec(min_length=1)
    # Words that put an ask or pitch off until later ("before asking") - for counter keywords only.
    deferral_cues: list[str] = spec(factory=list)
    first_person: list[str] = spec(min_length=1)
    lecture_cues: list[str] = spec(factory=list)
    criticism_targets: list[str] = spec(factory=list)
    criticism_words: list[str] = spec(factory=list)
    cross_functional_roles: list[str] = spec(factory=list)
    cross_functional_teams: list[str] = spec(factory=list)
    team_markers: list[str] = spec(factory=list)
    # "our clinical lead", "our security architect": a colleague from the candidate's own side.
    colleague_titles: list[str] = spec(factory=list)
    buzzwords: list[str] = spec(factory=list)
    topic_terms: list[str] = spec(factory=list)
    immediacy_cues: list[str] = spec(factory=list)
    # "I ask for three referrals": an ask verb with one of these within a few words of it.
    ask_verbs: list[str] = spec(factory=list)
    ask_objects: list[str] = spec(factory=list)
    common_names: list[str] = spec(factory=list)
    weakness_cues: list[str] = spec(factory=list)
    imperative_verbs: list[str] = spec(factory=list)
    fillers: list[str] = spec(factory=list)


@model
class Grading(Record):
    """How scores become the 1-5 grade, and the limits on what is scored."""

    # Overall score at or above cutoffs[i] earns grade i + 2 (below the first: grade 1).
    cutoffs: list[float] = spec(min_length=4, max_length=4)
    off_topic_threshold: float = spec(ge=-1, le=1)
    off_topic_soft_threshold: float = spec(default=0.6, ge=-1, le=1)
    off_topic_min_terms: int = spec(default=3, ge=0)
    off_topic_cap: float = spec(ge=0, le=100)
    no_result_max_grade: int = spec(default=3, ge=1, le=5)  # the grade of a story without a result
    model_answer_weight: float = spec(ge=0)
    talking_points_weight: float = spec(ge=0)
    talking_point_threshold: float = spec(ge=-1, le=1)
    fuzzy_ratio: float = spec(default=88, ge=50, le=100)
    max_words: int = spec(default=1500, ge=50)
    # A typed answer's speaking time is its words at this pace. One that would take more than
    # `too_long_ratio` times the question's target time is a monologue an interviewer stops
    # long before its result, and its grade stops at `too_long_max_grade`.
    speaking_pace_wpm: float = spec(default=150, ge=60, le=300)
    too_long_ratio: float = spec(default=3, ge=1, le=20)
    too_long_max_grade: int = spec(default=3, ge=1, le=5)

    def check(self) -> None:
        cutoffs = self.cutoffs
        if any(b <= a for a, b in zip(cutoffs, cutoffs[1:], strict=False)):
            raise Problem("cutoffs must rise strictly, e.g. [30, 45, 60, 75]", "cutoffs")


@model
class Rubric(Record):
    """The shared rubric (`rubrics/networking.yaml`)."""

    version: Literal[1] = 1
    name: str = "networking"
    grading: Grading
    language: Language
    number_terms: NumberTerms
    star: Parts
    criteria: Criteria
    mistakes: Mistakes


# ---------------------------------------------------------------- per-question additions


@model
class SignalAddition(Record):
    """Per-question additions: lists are appended to the shared rubric, numbers replace it."""

    exemplars: list[str] = spec(factory=list)
    keywords: list[str] = spec(factory=list)
    counter_keywords: list[str] = spec(factory=list)
    weight: float | None = spec(default=None, ge=0)
    threshold: float | None = spec(default=None, ge=0, le=1)
    penalty: float | None = spec(default=None, ge=0)
    expected: bool | None = None
    tip: str | None = None


@model
class QuestionRubric(Record):
    """One question's additions to the shared rubric (`rubrics/<question id>.yaml`)."""

    question: str
    criteria: dict[
        Literal["metrics", "outcome_focus", "value_first", "follow_up"], SignalAddition
    ] = spec(factory=dict)
    mistakes: dict[
        Literal[
            "generic",
            "activity_over_outcome",
            "criticizes_others",
            "transactional",
            "ignores_cross_functional",
        ],
        SignalAddition,
    ] = spec(factory=dict)
