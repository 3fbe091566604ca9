"""What the scorer knows about each sentence of an answer, before any rubric is applied."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from coach.scoring.matching import CANCELLERS, Hit, KeySet, PhraseIndex, PhraseSet, phrase_key
from coach.scoring.numbers import NumberClassifier, NumberMention
from coach.scoring.text import Span, stem

IRREGULAR_PAST = frozenset(
    [
        "was",
        "were",
        "had",
        "did",
        "made",
        "met",
        "sent",
        "built",
        "grew",
        "rose",
        "fell",
        "shrank",
        "took",
        "led",
        "ran",
        "brought",
        "gave",
        "spent",
        "wrote",
        "got",
        "began",
        "won",
        "went",
        "came",
        "found",
        "kept",
        "left",
        "told",
        "said",
        "saw",
        "became",
        "chose",
        "drove",
        "held",
        "knew",
        "lost",
        "paid",
        "sold",
        "spoke",
        "stood",
        "thought",
        "understood",
        "bought",
        "caught",
        "taught",
        "felt",
        "heard",
        "meant",
        "sat",
        "shook",
        "struck",
        "swore",
        "threw",
        "woke",
    ]
)
_PROPER = re.compile(r"(?<=[a-z,;:] )[A-Z][a-zA-Z&]+")
_TIME_ANCHOR = re.compile(
    r"\b(?:(?:last|this|that|next|the following) (?:year|quarter|month|spring|summer|fall|autumn|winter)"
    r"|(?:19|20)\d\d|q[1-4]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b",
    re.I,
)
MIN_EVIDENCE_TOKENS = 4
# A comma between digits groups thousands ("3,100 subscribers"); it separates no list items.
_LIST_COMMA = re.compile(r",(?!\d)|(?<!\d),")
# "-ed" words are past-tense verbs only after a subject ("we closed"), not as adjectives
# ("qualified opportunities", "connected teams").
SUBJECTS = frozenset(
    [
        "i",
        "we",
        "he",
        "she",
        "they",
        "it",
        "who",
        "which",
        "that",
        "and",
        "then",
        "also",
        "later",
        "finally",
        "eventually",
        "quickly",
        "soon",
        "immediately",
        "personally",
        "both",
        "partner",
        "team",
        "company",
        "client",
        "customer",
    ]
)
CANDIDATE_PRONOUNS = frozenset(
    ["i", "we", "i've", "we've", "i'd", "we'd", "i'm", "we're", "i'll", "we'll", "me", "us"]
)
THIRD_PERSON = frozenset(["he", "she"])
SINGULAR_SELF = frozenset(["i", "i've", "i'd", "i'm", "i'll", "me", "myself"])
# "would", not "will": "each week I'll look at my calendar" is a habit, the candidate's own.
PLAN_CONTRACTIONS = frozenset(["i'd", "we'd"])
PLAN_ADVERBS = frozenset(["probably", "also", "then", "just", "first", "definitely", "likely"])
# Past participles unlike the past tense: "I'd been", "we'd known" tell the past, not a plan.
PARTICIPLES = frozenset(
    [
        "been",
        "known",
        "seen",
        "done",
        "gone",
        "taken",
        "given",
        "written",
        "spoken",
        "grown",
        "shown",
        "begun",
        "drawn",
        "driven",
        "chosen",
        "fallen",
        "forgotten",
        "gotten",
        "hidden",
        "risen",
        "thrown",
        "broken",
    ]
)
# Past-tense verbs after "I" that tell a state, a wish or a discovery, not something done:
# "I wanted to", "I noticed that", "I was asked".
NOT_DEEDS = frozenset(
    [
        "was",
        "had",
        "did",
        "knew",
        "thought",
        "felt",
        "saw",
        "heard",
        "found",
        "meant",
        "understood",
        "became",
        "came",
        "got",
        "wanted",
        "needed",
        "hoped",
        "noticed",
        "realized",
        "realised",
        "learned",
        "believed",
        "liked",
        "loved",
        "enjoyed",
        "expected",
        "assumed",
        "wondered",
        "decided",
        "planned",
        "intended",
        "aimed",
        "tried",
        "inherited",
        "struggled",
        "failed",
        "missed",
        "lacked",
    ]
)
# Words that may stand between "I" and its verb: "I then called", "I personally ran".
DEED_ADVERBS = frozenset(
    ["also", "then", "personally", "first", "quickly", "immediately", "finally"]
)
# A sentence where this share of the words are rubric phrases is a buzzword pile, not a sentence.
BUZZ_SHARE = 0.2
# English sentences are about a third articles, prepositions, conjunctions and auxiliaries; twelve
# or more words with none of them ("partner deals we closed pipeline revenue referral ...") are a
# word salad, not an example.
GLUE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "and",
        "but",
        "or",
        "so",
        "that",
        "this",
        "these",
        "those",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "had",
        "has",
        "have",
        "it",
        "they",
        "them",
        "their",
        "my",
        "our",
        "his",
        "her",
        "as",
        "into",
        "after",
        "before",
        "about",
        "than",
        "then",
        "when",
        "which",
        "who",
    ]
)
SALAD_MIN_WORDS = 12  # short real sentences can do without them ("Three pilots started.")
LEAD_INS = frozenset(
    stem(w)
    for w in [
        "and",
        "then",
        "so",
        "first",
        "second",
        "third",
        "fourth",
        "finally",
        "also",
        "always",
        "never",
        "next",
        "just",
    ]
)


@dataclass(frozen=True)
class SentenceFacts:
    index: int
    span: Span
    tokens: tuple[str, ...]
    hits: tuple[Hit, ...]
    numbers: tuple[NumberMention, ...]
    first_person: bool
    past_tense: bool
    lecture: bool
    own: bool  # part of the candidate's own story or practice, not a lecture
    specific: bool  # names, numbers or dates: the kind of detail only a real story has
    list_like: bool  # a run of buzzwords rather than a sentence
    negated: bool  # holds a negation that is not cancelled ("never miss" is not one)
    weakness: bool = False  # admits a weakness ("I'm not great at follow-up")
    deed: bool = False  # says what "I" did, in the past tense ("I scored each event ...")
    speaks_as_self: bool = False  # says "I", "we", "me" or "us": the candidate is in it
    others_deed: bool = False  # says what he or she did ("She closed nine deals")
    plan: bool = False  # says what "I" would do ("I would start by mapping ...")
    team_deed: bool = False  # says what "we" did ("We closed nine deals")
    says_i: bool = False  # "I", "me", "myself": the candidate alone, not the team

    @property
    def eligible(self) -> bool:
        return not self.list_like and len(self.tokens) >= MIN_EVIDENCE_TOKENS

    def impact_numbers(self) -> list[NumberMention]:
        return [n for n in self.numbers if n.kind == "impact"]

    def activity_numbers(self) -> list[NumberMention]:
        return [n for n in self.numbers if n.kind == "activity"]


class SentenceReader:
    """Turns sentence spans into SentenceFacts using the rubric's language lists."""

    def __init__(
        self,
        index: PhraseIndex,
        numbers: NumberClassifier,
        first_person: list[str],
        lecture_cues: list[str],
        negation_cues: list[str],
        anchor_cues: list[str],
        buzzwords: PhraseSet,
        weakness_cues: list[str],
        imperative_verbs: list[str],
        common_names: list[str],
    ) -> None:
        self.common_names = frozenset(common_names)
        self.weakness_keys = KeySet(weakness_cues)
        self.imperatives = {t for v in imperative_verbs for t in phrase_key(v)[:1]}
        self.index = index
        self.buzzwords = buzzwords
        self.numbers = numbers
        self.first_person = {t for p in first_person for t in phrase_key(p)}
        self.lecture_keys = KeySet(lecture_cues)
        self.negation_keys = KeySet(negation_cues)
        self.anchor_keys = KeySet(anchor_cues)

    def read(self, index: int, span: Span) -> SentenceFacts:
        tokens = tuple(self.index.canonical(span.text))
        hits = tuple(self.index.hits(list(tokens)))
        numbers = tuple(self.numbers.find(span.text))
        raw = [w.strip(".,;:!?\"'()").lower() for w in span.text.split()]
        first_person = any(t in self.first_person for t in tokens)
        past = any(
            w in IRREGULAR_PAST
            or (len(w) > 4 and w.endswith("ed") and i > 0 and raw[i - 1] in SUBJECTS)
            for i, w in enumerate(raw)
        )
        doers = _doers(raw)
        deed = "i" in doers
        others_deed = not THIRD_PERSON.isdisjoint(doers)
        team_deed = "we" in doers
        plan = any(_is_plan(raw, i) for i in range(len(raw)))
        lecture_cue = self.lecture_keys.contains(tokens)
        second_person = any(w in {"you", "your", "you're", "yourself"} for w in raw)
        lead = [t for t in tokens if t[0].isalnum() and t not in LEAD_INS]
        imperative = bool(lead) and lead[0] in self.imperatives
        lecture = (
            lecture_cue
            or imperative
            or (second_person and not first_person)
            or not (first_person or past)
        )
        specific = bool(
            numbers
            or any(m.group() not in self.common_names for m in _PROPER.finditer(span.text))
            or _TIME_ANCHOR.search(span.text)
            or self.anchor_keys.contains(tokens)
        )
        commas = len(_LIST_COMMA.findall(span.text)) + span.text.count(";")
        word_count = len(raw)
        buzz_hits = self.buzzwords.matches(hits)
        covered = {h.start + k for h in buzz_hits for k in range(len(h.phrase))}
        words_only = [t for t in tokens if t[0].isalnum()]
        impact = any(n.kind == "impact" for n in numbers)
        buzz = len(covered) / max(1, len(words_only)) >= BUZZ_SHARE and not impact
        glue = sum(1 for w in raw if w in GLUE_WORDS)
        salad = word_count >= SALAD_MIN_WORDS and glue == 0
        list_like = buzz or salad or (commas >= 3 and word_count / (commas + 1) < 4.5)
        negated = self._negation(tokens)
        return SentenceFacts(
            index=index,
            span=span,
            tokens=tokens,
            hits=hits,
            numbers=numbers,
            first_person=first_person,
            past_tense=past,
            lecture=lecture,
            own=not lecture,
            specific=specific,
            list_like=list_like,
            negated=negated,
            weakness=self.weakness_keys.contains(tokens),
            deed=deed,
            speaks_as_self=not CANDIDATE_PRONOUNS.isdisjoint(raw),
            others_deed=others_deed,
            plan=plan,
            team_deed=team_deed,
            says_i=not SINGULAR_SELF.isdisjoint(raw),
        )

    def _negation(self, tokens: tuple[str, ...]) -> bool:
        for start, size in self.negation_keys.positions(tokens):
            after = tokens[start + size] if start + size < len(tokens) else ""
            if after not in CANCELLERS:
                return True
        return False


