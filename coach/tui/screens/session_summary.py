"""The end of a coach session: the grade of every question, the total, the weakest criterion."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coach.tui.labels import grade_style, name_of
from coach.tui.practice import SessionSummary
from coach.tui.stopwatch import format_seconds


def total_line(summary: SessionSummary) -> Content:
    answered = len(summary.answered)
    parts = [
        Content.assemble(
            ("Total ", "bold"),
            (f"{summary.points}/{summary.max_points}", "bold $text-primary"),
            (" grade points", "$text-muted"),
            (f"  {answered} of {len(summary.rows)} answered", "$text-muted"),
        )
    ]
    mean = summary.mean_overall
    if mean is not None:
        parts.append(Content.assemble(("Mean score ", "bold"), f"{mean:.0f}/100"))
    if summary.weakest is not None:
        parts.append(
            Content.assemble(
                ("Weakest criterion ", "bold"),
                (name_of(summary.weakest.criterion), "bold $text-warning"),
                (
                    f"  mean {summary.weakest.mean_score:.2f},"
                    f" passed {summary.weakest.pass_rate:.0%}",
                    "$text-muted",
                ),
            )
        )
    return Content("\n").join(parts)


class SessionSummaryScreen(Screen[None]):
    CSS_PATH = "session_summary.tcss"
    BINDINGS = [
        Binding("escape,enter", "home", "Home", key_display="esc"),
        Binding("h", "app.history", "History"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        session = self.summary.session
        yield Header()
        with Vertical(id="summary-box"):
            yield Static(
                Content.assemble(
                    ("Session ", "$text-muted"),
                    (self.summary.session.plan_name or "Session", "bold"),
                    ("  candidate ", "$text-muted"),
                    (session.candidate, "bold"),
                ),
                id="session-title",
            )
            yield DataTable(id="session-grades", cursor_type="none", zebra_stripes=True)
            yield Static(total_line(self.summary), id="session-total")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Session summary"
        table = self.query_one("#session-grades", DataTable)
        table.add_column("#", width=2)
        table.add_column("Question")
        table.add_column("Grade", width=7)
        table.add_column("Score", width=5)
        table.add_column("Time", width=11)
        for row in self.summary.rows:
            attempt = row.attempt
            if attempt is None:
                table.add_row(
                    str(row.number),
                    row.title,
                    Content.styled("skipped", "italic"),
                    "",
                    f"limit {format_seconds(row.limit)}",
                )
                continue
            seconds = attempt.seconds_taken or 0.0
            over = seconds > row.limit > 0
            table.add_row(
                str(row.number),
                row.title,
                Content.styled(
                    f"{attempt.effective_grade}/5", grade_style(attempt.effective_grade)
                ),
                str(attempt.overall),
                Content.assemble(
                    (format_seconds(seconds), "bold $text-warning" if over else ""),
                    f" / {format_seconds(row.limit)}",
                ),
            )

    def action_home(self) -> None:
        self.dismiss()
