"""The mistakes interviewers punish, each found with the sentences that show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.content.models import Mistake
from coach.scoring.result import CriterionResult, MistakeResult
from coach.scoring.sentences import SentenceFacts
from coach.scoring.text import stems

if TYPE_CHECKING:
    from coach.scoring.analysis import Analysis

Found = tuple[list[SentenceFacts], str] | None


def find_mistakes(a: Analysis, criteria: dict[str, CriterionResult]) -> list[MistakeResult]:
    found: list[MistakeResult] = []
    m = a.rubric.mistakes
    criticism = _criticism(a, m.criticizes_others)
    checks = (
        ("generic", _generic(a, m.generic, criteria)),
        ("activity_over_outcome", _activity(a, m.activity_over_outcome, criteria)),
        ("criticizes_others", criticism),
        ("transactional", _transactional(a, m.transactional, criteria)),
        (
            "ignores_cross_functional",
            _cross_functional(a, m.ignores_cross_functional, criticism[0] if criticism else []),
        ),
    )
    for mistake_id, outcome in checks:
        if outcome is not None:
            evidence, reason = outcome
            mistake: Mistake = getattr(m, mistake_id)
            found.append(
                MistakeResult(
                    mistake_id,
                    tuple(map(a.evidence, evidence)),
                    mistake.tip,
                    mistake.penalty,
                    reason,
                )
            )
    return found


def _generic(a: Analysis, mistake: Mistake, criteria: dict[str, CriterionResult]) -> Found:
    specific_own = [f for f in a.facts if f.own and f.specific and f.eligible]
    share = len(specific_own) / max(1, len(a.facts))
    if specific_own and share >= mistake.threshold:
        return None
    lecture = [f for f in a.facts if f.lecture]
    evidence = lecture[:3] or a.facts[:1]
    if not specific_own:
        reason = "no story of your own with names, numbers or dates"
    else:
        reason = "mostly general statements; too little of your own specific example"
    return evidence, reason


def _activity(a: Analysis, mistake: Mistake, criteria: dict[str, CriterionResult]) -> Found:
    if criteria["metrics"].passed:
        return None
    spec = a.p.signals["mistake:activity_over_outcome"]
    counted = [f for f in a.facts if f.own and f.activity_numbers()]
    figures = sum(len(f.activity_numbers()) for f in counted)
    if figures >= mistake.min_count > 0:
        return counted[:3], f"{figures} activity figures and no business result in numbers"
    boasts = [f for f in a.facts if a.signal_score(spec, f, own_only=False) >= mistake.threshold]
    if boasts:
        return boasts[:3], "activity counted as success, with no business result in numbers"
    return None


def _criticism(a: Analysis, mistake: Mistake) -> Found:
    spec = a.p.signals["mistake:criticizes_others"]
    hits = []
    for fact in a.facts:
        words_found = [h for h in a.p.criticism_words.matches(fact.hits) if not h.negated]
        targets = a.p.criticism_targets.matches(fact.hits)
        sem = a.semantic(spec, fact)
        keyword = bool(words_found and targets)
        weight = spec.signal.semantic_weight if a.similarity is not None else 0.0
        if weight * sem + (1 - weight) * keyword >= mistake.threshold:
            hits.append(fact)
    return (hits[:3], "runs down others") if hits else None


def _transactional(a: Analysis, mistake: Mistake, criteria: dict[str, CriterionResult]) -> Found:
    spec = a.p.signals["mistake:transactional"]
    value_first = criteria["value_first"]
    hits = []
    for fact in a.facts:
        cues = [h.start for h in a.p.immediacy.matches(fact.hits) if not h.negated]
        if fact.own and not fact.negated and _asks_at_once(a, fact, cues):
            hits.append(fact)
            continue
        # Advice about asking is no ask; only the candidate's own practice can be transactional.
        if not fact.own or a.signal_score(spec, fact, own_only=True) < mistake.threshold:
            continue
        if any(h.deferred for h in spec.positive.matches(fact.hits)):
            continue
        # Asking in an answer that shows giving is the point of value-first networking, not a
        # mistake - unless the ask comes at once, before any giving could have happened.
        immediate = bool(cues)
        if value_first.passed and not immediate:
            continue
        hits.append(fact)
    return (hits[:3], "asks or pitches before giving anything") if hits else None


ASK_REACH = 8  # tokens between an ask and the cue that it is made at once


def _asks_at_once(a: Analysis, fact: SentenceFacts, cues: list[int]) -> bool:
    """Whether the sentence asks for something (a referral, an introduction, a demo: an ask verb
    with its object at most four words on) with a cue of immediacy next to it: "In the first
    meeting I ask for three referrals". A cue further off is about something else ("asked for
    a warm intro, and met the client together ... in the first meeting")."""
    tokens = fact.tokens
    return any(
        token in a.p.ask_verbs
        and not a.p.ask_objects.isdisjoint(tokens[i + 1 : i + 5])
        and any(abs(cue - i) <= ASK_REACH for cue in cues)
        for i, token in enumerate(tokens)
    )


def _names_own_team(a: Analysis, fact: SentenceFacts) -> bool:
    """Does this sentence bring in one of the candidate's own partner teams?"""
    if not (fact.own and fact.eligible):
        return False
    if any(not h.negated for h in a.p.cross_functional_roles.matches(fact.hits)):
        return True
    # The words as written: typo correction may turn a title into a rubric word ("architect"
    # into "architecture").
    words = stems(fact.span.text)
    if not fact.negated and any(
        word == "our" and not a.p.colleague_titles.isdisjoint(words[i + 1 : i + 4])
        for i, word in enumerate(words)
    ):
        return True  # "I brought our clinical lead to a call"
    for hit in a.p.cross_functional_teams.matches(fact.hits):
        before = fact.tokens[max(0, hit.start - 3) : hit.start]
        markers = any(
            tuple(before[i : i + len(m)]) == m
            for m in a.p.team_markers
            for i in range(len(before) - len(m) + 1)
        )
        if markers and not hit.negated:
            return True
    return False


def _cross_functional(a: Analysis, mistake: Mistake, criticism: list[SentenceFacts]) -> Found:
    spec = a.p.signals["mistake:ignores_cross_functional"]
    dismissive = [
        f for f in a.facts if a.signal_score(spec, f, own_only=False) >= mistake.threshold
    ]
    dismissive += [
        f
        for f in criticism
        if f not in dismissive
        and (
            a.p.cross_functional_roles.matches(f.hits) or a.p.cross_functional_teams.matches(f.hits)
        )
    ]
    if dismissive:
        return dismissive[:2], "works around or runs down partner teams"
    if not mistake.expected or any(_names_own_team(a, f) for f in a.facts):
        return None
    return [], "no marketing, product, customer success or other partner team is involved"