def _doers(raw: list[str]) -> set[str]:
    """The subjects of the sentence's past-tense verbs of doing: {"i"} for "I then called her",
    {"she"} for "She closed nine deals"."""
    found = set()
    for i in range(1, len(raw)):
        word = raw[i]
        if word in NOT_DEEDS or not (
            word in IRREGULAR_PAST or (len(word) > 4 and word.endswith("ed"))
        ):
            continue
        subject = i - 1
        if raw[subject] in DEED_ADVERBS and subject > 0:
            subject -= 1
        found.add(raw[subject])
    return found


def _is_plan(raw: list[str], i: int) -> bool:
    """Whether word `i` starts "I would" or "we'd" followed by a verb that is not a past
    participle ("I'd spent" tells the past)."""
    word = raw[i]
    if word in PLAN_CONTRACTIONS:
        verb = i + 1
    elif word in {"i", "we"} and i + 1 < len(raw) and raw[i + 1] == "would":
        verb = i + 2
    else:
        return False
    while verb < len(raw) and raw[verb] in PLAN_ADVERBS:
        verb += 1
    if verb >= len(raw):
        return False
    following = raw[verb]
    return not (
        following in IRREGULAR_PAST
        or following in PARTICIPLES
        or (len(following) > 4 and following.endswith("ed"))
    )


