"""Help: the practice flow and the keys, over whatever screen was showing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

HELP = """\
# coach - how to practise

1. **Home** lists the ten questions with your last grade this session.
   Move with the arrow keys or `j` `k`; `Enter` opens a question.
   `s` draws a scenario prompt for it; `r` starts a random drill.
2. **Answer**: tell one real story - the **S**ituation, your **T**ask, the **A**ction you
   took and the **R**esult, with numbers. The timer starts when you type (`ctrl+t`
   starts or pauses it) and turns to the warning colour past the target time.
   The STAR checklist beside the editor shows which parts the scorer already sees.
   `ctrl+s` submits; `escape` goes home and keeps your draft.
3. **Results**: grade and score, each criterion with the sentence of your answer behind it
   (moving through the list highlights that sentence), the STAR map, mistakes, talking
   points, the model answer and the question the interviewer would ask next.
   `r` retries, `n` goes to the next question, `escape` goes home.

Drafts are saved as you type and offered back when you start coach again.
Nothing leaves your machine: the scoring model runs locally.

| Key | Where | Does |
|-----|-------|------|
| `Enter` | home | open the question |
| `s` / `r` | home | draw a scenario / random drill |
| `ctrl+s` | answer | submit for scoring |
| `ctrl+t` | answer | start or pause the timer |
| `escape` | answer, results | back home (the draft is kept) |
| `m` | results, narrow terminal | your answer / the model answer |
| `ctrl+p` | anywhere | command palette: every action by name |
| `?` or `F1` | anywhere | this help |
| `ctrl+q` | anywhere | quit (drafts are kept) |
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it is slow to import: not at start-up

        with VerticalScroll(id="help-box"):
            yield Markdown(HELP, id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.border_title = "Help"
        box.border_subtitle = "escape closes"
        box.focus()

    def action_close(self) -> None:
        self.dismiss()
