"""The rubric lab: open a labels file, see the disagreements, move a threshold with keys and
watch the figures change, save a tuned rubric (backing up what it overwrites)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from tui_canned import canned_result
from tui_fakes import LabScorer
from tui_helpers import settle, text_of

from coach.content import ContentPack
from coach.tui.engine import Engine
from coach.tui.screens.lab import LabScreen
from coach.tui.screens.save_rubric import SaveRubricScreen
from coach.tui.widgets.disagreement_list import DisagreementList
from coach.tui.widgets.lab_record import LabRecord
from coach.tui.widgets.star_text import AnswerText

pytestmark = pytest.mark.anyio

# Each answer says what the lab scorer gives its follow-up criterion; the human says whether the
# answer shows follow-up. At the rubric's threshold coach misses the two at 0.42 and 0.38.
LABELS = """\
- id: clear-yes
  question: convert-opportunities
  grade: 4
  answer: follow_up=0.9
  labels: {follow_up: true}
- id: close-yes
  question: convert-opportunities
  grade: 4
  answer: follow_up=0.42
  labels: {follow_up: true}
- id: closer-yes
  question: 2
  grade: 3
  answer: follow_up=0.38
  labels: {follow_up: true}
- id: clear-no
  question: convert-opportunities
  grade: 2
  answer: follow_up=0.05
  labels: {follow_up: false}
- id: close-no
  question: convert-opportunities
  grade: 3
  answer: follow_up=0.3
  labels: {follow_up: false}
"""


@pytest.fixture
def labels_file(tmp_path: Path) -> Path:
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    return path


@pytest.fixture
def lab_engine(pack: ContentPack) -> Engine:
    return Engine.from_scorer(LabScorer(pack, canned_result()))


async def open_lab(pilot, path: Path | str) -> LabScreen:
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LabScreen)
    screen.query_one("#labels-path", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot, "lab")
    await pilot.pause()
    assert screen.lab is not None, text_of(pilot, "#lab-status")
    return screen


def f1_shown(pilot) -> str:
    line = text_of(pilot, "#figures").splitlines()[1]
    return line.split("F1 ")[1].split()[0]


async def test_moving_a_threshold_changes_the_f1_shown(make_app, lab_engine, labels_file) -> None:
    app = make_app(engine=lab_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        lab = await open_lab(pilot, labels_file)
        assert "5 records" in text_of(pilot, "#lab-status")
        assert lab.item == "follow_up"  # the only id the human labelled
        threshold = lab.lab.params.thresholds["follow_up"]
        assert threshold > 0.42, "the rubric's threshold is above the close calls"
        before = f1_shown(pilot)
        assert f"threshold {threshold:.2f}" in text_of(pilot, "#figures")

        # The disagreements, strongest first; the human's "yes" coach missed is among them.
        listing = lab.query_one(DisagreementList)
        shown = lab.lab.disagreements()
        assert listing.option_count == len(shown) and listing.row == shown[0].row
        missed = {d.id: [m.id for m in d.mismatches] for d in shown}
        assert missed["close-yes"] == ["follow_up"] and missed["closer-yes"] == ["follow_up"]
        assert shown[0].id in text_of(pilot, "#record-head")
        assert "human grade" in text_of(pilot, "#record-head")

        steps = round((threshold - 0.37) / 0.01)
        for _ in range(steps):
            await pilot.press("minus")
        await pilot.pause()
        assert lab.lab.params.thresholds["follow_up"] == pytest.approx(threshold - steps * 0.01)
        after = f1_shown(pilot)
        assert after != before
        assert float(after.split()[0]) == pytest.approx(1.0)  # every yes found, no false alarm
        assert "1 change to save" in text_of(pilot, "#figures")

        await pilot.press("w", "plus")
        assert lab.mode == "weight"
        assert "weight" in text_of(pilot, "#figures")
        await pilot.press("0")
        assert not lab.lab.changes()


async def test_evidence_for_the_chosen_id_is_highlighted(make_app, lab_engine, tmp_path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        LABELS.replace("labels: {follow_up: true}", "labels: {follow_up: true, metrics: false}"),
        encoding="utf-8",
    )
    app = make_app(engine=lab_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        lab = await open_lab(pilot, path)
        assert lab.items == ("metrics", "follow_up") and lab.item == "metrics"
        answer = lab.query_one(LabRecord).query_one(AnswerText)
        # The canned result shows impact metrics in its fifth sentence: highlighted.
        assert [line.index for line in answer.evidence_lines()] == [4]
        assert "▸ Impact metrics" in text_of(pilot, "#record-labels")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert lab.item == "follow_up"
        assert list(lab.query_one(LabRecord).query_one(AnswerText).evidence_lines()) == []
        assert "▸ Follow-up" in text_of(pilot, "#record-labels")
        await pilot.press("right_square_bracket")
        assert lab.item == "metrics"  # round again


async def test_saving_writes_a_new_rubric_and_backs_up_what_it_replaces(
    make_app, lab_engine, labels_file, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "tuned.yaml"
    out.write_text("old: file\n", encoding="utf-8")
    app = make_app(engine=lab_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        lab = await open_lab(pilot, labels_file)
        await pilot.press("minus", "minus")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveRubricScreen)
        assert "follow_up.threshold" in text_of(pilot, "#save-changes")
        app.screen.query_one("#save-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot, "lab-save")
        assert app.screen is lab
    new = lab.lab.params.thresholds["follow_up"]
    assert f"threshold: {new:g}" in out.read_text(encoding="utf-8")
    assert (tmp_path / "tuned.yaml.bak").read_text(encoding="utf-8") == "old: file\n"
    assert any("backup" in n.message or "kept as" in n.message for n in app._notifications)


async def test_a_missing_labels_file_is_said_plainly(make_app, lab_engine, tmp_path) -> None:
    app = make_app(engine=lab_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        lab = app.screen
        assert isinstance(lab, LabScreen)
        lab.query_one("#labels-path", Input).value = str(tmp_path / "nope.yaml")
        await pilot.press("enter")
        await settle(pilot, "lab")
        assert lab.lab is None
        assert "nope.yaml" in text_of(pilot, "#lab-status")