def only_plans(facts: Sequence[SentenceFacts]) -> bool:
    """Whether the answer says what the candidate would do and never what they did: no
    sentence in the past tense, and at least one plan ("I would start by ...")."""
    return any(f.plan for f in facts) and not any(f.past_tense for f in facts)


def as_plans(facts: list[SentenceFacts]) -> list[SentenceFacts]:
    """In an answer of plans only, the plans are not the candidate's own example. In a story,
    "I would call them every Friday" is a habit of the past and stays the candidate's."""
    if not only_plans(facts):
        return facts
    return [replace(f, own=False) if f.plan else f for f in facts]


def only_we(facts: Sequence[SentenceFacts]) -> bool:
    """Whether every deed of the story is told as "we" and the candidate never says "I": the
    interviewer cannot tell which part was theirs."""
    return any(f.team_deed for f in facts) and not any(f.says_i for f in facts)


def someone_elses_story(facts: Sequence[SentenceFacts]) -> bool:
    """Whether the answer tells what somebody else did ("My colleague Sarah built the channel.
    She closed nine deals.") and never speaks as "I" or "we": then none of it is an example of
    the candidate's own, however strong the story."""
    return any(f.others_deed for f in facts) and not any(f.speaks_as_self for f in facts)


def as_someone_elses(facts: list[SentenceFacts]) -> list[SentenceFacts]:
    """The facts with no sentence counted as the candidate's own, if the story is another's."""
    if not someone_elses_story(facts):
        return facts
    return [replace(f, own=False) for f in facts]


def with_quoted_speech(text: str, facts: list[SentenceFacts]) -> list[SentenceFacts]:
    """The sentences of a quotation belong to whoever opened it: in "I ask something like
    \"Who are three people you know?\"" the question is the candidate's own practice, "you" and
    all, not a lecture. Its figures are words said, not results ("three people", "a 20-minute
    demo"). `text` is the normalised answer the facts were read from."""
    speaker_own = False
    quotes, counted_to = 0, 0
    out = []
    for fact in facts:
        quotes += text.count('"', counted_to, fact.span.start)  # each part of the text once
        counted_to = fact.span.start
        inside = quotes % 2 == 1
        if inside:
            own = fact.own or speaker_own
            fact = replace(fact, own=own, lecture=fact.lecture and not own, numbers=())
        else:
            speaker_own = fact.own
        out.append(fact)
    return out
