"""Score an answer against a question's rubric and explain every point given or taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from coach.content import CRITERION_IDS, MISTAKE_IDS, STAR_PARTS, ContentPack, Question, Rubric
from coach.content.models import Criterion, Mistake, PartRubric, Signal
from coach.scoring.embedding import Embedder
from coach.scoring.matching import KeySet, PhraseIndex, PhraseSet, phrase_key
from coach.scoring.numbers import NumberClassifier
from coach.scoring.result import (
    CriterionResult,
    Evidence,
    MistakeResult,
    ScoreResult,
    SentenceLabel,
    StarPartResult,
    TalkingPointResult,
)
from coach.scoring.sentences import SentenceFacts, SentenceReader
from coach.scoring.text import normalise, split_sentences, truncate_words, words

LECTURE_CREDIT = 0.35  # a lecture sentence earns this share of what the same words earn in a story
SECOND_SENTENCE_BONUS = 0.2
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


class EmptyAnswer(ValueError):
    """The answer holds no words to score."""


def _ramp(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@dataclass(frozen=True)
class SignalSpec:
    """A criterion, STAR part or mistake compiled for fast matching."""

    key: str
    signal: Signal
    positive: PhraseSet
    counter: PhraseSet
    rows: slice  # its exemplars' rows in the prepared exemplar matrix
    blockers: frozenset[str] = frozenset()
    hedges: KeySet = KeySet()


@dataclass(frozen=True)
class Prepared:
    question: Question
    rubric: Rubric
    reader: SentenceReader
    signals: dict[str, SignalSpec]
    exemplars: np.ndarray | None  # all exemplar embeddings, one row each
    talking_point_vectors: np.ndarray | None
    talking_point_phrases: tuple[PhraseSet, ...]
    topic_vector: np.ndarray | None
    networking_vector: np.ndarray | None
    model_vector: np.ndarray | None
    cross_functional_roles: PhraseSet
    cross_functional_teams: PhraseSet
    team_markers: frozenset[tuple[str, ...]]
    criticism_words: PhraseSet
    criticism_targets: PhraseSet
    part_cues: dict[str, PhraseSet]
    topic_terms: PhraseSet
    immediacy: PhraseSet


class Scorer:
    """Scores answers for one content pack; `embedder=None` runs keyword checks only."""

    def __init__(self, pack: ContentPack, embedder: Embedder | None) -> None:
        self.pack = pack
        self.embedder = embedder
        self._prepared: dict[str, Prepared] = {}

    # ------------------------------------------------------------------ preparation

    def _encode(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.embedder is None:
            return None
        return self.embedder.encode(list(texts))

    def prepare(self, question: Question) -> Prepared:
        cached = self._prepared.get(question.id)
        if cached is not None:
            return cached
        rubric = self.pack.rubric_for(question.id)
        language = rubric.language
        named: list[tuple[str, Signal]] = [
            *((f"part:{p}", getattr(rubric.star, p)) for p in STAR_PARTS),
            *((f"criterion:{c}", getattr(rubric.criteria, c)) for c in CRITERION_IDS),
            *((f"mistake:{m}", getattr(rubric.mistakes, m)) for m in MISTAKE_IDS),
        ]
        all_phrases: list[str] = [
            *language.buzzwords,
            *language.topic_terms,
            *language.immediacy_cues,
            *language.cross_functional_roles,
            *language.cross_functional_teams,
            *language.criticism_words,
            *language.criticism_targets,
            *(k for tp in question.talking_points for k in tp.keywords),
        ]
        texts: list[str] = []
        signals: dict[str, SignalSpec] = {}
        part_cues: dict[str, PhraseSet] = {}
        for key, signal in named:
            start = len(texts)
            texts.extend(signal.exemplars)
            all_phrases.extend([*signal.keywords, *signal.counter_keywords])
            if isinstance(signal, PartRubric):
                all_phrases.extend(signal.cues)
                part_cues[key.split(":")[1]] = PhraseSet.of(signal.cues)
            signals[key] = SignalSpec(
                key,
                signal,
                PhraseSet.of(signal.keywords),
                PhraseSet.of(signal.counter_keywords),
                slice(start, len(texts)),
                frozenset(t for w in signal.not_followed_by for t in phrase_key(w)),
                KeySet(signal.hedges),
            )
        index = PhraseIndex(
            all_phrases, language.negation_cues, rubric.grading.fuzzy_ratio, language.deferral_cues
        )
        reader = SentenceReader(
            index,
            NumberClassifier(rubric.number_terms.impact, rubric.number_terms.activity),
            language.first_person,
            language.lecture_cues,
            language.negation_cues,
            rubric.star.situation.cues,
            PhraseSet.of([*language.buzzwords, *question.key_concepts]),
            language.weakness_cues,
            language.imperative_verbs,
            language.common_names,
        )
        model_sentences = [s.text for s in split_sentences(question.model_answer.text())]
        topic_texts = [
            question.question,
            question.why_asked,
            *question.key_concepts,
            *(tp.text for tp in question.talking_points),
            *model_sentences,
        ]
        networking_texts = [e for c in CRITERION_IDS for e in getattr(rubric.criteria, c).exemplars]
        tp_texts = [tp.text for tp in question.talking_points]
        vectors = self._encode(
            [*texts, *tp_texts, *topic_texts, *networking_texts, *model_sentences]
        )
        exemplars = tp_vectors = topic = networking = model = None
        if vectors is not None:
            cut = np.cumsum([len(texts), len(tp_texts), len(topic_texts), len(networking_texts)])
            exemplars = vectors[: cut[0]]
            tp_vectors = vectors[cut[0] : cut[1]]
            topic = _unit(vectors[cut[1] : cut[2]].mean(axis=0))
            networking = _unit(vectors[cut[2] : cut[3]].mean(axis=0))
            model = _unit(vectors[cut[3] :].mean(axis=0))
        prepared = Prepared(
            question=question,
            rubric=rubric,
            reader=reader,
            signals=signals,
            exemplars=exemplars,
            talking_point_vectors=tp_vectors,
            talking_point_phrases=tuple(
                PhraseSet.of(tp.keywords) for tp in question.talking_points
            ),
            topic_vector=topic,
            networking_vector=networking,
            model_vector=model,
            cross_functional_roles=PhraseSet.of(language.cross_functional_roles),
            cross_functional_teams=PhraseSet.of(language.cross_functional_teams),
            team_markers=PhraseSet.of(language.team_markers).keys,
            criticism_words=PhraseSet.of(language.criticism_words),
            criticism_targets=PhraseSet.of(language.criticism_targets),
            part_cues=part_cues,
            immediacy=PhraseSet.of(language.immediacy_cues),
            topic_terms=PhraseSet.of(
                [
                    *language.topic_terms,
                    *question.key_concepts,
                    *(k for tp in question.talking_points for k in tp.keywords),
                ]
            ),
        )
        self._prepared[question.id] = prepared
        return prepared

    # ------------------------------------------------------------------ public API

    def score(self, question_ref: str | int, answer: str) -> ScoreResult:
        return self.score_many([(question_ref, answer)])[0]

    def score_many(self, items: Sequence[tuple[str | int, str]]) -> list[ScoreResult]:
        """Score many answers; all their sentences go through the model in one batch."""
        jobs = []
        for question_ref, answer in items:
            question = self.pack.find_question(question_ref)
            prepared = self.prepare(question)
            text = normalise(answer)
            if not text.strip() or not any(ch.isalnum() for ch in text):
                raise EmptyAnswer("the answer is empty; type or paste an answer to score")
            text, truncated = truncate_words(text, prepared.rubric.grading.max_words)
            spans = split_sentences(text)
            facts = [prepared.reader.read(i, span) for i, span in enumerate(spans)]
            jobs.append((prepared, text, facts, truncated, len(words(normalise(answer)))))
        all_sentences = [f.span.text for _, _, facts, _, _ in jobs for f in facts]
        vectors = self._encode(all_sentences)
        results: list[ScoreResult] = []
        offset = 0
        for prepared, _text, facts, truncated, word_count in jobs:
            own = None if vectors is None else vectors[offset : offset + len(facts)]
            offset += len(facts)
            results.append(_Scoring(prepared, facts, own, truncated, word_count).result())
        return results


def _off_topic(criterion: CriterionResult) -> CriterionResult:
    return replace(criterion, passed=False, reason="the answer is about something else")


class _Scoring:
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
        if vectors is not None and prepared.exemplars is not None and len(facts):
            self.similarity = vectors @ prepared.exemplars.T

    # ---------------------------------------------------------------- helpers

    def evidence(self, fact: SentenceFacts) -> Evidence:
        return Evidence(fact.index, fact.span.text, fact.span.start, fact.span.end)

    def semantic(self, spec: SignalSpec, fact: SentenceFacts) -> float:
        if self.similarity is None or spec.rows.stop == spec.rows.start:
            return 0.0
        best = float(self.similarity[fact.index, spec.rows].max())
        return _ramp(best, spec.signal.semantic.low, spec.signal.semantic.high)

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

    # ---------------------------------------------------------------- STAR

    def part_scores(self, fact: SentenceFacts, position: float) -> dict[str, float]:
        scores: dict[str, float] = {}
        for part in STAR_PARTS:
            spec = self.p.signals[f"part:{part}"]
            cue = bool(self.p.part_cues[part].matches(fact.hits))
            if self.similarity is None:
                score = 0.7 * cue
            else:
                score = 0.6 * self.semantic(spec, fact) + 0.45 * cue
            if part == "situation":
                score += 0.15 * (1 - position)
            elif part == "task":
                score += 0.05 * (1 - position)
            elif part == "result":
                score += 0.15 * position + 0.5 * bool(fact.impact_numbers())
            scores[part] = score
        return scores

    def star(self) -> tuple[dict[str, StarPartResult], list[str | None], bool]:
        """Label each story sentence with its best STAR part; a part is present when some
        sentence of the story shows it strongly enough, even if another part labels it."""
        count = len(self.facts)
        story = [f for f in self.facts if f.own and f.eligible]
        scores = {
            f.index: self.part_scores(f, f.index / (count - 1) if count > 1 else 0.5) for f in story
        }
        labels: list[str | None] = [None] * count
        for index, by_part in scores.items():
            labels[index] = max(by_part, key=lambda k: by_part[k])
        parts: dict[str, StarPartResult] = {}
        for part in STAR_PARTS:
            threshold = getattr(self.rubric.star, part).threshold
            best = max((by_part[part] for by_part in scores.values()), default=0.0)
            chosen = [f for f in story if labels[f.index] == part]
            if not chosen and best >= threshold:
                chosen = [max(story, key=lambda f: scores[f.index][part])]
            parts[part] = StarPartResult(
                present=best >= threshold,
                sentences=tuple(self.evidence(f) for f in chosen),
                score=min(1.0, best),
            )
        implied = parts["situation"].present and parts["action"].present and parts["result"].present
        if implied and not parts["task"].present:
            # A full story with a setting, actions and a result carries its goal in the setting.
            parts["task"] = StarPartResult(
                present=True,
                sentences=parts["situation"].sentences[:1],
                score=self.rubric.star.task.threshold,
            )
        positions = {
            part: float(np.mean([i for i, label in enumerate(labels) if label == part]))
            for part in STAR_PARTS
            if parts[part].present and part in labels
        }
        order = [positions[p] for p in STAR_PARTS if p in positions]
        order_ok = all(b >= a - 1 for a, b in zip(order, order[1:], strict=False))
        return parts, labels, order_ok

    # ---------------------------------------------------------------- criteria

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
            scored.append((score, fact))
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
        scored = [(self.signal_score(spec, f, criterion.own_example), f) for f in self.facts]
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

    def mistakes(self, criteria: dict[str, CriterionResult]) -> list[MistakeResult]:
        found: list[MistakeResult] = []
        m = self.rubric.mistakes
        criticism = self.criticism(m.criticizes_others)
        checks = (
            ("generic", self.generic(m.generic, criteria)),
            ("activity_over_outcome", self.activity(m.activity_over_outcome, criteria)),
            ("criticizes_others", criticism),
            ("transactional", self.transactional(m.transactional, criteria)),
            (
                "ignores_cross_functional",
                self.cross_functional(
                    m.ignores_cross_functional, criticism[0] if criticism else []
                ),
            ),
        )
        for mistake_id, outcome in checks:
            if outcome is not None:
                evidence, reason = outcome
                mistake: Mistake = getattr(m, mistake_id)
                found.append(
                    MistakeResult(
                        mistake_id,
                        tuple(map(self.evidence, evidence)),
                        mistake.tip,
                        mistake.penalty,
                        reason,
                    )
                )
        return found

    def generic(
        self, mistake: Mistake, criteria: dict[str, CriterionResult]
    ) -> tuple[list[SentenceFacts], str] | None:
        specific_own = [f for f in self.facts if f.own and f.specific and f.eligible]
        share = len(specific_own) / max(1, len(self.facts))
        if specific_own and share >= mistake.threshold:
            return None
        lecture = [f for f in self.facts if f.lecture]
        evidence = lecture[:3] or self.facts[:1]
        if not specific_own:
            reason = "no story of your own with names, numbers or dates"
        else:
            reason = "mostly general statements; too little of your own specific example"
        return evidence, reason

    def activity(
        self, mistake: Mistake, criteria: dict[str, CriterionResult]
    ) -> tuple[list[SentenceFacts], str] | None:
        if criteria["metrics"].passed:
            return None
        spec = self.p.signals["mistake:activity_over_outcome"]
        counted = [f for f in self.facts if f.own and f.activity_numbers()]
        figures = sum(len(f.activity_numbers()) for f in counted)
        if figures >= mistake.min_count > 0:
            return counted[:3], f"{figures} activity figures and no business result in numbers"
        boasts = [
            f for f in self.facts if self.signal_score(spec, f, own_only=False) >= mistake.threshold
        ]
        if boasts:
            return boasts[:3], "activity counted as success, with no business result in numbers"
        return None

    def criticism(self, mistake: Mistake) -> tuple[list[SentenceFacts], str] | None:
        spec = self.p.signals["mistake:criticizes_others"]
        hits = []
        for fact in self.facts:
            words_found = [h for h in self.p.criticism_words.matches(fact.hits) if not h.negated]
            targets = self.p.criticism_targets.matches(fact.hits)
            sem = self.semantic(spec, fact)
            keyword = bool(words_found and targets)
            weight = spec.signal.semantic_weight if self.similarity is not None else 0.0
            if weight * sem + (1 - weight) * keyword >= mistake.threshold:
                hits.append(fact)
        return (hits[:3], "runs down others") if hits else None

    def transactional(
        self, mistake: Mistake, criteria: dict[str, CriterionResult]
    ) -> tuple[list[SentenceFacts], str] | None:
        spec = self.p.signals["mistake:transactional"]
        value_first = criteria["value_first"]
        hits = []
        for fact in self.facts:
            # Advice about asking is no ask; only the candidate's own practice can be transactional.
            if not fact.own or self.signal_score(spec, fact, own_only=True) < mistake.threshold:
                continue
            if any(h.deferred for h in spec.positive.matches(fact.hits)):
                continue
            # Asking in an answer that shows giving is the point of value-first networking, not a
            # mistake - unless the ask comes at once, before any giving could have happened.
            immediate = any(not h.negated for h in self.p.immediacy.matches(fact.hits))
            if value_first.passed and not immediate:
                continue
            hits.append(fact)
        return (hits[:3], "asks or pitches before giving anything") if hits else None

    def names_own_team(self, fact: SentenceFacts) -> bool:
        """Does this sentence bring in one of the candidate's own partner teams?"""
        if not (fact.own and fact.eligible):
            return False
        if any(not h.negated for h in self.p.cross_functional_roles.matches(fact.hits)):
            return True
        for hit in self.p.cross_functional_teams.matches(fact.hits):
            before = fact.tokens[max(0, hit.start - 3) : hit.start]
            markers = any(
                tuple(before[i : i + len(m)]) == m
                for m in self.p.team_markers
                for i in range(len(before) - len(m) + 1)
            )
            if markers and not hit.negated:
                return True
        return False

    def cross_functional(
        self, mistake: Mistake, criticism: list[SentenceFacts]
    ) -> tuple[list[SentenceFacts], str] | None:
        spec = self.p.signals["mistake:ignores_cross_functional"]
        dismissive = [
            f for f in self.facts if self.signal_score(spec, f, own_only=False) >= mistake.threshold
        ]
        dismissive += [
            f
            for f in criticism
            if f not in dismissive
            and (
                self.p.cross_functional_roles.matches(f.hits)
                or self.p.cross_functional_teams.matches(f.hits)
            )
        ]
        if dismissive:
            return dismissive[:2], "works around or runs down partner teams"
        if not mistake.expected or any(self.names_own_team(f) for f in self.facts):
            return None
        return [], "no marketing, product, customer success or other partner team is involved"

    # ---------------------------------------------------------------- whole answer

    def answer_vector(self) -> np.ndarray | None:
        if self.vectors is None or not len(self.vectors):
            return None
        return _unit(self.vectors.mean(axis=0))

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

    def result(self) -> ScoreResult:
        rubric = self.rubric
        grading = rubric.grading
        star, labels, order_ok = self.star()
        criteria = {c: self.criterion(c, getattr(rubric.criteria, c)) for c in CRITERION_IDS}
        mistakes = self.mistakes(criteria)
        points = self.talking_points()
        vector = self.answer_vector()
        topic = model_similarity = 0.0
        if vector is not None and self.p.topic_vector is not None:
            topic = max(
                float(vector @ self.p.topic_vector),
                float(vector @ self.p.networking_vector)
                if self.p.networking_vector is not None
                else 0.0,
            )
            model_similarity = (
                float(vector @ self.p.model_vector) if self.p.model_vector is not None else 0.0
            )
        terms = sum(len(self.p.topic_terms.matches(f.hits)) for f in self.facts)
        if vector is not None and self.p.topic_vector is not None:
            off_topic = topic < grading.off_topic_threshold or (
                topic < grading.off_topic_soft_threshold and terms < grading.off_topic_min_terms
            )
        else:
            off_topic = terms < grading.off_topic_min_terms
        coverage = sum(p.covered for p in points) / max(1, len(points))
        earned = sum(c.weight * c.score for c in criteria.values())
        possible = sum(c.weight for c in criteria.values())
        for part in STAR_PARTS:
            weight = getattr(rubric.star, part).weight
            earned += weight * (star[part].score if star[part].present else 0.0)
            possible += weight
        earned += grading.model_answer_weight * _ramp(model_similarity, 0.25, 0.7)
        earned += grading.talking_points_weight * coverage
        possible += grading.model_answer_weight + grading.talking_points_weight
        overall = 100.0 * earned / possible - sum(m.penalty for m in mistakes)
        if off_topic:
            overall = min(overall, grading.off_topic_cap)
        overall = max(0.0, min(100.0, overall))
        grade = 1 + sum(overall >= cut for cut in grading.cutoffs)
        if off_topic:
            criteria = {key: _off_topic(c) for key, c in criteria.items()}
            star = {
                part: StarPartResult(False, value.sentences, value.score)
                for part, value in star.items()
            }
        notes = []
        if self.similarity is None:
            notes.append("semantic checks were off: the embedding model is not available")
        if self.truncated:
            notes.append(f"only the first {grading.max_words} words were scored")
        if off_topic:
            notes.append("the answer does not address this question")
        if not order_ok:
            notes.append("the STAR parts come out of order; tell the story situation to result")
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
            topic_similarity=topic,
            sentences=tuple(
                SentenceLabel(f.index, f.span.text, f.span.start, f.span.end, label, f.own)
                for f, label in zip(self.facts, labels, strict=True)
            ),
            follow_up_probe=self.probe(criteria, star, mistakes),
            semantic=self.similarity is not None or not self.facts,
            truncated=self.truncated,
            notes=tuple(notes),
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
