"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network)."""

from __future__ import annotations

from collections.abc import Mapping

from coach import __version__
from coach.report import charts
from coach.report.common import (
    day,
    period,
)
from coach.report.html_scorecard import scorecard
from coach.report.markup import Markup, join, tag, void
from coach.report.model import (
    CRITERION_LABELS,
    CandidateReport,
    Report,
    criteria_of,
    label,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --ink:#1f2a37; --muted:#6b7280; --line:#e5e7eb; --soft:#f6f7f9; --accent:#2f5d8a;
  --g1:#c0392b; --g2:#e67e22; --g3:#d4a017; --g4:#5b9b3a; --g5:#1e7d4f; }
* { box-sizing: border-box; }
body { margin:0; background:#eef1f5; color:var(--ink);
  font:15px/1.5 "Inter","Segoe UI","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",
  sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 40px; }
section.candidate { background:#fff; border-radius:10px; box-shadow:0 1px 3px rgba(0,0,0,.08);
  padding: 0 0 24px; margin-bottom: 32px; overflow:hidden; }
.masthead { background: var(--accent); color:#fff; padding: 22px 32px 20px; }
.masthead .kicker { text-transform: uppercase; letter-spacing:.08em; font-size:12px; opacity:.85; }
.masthead h1 { margin: 4px 0 2px; font-size: 30px; font-weight: 650; }
.masthead .meta { margin:0; opacity:.9; font-size:14px; }
.body { padding: 0 32px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom:6px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 18px; margin: 2px 0 4px; }
h4 { font-size: 13px; text-transform: uppercase; letter-spacing:.06em; color: var(--muted);
  margin: 18px 0 6px; }
.stats { display:grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-top: 22px; }
.stat { background: var(--soft); border-radius: 8px; padding: 12px 14px; }
.stat .value { font-size: 24px; font-weight: 650; line-height: 1.25; }
.stat .value.words { font-size: 19px; padding-top: 4px; }
.stat .label { font-size: 12.5px; color: var(--muted); }
.focus ol { margin: 0; padding-left: 20px; }
.focus li { margin: 6px 0; }
.focus .tip { color: var(--muted); }
.due { margin-top: 10px; font-size: 14px; }
.charts { display:grid; grid-template-columns: 1fr 1fr; gap: 8px 22px; }
.charts figure { margin: 0; }
figure figcaption { font-size: 13px; color: var(--muted); margin: 6px 0 2px; }
figure.wide, p.wide { grid-column: 1 / -1; }
p.legend.wide { margin: 0 0 8px; }
svg.chart { display:block; height:auto; }
article.card { border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px;
  margin: 18px 0; break-inside: avoid-page; }
.card-head { display:flex; justify-content: space-between; gap: 18px; align-items: flex-start; }
.qnum { font-size: 12px; text-transform: uppercase; letter-spacing:.08em; color: var(--muted); }
.qtext { margin: 0; color: #374151; }
.grade { min-width: 86px; text-align:center; border-radius: 10px; color:#fff; padding: 8px 10px; }
.grade .big { font-size: 30px; font-weight: 700; line-height: 1; }
.grade .of { font-size: 14px; opacity: .9; }
.grade small { display:block; font-size: 12px; margin-top: 2px; }
.g1 { background: var(--g1); } .g2 { background: var(--g2); } .g3 { background: var(--g3); }
.g4 { background: var(--g4); } .g5 { background: var(--g5); }
.meta-line { color: var(--muted); font-size: 13.5px; margin: 8px 0 0; }
.scenario { background: var(--soft); border-left: 3px solid var(--accent); padding: 8px 12px;
  margin: 12px 0 0; font-size: 14px; }
.warn { color: #9a3412; font-size: 14px; margin: 8px 0 0; }
.chips { display:flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
.chip { font-size: 12.5px; border-radius: 999px; padding: 2px 10px; border: 1px solid var(--line); }
.chip.yes { background:#e8f3ec; border-color:#b7dcc5; color:#14532d; }
.chip.no { background:#fdecea; border-color:#f5c2bc; color:#7f1d1d; }
table { width:100%; border-collapse: collapse; font-size: 14px; }
th { text-align:left; font-size: 12px; text-transform: uppercase; letter-spacing:.05em;
  color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 8px; vertical-align: top; }
td.name { font-weight: 600; width: 150px; }
td.res { width: 92px; white-space: nowrap; }
td.score { width: 110px; }
.ok { color: #166534; font-weight: 600; } .miss { color: #991b1b; font-weight: 600; }
.meter { height: 7px; background: var(--line); border-radius: 4px; margin-top: 4px; }
.meter > span { display:block; height: 100%; border-radius: 4px; }
q.ev { display:block; quotes: "\\201C" "\\201D"; font-style: italic; color:#374151; margin: 2px 0; }
.reason { color: var(--muted); font-size: 13px; }
.tip { font-size: 13px; }
.mistakes ul, .points ul { margin: 0; padding-left: 18px; }
.mistakes li { margin: 4px 0; }
.points li { list-style: none; margin-left: -18px; }
.note { background: #fff8e6; border: 1px solid #f3dfa2; border-radius: 8px; padding: 10px 14px;
  margin-top: 16px; }
.note h4 { margin-top: 0; color: #8a6d1d; }
.note p { margin: 0; white-space: pre-wrap; }
.answer { background: var(--soft); border-radius: 8px; padding: 12px 14px; font-size: 14.5px;
  white-space: pre-wrap; }
.answer .s { border-bottom: 2px solid transparent; }
.answer .situation { border-color: #93c5fd; } .answer .task { border-color: #c4b5fd; }
.answer .action { border-color: #fcd34d; } .answer .result { border-color: #86efac; }
.answer sup { font-size: 10px; color: var(--muted); margin: 0 2px; }
.legend { font-size: 12px; color: var(--muted); margin-top: 4px; }
.legend span { border-bottom: 2px solid; margin-right: 10px; }
.probe { font-size: 14px; margin: 12px 0 0; }
table.earlier td, table.delivery td { padding: 5px 8px; }
footer { text-align:center; color: var(--muted); font-size: 12.5px; }
@media (max-width: 720px) { .stats { grid-template-columns: 1fr 1fr; }
  .charts { grid-template-columns: 1fr; } }
@media print { body { background:#fff; } main { padding:0; max-width:none; }
  section.candidate { box-shadow:none; break-before: page; } section.candidate:first-child {
  break-before: auto; }
  .masthead { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def render_html(report: Report) -> str:
    names = ", ".join(c.name for c in report.candidates)
    title = f"{report.title} \u2014 {names}" if names else report.title
    head = join(
        [
            void("meta", {"charset": "utf-8"}),
            void("meta", {"http-equiv": "Content-Security-Policy", "content": CSP}),
            void("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            void("meta", {"name": "generator", "content": f"coach {__version__}"}),
            tag("title", None, title),
            tag("style", None, Markup(CSS)),
        ]
    )
    if report.candidates:
        body = join(_candidate(report, c) for c in report.candidates)
    else:
        body = tag(
            "section",
            {"class": "candidate"},
            tag("div", {"class": "masthead"}, tag("h1", None, report.title)),
            tag("div", {"class": "body"}, tag("p", None, "No attempts match this report.")),
        )
    footer = tag(
        "footer",
        None,
        f"Generated by coach {__version__} on {day(report.generated_at)}, offline. Scores come "
        "from coach's rubric; grades a coach gave are marked as such.",
    )
    page = tag(
        "html",
        {"lang": "en"},
        tag("head", None, head),
        tag("body", None, tag("main", None, body, footer)),
    )
    return "<!doctype html>\n" + page + "\n"


# ---------------------------------------------------------------- candidate


def _candidate(report: Report, cand: CandidateReport) -> Markup:
    scope = f" \u00b7 {report.scope}" if report.scope else ""
    questions = len(cand.scorecards)
    masthead = tag(
        "header",
        {"class": "masthead"},
        tag("div", {"class": "kicker"}, "Interview practice report \u00b7 Business development"),
        tag("h1", None, cand.name),
        tag(
            "p",
            {"class": "meta"},
            f"{len(cand.attempts)} attempt{'s' if len(cand.attempts) != 1 else ''} on "
            f"{questions} question{'s' if questions != 1 else ''} \u00b7 "
            f"{period(cand.first, cand.last)}{scope}",
        ),
    )
    body = tag(
        "div",
        {"class": "body"},
        _stats(cand),
        _focus(cand, report.question_titles),
        _progress(cand),
        tag("h2", None, "Scorecards"),
        join(scorecard(card) for card in cand.scorecards),
    )
    return tag("section", {"class": "candidate"}, masthead, body)


def _stat(value: str, caption: str, words: bool = False) -> Markup:
    return tag(
        "div",
        {"class": "stat"},
        tag("div", {"class": "value words" if words else "value"}, value),
        tag("div", {"class": "label"}, caption),
    )


def _stats(cand: CandidateReport) -> Markup:
    repeated = [c for c in cand.scorecards if c.earlier]
    if repeated:
        gain = sum(c.latest.overall - c.earlier[0].overall for c in repeated) / len(repeated)
        trend = f"{gain:+.0f}"
        which = "the question" if len(repeated) == 1 else f"the {len(repeated)} questions"
        trend_caption = f"points of 100 gained, first to latest answer, on {which} answered again"
    else:
        trend, trend_caption = "\u2014", "progress shows once a question is answered again"
    mean_grade = cand.mean_latest_grade
    strongest = max(cand.criteria, key=lambda c: c.latest_score, default=None)
    if strongest is not None and strongest.latest_score < 0.6:
        strongest = None
    return tag(
        "div",
        {"class": "stats"},
        _stat(f"{mean_grade:.1f} / 5", "average grade, latest answer to each question"),
        _stat(trend, trend_caption),
        _stat(str(len(cand.scorecards)), "questions practised"),
        _stat(
            label(strongest.criterion) if strongest else "none yet",
            "strongest criterion",
            words=True,
        ),
    )


def _focus(cand: CandidateReport, titles: Mapping[str, str]) -> Markup:
    weak = [c for c in cand.criteria if c.latest_score < 0.75][:2]
    weak_questions = sorted(
        cand.scorecards, key=lambda s: (s.latest.effective_grade, s.latest.overall)
    )
    items = []
    for c in weak:
        items.append(
            tag(
                "li",
                None,
                tag("strong", None, label(c.criterion)),
                f" \u2014 passed in {c.pass_rate:.0%} of attempts. ",
                tag("span", {"class": "tip"}, c.tip),
            )
        )
    low = [s for s in weak_questions if s.latest.effective_grade <= 3][:2]
    for s in low:
        items.append(
            tag(
                "li",
                None,
                tag("strong", None, s.title),
                f" \u2014 latest grade {s.latest.effective_grade}/5; answer it again with a "
                "concrete story and numbers.",
            )
        )
    if not items:
        items.append(tag("li", None, "Every criterion is in good shape: keep the answers fresh."))
    due = ""
    if cand.due:
        listed = ", ".join(f"{titles.get(q, q)} ({day(d)})" for q, d in cand.due[:6])
        due = tag("p", {"class": "due"}, tag("strong", None, "Due for practice: "), listed)
    return tag(
        "section", {"class": "focus"}, tag("h2", None, "Focus next"), tag("ol", None, items), due
    )


def _progress(cand: CandidateReport) -> Markup:
    attempts = cand.attempts
    one_day = day(cand.first) == day(cand.last)
    tick = "%H:%M" if one_day else "%d %b"
    overall_points = [
        charts.Point(
            float(a.overall),
            a.submitted_at.astimezone().strftime(tick),
            f"{a.submitted_at.astimezone():%d %b %H:%M} \u00b7 {a.question_id} \u00b7 "
            f"{a.overall}/100, grade {a.effective_grade}",
            charts.GRADE_COLOURS.get(a.effective_grade, charts.ACCENT),
        )
        for a in attempts
    ]
    figures = [
        tag(
            "figure",
            {"class": "wide"},
            charts.line_chart(
                overall_points,
                y_min=0,
                y_max=100,
                y_ticks=[0, 25, 50, 75, 100],
                title="Overall score by attempt",
                height=230,
            ),
            tag(
                "figcaption",
                None,
                "Overall score (0-100) of every attempt, oldest first; dots are coloured by grade.",
            ),
        )
    ]
    order = list(CRITERION_LABELS) + sorted(
        {c.criterion for c in cand.criteria} - set(CRITERION_LABELS)
    )
    summaries = {c.criterion: c for c in cand.criteria}
    for criterion in order:
        if criterion not in summaries:
            continue
        points = []
        for a in attempts:
            for item in criteria_of(a):
                if item.get("id") == criterion:
                    score = float(item.get("score", 0.0))
                    points.append(
                        charts.Point(
                            score,
                            a.submitted_at.astimezone().strftime(tick),
                            f"{a.submitted_at.astimezone():%d %b %H:%M} \u00b7 {a.question_id}"
                            f" \u00b7 {score:.2f} ({'passed' if item.get('passed') else 'missed'})",
                            "#5b9b3a" if item.get("passed") else "#c0392b",
                        )
                    )
        s = summaries[criterion]
        figures.append(
            tag(
                "figure",
                None,
                tag(
                    "figcaption",
                    None,
                    tag("strong", None, label(criterion)),
                    f" \u2014 passed {s.pass_rate:.0%}, latest {s.latest_score:.2f}",
                ),
                charts.line_chart(
                    points,
                    y_min=0,
                    y_max=1,
                    y_ticks=[0, 0.5, 1],
                    title=f"{label(criterion)} score by attempt",
                    width=440,
                    height=150,
                    smooth=len(points) >= 6,
                ),
            )
        )
    bars = [
        charts.Bar(
            label=s.title,
            value=float(s.latest.effective_grade),
            best=float(max(a.effective_grade for a in s.attempts)),
            colour=charts.GRADE_COLOURS.get(s.latest.effective_grade, charts.ACCENT),
            tooltip=f"{s.title}: latest grade {s.latest.effective_grade}, "
            f"{len(s.attempts)} attempt{'s' if len(s.attempts) != 1 else ''}",
            value_text=f"{s.latest.effective_grade}/5",
        )
        for s in cand.scorecards
    ]
    figures.append(
        tag(
            "figure",
            {"class": "wide"},
            tag("figcaption", None, "Latest grade per question (dashed: best so far)"),
            charts.bar_chart(bars, max_value=5, title="Latest grade per question"),
        )
    )
    caption = (
        "Criterion scores (0-1) by attempt, green where the criterion was shown; from six "
        "attempts on, the line is a 3-answer mean."
    )
    return tag(
        "section",
        {"class": "progress"},
        tag("h2", None, "Progress"),
        tag(
            "div",
            {"class": "charts"},
            figures[0],
            join(figures[1:-1]),
            tag("p", {"class": "legend wide"}, caption),
            figures[-1],
        ),
    )


# ---------------------------------------------------------------- scorecard
