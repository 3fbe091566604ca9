"""Saved attempts, newest first: when, which question, the grades and a coach's marks."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from coach.content import ContentPack
from coach.store import Attempt as SavedAttempt
from coach.tui.labels import grade_style

QUESTION_WIDTH = 12


def when(attempt: SavedAttempt) -> str:
    """The local time of an attempt, short: 03-14 10:22."""
    return attempt.submitted_at.astimezone().strftime("%m-%d %H:%M")


def question_label(pack: ContentPack, question_id: str, width: int = QUESTION_WIDTH) -> str:
    """ "3 Choosing events…": the question's number and title, cut to `width` characters."""
    ids = pack.question_ids()
    if question_id not in ids:
        label = question_id
    else:
        label = f"{ids.index(question_id) + 1} {pack.questions[ids.index(question_id)].title}"
    return label if len(label) <= width else label[: width - 1] + "…"


class AttemptTable(DataTable[Content]):
    """Rows keyed by attempt id; Enter posts `DataTable.RowSelected`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, pack: ContentPack, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.pack = pack
        self.attempts: dict[int, SavedAttempt] = {}
        self.question_width = QUESTION_WIDTH

    def on_mount(self) -> None:
        # Wider titles when the terminal has the room (the progress pane keeps its width).
        self.question_width = QUESTION_WIDTH if self.app.size.width < 100 else 2 * QUESTION_WIDTH
        self.add_column("When", key="when", width=11)
        self.add_column("Question", key="question", width=self.question_width)
        self.add_column("Grade", key="grade", width=5)
        self.add_column("Score", key="score", width=5)
        self.add_column("Coach", key="coach", width=5)

    def show(self, attempts: Sequence[SavedAttempt], keep: int | None = None) -> None:
        """Replace the rows; the cursor stays on attempt `keep` when it is still listed."""
        self.clear()
        self.attempts = {a.id: a for a in attempts}
        for attempt in attempts:
            coach = ""
            if attempt.human_grade is not None:
                coach = f"{attempt.human_grade}/5"
            if attempt.coach_note:
                coach += " ✎" if coach else "✎"
            self.add_row(
                Content(when(attempt)),
                Content(question_label(self.pack, attempt.question_id, self.question_width)),
                Content.styled(f"{attempt.grade}/5", grade_style(attempt.grade)),
                Content(f"{attempt.overall:>3}"),
                Content.styled(coach, "bold $text-accent"),
                key=str(attempt.id),
            )
        if keep is not None and keep in self.attempts:
            self.move_cursor(row=self.get_row_index(str(keep)))

    @property
    def selected(self) -> SavedAttempt | None:
        if not self.attempts or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return self.attempts.get(int(key)) if key is not None else None
