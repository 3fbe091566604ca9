"""The HTML and Markdown reports: content, escaping, self-containment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from coach.content import ContentPack
from coach.report import build_report, render_html, render_markdown
from coach.report.markdown_report import md
from coach.scoring import ScoreResult
from coach.store import Attempt, Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVIL = "<script>alert('pwned')</script>"


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def human_grade(results: dict[str, ScoreResult]) -> int:
    """A coach's grade that differs from the scorer's for the strong answer."""
    return 4 if results["strong"].grade != 4 else 3


@pytest.fixture
def history(store: Store, results: dict[str, ScoreResult], answers: dict[str, str]) -> Store:
    store.add_candidate(f"Eve {EVIL}")
    store.add_candidate("Ana")
    plan = [
        ("Ana", 0, "weak", "typed", None),
        ("Ana", 2, "medium", "typed", None),
        (
            "Ana",
            4,
            "strong",
            "spoken",
            {
                "wpm": 162.4,
                "pace": "a bit fast",
                "filler_per_min": 3.2,
                "fillers": [{"word": "um", "t": 1.0}] * 3,
                "pauses": [{"t": 9.0, "length_s": 2.4, "after": "so"}],
                "duration_s": 110.0,
                "speaking_s": 104.0,
                "target_seconds": 120,
                "time_verdict": "ok",
            },
        ),
        ("Ana", 5, "strong_referral", "file", None),
        (f"Eve {EVIL}", 1, "script", "typed", None),
    ]
    for name, days, key, mode, delivery in plan:
        saved = store.save_attempt(
            result=results[key],
            answer=answers[key],
            candidate=name,
            mode=mode,  # type: ignore[arg-type]
            submitted_at=T0 + timedelta(days=days),
            seconds_taken=100,
            target_seconds=120,
            delivery=delivery,
            scenario=f"Scenario {EVIL}" if key == "script" else "",
        )
        if key == "strong":
            store.add_note(saved.id, "Great story. Keep the numbers.")
            store.set_human_grade(saved.id, human_grade(results))
        if key == "script":
            store.add_note(saved.id, f"Note {EVIL} & <img src=x onerror=alert(1)>")
    return store


def html_for(store: Store, pack: ContentPack, **filters: object) -> str:
    attempts: list[Attempt] = store.list_attempts(**filters)  # type: ignore[arg-type]
    return render_html(build_report(attempts, pack.questions, scope="test"))


def test_answer_text_is_escaped(history: Store, pack: ContentPack) -> None:
    page = html_for(history, pack)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    parsed = Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    text = "".join(parsed.text)
    assert EVIL in text  # shown to the reader as text
    assert f"Eve {EVIL}" in text


def test_the_page_is_self_contained(history: Store, pack: ContentPack) -> None:
    page = html_for(history, pack)
    urls = set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"')]*", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page


def test_the_report_holds_what_a_coach_sends(
    history: Store, pack: ContentPack, results: dict[str, ScoreResult]
) -> None:
    page = html_for(history, pack, candidate="Ana")
    assert page.count('<section class="candidate">') == 1
    assert "<h1>Ana</h1>" in page
    for question in ("Building a network that drives outcomes", "Non-transactional referral"):
        assert question in page
    assert page.count('<article class="card"') == 2  # one scorecard per question
    assert "Earlier attempts (2)" in page
    assert "Impact metrics" in page and "Evidence from the answer" in page
    evidence = results["strong"].criteria[0].evidence[0].text
    assert evidence.split(",")[0] in page
    assert "162 words a minute (a bit fast)" in page and "um \u00d73" in page
    assert "1 long pause, longest 2.4 s" in page
    assert "Great story. Keep the numbers." in page
    coach = human_grade(results)
    assert f"coach grade {coach} (scorer {results['strong'].grade})" in page
    assert page.count("<svg") >= 6  # overall, four criteria, grades per question
    assert "Overall score by attempt" in page and "Latest grade per question" in page
    assert "Focus next" in page


def test_empty_report(pack: ContentPack) -> None:
    page = render_html(build_report([], pack.questions))
    assert "No attempts match" in page


def test_markdown_report_escapes_and_summarises(history: Store, pack: ContentPack) -> None:
    text = render_markdown(build_report(history.list_attempts(), pack.questions))
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "# Interview practice report \u2014 Ana" in text
    assert "| Criterion | Trend | Passed | Latest |" in text
    assert "**Coach's note:**" in text and "Great story. Keep the numbers." in text
    assert "Pace" in text and "162 words a minute" in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*bold* _it_ [link](x)", r"\*bold\* \_it\_ \[link\](x)"),
        ("# heading", r"\# heading"),
        ("a | b", r"a \| b"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("1. item", r"1\. item"),
    ],
)
def test_markdown_escaping(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


def test_a_self_timed_attempt_claims_no_pause_count(
    store: Store, pack: ContentPack, results: dict[str, ScoreResult], answers: dict[str, str]
) -> None:
    store.add_candidate("Ana")
    store.save_attempt(
        result=results["strong"],
        answer=answers["strong"],
        candidate="Ana",
        mode="typed",
        submitted_at=T0,
        seconds_taken=100,
        target_seconds=120,
        delivery={"wpm": 140.0, "pauses": [], "duration_s": 100.0, "from_audio": False},
    )
    page = html_for(store, pack)
    assert "not measured (no audio)" in page
    assert "0 long pauses" not in page
