"""The rubric lab's live figures: the chosen id's number, its precision / recall / F1 against
the human labels, and the grade agreement (QWK), each beside its value before any change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.content import Content
from textual.widgets import Static

from coach.tui.labels import name_of

if TYPE_CHECKING:
    from coach.calibration import Lab, Report

Mode = Literal["threshold", "weight"]


def figure(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _change(now: float | None, before: float | None) -> Content:
    """`0.85` with an arrow when it moved since the rubric as loaded."""
    text = figure(now)
    if now is None or before is None or abs(now - before) < 0.005:
        return Content.styled(text, "bold")
    better = now > before
    return Content.assemble(
        (text, "bold"),
        (
            f" ({'↑' if better else '↓'}{figure(before)})",
            "$text-success" if better else "$text-error",
        ),
    )


class LabFigures(Static):
    """`show(lab, base_report, item, mode)` redraws; nothing is computed here."""

    DEFAULT_CSS = """
    LabFigures {
        height: 2;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, lab: Lab, base: Report, item: str, mode: Mode) -> None:
        report = lab.report
        now = (lab.params.thresholds if mode == "threshold" else lab.params.weights)[item]
        was = (lab.base.thresholds if mode == "threshold" else lab.base.weights)[item]
        digits = 2 if mode == "threshold" else 0
        value = Content.assemble(
            (f"{now:.{digits}f}", "bold $text-accent"),
            (f" (was {was:.{digits}f})", "$text-muted") if abs(now - was) > 1e-9 else ("", ""),
        )
        changes = len(lab.changes())
        first = Content.assemble(
            ("▸ ", "$text-accent"),
            (name_of(item), "bold"),
            (f"  {mode} ", "$text-muted"),
            value,
            (
                f"   {changes} change{'s' if changes != 1 else ''} to save" if changes else "",
                "$text-warning",
            ),
        )
        figures = report.criteria.get(item)
        before = base.criteria.get(item)
        if figures is None:
            line = [Content.styled("no human labels for this id", "$text-muted")]
        else:
            line = [
                Content.styled("P ", "$text-muted"),
                _change(figures.precision, before.precision if before else None),
                Content.styled("  R ", "$text-muted"),
                _change(figures.recall, before.recall if before else None),
                Content.styled("  F1 ", "$text-muted"),
                _change(figures.f1, before.f1 if before else None),
                Content.styled(f"  n {figures.n}", "$text-muted"),
            ]
        qwk = report.grade.qwk if report.grade else None
        qwk_before = base.grade.qwk if base.grade else None
        line += [Content.styled("  │ QWK ", "$text-muted"), _change(qwk, qwk_before)]
        self.update(Content("\n").join([first, Content.assemble(*line)]))
