"""From the scored parts of one answer to its verdict: off topic or not, the overall score, the
grade, and the notes that explain them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from coach.clock import clock
from coach.content import STAR_PARTS
from coach.content.models import Grading, Parts
from coach.scoring.prepared import ramp
from coach.scoring.result import CriterionResult, StarPartResult


def is_off_topic(grading: Grading, topic_similarity: float | None, topic_terms: int) -> bool:
    """Whether the answer misses the question; `topic_similarity` is None when semantic checks
    are off, and then the topic words decide alone."""
    if topic_similarity is not None:
        return topic_similarity < grading.off_topic_threshold or (
            topic_similarity < grading.off_topic_soft_threshold
            and topic_terms < grading.off_topic_min_terms
        )
    return topic_terms < grading.off_topic_min_terms


def overall_score(
    grading: Grading,
    star_rubric: Parts,
    criteria: Collection[CriterionResult],
    star: Mapping[str, StarPartResult],
    model_similarity: float,
    coverage: float,
    penalty: float,
    off_topic: bool,
) -> float:
    """The score out of 100: the weighted share earned by the criteria, the STAR parts, the
    likeness to the model answer and the talking points covered, less the mistakes' penalty;
    an off-topic answer is capped."""
    earned = sum(c.weight * c.score for c in criteria)
    possible = sum(c.weight for c in criteria)
    for part in STAR_PARTS:
        weight = getattr(star_rubric, part).weight
        earned += weight * (star[part].score if star[part].present else 0.0)
        possible += weight
    earned += grading.model_answer_weight * ramp(model_similarity, 0.25, 0.7)
    earned += grading.talking_points_weight * coverage
    possible += grading.model_answer_weight + grading.talking_points_weight
    overall = 100.0 * earned / possible - penalty
    if off_topic:
        overall = min(overall, grading.off_topic_cap)
    return max(0.0, min(100.0, overall))


def grade_for(
    grading: Grading, overall: float, off_topic: bool, has_result: bool
) -> tuple[int, bool]:
    """The grade from 1 to 5 by the cut-offs, and whether the missing result capped it."""
    # Off topic is grade 1 whatever it earned: the cap keeps its score low, not its grade.
    grade = 1 if off_topic else 1 + sum(overall >= cut for cut in grading.cutoffs)
    # A story with no result is not a STAR answer, however well the rest is told.
    capped = not has_result and grade > grading.no_result_max_grade
    if capped:
        grade = grading.no_result_max_grade
    return grade, capped


def too_long_to_say(grading: Grading, word_count: int, target_seconds: float) -> bool:
    """Whether saying the answer at the rubric's pace would take more than `too_long_ratio`
    times the question's target time."""
    seconds = word_count / grading.speaking_pace_wpm * 60
    return seconds > grading.too_long_ratio * target_seconds


def cap_too_long(grading: Grading, grade: int, too_long: bool) -> int:
    """An interviewer stops a monologue long before its result: the grade stops at
    `too_long_max_grade`, however good the sentences in it are."""
    return min(grade, grading.too_long_max_grade) if too_long else grade


def mark_off_topic(
    criteria: Mapping[str, CriterionResult], star: Mapping[str, StarPartResult]
) -> tuple[dict[str, CriterionResult], dict[str, StarPartResult]]:
    """The criteria failed and the STAR parts absent: an off-topic answer shows none of them."""
    failed = {
        key: replace(c, passed=False, reason="the answer is about something else")
        for key, c in criteria.items()
    }
    absent = {
        part: StarPartResult(False, value.sentences, value.score) for part, value in star.items()
    }
    return failed, absent


def notes(
    grading: Grading,
    *,
    semantic: bool,
    truncated: bool,
    off_topic: bool,
    capped: bool,
    order_ok: bool,
    too_long: tuple[int, float] | None = None,
    someone_elses: bool = False,
    plans_only: bool = False,
    only_we: bool = False,
) -> tuple[str, ...]:
    """Plain lines on what limited the scoring or the grade; `semantic` is whether the
    embedding model read the sentences."""
    found = []
    if not semantic:
        found.append("semantic checks were off: the embedding model is not available")
    if truncated:
        found.append(f"only the first {grading.max_words} words were scored")
    if off_topic:
        found.append("the answer does not address this question")
    if someone_elses:
        found.append(
            "this tells what someone else did, never what you did: no point is given for their "
            "work; tell the same story with your own part in it"
        )
    if plans_only:
        found.append(
            "this says what you would do, not what you did: a plan earns no credit as an "
            "example; tell about a time you did it"
        )
    if only_we:
        found.append(
            'every step is told as "we": say which of them you did yourself; the interviewer '
            "will ask"
        )
    if capped:
        found.append(
            f"no result: the grade stops at {grading.no_result_max_grade} until the story "
            "says how it ended"
        )
    if too_long is not None:  # the answer's words and the question's target seconds
        word_count, target_seconds = too_long
        minutes = word_count / grading.speaking_pace_wpm
        found.append(
            f"far too long to say: about {minutes:.0f} minutes at {grading.speaking_pace_wpm:g} "
            f"words a minute, against a target of {clock(target_seconds)}; the grade stops at "
            f"{grading.too_long_max_grade} until it is cut to one story"
        )
    if not order_ok:
        found.append("the STAR parts come out of order; tell the story situation to result")
    return tuple(found)
