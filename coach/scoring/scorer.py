"""Score an answer against a question's rubric and explain every point given or taken."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coach.content import ContentPack, Question
from coach.scoring.analysis import Analysis
from coach.scoring.embedding import Embedder, content_texts
from coach.scoring.errors import EmptyAnswer
from coach.scoring.prepared import Prepared, prepare_question
from coach.scoring.result import ScoreResult
from coach.scoring.sentences import as_plans, as_someone_elses, with_quoted_speech
from coach.scoring.text import normalise, split_sentences, truncate_words, words


class Scorer:
    """Scores answers for one content pack; `embedder=None` runs keyword checks only."""

    def __init__(self, pack: ContentPack, embedder: Embedder | None) -> None:
        self.pack = pack
        self.embedder = embedder
        self._prepared: dict[str, Prepared] = {}

    def _encode(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.embedder is None:
            return None
        return self.embedder.encode(list(texts))

    def prepare(self, question: Question) -> Prepared:
        prepared = self._prepared.get(question.id)
        if prepared is None:
            # Only rubric, question and model-answer texts may be cached on disk, never answers.
            with content_texts(self.embedder):
                prepared = prepare_question(self.pack, question, self._encode)
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
            facts = as_plans(as_someone_elses(with_quoted_speech(text, facts)))
            jobs.append((prepared, text, facts, truncated, len(words(normalise(answer)))))
        all_sentences = [f.span.text for _, _, facts, _, _ in jobs for f in facts]
        vectors = self._encode(all_sentences)
        results: list[ScoreResult] = []
        offset = 0
        for prepared, _text, facts, truncated, word_count in jobs:
            own = None if vectors is None else vectors[offset : offset + len(facts)]
            offset += len(facts)
            results.append(Analysis(prepared, facts, own, truncated, word_count).result())
        return results
