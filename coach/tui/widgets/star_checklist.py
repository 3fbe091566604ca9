"""Which STAR parts the scorer already sees in the draft; says so while the model warms up."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from coach.tui.engine import ModelState
from coach.tui.labels import PASS_MARK, STAR_COLOURS, STAR_NAMES


class StarChecklist(Widget):
    """Set `state` (the model's) and `parts` (part -> seen, or None before any score)."""

    DEFAULT_CSS = """
    StarChecklist {
        height: auto;
        padding: 0 1;
    }
    """

    state: reactive[ModelState] = reactive(ModelState.LOADING, layout=True)
    parts: reactive[Mapping[str, bool] | None] = reactive(None, layout=True)

    def render(self) -> Content:
        lines: list[Content] = [Content.styled("STAR so far", "bold")]
        if self.state is ModelState.LOADING:
            lines.append(Content.styled("warming up the model…", "$text-warning"))
            lines.append(Content.styled("(ctrl+s still works)", "$text-muted"))
            return Content("\n").join(lines)
        for part, name in STAR_NAMES.items():
            seen = bool(self.parts and self.parts.get(part))
            mark = PASS_MARK if seen else "·"
            style = f"bold {STAR_COLOURS[part]}" if seen else "$text-muted"
            lines.append(Content.assemble((f"{mark} ", style), (name, style)))
        if self.state is ModelState.UNAVAILABLE:
            lines.append(Content.styled("keyword checks only", "$text-warning"))
        elif self.parts is None:
            lines.append(Content.styled("updates as you type", "$text-muted"))
        return Content("\n").join(lines)
