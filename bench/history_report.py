"""Build a realistic practice history for two candidates, write the HTML and Markdown reports,
and screenshot the HTML in headless Chromium (Debian's `chromium`), if it is installed.

    .venv/bin/python bench/history_report.py [--out DIR] [--keyword-only]

Prints where the database, reports and screenshot are, and how long each step took. Look at the
PNG: it should read like a scorecard a coach would send.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coach.cli import main as coach_main
from coach.content import Question, load_pack
from coach.locations import bundled_content_dir
from coach.scoring import MiniLM, Scorer
from coach.store import Store

WEAK = {
    "build-network": "Networking is about meeting as many people as possible. I go to a lot of "
    "events and I connect with everyone on LinkedIn. I have over 3,000 connections now and I "
    "collect hundreds of business cards every year.",
    "event-roi": "I pick the biggest conferences because that is where everyone is. Last year I "
    "went to twelve events and handed out 400 cards. Marketing never gives us enough budget.",
    "referral-requests": "I just ask people directly if they know anyone who needs our product. "
    "If they say no I move on, because time is money.",
}
MEDIUM = {
    "build-network": "When I joined my last company I sorted my contacts into tiers and met the "
    "top ten partners every month. I always tried to help them first with an introduction or an "
    "article. Over the year the network brought in more referrals than before.",
    "event-roi": "I look at which events produced customers before and drop the ones that did "
    "not. At my last job we cut three trade shows and hosted two roundtables instead, and I "
    "followed up with everyone within a week.",
    "referral-requests": "With a partner firm we had worked alongside for a year, I first sent "
    "them two client introductions. Then I asked whether one of their clients might benefit, and "
    "they introduced us to a logistics firm that became a customer.",
}


def strong(question: Question) -> str:
    return question.model_answer.text()


def build(db: Path, keyword_only: bool) -> dict[str, float]:
    timings: dict[str, float] = {}
    pack = load_pack(bundled_content_dir())
    start = time.perf_counter()
    scorer = Scorer(pack, None if keyword_only else MiniLM())
    questions = {q.id: q for q in pack.questions}
    now = datetime.now(UTC).replace(microsecond=0)
    plan = [
        # (candidate, days ago, question, answer, mode)
        ("Alice Martin", 20, "build-network", WEAK["build-network"], "typed"),
        ("Alice Martin", 18, "event-roi", WEAK["event-roi"], "typed"),
        ("Alice Martin", 14, "build-network", MEDIUM["build-network"], "typed"),
        ("Alice Martin", 12, "referral-requests", WEAK["referral-requests"], "spoken"),
        ("Alice Martin", 9, "event-roi", MEDIUM["event-roi"], "typed"),
        ("Alice Martin", 6, "referral-requests", MEDIUM["referral-requests"], "spoken"),
        ("Alice Martin", 3, "build-network", strong(questions["build-network"]), "typed"),
        ("Alice Martin", 1, "event-roi", strong(questions["event-roi"]), "file"),
        ("Ben Okafor", 10, "referral-requests", MEDIUM["referral-requests"], "typed"),
        ("Ben Okafor", 7, "event-roi", WEAK["event-roi"] + " <script>alert('x')</script>", "typed"),
        ("Ben Okafor", 2, "referral-requests", strong(questions["referral-requests"]), "typed"),
    ]
    results = scorer.score_many([(q, a) for _, _, q, a, _ in plan])
    timings["score"] = time.perf_counter() - start
    start = time.perf_counter()
    with Store(db) as store:
        for name in ("Alice Martin", "Ben Okafor"):
            store.add_candidate(name)
        saved = []
        for (name, days, qid, answer, mode), result in zip(plan, results, strict=True):
            when = now - timedelta(days=days, hours=2)
            delivery = None
            if mode == "spoken":
                delivery = {
                    "duration_s": 104.0,
                    "speaking_s": 98.5,
                    "word_count": 230,
                    "wpm": 141.2 if days < 10 else 188.0,
                    "pace": "good" if days < 10 else "too fast",
                    "fillers": [{"word": "um", "t": 3.1}, {"word": "like", "t": 40.2}],
                    "filler_per_min": 1.2,
                    "pauses": [{"t": 50.0, "length_s": 2.6, "after": "partners"}],
                    "target_seconds": questions[qid].target_seconds,
                    "time_verdict": "ok",
                    "notes": [],
                }
            saved.append(
                store.save_attempt(
                    result=result,
                    answer=answer,
                    mode=mode,  # type: ignore[arg-type]
                    candidate=name,
                    content_hash=pack.content_hash,
                    scenario=questions[qid].scenarios[0] if days < 10 else "",
                    started_at=when - timedelta(seconds=110),
                    submitted_at=when,
                    seconds_taken=95 + days * 3,
                    target_seconds=questions[qid].target_seconds,
                    delivery=delivery,
                )
            )
        store.add_note(
            saved[6].id,
            "Much better: the tiers and the numbers land. Next time, name one partner and say "
            "what you gave them before asking.",
        )
        store.add_note(saved[1].id, "Activity numbers only. Which event produced a customer?")
        store.set_human_grade(saved[5].id, 4)
        store.add_note(
            saved[9].id, "Don't blame marketing <in an interview>. Lead with a result & a number."
        )
    timings["save"] = time.perf_counter() - start
    return timings


def screenshot(html: Path, png: Path, height: int = 1600) -> bool:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not installed: apt-get install -y chromium", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size=1200,{height}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return png.exists()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="coach-report-")))
    parser.add_argument("--keyword-only", action="store_true", help="skip the embedding model")
    parser.add_argument("--height", type=int, default=1600, help="screenshot height in pixels")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "coach.sqlite3"
    db.unlink(missing_ok=True)
    timings = build(db, args.keyword_only)
    html, md, png = args.out / "report.html", args.out / "report.md", args.out / "report.png"
    start = time.perf_counter()
    coach_main(["report", "--db", str(db), "--format", "html", "--out", str(html)])
    coach_main(["report", "--db", str(db), "--format", "md", "--out", str(md)])
    timings["report"] = time.perf_counter() - start
    start = time.perf_counter()
    shot = screenshot(html, png, args.height)
    timings["screenshot"] = time.perf_counter() - start
    print(f"database   {db}")
    print(f"html       {html} ({html.stat().st_size // 1024} KB)")
    print(f"markdown   {md}")
    print(f"screenshot {png if shot else '(skipped)'}")
    print("timings    " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
