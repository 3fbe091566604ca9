"""Records where coach and the human disagree most, strongest first (a row per record)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from coach.calibration import Disagreement

ID_WIDTH = 13


def _prompt(item: Disagreement) -> Content:
    human = "-" if item.human_grade is None else str(item.human_grade)
    record = item.id if len(item.id) <= ID_WIDTH else item.id[: ID_WIDTH - 1] + "…"
    return Content.assemble(
        (f"{item.gap:4.1f} ", "$text-muted"),
        (f"H{human} C{item.machine_grade} ", "bold"),
        record,
    )


class DisagreementList(OptionList):
    """Option ids are record rows; moving posts `OptionList.OptionHighlighted`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def show(self, items: Sequence[Disagreement], keep: int | None = None) -> None:
        """Replace the rows, keeping the highlight on record row `keep` when it is listed."""
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self.add_options(Option(_prompt(item), id=str(item.row)) for item in items)
            rows = [item.row for item in items]
            if keep is not None and keep in rows:
                self.highlighted = rows.index(keep)
            elif rows:
                self.highlighted = 0

    @property
    def row(self) -> int | None:
        option = self.highlighted_option
        return int(option.id) if option is not None and option.id is not None else None
