"""The rubric lab's engine: move a threshold, weight, penalty or cut-off; see the figures at once.

A `Lab` holds a labels file scored once (`ScoredSet`); every change recomputes coach's labels and
grades from the kept scores in numpy, with no call to the model. A screen typically does:

    lab = Lab(scored)
    report = lab.set_threshold("follow_up", 0.42)   # new precision / recall / QWK, instantly
    report.criteria["follow_up"].f1, report.grade.qwk
    lab.disagreements()[0]                          # where coach and the human disagree most
    lab.record(row)                                 # answer, evidence, human and coach labels
    lab.save_rubric(source_yaml, new_yaml)          # a new rubric file; backs up what it overwrites
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.calibration.labels import LabelRecord
from coach.calibration.metrics import BinaryFigures, binary_figures, quadratic_weighted_kappa
from coach.calibration.params import Params
from coach.calibration.report import Disagreement, Report, build_report
from coach.calibration.rubric_files import (
    RubricChange,
    WrittenPack,
    WrittenRubric,
    changes_between,
    write_rubric,
    write_tuned_pack,
)
from coach.calibration.scored import Machine, ScoredSet
from coach.calibration.suggest import DEFAULT_FOLDS, Suggestions, suggest
from coach.content import ALL_IDS
from coach.scoring import ScoreResult


@dataclass(frozen=True)
class RecordView:
    """One record as the lab shows it: the answer with coach's evidence beside the human labels."""

    row: int
    record: LabelRecord
    result: ScoreResult  # evidence and reasons come from the scoring run
    human_labels: dict[str, bool]
    machine_labels: dict[str, bool]  # under the lab's current numbers
    overall: float
    machine_grade: int

    def disagrees_on(self) -> list[str]:
        return [k for k, v in self.human_labels.items() if self.machine_labels.get(k) != v]


@dataclass(frozen=True)
class SweepPoint:
    value: float
    figures: BinaryFigures | None  # the id's agreement with the human labels at this value
    qwk: float | None  # grade agreement at this value (thresholds of STAR parts move the grade)


class Lab:
    """What-if calibration over one scored labels file."""

    def __init__(self, scored: ScoredSet, params: Params | None = None) -> None:
        self.scored = scored
        self.base = scored.base
        self.params = params or scored.base
        self._report: Report | None = None
        self._machine: Machine | None = None

    # ---------------------------------------------------------------- current state

    @property
    def machine(self) -> Machine:
        if self._machine is None:
            self._machine = self.scored.machine(self.params)
        return self._machine

    @property
    def report(self) -> Report:
        if self._report is None:
            self._report = build_report(self.scored, self.params)
        return self._report

    def disagreements(self) -> tuple[Disagreement, ...]:
        return self.report.disagreements

    def record(self, row: int) -> RecordView:
        record = self.scored.records[row]
        return RecordView(
            row=row,
            record=record,
            result=self.scored.results[row],
            human_labels=dict(record.labels),
            machine_labels=self.machine.label(row),
            overall=float(self.machine.overall[row]),
            machine_grade=int(self.machine.grade[row]),
        )

    def changes(self) -> list[RubricChange]:
        """What differs from the rubric as loaded, as field changes."""
        return changes_between(self.base, self.params)

    # ---------------------------------------------------------------- moving numbers

    def set_params(self, params: Params) -> Report:
        self.params = params
        self._report = None
        self._machine = None
        return self.report

    def set_threshold(self, item: str, value: float) -> Report:
        return self.set_params(self.params.with_threshold(item, value))

    def set_weight(self, item: str, value: float) -> Report:
        return self.set_params(self.params.with_weight(item, value))

    def set_penalty(self, item: str, value: float) -> Report:
        return self.set_params(self.params.with_penalty(item, value))

    def set_cutoffs(self, cutoffs: Sequence[float]) -> Report:
        return self.set_params(self.params.with_cutoffs(cutoffs))

    def reset(self) -> Report:
        return self.set_params(self.base)

    def sweep(self, item: str, values: Sequence[float]) -> list[SweepPoint]:
        """Agreement for `item` at each threshold value, without changing the lab (for a curve)."""
        column = ALL_IDS.index(item)
        rows = ~np.isnan(self.scored.human_labels[:, column])
        graded = ~np.isnan(self.scored.human_grade)
        points = []
        for value in values:
            machine = self.scored.machine(self.params.with_threshold(item, value))
            figures = (
                binary_figures(machine.labels[rows, column], self.scored.human_labels[rows, column])
                if np.any(rows)
                else None
            )
            qwk = (
                quadratic_weighted_kappa(machine.grade[graded], self.scored.human_grade[graded])
                if np.any(graded)
                else None
            )
            points.append(SweepPoint(float(value), figures, qwk))
        return points

    # ---------------------------------------------------------------- suggestions and saving

    def suggest(self, folds: int = DEFAULT_FOLDS) -> Suggestions:
        """Cross-validated suggestions starting from the lab's current numbers (slower: ~1 s)."""
        return suggest(self.scored, self.params, folds)

    def apply(self, suggestions: Suggestions) -> Report:
        return self.set_params(suggestions.params)

    def save_rubric(self, source: Path, dest: Path) -> WrittenRubric:
        """Write the shared rubric `source` with the lab's changes to `dest` (a new file; an
        existing one is backed up first; `source` itself is refused)."""
        return write_rubric(source, dest, self.changes())

    def save_pack(self, root: Path, out_dir: Path, rubric_dir: Path | None = None) -> WrittenPack:
        """Write a tuned copy of the whole pack to `out_dir`."""
        return write_tuned_pack(root, out_dir, self.changes(), rubric_dir)
