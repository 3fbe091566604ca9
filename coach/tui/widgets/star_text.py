"""Text shown sentence by sentence with its STAR part as a coloured tag (the STAR map).

`AnswerText` is the candidate's answer; `evidence` highlights sentences.
`ModelAnswerText` is the question's model answer, one STAR part per paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Label, Static

from coach.content import Question
from coach.scoring.result import SentenceLabel
from coach.tui.labels import STAR_NAMES

TAGS = {"situation": "S", "task": "T", "action": "A", "result": "R"}

STAR_TEXT_CSS = """
StarLine {
    height: auto;
    margin-bottom: 0;
}
StarLine > .tag {
    width: 3;
    text-align: center;
    text-style: bold;
    color: $text-muted;
}
StarLine > .text {
    width: 1fr;
    padding-left: 1;
}
StarLine.-situation > .tag { background: $accent-muted; color: $text-accent; }
StarLine.-task > .tag { background: $secondary-muted; color: $text-secondary; }
StarLine.-action > .tag { background: $primary-muted; color: $text-primary; }
StarLine.-result > .tag { background: $success-muted; color: $text-success; }
StarLine.-outside > .text { color: $text-muted; }
StarLine.-evidence > .text {
    background: $warning-muted;
    color: $text;
    text-style: bold;
}
"""


class StarLine(Horizontal):
    """One sentence with its STAR tag (S, T, A, R, or blank outside the story)."""

    def __init__(self, text: str, part: str | None, *, index: int = -1) -> None:
        super().__init__(classes=f"-{part}" if part else "-outside")
        self.index = index
        self.part = part
        self.text = text

    def compose(self) -> ComposeResult:
        yield Label(TAGS.get(self.part or "", ""), classes="tag")
        yield Static(self.text, classes="text", markup=False)


class AnswerText(VerticalScroll):
    """The answer the scorer read, a sentence per line; `evidence` holds sentence indices."""

    DEFAULT_CSS = (
        STAR_TEXT_CSS
        + """
    AnswerText { height: 1fr; }
    AnswerText > #more { color: $text-muted; padding-top: 1; }
    """
    )

    evidence: reactive[tuple[int, ...]] = reactive(())

    def __init__(
        self, sentences: Sequence[SentenceLabel], note: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.sentences = tuple(sentences)
        self.note = note

    def compose(self) -> ComposeResult:
        for sentence in self.sentences:
            yield StarLine(sentence.text, sentence.star, index=sentence.index)
        if self.note:
            yield Static(self.note, id="more", markup=False)

    def watch_evidence(self, evidence: tuple[int, ...]) -> None:
        first: StarLine | None = None
        for line in self.query(StarLine):
            chosen = line.index in evidence
            line.set_class(chosen, "-evidence")
            if chosen and first is None:
                first = line
        if first is not None:
            self.scroll_to_widget(first, animate=False, top=False)

    def evidence_lines(self) -> Iterable[StarLine]:
        return (line for line in self.query(StarLine) if line.has_class("-evidence"))


class ModelAnswerText(VerticalScroll):
    """The question's model answer: situation, task, action and result, each tagged."""

    DEFAULT_CSS = (
        STAR_TEXT_CSS
        + """
    ModelAnswerText { height: 1fr; }
    ModelAnswerText StarLine { margin-bottom: 1; }
    """
    )

    def __init__(self, question: Question, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question = question

    def compose(self) -> ComposeResult:
        answer = self.question.model_answer
        for part in STAR_NAMES:
            yield StarLine(getattr(answer, part), part)
