"""Calibration of the rubric against human grades and labels.

labels = load_labels(path, resolve)           # JSONL or YAML; bad records become issues
scored = score_labels(scorer, labels)          # the model runs once, here
report = build_report(scored)                  # QWK, Spearman, P/R/F1, flags, disagreements
tips = suggest(scored, folds=5)                # cross-validated thresholds and cut-offs
lab = Lab(scored); lab.set_threshold(...)      # instant what-if for the rubric lab screen
"""

from coach.calibration.lab import Lab, RecordView, SweepPoint
from coach.calibration.labels import (
    LabelIssue,
    LabelRecord,
    LabelsError,
    LabelSet,
    load_labels,
    parse_labels,
)
from coach.calibration.metrics import BinaryFigures, GradeFigures
from coach.calibration.params import Params
from coach.calibration.report import Disagreement, Flag, Report, build_report
from coach.calibration.rubric_files import (
    RubricChange,
    RubricWriteError,
    changes_between,
    load_pack_with_rubrics,
    write_rubric,
    write_tuned_pack,
)
from coach.calibration.scored import Machine, ScoredSet, build_scored_set, score_labels
from coach.calibration.suggest import DEFAULT_FOLDS, Suggestions, suggest

__all__ = [
    "DEFAULT_FOLDS",
    "BinaryFigures",
    "Disagreement",
    "Flag",
    "GradeFigures",
    "Lab",
    "LabelIssue",
    "LabelRecord",
    "LabelSet",
    "LabelsError",
    "Machine",
    "Params",
    "RecordView",
    "Report",
    "RubricChange",
    "RubricWriteError",
    "ScoredSet",
    "Suggestions",
    "SweepPoint",
    "build_report",
    "build_scored_set",
    "changes_between",
    "load_labels",
    "load_pack_with_rubrics",
    "parse_labels",
    "score_labels",
    "suggest",
    "write_rubric",
    "write_tuned_pack",
]
