"""The scoring of one answer: STAR map, criteria, mistakes, and the evidence for each point."""

from __future__ import annotations

import numpy as np

from coach.content import CRITERION_IDS
from coach.content.models import Criterion
from coach.scoring.grading import (
    cap_too_long,
    grade_for,
    is_off_topic,
    mark_off_topic,
    notes,
    overall_score,
    too_long_to_say,
)
from coach.scoring.mistakes import find_mistakes
from coach.scoring.prepared import Prepared, SignalSpec, ramp, unit
from coach.scoring.result import (
    CriterionResult,
    Evidence,
    MistakeResult,
    ScoreResult,
    SentenceLabel,
    StarPartResult,
    TalkingPointResult,
)
from coach.scoring.sentences import SentenceFacts, only_plans, only_we, someone_elses_story
from coach.scoring.star import find_star

LECTURE_CREDIT = 0.35  # a lecture sentence earns this share of what the same words earn in a story
SECOND_SENTENCE_BONUS = 0.2
# Which missing part the interviewer probes first.
PROBE_ORDER = (
    "result",
    "metrics",
    "situation",
    "action",
    "task",
    "outcome_focus",
    "value_first",
    "follow_up",
)


class Analysis:
    """The scoring of one answer; each method adds one part of the result."""

    def __init__(
        self,
        prepared: Prepared,
        facts: list[SentenceFacts],
        vectors: np.ndarray | None,
        truncated: bool,
        word_count: int,
    ) -> None:
        self.p = prepared
        self.rubric = prepared.rubric
        self.facts = facts
        self.vectors = vectors
        self.truncated = truncated
        self.word_count = word_count
        self.similarity = None
        self.star_labels: list[str | None] = [None] * len(facts)
        self.part_score: dict[int, dict[str, float]] = {}
        if vectors is not None and prepared.exemplars is not None and len(facts):
            self.similarity = vectors @ prepared.exemplars.T

    # ---------------------------------------------------------------- helpers

    def evidence(self, fact: SentenceFacts) -> Evidence:
        return Evidence(fact.index, fact.span.text, fact.span.start, fact.span.end)

    def semantic(self, spec: SignalSpec, fact: SentenceFacts) -> float:
        if self.similarity is None or spec.rows.stop == spec.rows.start:
            return 0.0
        best = float(self.similarity[fact.index, spec.rows].max())
        return ramp(best, spec.signal.semantic.low, spec.signal.semantic.high)

    def polarity(self, spec: SignalSpec, fact: SentenceFacts) -> tuple[bool, bool]:
        """(for, against): keyword evidence for the signal and against it, negation applied."""
        hits = fact.hits
        if fact.weakness or (spec.hedges.keys and spec.hedges.contains(fact.tokens)):
            return False, bool(spec.positive.matches(hits))
        positive = [
            h
            for h in spec.positive.matches(hits)
            if not (
                spec.blockers
                and h.start + len(h.phrase) < len(fact.tokens)
                and fact.tokens[h.start + len(h.phrase)] in spec.blockers
            )
        ]
        counter = spec.counter.matches(hits)
        supports = any(not h.negated for h in positive) or any(
            h.negated or h.deferred for h in counter
        )
        if isinstance(spec.signal, Criterion) and spec.signal.impact_numbers_count:
            supports = supports or bool(fact.impact_numbers())
        opposes = any(h.negated for h in positive) or any(
            not (h.negated or h.deferred) for h in counter
        )
        return supports, opposes

    def signal_score(self, spec: SignalSpec, fact: SentenceFacts, own_only: bool) -> float:
        if not fact.eligible:
            return 0.0
        supports, opposes = self.polarity(spec, fact)
        if opposes and not supports:
            return 0.0
        sem = self.semantic(spec, fact)
        if fact.negated and not supports:
            sem *= 0.3  # "I rarely follow up" sits close to follow-up exemplars in embedding space
        weight = spec.signal.semantic_weight if self.similarity is not None else 0.0
        score = weight * sem + (1 - weight) * float(supports)
        if own_only and not fact.own:
            score *= LECTURE_CREDIT
        return score

    @staticmethod
    def combine(scores: list[tuple[float, SentenceFacts]]) -> tuple[float, list[SentenceFacts]]:
        ranked = sorted(scores, key=lambda pair: pair[0], reverse=True)
        if not ranked or ranked[0][0] <= 0:
            return 0.0, []
        total = ranked[0][0] + (SECOND_SENTENCE_BONUS * ranked[1][0] if len(ranked) > 1 else 0.0)
        evidence = [
            fact for score, fact in ranked[:3] if score >= 0.5 * ranked[0][0] and score > 0.1
        ]
        return min(1.0, total), evidence  # best first: the first quote is the strongest

    # ---------------------------------------------------------------- criteria

    def context_factor(self, criterion: Criterion, fact: SentenceFacts) -> float:
        label = self.star_labels[fact.index]
        if label not in ("situation", "task"):
            return 1.0
        # A sentence that also reads as a result ("...and came away with $400K") keeps full credit.
        result = self.part_score.get(fact.index, {}).get("result", 0.0)
        return 1.0 if result >= self.rubric.star.result.threshold else criterion.context_credit

    def metrics(self, criterion: Criterion) -> CriterionResult:
        spec = self.p.signals["criterion:metrics"]
        scored = []
        for fact in self.facts:
            if not fact.eligible:
                continue
            impact = bool(fact.impact_numbers())
            sem = self.semantic(spec, fact)
            score = (0.7 + 0.3 * sem) if impact else 0.25 * sem
            if not fact.own:
                score *= LECTURE_CREDIT
            scored.append((score * self.context_factor(criterion, fact), fact))
        score, evidence = self.combine(scored)
        passed = score >= criterion.threshold
        activity = [f for f in self.facts if f.activity_numbers()]
        if passed:
            reason = "quantified impact: " + ", ".join(
                n.text for f in evidence for n in f.impact_numbers()
            )
        elif activity and not any(f.impact_numbers() for f in self.facts):
            reason = "numbers count activity, not impact"
            evidence = activity[:2]
        elif any(f.impact_numbers() for f in self.facts):
            reason = "the figures are general facts, not results of your own work"
            evidence = [f for f in self.facts if f.impact_numbers()][:2]
        else:
            reason = "no number measures the impact"
        return CriterionResult(
            "metrics",
            passed,
            score,
            tuple(map(self.evidence, evidence)),
            criterion.tip,
            criterion.weight,
            reason,
        )

    def criterion(self, criterion_id: str, criterion: Criterion) -> CriterionResult:
        if criterion_id == "metrics":
            return self.metrics(criterion)
        spec = self.p.signals[f"criterion:{criterion_id}"]
        scored = [
            (
                self.signal_score(spec, f, criterion.own_example)
                * self.context_factor(criterion, f),
                f,
            )
            for f in self.facts
        ]
        score, evidence = self.combine(scored)
        passed = score >= criterion.threshold
        against = [f for f in self.facts if self.polarity(spec, f) == (False, True)]
        if passed:
            reason = "shown in your own example" if all(f.own for f in evidence) else "shown"
        elif against:
            reason = "the answer says the opposite"
            evidence = against[:2]
        elif evidence and not all(f.own for f in evidence):
            reason = "mentioned, but not shown in an example of yours"
        elif evidence:
            reason = "only hinted at; say it plainly with what you did"
        else:
            reason = "not found in the answer"
        return CriterionResult(
            criterion_id,
            passed,
            score,
            tuple(map(self.evidence, evidence)),
            criterion.tip,
            criterion.weight,
            reason,
        )

    # ---------------------------------------------------------------- mistakes

    # ---------------------------------------------------------------- whole answer

    def answer_vector(self) -> np.ndarray | None:
        if self.vectors is None or not len(self.vectors):
            return None
        return unit(self.vectors.mean(axis=0))

    def talking_points(self) -> list[TalkingPointResult]:
        results = []
        threshold = self.rubric.grading.talking_point_threshold
        for i, point in enumerate(self.p.question.talking_points):
            phrases = self.p.talking_point_phrases[i]
            best: tuple[float, SentenceFacts] | None = None
            for fact in self.facts:
                if not fact.eligible:
                    continue
                keyword = any(not h.negated for h in phrases.matches(fact.hits))
                sem = 0.0
                if self.vectors is not None and self.p.talking_point_vectors is not None:
                    sem = float(self.vectors[fact.index] @ self.p.talking_point_vectors[i])
                    if fact.negated and not keyword:
                        sem *= 0.5
                score = max(sem, threshold if keyword else 0.0)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, fact)
            results.append(
                TalkingPointResult(
                    point.text, best is not None, (self.evidence(best[1]),) if best else ()
                )
            )
        return results

    def similarities(self) -> tuple[float | None, float]:
        """(topic, model answer): the answer's likeness to the question's topic (None when
        semantic checks are off) and to its model answer."""
        vector = self.answer_vector()
        if vector is None or self.p.topic_vector is None:
            return None, 0.0
        topic = max(
            float(vector @ self.p.topic_vector),
            float(vector @ self.p.networking_vector)
            if self.p.networking_vector is not None
            else 0.0,
        )
        model = float(vector @ self.p.model_vector) if self.p.model_vector is not None else 0.0
        return topic, model

    def topic_terms(self) -> int:
        # A sentence said again word for word adds no topic: a line pasted 250 times is one line.
        distinct = {" ".join(f.tokens): f for f in self.facts}.values()
        # The question's own terms count twice: one "referrals" in an answer to "How do you
        # request referrals..." puts it on the question's ground.
        return sum(
            len(self.p.topic_terms.matches(f.hits)) + len(self.p.question_terms.matches(f.hits))
            for f in distinct
        )

    def result(self) -> ScoreResult:
        rubric = self.rubric
        grading = rubric.grading
        found = find_star(self)
        star, labels, order_ok = found.parts, found.labels, found.order_ok
        self.star_labels, self.part_score = labels, found.part_scores
        criteria = {c: self.criterion(c, getattr(rubric.criteria, c)) for c in CRITERION_IDS}
        mistakes = find_mistakes(self, criteria)
        points = self.talking_points()
        topic, model_similarity = self.similarities()
        off_topic = is_off_topic(grading, topic, self.topic_terms())
        overall = overall_score(
            grading,
            rubric.star,
            criteria.values(),
            star,
            model_similarity,
            coverage=sum(p.covered for p in points) / max(1, len(points)),
            penalty=sum(m.penalty for m in mistakes),
            off_topic=off_topic,
        )
        grade, capped = grade_for(grading, overall, off_topic, star["result"].present)
        target_seconds = self.p.question.target_seconds
        too_long = too_long_to_say(grading, self.word_count, target_seconds)
        grade = cap_too_long(grading, grade, too_long)
        if off_topic:
            criteria, star = mark_off_topic(criteria, star)
        return ScoreResult(
            question=self.p.question.id,
            overall=round(overall),
            grade=grade,
            criteria=tuple(criteria.values()),
            star=star,
            star_order_ok=order_ok,
            mistakes=tuple(mistakes),
            model_answer_similarity=model_similarity,
            talking_points=tuple(points),
            word_count=self.word_count,
            off_topic=off_topic,
            topic_similarity=0.0 if topic is None else topic,
            sentences=tuple(
                SentenceLabel(f.index, f.span.text, f.span.start, f.span.end, label, f.own)
                for f, label in zip(self.facts, labels, strict=True)
            ),
            follow_up_probe=self.probe(criteria, star, mistakes),
            semantic=self.similarity is not None or not self.facts,
            truncated=self.truncated,
            notes=notes(
                grading,
                semantic=self.similarity is not None,
                truncated=self.truncated,
                off_topic=off_topic,
                capped=capped,
                order_ok=order_ok,
                too_long=(self.word_count, target_seconds) if too_long else None,
                someone_elses=someone_elses_story(self.facts),
                plans_only=only_plans(self.facts),
                only_we=only_we(self.facts),
            ),
        )

    def probe(
        self,
        criteria: dict[str, CriterionResult],
        star: dict[str, StarPartResult],
        mistakes: list[MistakeResult],
    ) -> str:
        probes = self.p.question.follow_up_probes
        missing = [
            key
            for key in PROBE_ORDER
            if (key in star and not star[key].present)
            or (key in criteria and not criteria[key].passed)
        ]
        for key in [*missing, *(m.id for m in mistakes)]:
            if key in probes:
                return probes[key]
        return next(iter(probes.values()))
