"""A question's rubric compiled once for fast scoring: phrase sets and exemplar embeddings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coach.content import CRITERION_IDS, MISTAKE_IDS, STAR_PARTS, ContentPack, Question, Rubric
from coach.content.models import PartRubric, Signal
from coach.scoring.matching import KeySet, PhraseIndex, PhraseSet, phrase_key
from coach.scoring.numbers import NumberClassifier
from coach.scoring.sentences import SentenceReader
from coach.scoring.text import split_sentences, stems

# Texts to unit-length embeddings, or None when the model is off (keyword checks only).
Encode = Callable[[Sequence[str]], "np.ndarray | None"]


def ramp(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def unit(vector: np.ndarray) -> np.ndarray:
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
    colleague_titles: frozenset[str]  # stems
    criticism_words: PhraseSet
    criticism_targets: PhraseSet
    part_cues: dict[str, PhraseSet]
    topic_terms: PhraseSet
    immediacy: PhraseSet
    ask_verbs: frozenset[str]  # stems
    ask_objects: frozenset[str]  # stems
    # The topic terms the question itself uses ("referrals" for "How do you request
    # referrals..."): an answer that uses them is on the question's ground.
    question_terms: PhraseSet


def prepare_question(pack: ContentPack, question: Question, encode: Encode) -> Prepared:
    """Compile a question's rubric: phrase sets, exemplar embeddings, topic vectors."""
    rubric = pack.rubric_for(question.id)
    language = rubric.language
    topic_terms = PhraseSet.of(
        [
            *language.topic_terms,
            *question.key_concepts,
            *(k for tp in question.talking_points for k in tp.keywords),
        ]
    )
    asked = f"{question.title} {question.question}"
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
    vectors = encode([*texts, *tp_texts, *topic_texts, *networking_texts, *model_sentences])
    exemplars = tp_vectors = topic = networking = model = None
    if vectors is not None:
        cut = np.cumsum([len(texts), len(tp_texts), len(topic_texts), len(networking_texts)])
        exemplars = vectors[: cut[0]]
        tp_vectors = vectors[cut[0] : cut[1]]
        topic = unit(vectors[cut[1] : cut[2]].mean(axis=0))
        networking = unit(vectors[cut[2] : cut[3]].mean(axis=0))
        model = unit(vectors[cut[3] :].mean(axis=0))
    prepared = Prepared(
        question=question,
        rubric=rubric,
        reader=reader,
        signals=signals,
        exemplars=exemplars,
        talking_point_vectors=tp_vectors,
        talking_point_phrases=tuple(PhraseSet.of(tp.keywords) for tp in question.talking_points),
        topic_vector=topic,
        networking_vector=networking,
        model_vector=model,
        cross_functional_roles=PhraseSet.of(language.cross_functional_roles),
        cross_functional_teams=PhraseSet.of(language.cross_functional_teams),
        team_markers=PhraseSet.of(language.team_markers).keys,
        colleague_titles=frozenset(t for w in language.colleague_titles for t in stems(w)),
        criticism_words=PhraseSet.of(language.criticism_words),
        criticism_targets=PhraseSet.of(language.criticism_targets),
        part_cues=part_cues,
        immediacy=PhraseSet.of(language.immediacy_cues),
        ask_verbs=frozenset(t for w in language.ask_verbs for t in stems(w)),
        ask_objects=frozenset(t for w in language.ask_objects for t in stems(w)),
        topic_terms=topic_terms,
        question_terms=PhraseSet(
            frozenset(k for k in topic_terms.keys if set(k) <= set(stems(asked)))
        ),
    )
    return prepared
