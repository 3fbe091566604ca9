"""The STAR map of an answer: which sentence tells the Situation, Task, Action and Result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from coach.content import STAR_PARTS
from coach.scoring.result import StarPartResult
from coach.scoring.sentences import SentenceFacts

if TYPE_CHECKING:
    from coach.scoring.analysis import Analysis


@dataclass(frozen=True)
class StarMap:
    parts: dict[str, StarPartResult]
    labels: list[str | None]  # each sentence's best part; None for sentences outside the story
    order_ok: bool  # the parts come roughly in S, T, A, R order
    part_scores: dict[int, dict[str, float]]  # by sentence index, for the criteria's context


def part_scores(a: Analysis, fact: SentenceFacts, position: float) -> dict[str, float]:
    scores: dict[str, float] = {}
    # A figure in a sentence that names a goal ("my target was $500K") is a target, not a result.
    target = bool(a.p.part_cues["task"].matches(fact.hits)) and not (
        a.p.part_cues["result"].matches(fact.hits)
    )
    for part in STAR_PARTS:
        spec = a.p.signals[f"part:{part}"]
        cue = bool(a.p.part_cues[part].matches(fact.hits))
        if part == "action":
            cue = cue or fact.deed  # "I scored each event ...": any deed of one's own
        score = 0.7 * cue if a.similarity is None else 0.6 * a.semantic(spec, fact) + 0.45 * cue
        if part == "situation":
            score += 0.15 * (1 - position)
        elif part == "task":
            score += 0.05 * (1 - position)
        elif part == "result":
            score += 0.15 * position + 0.5 * (bool(fact.impact_numbers()) and not target)
        scores[part] = score
    return scores


def find_star(a: Analysis) -> StarMap:
    """Label each story sentence with its best STAR part; a part is present when some sentence
    of the story shows it strongly enough, even if another part labels it."""
    count = len(a.facts)
    story = [f for f in a.facts if f.own and f.eligible]
    scores = {f.index: part_scores(a, f, f.index / (count - 1) if count > 1 else 0.5) for f in story}
    labels: list[str | None] = [None] * count
    for index, by_part in scores.items():
        labels[index] = max(by_part, key=lambda k: by_part[k])
    parts: dict[str, StarPartResult] = {}
    for part in STAR_PARTS:
        threshold = getattr(a.rubric.star, part).threshold
        best = max((by_part[part] for by_part in scores.values()), default=0.0)
        chosen = [f for f in story if labels[f.index] == part]
        if not chosen and best >= threshold:
            chosen = [max(story, key=lambda f: scores[f.index][part])]
        parts[part] = StarPartResult(
            present=best >= threshold,
            sentences=tuple(a.evidence(f) for f in chosen),
            score=min(1.0, best),
        )
    implied = parts["situation"].present and parts["action"].present and parts["result"].present
    if implied and not parts["task"].present:
        # A full story with a setting, actions and a result carries its goal in the setting.
        parts["task"] = StarPartResult(
            present=True,
            sentences=parts["situation"].sentences[:1],
            score=a.rubric.star.task.threshold,
        )
    positions = {
        part: float(np.mean([i for i, label in enumerate(labels) if label == part]))
        for part in STAR_PARTS
        if parts[part].present and part in labels
    }
    order = [positions[p] for p in STAR_PARTS if p in positions]
    order_ok = all(b >= a - 1 for a, b in zip(order, order[1:], strict=False))
    return StarMap(parts, labels, order_ok, scores)
