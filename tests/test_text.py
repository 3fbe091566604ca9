"""Table-driven checks of the text steps: sentences, stems, numbers, negation-aware matching."""

from __future__ import annotations

import pytest

from coach.content import ContentPack
from coach.scoring.matching import PhraseIndex
from coach.scoring.numbers import NumberClassifier
from coach.scoring.text import split_sentences, stem, truncate_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We grew 1.2 million. Then I left.", ["We grew 1.2 million.", "Then I left."]),
        (
            "I met Dr. Smith, e.g. at events. It worked!",
            ["I met Dr. Smith, e.g. at events.", "It worked!"],
        ),
        ("First line\n\nSecond line", ["First line", "Second line"]),
        ("- one point\n- another point", ["one point", "another point"]),
        ("", []),
        ("...", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_sentence_offsets_point_into_the_text() -> None:
    text = "  At Acme we closed 3 deals.  I followed up within a week. "
    for span in split_sentences(text):
        assert text[span.start : span.end] == span.text


def test_run_on_speech_is_cut_into_clauses() -> None:
    words = " ".join(["so I met the partner at the event and we talked about the market"] * 6)
    assert len(split_sentences(words)) > 1


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("followed", "follow"),
        ("following", "follow"),
        ("follows", "follow"),
        ("referrals", "referral"),
        ("stopped", "stop"),
        ("companies", "company"),
        ("business", "business"),
        ("introduced", "introduc"),
    ],
)
def test_stem(word: str, root: str) -> None:
    assert stem(word) == root


def test_truncate_words_bounds_the_work() -> None:
    text = "word " * 20_000
    cut, truncated = truncate_words(text, 1500)
    assert truncated and len(cut.split()) == 1500
    assert truncate_words("short answer", 1500) == ("short answer", False)


@pytest.fixture(scope="module")
def numbers(pack: ContentPack) -> NumberClassifier:
    terms = pack.rubric.number_terms
    return NumberClassifier(terms.impact, terms.activity)


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("We closed three deals worth about 1.2 million.", {"impact"}),
        ("It generated $1.4M in pipeline.", {"impact"}),
        ("Our win rate went from 18% to 31%.", {"impact"}),
        ("We cut the sales cycle from 120 to 75 days.", {"impact"}),
        ("We doubled the pipeline from partners.", {"impact"}),
        ("I went to 40 events and collected 500 cards.", {"activity"}),
        ("I have 9,000 LinkedIn followers.", {"activity"}),
        ("I sent 200 emails after the show.", {"activity"}),
        ("I chose three trade shows out of twelve by the pipeline each produced.", {"activity"}),
        ("We won 7 out of 9 deals we pitched.", {"impact"}),
        ("I followed up within 48 hours.", {"neutral"}),
        ("Within two quarters we sourced $1.2M of pipeline.", {"neutral", "impact"}),
        ("We closed deals worth 300K within two quarters.", {"impact", "neutral"}),
        ("My goal was 400K of partner-sourced pipeline in two quarters.", {"impact", "neutral"}),
        ("We reduced response time to within 24 hours.", {"impact"}),
        ("Pipeline from events rose 35% to 2.1M.", {"impact"}),
        ("I grew to 9,400 followers and passed 1.2 million impressions.", {"activity"}),
        ("I saved 10 hours a week for the team.", {"impact"}),
        # A word of change says that a figure moved; the noun says what moved.
        ("Our LinkedIn followers grew 40%.", {"activity"}),
        ("My connections increased by 300 last year.", {"activity"}),
        ("Revenue from LinkedIn grew 40%.", {"impact"}),
        ("Referrals from events grew 30%.", {"impact"}),
        ("We grew pipeline 40% through partners.", {"impact"}),
        # A budget is what was spent, not what it earned; a term said to be missing says nothing.
        ("Last year our events budget had grown to 400K with no clear return.", {"activity"}),
        ("We generated 1.2M of pipeline on a 100K budget.", {"impact", "activity"}),
        ("We cut the events budget by 30% and kept pipeline flat.", {"impact"}),
        ("In 2023 I joined a tier 1 partner council.", {"neutral"}),
        ("By month eleven the partners had referred $480K of pipeline.", {"neutral", "impact"}),
        ("On day 30 I sent each partner a pipeline report.", {"neutral"}),
        ("In the first meeting I ask for three referrals.", {"activity"}),
        ("I asked for two introductions and closed $90K from them.", {"activity", "impact"}),
        ("One of my partners introduced me.", set()),
    ],
)
def test_numbers_tell_impact_from_activity(
    numbers: NumberClassifier, sentence: str, kinds: set[str]
) -> None:
    assert {n.kind for n in numbers.find(sentence)} == kinds


@pytest.fixture(scope="module")
def index(pack: ContentPack) -> PhraseIndex:
    language = pack.rubric.language
    return PhraseIndex(["follow up", "pitch"], language.negation_cues, 88, language.deferral_cues)


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("I follow-up within a week.", False),
        ("I followed up the next morning.", False),
        ("I folow up with everyone.", False),
        ("I did a followup call.", False),
        ("I rarely follow up.", True),
        ("Honestly I don't follow up much.", True),
        ("I never miss a follow-up.", False),
    ],
)
def test_follow_up_spellings_and_negation(index: PhraseIndex, sentence: str, negated: bool) -> None:
    hits = [h for h in index.hits(index.canonical(sentence)) if h.phrase == ("follow", "up")]
    assert len(hits) == 1
    assert hits[0].negated is negated


def test_pitch_put_off_is_deferred(index: PhraseIndex) -> None:
    (hit,) = index.hits(index.canonical("I help first and only after that would I pitch"))
    assert hit.deferred and not hit.negated
