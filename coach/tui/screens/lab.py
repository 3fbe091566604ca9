"""Rubric lab: open a labels file of hand-graded answers, see where coach and the human disagree
most, move a criterion's threshold or weight with + and -, and watch precision, recall, F1 and
the grade QWK follow; save the tuned numbers to a new rubric file.

Scoring the labels file is the only slow step (a thread worker, with progress); every move after
that is recomputed from the kept scores in milliseconds (`coach.calibration.Lab`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, ProgressBar, Static
from textual.worker import get_current_worker

from coach.content import CRITERION_IDS, STAR_PARTS
from coach.tui.messages import LabFailed, LabProgress, LabReady, RubricSaved
from coach.tui.screens.save_rubric import SaveRubricScreen, SaveTarget
from coach.tui.services import Services
from coach.tui.widgets.disagreement_list import DisagreementList
from coach.tui.widgets.lab_figures import LabFigures, Mode
from coach.tui.widgets.lab_record import LabRecord

if TYPE_CHECKING:
    from coach.calibration import Lab, Report

THRESHOLD_STEP = 0.01
WEIGHT_STEP = 1.0
MOVABLE: tuple[str, ...] = (*CRITERION_IDS, *STAR_PARTS)  # ids with a threshold and a weight


PICK = Binding.Group("Id")
MOVE = Binding.Group("Move")


def shown_path(path: Path) -> str:
    """A path as typed: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_labels(services: Services) -> Path:
    return services.pack.root / "calibration" / "holdout.yaml"


def default_rubric_out() -> Path:
    return Path.cwd() / "networking.tuned.yaml"


