"""End to end with the real model: scoring a labels file, the recomputation matching the scorer,
disagreements, and `coach calibrate` as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coach.calibration import Lab, LabelSet, build_report, load_labels, score_labels
from coach.cli import main
from coach.content import ContentPack, load_pack
from coach.scoring import Scorer


def resolve_with(pack: ContentPack):  # type: ignore[no-untyped-def]
    return lambda ref: pack.find_question(ref).id


@pytest.fixture(scope="module")
def holdout_sample(scorer: Scorer) -> LabelSet:
    """The holdout records of three questions (one with a per-question rubric): preparing every
    question costs more than scoring, and the other tests use these questions too."""
    from coach.locations import bundled_content_dir

    path = bundled_content_dir() / "calibration" / "holdout.yaml"
    labels = load_labels(path, resolve_with(scorer.pack))
    keep = {"build-network", "referral-requests", "event-roi"}
    return LabelSet(labels.path, tuple(r for r in labels.records if r.question in keep), ())


def test_recomputing_from_kept_scores_reproduces_the_scorer(
    scorer: Scorer, holdout_sample: LabelSet
) -> None:
    seen: list[tuple[int, int]] = []
    scored = score_labels(scorer, holdout_sample, progress=lambda d, t: seen.append((d, t)))
    assert len(scored) == len(holdout_sample.records) >= 6
    assert seen[-1] == (len(scored), len(scored))
    assert scored.recompute_mismatches() == []
    machine = scored.machine()
    for row, result in enumerate(scored.results):
        assert round(float(machine.overall[row])) == result.overall
    lab = Lab(scored)
    view = lab.record(0)
    assert view.record.id == holdout_sample.records[0].id
    assert view.machine_labels == scored.results[0].labels()
    assert view.machine_grade == scored.results[0].grade


def test_contradicting_human_label_tops_the_disagreements(
    scorer: Scorer, contradicting_file: Path
) -> None:
    labels = load_labels(contradicting_file, resolve_with(scorer.pack))
    assert not labels.issues
    scored = score_labels(scorer, labels)
    report = build_report(scored)
    assert report.disagreements[0].id == "contradiction"
    top = report.disagreements[0]
    assert top.human_grade == 1 and top.machine_grade >= 3
    assert {"metrics", "value_first", "follow_up"} <= {m.id for m in top.mismatches}


def test_an_empty_answer_is_reported_not_fatal(scorer: Scorer, tmp_path: Path) -> None:
    from coach.calibration import LabelRecord

    good = LabelRecord("ok", 1, "build-network", "I introduced two partners first.", grade=3)
    empty = LabelRecord("empty", 5, "build-network", "...", grade=1)
    scored = score_labels(scorer, LabelSet(tmp_path / "x.yaml", (good, empty), ()))
    assert [r.id for r in scored.records] == ["ok"]
    assert scored.issues[0].line == 5 and scored.issues[0].skipped


def test_cli_json_prints_every_figure(
    cli_scorer: Scorer, contradicting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["calibrate", str(contradicting_file), "--json", "--folds", "3"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["n"] == 5
    assert set(data["grade"]) >= {"qwk", "spearman", "pearson", "exact", "adjacent", "smd"}
    assert set(data["criteria"]["metrics"]) >= {
        "precision",
        "recall",
        "f1",
        "support",
        "tp",
        "fp",
        "fn",
        "tn",
    }
    assert "macro_f1" in data
    assert data["disagreements"][0]["id"] == "contradiction"
    assert {f["code"] for f in data["flags"]} >= {"small_sample"}
    assert data["suggestions"]["folds"] == 3
    assert data["issues"] == []
    assert "scoring" in captured.err  # the progress bar goes to stderr


def test_cli_table_and_bad_records(
    cli_scorer: Scorer, contradicting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = contradicting_file.read_text(encoding="utf-8")
    broken = contradicting_file.with_name("broken.yaml")
    broken.write_text(text + "- id: bad\n  question: nowhere\n  grade: 2\n  answer: Hi.\n")
    code = main(["calibrate", str(broken)])
    captured = capsys.readouterr()
    assert code == 2  # the figures are printed, but a record was left out
    line = len(text.splitlines()) + 2
    assert f"broken.yaml:{line}: field 'question': unknown question 'nowhere'" in captured.err
    assert "Grade agreement, coach vs human (5 graded records)" in captured.out
    assert "Biggest disagreements" in captured.out
    assert "contradiction" in captured.out.split("Biggest disagreements")[1].splitlines()[2]
    assert "Suggestions (5-fold cross-validated" in captured.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calibrate"], "needs a LABELS file"),
        (["calibrate", "x.yaml", "--folds", "1"], "--folds 1"),
        (["calibrate", "x.yaml", "--candidate", "ann"], "go with --from-history"),
        (["calibrate", "x.yaml", "--from-history"], "not both"),
        (["calibrate", "missing.yaml"], "missing.yaml: file not found"),
        (["calibrate", "x.yaml", "--rubric", "nowhere"], "nowhere: rubrics folder not found"),
    ],
)
def test_cli_usage_errors_are_one_line(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_from_history_without_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit):
        main(["calibrate", "--from-history", "--db", str(tmp_path / "none.sqlite3")])
    assert "no practice history" in capsys.readouterr().err


def test_cli_write_makes_a_checked_copy_and_leaves_the_original(
    cli_scorer: Scorer,
    content_root: Path,
    contradicting_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pack_root = tmp_path / "pack"
    shutil.copytree(content_root, pack_root, ignore=shutil.ignore_patterns("*.bak*"))
    before = {p: p.read_bytes() for p in pack_root.rglob("*") if p.is_file()}
    out = tmp_path / "tuned"
    code = main(
        [
            "calibrate",
            str(contradicting_file),
            "--content",
            str(pack_root),
            "--write",
            str(out),
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert {p: p.read_bytes() for p in pack_root.rglob("*") if p.is_file()} == before
    data = json.loads(captured.out)
    assert data["written"]["path"] == str(out.resolve())
    assert main(["content", "check", str(out)]) == 0
    tuned = load_pack(out)
    assert tuned.questions == load_pack(pack_root).questions
    # Changes named in the report are exactly what differs in the copy.
    for change in data["written"]["changes"]:
        section, *rest = change["field"].split(".")
        node = getattr(tuned.rubric, section)
        for part in rest:
            node = getattr(node, part)
        assert node == change["new"]


def test_from_history_uses_the_grades_a_coach_entered(
    cli_scorer: Scorer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from calib_texts import STRONG, WEAK

    from coach.store import Store

    db = tmp_path / "history.sqlite3"
    with Store(db) as store:
        store.add_candidate("ann")
        for answer, human in ((STRONG, 5), (WEAK, 1), (STRONG, 4), (WEAK, None)):
            result = {"question": "build-network", "overall": 50, "grade": 3}
            attempt = store.save_attempt(result=result, answer=answer, candidate="ann")
            if human is not None:
                store.set_human_grade(attempt.id, human)
    code = main(["calibrate", "--from-history", "--db", str(db), "--candidate", "ann", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["n"] == 3 and data["graded"] == 3 and data["labelled"] == 0
    assert data["grade"]["n"] == 3
    with pytest.raises(SystemExit):
        main(["calibrate", "--from-history", "--db", str(db), "--candidate", "bob"])
    assert "--from-history" in capsys.readouterr().err
