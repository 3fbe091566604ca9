"""The calibration report: grade agreement, per-id agreement, flags and disagreements."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from coach.calibration.metrics import (
    GRADES,
    BinaryFigures,
    GradeFigures,
    binary_figures,
    confusion_matrix,
    grade_figures,
    mean_figures,
)
from coach.calibration.params import THRESHOLD_IDS, Params
from coach.calibration.scored import Machine, ScoredSet
from coach.content import ALL_IDS

QWK_FLOOR = 0.70  # below this, automated grades should not be used on their own
HUMAN_GAP = 0.10  # coach may trail the agreement between two humans by at most this much
SMD_LIMIT = 0.15  # |standardised mean difference| above this: coach is systematically off
SMALL_SAMPLE = 30  # fewer graded records than this: the figures are rough
MISTAKE_WEIGHT = 0.75  # a mistake disagreement (no score to say how confident coach was)


@dataclass(frozen=True)
class RaterFigures:
    """With several raters: how far humans agree with each other, and coach with each of them,
    on the same records (means over rater pairs and over raters)."""

    n: int  # records with two grades or more
    raters: int
    human_human: GradeFigures | None
    machine_human: GradeFigures | None

    @property
    def qwk_gap(self) -> float | None:
        if self.human_human is None or self.machine_human is None:
            return None
        if self.human_human.qwk is None or self.machine_human.qwk is None:
            return None
        return self.human_human.qwk - self.machine_human.qwk

    def to_dict(self) -> dict[str, Any]:
        gap = self.qwk_gap
        return {
            "n": self.n,
            "raters": self.raters,
            "human_human": self.human_human.to_dict() if self.human_human else None,
            "machine_human": self.machine_human.to_dict() if self.machine_human else None,
            "qwk_gap": round(gap, 4) if gap is not None else None,
        }


@dataclass(frozen=True)
class Flag:
    code: str  # qwk_low | below_humans | smd | small_sample
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Mismatch:
    id: str
    human: bool
    machine: bool
    score: float | None = None  # coach's 0-1 score, for ids with a threshold
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "human": self.human, "machine": self.machine}
        if self.score is not None:
            out["score"] = round(self.score, 3)
            out["threshold"] = self.threshold
        return out


@dataclass(frozen=True)
class Disagreement:
    row: int  # index into ScoredSet.records
    id: str
    line: int
    question: str
    human_grade: int | None
    machine_grade: int
    overall: float
    mismatches: tuple[Mismatch, ...]
    gap: float  # how strongly coach and the human disagree: grades apart plus weighted labels

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "line": self.line,
            "question": self.question,
            "human_grade": self.human_grade,
            "machine_grade": self.machine_grade,
            "overall": round(self.overall, 1),
            "gap": round(self.gap, 3),
            "mismatches": [m.to_dict() for m in self.mismatches],
        }


@dataclass(frozen=True)
class Report:
    n: int
    graded: int
    labelled: int
    grade: GradeFigures | None
    grade_confusion: list[list[int]]  # rows: human grade 1-5; columns: coach grade 1-5
    raters: RaterFigures | None
    criteria: dict[str, BinaryFigures]
    macro_f1: float | None
    flags: tuple[Flag, ...]
    disagreements: tuple[Disagreement, ...]

    def to_dict(self) -> dict[str, Any]:
        grade: dict[str, Any] | None = None
        if self.grade is not None:
            grade = self.grade.to_dict()
            grade["confusion"] = self.grade_confusion
            if self.raters is not None:
                grade["raters"] = self.raters.to_dict()
        return {
            "n": self.n,
            "graded": self.graded,
            "labelled": self.labelled,
            "grade": grade,
            "criteria": {key: value.to_dict() for key, value in self.criteria.items()},
            "macro_f1": round(self.macro_f1, 4) if self.macro_f1 is not None else None,
            "flags": [f.to_dict() for f in self.flags],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def rater_figures(scored: ScoredSet, machine_grade: np.ndarray) -> RaterFigures | None:
    raters = scored.raters
    if raters.shape[1] < 2:
        return None
    several = np.sum(~np.isnan(raters), axis=1) >= 2
    if not np.any(several):
        return None
    pairs = []
    for a, b in combinations(range(raters.shape[1]), 2):
        both = several & ~np.isnan(raters[:, a]) & ~np.isnan(raters[:, b])
        if np.sum(both) >= 2:
            pairs.append(grade_figures(raters[both, a], raters[both, b]))
    versus = []
    for k in range(raters.shape[1]):
        rows = several & ~np.isnan(raters[:, k])
        if np.sum(rows) >= 2:
            versus.append(grade_figures(machine_grade[rows], raters[rows, k]))
    return RaterFigures(
        n=int(np.sum(several)),
        raters=raters.shape[1],
        human_human=mean_figures(pairs),
        machine_human=mean_figures(versus),
    )


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def flags_for(grade: GradeFigures | None, raters: RaterFigures | None, graded: int) -> list[Flag]:
    flags: list[Flag] = []
    if grade is None:
        return flags
    if grade.qwk is not None and grade.qwk < QWK_FLOOR:
        flags.append(
            Flag(
                "qwk_low",
                f"Coach's grades agree with the human grades less than an assessment "
                f"professional accepts: QWK {grade.qwk:.2f}, below the usual floor of "
                f"{QWK_FLOOR:.2f}. Do not use coach's grade on its own for decisions; tune the "
                "rubric or review the labels.",
            )
        )
    if raters is not None and raters.qwk_gap is not None and raters.qwk_gap > HUMAN_GAP:
        assert raters.human_human is not None and raters.machine_human is not None
        flags.append(
            Flag(
                "below_humans",
                f"Coach agrees with each rater less than the raters agree with each other: "
                f"QWK {raters.machine_human.qwk:.2f} against {raters.human_human.qwk:.2f} "
                f"between humans, {raters.qwk_gap:.2f} lower (the limit is {HUMAN_GAP:.2f}).",
            )
        )
    if grade.smd is not None and abs(grade.smd) > SMD_LIMIT:
        direction = "higher" if grade.smd > 0 else "lower"
        flags.append(
            Flag(
                "smd",
                f"Coach grades systematically {direction} than the humans: standardised "
                f"mean difference {_signed(grade.smd)} (the limit is ±{SMD_LIMIT:.2f}); "
                "moving the grade cut-offs usually fixes this.",
            )
        )
    if graded < SMALL_SAMPLE:
        flags.append(
            Flag(
                "small_sample",
                f"Only {graded} graded records: the figures are rough; "
                f"aim for {SMALL_SAMPLE} or more.",
            )
        )
    return flags


def disagreements(scored: ScoredSet, params: Params, machine: Machine) -> list[Disagreement]:
    """Records where coach and the human disagree, the strongest disagreement first.

    The gap is the number of grades apart, plus for each label they disagree on: 0.5 and how far
    coach's score sits from its threshold (a confident contradiction counts more than a close
    call), or 0.75 for a mistake.
    """
    human = scored.human_labels
    known = ~np.isnan(human)
    differ = known & (machine.labels != (human == 1.0))
    width = len(THRESHOLD_IDS)
    thresholds = scored.effective_thresholds(params)
    weights = np.full(human.shape, MISTAKE_WEIGHT)
    weights[:, :width] = 0.5 + np.abs(scored.scores - thresholds)
    gaps = (differ * weights).sum(axis=1)
    graded = ~np.isnan(scored.human_grade)
    gaps[graded] += np.abs(machine.grade[graded] - scored.human_grade[graded])
    rows = np.flatnonzero(gaps > 0)
    order = rows[np.lexsort(([scored.records[r].line for r in rows], -gaps[rows]))]
    scores, limits = scored.scores.tolist(), thresholds.tolist()
    flags, said = differ.tolist(), machine.labels.tolist()
    grades, overall, gap_list = machine.grade.tolist(), machine.overall.tolist(), gaps.tolist()
    out: list[Disagreement] = []
    for row in order.tolist():
        record = scored.records[row]
        mismatches = tuple(
            Mismatch(
                ALL_IDS[column],
                not said[row][column],
                said[row][column],
                scores[row][column] if column < width else None,
                limits[row][column] if column < width else None,
            )
            for column, flagged in enumerate(flags[row])
            if flagged
        )
        out.append(
            Disagreement(
                row=row,
                id=record.id,
                line=record.line,
                question=record.question,
                human_grade=record.grade,
                machine_grade=grades[row],
                overall=overall[row],
                mismatches=mismatches,
                gap=gap_list[row],
            )
        )
    return out


def build_report(scored: ScoredSet, params: Params | None = None) -> Report:
    params = params or scored.base
    machine = scored.machine(params)
    graded_rows = ~np.isnan(scored.human_grade)
    graded = int(np.sum(graded_rows))
    grade = confusion = None
    if graded:
        human = scored.human_grade[graded_rows]
        coach = machine.grade[graded_rows]
        grade = grade_figures(coach, human)
        confusion = confusion_matrix(human, coach, GRADES).tolist()
    criteria: dict[str, BinaryFigures] = {}
    for column, item in enumerate(ALL_IDS):
        rows = ~np.isnan(scored.human_labels[:, column])
        if np.any(rows):
            criteria[item] = binary_figures(
                machine.labels[rows, column], scored.human_labels[rows, column]
            )
    f1s = [c.f1 for c in criteria.values() if c.f1 is not None]
    raters = rater_figures(scored, machine.grade)
    labelled = int(np.sum(np.any(~np.isnan(scored.human_labels), axis=1)))
    return Report(
        n=len(scored),
        graded=graded,
        labelled=labelled,
        grade=grade,
        grade_confusion=confusion or [],
        raters=raters,
        criteria=criteria,
        macro_f1=float(np.mean(f1s)) if f1s else None,
        flags=tuple(flags_for(grade, raters, graded)),
        disagreements=tuple(disagreements(scored, params, machine)),
    )
