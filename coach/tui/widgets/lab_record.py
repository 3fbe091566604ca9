"""One labelled record in the rubric lab: the human's labels beside coach's, and the answer
with coach's evidence for the chosen id highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from coach.content import STAR_PARTS
from coach.tui.labels import FAIL_MARK, PASS_MARK, name_of
from coach.tui.widgets.star_text import AnswerText

if TYPE_CHECKING:
    from coach.calibration import RecordView

NAME_WIDTH = 16


def _mark(value: bool | None) -> Content:
    if value is None:
        return Content.styled("·", "$text-muted")
    return Content.styled(
        PASS_MARK if value else FAIL_MARK, "$text-success" if value else "$text-error"
    )


def evidence_of(view: RecordView, item: str) -> tuple[int, ...]:
    """Answer sentences coach's result names for `item` (a criterion, STAR part or mistake)."""
    result = view.result
    if item in STAR_PARTS:
        part = result.star.get(item)
        return tuple(e.index for e in part.sentences) if part else ()
    for criterion in result.criteria:
        if criterion.id == item:
            return tuple(e.index for e in criterion.evidence)
    for mistake in result.mistakes:
        if mistake.id == item:
            return tuple(e.index for e in mistake.evidence)
    return ()


class LabRecord(Vertical):
    """`show(view, item, score, threshold)`; empty until a record is picked."""

    row: int | None = None  # the record whose answer is shown

    DEFAULT_CSS = """
    LabRecord { height: 1fr; }
    LabRecord > #record-head { height: auto; }
    LabRecord > #record-labels-box { height: auto; max-height: 6; }
    LabRecord > AnswerText { height: 1fr; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            Content.styled("Open a labels file to see its records.", "$text-muted"),
            id="record-head",
        )
        with VerticalScroll(id="record-labels-box"):
            yield Static(id="record-labels")
        yield AnswerText(())

    def show(
        self, view: RecordView, item: str, score: float | None, threshold: float | None
    ) -> None:
        record = view.record
        human = "-" if record.grade is None else str(record.grade)
        self.query_one("#record-head", Static).update(
            Content.assemble(
                (record.id, "bold"),
                (f"  {record.question}", "$text-muted"),
                "\n",
                ("human grade ", "$text-muted"),
                (human, "bold"),
                ("  coach ", "$text-muted"),
                (str(view.machine_grade), "bold"),
                (f" ({view.overall:.0f}/100)", "$text-muted"),
            )
        )
        self.query_one("#record-labels", Static).update(self._labels(view, item, score, threshold))
        evidence = evidence_of(view, item)
        if view.row != self.row:  # another record: its answer replaces the one shown
            self.row = view.row
            self.query(AnswerText).remove()
            self.mount(AnswerText(view.result.sentences))
        self.call_after_refresh(self._highlight, evidence)

    def _highlight(self, evidence: tuple[int, ...]) -> None:
        for answer in self.query(AnswerText):
            answer.evidence = evidence

    @staticmethod
    def _labels(
        view: RecordView, item: str, score: float | None, threshold: float | None
    ) -> Content:
        """The chosen id first, then the disagreements, then the agreements; H human, C coach."""
        ids = list(view.human_labels)
        if item not in ids:
            ids.insert(0, item)
        wrong = set(view.disagrees_on())
        ordered = (
            [item]
            + [i for i in ids if i in wrong and i != item]
            + [i for i in ids if i not in wrong and i != item]
        )
        lines = []
        for label in ordered:
            human = view.human_labels.get(label)
            coach = view.machine_labels.get(label)
            style = "bold $text-error" if label in wrong else ""
            extra: tuple[str, str] = ("", "")
            if label == item and score is not None and threshold is not None:
                sign = "≥" if score >= threshold else "<"
                extra = (f"  score {score:.2f} {sign} {threshold:.2f}", "$text-muted")
            name = name_of(label)
            if len(name) > NAME_WIDTH:
                name = name[: NAME_WIDTH - 1] + "…"
            lines.append(
                Content.assemble(
                    ("▸ " if label == item else "  ", "$text-accent"),
                    (f"{name:<{NAME_WIDTH}}", style),
                    ("H", "$text-muted"),
                    _mark(human),
                    (" C", "$text-muted"),
                    _mark(coach),
                    extra,
                )
            )
        return Content("\n").join(lines)
