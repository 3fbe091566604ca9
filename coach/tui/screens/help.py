"""Help: the practice flow and the keys, over whatever screen was showing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

HELP = """\
# coach - how to practise

1. **Home** lists the ten questions with your last grade and marks the ones **due** for
   practice today (weak answers come back tomorrow, strong ones in weeks).
   Move with the arrow keys or `j` `k`, or press a question's number (`0` for the tenth);
   `Enter` opens it.
   `s` draws a scenario prompt for it; `r` starts a random drill; `d` drills the due ones.
2. **Answer**: tell one real story - the **S**ituation, your **T**ask, the **A**ction you
   took and the **R**esult, with numbers. The timer starts when you type (`ctrl+t`
   starts or pauses it) and turns to the warning colour past the target time.
   The STAR checklist beside the editor shows which parts the scorer already sees.
   `ctrl+s` submits; `escape` goes home and keeps your draft.
3. **Results**: grade and score, each criterion with the sentence of your answer behind it
   (moving through the list highlights that sentence), the STAR map, mistakes, talking
   points, the model answer and the question the interviewer would ask next.
   `r` retries, `n` goes to the next question, `escape` goes home.

Every scored answer is saved to your practice history, for the candidate named in the
header (`c` switches candidate or adds one).

- **History** (`h`): your attempts with filters (candidate, question, period), a trend line
  per criterion, your weakest criteria and questions. `Enter` shows an attempt's result
  again; a coach adds a note (`n`) or a grade `1`-`5` (`0` clears it), which then
  replaces the scorer's grade for the due dates.
- **Coach session** (`p`): a plan saved with `coach plans`, or a quick one (n random
  questions, or the due ones first). Each question has its time limit; from a result `n`
  goes on, and the last one ends on the session summary. On home, `n` continues a
  session and `e` ends it early.
- **Rubric lab** (`l`): open a labels file of hand-graded answers (Enter in the path),
  see where coach and the human disagree most, pick a criterion (`[` `]`), move its
  threshold with `+` `-` (`w` switches to its weight; `0` resets) and watch precision,
  recall, F1 and the grade QWK follow. `ctrl+s` saves the numbers to a new rubric file
  (or, for a folder, a copy of the pack); a file overwritten is backed up first.

Drafts are saved as you type and offered back when you start coach again.
Nothing leaves your machine: the scoring model runs locally.

| Key | Where | Does |
|-----|-------|------|
| `Enter` | home | open the question |
| `s` / `r` / `d` | home | draw a scenario / random drill / drill due questions |
| `p` / `h` / `c` / `l` | home | coach session / history / candidate / rubric lab |
| `n` / `e` | home, during a session | continue / end the session |
| `ctrl+s` | answer | submit for scoring |
| `ctrl+t` | answer | start or pause the timer |
| `escape` | answer, results | back home (the draft is kept) |
| `m` | results, narrow terminal | your answer / the model answer |
| `n`, `1`-`5`, `0` | history | note, coach's grade, clear the grade |
| `[` `]`, `+` `-`, `w` | rubric lab | pick an id, move it, threshold or weight |
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
