"""Every point given or taken, with the answer sentence behind it; moving onto an item
posts `EvidenceFocused` so the screen can highlight those sentences in the answer."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.scoring import ScoreResult
from coach.scoring.result import Evidence
from coach.tui.labels import (
    FAIL_MARK,
    MISTAKE_MARK,
    PASS_MARK,
    STAR_COLOURS,
    STAR_NAMES,
    name_of,
)
from coach.tui.messages import EvidenceFocused

QUOTE_CHARS = 160


def _quote(evidence: tuple[Evidence, ...]) -> Content:
    if not evidence:
        return Content.styled("  no sentence of your answer shows this", "$text-muted italic")
    text = evidence[0].text
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    more = f" (+{len(evidence) - 1} more)" if len(evidence) > 1 else ""
    return Content.assemble("  “", (text, "italic"), "”", (more, "$text-muted"))


def _header(title: str) -> Option:
    return Option(Content.styled(title, "bold $text-primary"), disabled=True)


class FeedbackList(OptionList):
    """Criteria, STAR parts, mistakes, talking points and the interviewer's next question."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, result: ScoreResult, *, id: str | None = None) -> None:
        self.result = result
        self.evidence_of: dict[str, tuple[int, ...]] = {}
        super().__init__(*self._build_options(), id=id)

    def _add(self, key: str, prompt: Content, evidence: tuple[Evidence, ...]) -> Option:
        self.evidence_of[key] = tuple(e.index for e in evidence)
        return Option(prompt, id=key)

    def _build_options(self) -> list[Option]:
        result = self.result
        options = [_header("Criteria")]
        for c in result.criteria:
            mark, style = (PASS_MARK, "$text-success") if c.passed else (FAIL_MARK, "$text-error")
            lines = [
                Content.assemble(
                    (f"{mark} {name_of(c.id)}", f"bold {style}"),
                    (f"  {c.score:.2f}", "$text-muted"),
                ),
                _quote(c.evidence),
            ]
            if c.reason:
                lines.append(Content.styled(f"  {c.reason}", "$text-muted"))
            if not c.passed and c.tip:
                lines.append(Content.assemble(("  tip: ", "bold"), c.tip))
            options.append(self._add(f"criterion:{c.id}", Content("\n").join(lines), c.evidence))

        order = "" if result.star_order_ok else "  (told out of order)"
        options.append(_header(f"STAR{order}"))
        for part, name in STAR_NAMES.items():
            star = result.star.get(part)
            present = bool(star and star.present)
            sentences = star.sentences if star else ()
            mark = PASS_MARK if present else FAIL_MARK
            count = f"  {len(sentences)} sentence{'s' if len(sentences) != 1 else ''}"
            prompt = Content.assemble(
                (f"{mark} {name}", f"bold {STAR_COLOURS[part]}" if present else "bold $text-error"),
                (count if present else "  missing", "$text-muted"),
            )
            options.append(self._add(f"star:{part}", prompt, sentences))

        options.append(_header("Mistakes" if result.mistakes else "Mistakes: none found"))
        for m in result.mistakes:
            lines = [
                Content.assemble(
                    (f"{MISTAKE_MARK} {name_of(m.id)}", "bold $text-warning"),
                    (f"  -{m.penalty:g}", "$text-muted"),
                ),
                _quote(m.evidence),
            ]
            if m.tip:
                lines.append(Content.assemble(("  tip: ", "bold"), m.tip))
            options.append(self._add(f"mistake:{m.id}", Content("\n").join(lines), m.evidence))

        covered = sum(1 for t in result.talking_points if t.covered)
        options.append(_header(f"Talking points {covered}/{len(result.talking_points)}"))
        for n, point in enumerate(result.talking_points):
            mark, style = (
                (PASS_MARK, "$text-success") if point.covered else (FAIL_MARK, "$text-error")
            )
            prompt = Content.assemble((f"{mark} ", f"bold {style}"), point.text)
            options.append(self._add(f"point:{n}", prompt, point.evidence))

        options.append(_header("The interviewer might ask next"))
        options.append(self._add("probe", Content(result.follow_up_probe), ()))
        return options

    def on_mount(self) -> None:
        self.highlighted = 1  # the first criterion

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        key = event.option.id or ""
        self.post_message(EvidenceFocused(self.evidence_of.get(key, ())))