class LabScreen(Screen[None]):
    CSS_PATH = "lab.tcss"
    BINDINGS = [
        Binding("left_square_bracket", "pick(-1)", "Previous id", key_display="[", group=PICK),
        Binding("right_square_bracket", "pick(1)", "Next id", key_display="]", group=PICK),
        Binding("plus,equals_sign", "move(1)", "Raise", key_display="+", group=MOVE),
        Binding("minus", "move(-1)", "Lower", key_display="-", group=MOVE),
        Binding("w", "toggle_mode", "Threshold/weight"),
        Binding("0", "reset", "Reset", show=False),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("o", "open", "Open"),
        Binding("escape", "back", "Back", key_display="esc"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, services: Services, labels: Path | None = None) -> None:
        super().__init__()
        self.services = services
        self.labels_path = labels or default_labels(services)
        self.lab: Lab | None = None
        self.base: Report | None = None  # the figures with the rubric as loaded
        self.items: tuple[str, ...] = MOVABLE
        self.item = MOVABLE[0]
        self.mode: Mode = "threshold"
        self.row: int | None = None  # the record shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab-open"):
            yield Label("Labels ", id="labels-label")
            yield Input(shown_path(self.labels_path), compact=True, id="labels-path")
        with Horizontal(id="lab-status-row"):
            yield Static(id="lab-status")
            yield ProgressBar(show_eta=False, id="lab-progress")
        with Horizontal(id="lab-body"):
            with Vertical(id="disagree-pane"):
                yield DisagreementList(id="disagreements")
            yield LabRecord(id="record")
        yield LabFigures(id="figures")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Rubric lab"
        self.query_one("#disagree-pane").border_title = "Disagreements"
        self.query_one("#record").border_title = "Record"
        self.query_one("#lab-progress").display = False
        self.query_one("#figures").display = False
        self._status(
            Content.styled("Enter in the path opens and scores the labels file.", "$text-muted")
        )
        self.query_one("#labels-path", Input).focus()

    def _status(self, text: Content | str) -> None:
        self.query_one("#lab-status", Static).update(text)

    # ------------------------------------------------------------------ opening

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        self.open_labels(Path(os.path.expanduser(text)))

    def open_labels(self, path: Path) -> None:
        self.labels_path = path
        self.lab = None
        progress = self.query_one("#lab-progress", ProgressBar)
        progress.update(total=None, progress=0)
        progress.display = True
        self._status(Content.assemble(("Scoring ", "$text-muted"), shown_path(path), "…"))
        self.score_labels(path)

    @work(thread=True, exclusive=True, group="lab")
    def score_labels(self, path: Path) -> None:
        from coach.calibration import Lab, LabelsError, load_labels, score_labels

        worker = get_current_worker()
        pack = self.services.pack

        def resolve(ref: str | int) -> str:
            return pack.find_question(ref).id

        try:
            labels = load_labels(path, resolve)
        except LabelsError as exc:
            self.post_message(LabFailed(str(exc)))
            return
        if not labels.records:
            problems = f": {labels.issues[0]}" if labels.issues else ""
            self.post_message(LabFailed(f"{path}: no record can be used{problems}"))
            return
        self.post_message(LabProgress(0, len(labels.records)))

        def progress(done: int, total: int) -> None:
            self.post_message(LabProgress(done, total))

        try:
            scored = self.services.engine.run(lambda scorer: score_labels(scorer, labels, progress))
        except Exception as exc:  # whatever the scorer hits, the app stays up and says why
            self.post_message(LabFailed(f"cannot score {path}: {type(exc).__name__}: {exc}"))
            return
        if not len(scored):
            self.post_message(LabFailed(f"{path}: no record could be scored"))
            return
        lab = Lab(scored)
        lab.report  # noqa: B018 - the first report is computed here, off the UI thread
        if not worker.is_cancelled:
            self.post_message(LabReady(lab, path))

    def on_lab_progress(self, message: LabProgress) -> None:
        progress = self.query_one("#lab-progress", ProgressBar)
        progress.update(total=message.total, progress=message.done)
        waiting = not message.done and not self.services.engine.ready
        self._status(
            Content.assemble(
                ("Scoring ", "$text-muted"),
                f"{message.done}/{message.total} records",
                ("  (the scoring model is still loading)" if waiting else "", "$text-muted"),
            )
        )

    def on_lab_failed(self, message: LabFailed) -> None:
        if message.saving:
            self.notify(message.reason, title="Rubric not saved", severity="error", timeout=12)
            return
        self.query_one("#lab-progress").display = False
        self._status(Content.styled(message.reason, "$text-error"))
        self.notify(message.reason, title="Cannot open the labels file", severity="error")

    def on_lab_ready(self, message: LabReady) -> None:
        lab = message.lab
        self.lab = lab
        self.base = lab.report
        labelled = set(lab.scored.labelled_ids())
        self.items = tuple(i for i in MOVABLE if i in labelled) or MOVABLE
        self.item = self.items[0]
        self.query_one("#lab-progress").display = False
        issues = lab.scored.issues
        status = Content.assemble(
            (f"{len(lab.scored)} records", "bold"),
            (f" from {shown_path(message.path)}", "$text-muted"),
            (
                (
                    f"  {len(issues)} issue{'s' if len(issues) != 1 else ''}: {issues[0]}",
                    "$text-warning",
                )
                if issues
                else ("", "")
            ),
        )
        self._status(status)
        self.query_one("#figures").display = True
        listing = self.query_one("#disagreements", DisagreementList)
        listing.show(lab.disagreements())
        listing.focus()
        self.row = listing.row
        self._refresh()

    # ------------------------------------------------------------------ showing

    def _refresh(self, relist: bool = False) -> None:
        lab, base = self.lab, self.base
        if lab is None or base is None:
            return
        if relist:
            self.query_one("#disagreements", DisagreementList).show(lab.disagreements(), self.row)
        self.query_one("#figures", LabFigures).show(lab, base, self.item, self.mode)
        self._show_record()

    def _show_record(self) -> None:
        lab = self.lab
        if lab is None or self.row is None:
            return
        view = lab.record(self.row)
        score = threshold = None
        if self.item in MOVABLE:
            column = MOVABLE.index(self.item)  # the order of the scores' columns
            score = float(lab.scored.scores[self.row, column])
            threshold = float(lab.scored.effective_thresholds(lab.params)[self.row, column])
        self.query_one("#record", LabRecord).show(view, self.item, score, threshold)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        listing = self.query_one("#disagreements", DisagreementList)
        if event.option_list is listing and listing.row is not None and listing.row != self.row:
            self.row = listing.row
            self._show_record()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "move", "toggle_mode", "reset", "save"):
            return True if self.lab is not None else None
        return True

    def action_pick(self, step: int) -> None:
        if self.lab is None:
            return
        index = self.items.index(self.item) if self.item in self.items else 0
        self.item = self.items[(index + step) % len(self.items)]
        self._refresh()

    def action_move(self, direction: int) -> None:
        lab = self.lab
        if lab is None:
            return
        if self.mode == "threshold":
            value = round(lab.params.thresholds[self.item] + direction * THRESHOLD_STEP, 4)
            lab.set_threshold(self.item, value)
        else:
            value = round(lab.params.weights[self.item] + direction * WEIGHT_STEP, 4)
            lab.set_weight(self.item, value)
        self._refresh(relist=True)

    def action_toggle_mode(self) -> None:
        self.mode = "weight" if self.mode == "threshold" else "threshold"
        self._refresh()

    def action_reset(self) -> None:
        if self.lab is not None:
            self.lab.reset()
            self._refresh(relist=True)
            self.notify("Back to the rubric's own numbers.")

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Open labels file", "Type a path and press Enter (o)", self.action_open)
        if self.lab is not None:
            yield SystemCommand(
                "Save tuned rubric",
                "Write the moved numbers to a new file (ctrl+s)",
                self.action_save,
            )
            yield SystemCommand(
                "Reset rubric numbers", "Back to the rubric as loaded (0)", self.action_reset
            )
            yield SystemCommand(
                "Threshold or weight", "Switch what + and - move (w)", self.action_toggle_mode
            )

    def action_open(self) -> None:
        self.query_one("#labels-path", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#labels-path", Input).has_focus and self.lab is not None:
            self.query_one("#disagreements", DisagreementList).focus()
            return
        self.dismiss()

    def action_save(self) -> None:
        lab = self.lab
        if lab is None:
            return
        changes = [f"{c.name}: {c.old} → {c.new}" for c in lab.changes()]

        def chosen(target: SaveTarget | None) -> None:
            if target is not None:
                self.save(*target)

        self.app.push_screen(SaveRubricScreen(shown_path(default_rubric_out()), changes), chosen)

    @work(thread=True, exclusive=True, group="lab-save")
    def save(self, dest: Path, whole_pack: bool = False) -> None:
        from coach.calibration import RubricWriteError
        from coach.content import ContentError
        from coach.content.loader import SHARED_RUBRIC

        lab = self.lab
        if lab is None:
            return
        root = self.services.pack.root
        try:
            if whole_pack:
                pack = lab.save_pack(root, dest)
                saved = f"A tuned copy of the pack is in {dest}"
                backups = list(pack.backups)
            else:
                rubric = lab.save_rubric(root / "rubrics" / SHARED_RUBRIC, dest)
                saved = f"Tuned rubric written to {rubric.path}"
                backups = [rubric.backup] if rubric.backup else []
        except (RubricWriteError, ContentError, OSError) as exc:
            self.post_message(LabFailed(str(exc), saving=True))
            return
        if backups:
            saved += f" (the file it replaced is kept as {', '.join(str(b) for b in backups)})"
        self.post_message(RubricSaved(saved))

    def on_rubric_saved(self, message: RubricSaved) -> None:
        self.notify(message.message, title="Saved", timeout=10)
