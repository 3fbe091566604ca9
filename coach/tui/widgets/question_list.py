"""The ten questions, in order, with the last grade, a draft marker and a due marker."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.content import Question
from coach.tui.labels import grade_style

TITLE_WIDTH = 44


class QuestionList(OptionList):
    """Arrow keys or j/k move, a digit jumps to that question (0 for the tenth), Enter opens
    (posts `OptionList.OptionSelected`)."""

    BINDINGS = [
        Binding("enter", "select", "Open", show=False),  # the preview says so; room in the footer
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        *(Binding(str(n % 10), f"jump({n})", f"Question {n}", show=False) for n in range(1, 11)),
    ]

    def __init__(self, questions: Sequence[Question], *, id: str | None = None) -> None:
        self.questions = tuple(questions)
        super().__init__(
            *(self._option(n, q, None, False, False) for n, q in self._numbered()), id=id
        )

    def _numbered(self) -> list[tuple[int, Question]]:
        return list(enumerate(self.questions, start=1))

    @staticmethod
    def _option(
        number: int, question: Question, grade: int | None, draft: bool, due: bool
    ) -> Option:
        title = question.title
        if len(title) > TITLE_WIDTH:
            title = title[: TITLE_WIDTH - 1] + "…"
        prompt = Content.assemble(
            (f"{number:>2}  ", "$text-muted"),
            title.ljust(TITLE_WIDTH),
            ("  draft " if draft else "        ", "$text-warning"),
            (" due  " if due else "      ", "bold $text-accent"),
            (f"grade {grade}/5", grade_style(grade)) if grade is not None else ("-", "$text-muted"),
        )
        return Option(prompt, id=question.id)

    def show_status(
        self,
        grades: Mapping[str, int | None],
        drafts: set[str],
        due: Collection[str] = (),
    ) -> None:
        """Refresh each row's last grade, draft marker and due marker (spaced repetition)."""
        for number, question in self._numbered():
            option = self._option(
                number, question, grades.get(question.id), question.id in drafts, question.id in due
            )
            self.replace_option_prompt(question.id, option.prompt)

    def action_jump(self, number: int) -> None:
        """Highlight question `number` (1-based), as the numbers on the rows show it."""
        if number <= self.option_count:
            self.highlighted = number - 1

    @property
    def highlighted_question(self) -> Question | None:
        if self.highlighted is None:
            return None
        return self.questions[self.highlighted]
