"""`coach calibrate`'s printed report: agreement tables, disagreements and suggested tuning."""

from __future__ import annotations

from coach.calibration import (
    LabelSet,
    Report,
    ScoredSet,
    Suggestions,
)
from coach.calibration.metrics import BinaryFigures, GradeFigures
from coach.calibration.rubric_files import (
    WrittenPack,
    format_number,
)
from coach.content import ContentPack

TOP_DISAGREEMENTS = 10


def _num(value: float | None, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _grade_lines(grade: GradeFigures, confusion: list[list[int]]) -> list[str]:
    lines = [
        f"Grade agreement, coach vs human ({grade.n} graded records)",
        f"  QWK       {_num(grade.qwk):>6}   quadratic weighted kappa; 0.70 or more is expected",
        f"  Spearman  {_num(grade.spearman):>6}",
        f"  Pearson   {_num(grade.pearson):>6}",
        f"  exact     {_pct(grade.exact):>6}",
        f"  adjacent  {_pct(grade.adjacent):>6}   within one grade",
        f"  SMD       {_num(grade.smd, signed=True):>6}   standardised mean difference; within "
        f"+/-0.15 is expected (mean grade: coach {_num(grade.machine_mean)}, "
        f"human {_num(grade.human_mean)})",
    ]
    if confusion:
        lines += ["", "  human \\ coach    1    2    3    4    5"]
        for grade_value, row in enumerate(confusion, start=1):
            lines.append(f"  {grade_value:<14}" + "".join(f"{count:>5}" for count in row))
    return lines


def _binary_row(name: str, f: BinaryFigures) -> str:
    return (
        f"  {name:<25}{f.n:>4}{f.support:>7}{_num(f.precision):>8}{_num(f.recall):>8}"
        f"{_num(f.f1):>7}{f.tp:>5}{f.fp:>5}{f.fn:>5}{f.tn:>5}"
    )


def _disagreement_lines(report: Report) -> list[str]:
    if not report.disagreements:
        return ["Coach and the humans agree on every record."]
    shown = report.disagreements[:TOP_DISAGREEMENTS]
    lines = [
        f"Biggest disagreements ({len(shown)} of {len(report.disagreements)} records that differ)",
        "    gap  line  id                          human coach  labels that differ",
    ]
    for d in shown:
        differ = ", ".join(
            f"{m.id} ({'coach yes' if m.machine else 'coach no'})" for m in d.mismatches
        )
        human = "-" if d.human_grade is None else str(d.human_grade)
        line = str(d.line) if d.line else "-"
        lines.append(
            f"  {d.gap:5.1f} {line:>5}  {d.id[:27]:<27} {human:>5} {d.machine_grade:>5}  "
            f"{differ or '-'}"
        )
    return lines


def _suggestion_lines(suggestions: Suggestions) -> list[str]:
    lines = [
        f"Suggestions ({suggestions.folds}-fold cross-validated: 'after' is measured on answers "
        "each fit never saw)"
    ]
    for note in suggestions.notes:
        lines.append(f"  note: {note}")
    if suggestions.thresholds:
        lines.append(
            "  threshold            now  best   kappa now > tuned      F1 now > tuned   flips"
        )
        for t in suggestions.thresholds:
            kappa_after = t.after.kappa if t.after else None
            f1_after = t.after.f1 if t.after else None
            verdict = "CHANGE" if t.helps else "keep"
            lines.append(
                f"  {t.id:<18}{t.current:>6.2f}{t.suggested:>6.2f}"
                f"   {_num(t.before.kappa):>6} > {_num(kappa_after):<6}"
                f"    {_num(t.before.f1):>6} > {_num(f1_after):<6} {f'+{t.fixed} -{t.broken}':>7}"
                f"  {verdict}"
            )
        for t in suggestions.thresholds:
            if t.helps or "chance" in t.note:
                lines.append(f"    {t.id}: {t.note}")
    c = suggestions.cutoffs
    if c is not None:

        def cuts(values: tuple[float, ...]) -> str:
            return "[" + ", ".join(format_number(v) for v in values) + "]"

        verdict = "CHANGE" if c.helps else "keep"
        cv = c.after
        lines += [
            f"  grade cut-offs {cuts(c.current)} > {cuts(c.suggested)}  {verdict}",
            f"    QWK {_num(c.before.qwk)} > {_num(cv.qwk if cv else None)}, "
            f"SMD {_num(c.before.smd, signed=True)} > {_num(cv.smd if cv else None, signed=True)}, "
            f"exact {_pct(c.before.exact)} > {_pct(cv.exact if cv else None)}",
            "    grades 1-5 given by the humans: "
            + " ".join(map(str, c.human_distribution))
            + "; by coach now: "
            + " ".join(map(str, c.machine_before))
            + "; with the suggestion: "
            + " ".join(map(str, c.machine_after)),
            f"    {c.note}",
        ]
    return lines


def render(
    labels: LabelSet,
    pack: ContentPack,
    scored: ScoredSet,
    report: Report,
    suggestions: Suggestions,
    written: WrittenPack | None,
    notes: list[str],
    again: str = "coach calibrate LABELS",
) -> str:
    lines = [
        f"Calibration of {pack.root} (content hash {pack.content_hash}) against {labels.path}",
        f"{report.n} records: {report.graded} graded, {report.labelled} labelled",
    ]
    lines += [f"note: {note}" for note in notes]
    lines.append("")
    if report.grade is not None:
        lines += _grade_lines(report.grade, report.grade_confusion)
        raters = report.raters
        if (
            raters is not None
            and raters.human_human is not None
            and raters.machine_human is not None
        ):
            hh, mh = raters.human_human, raters.machine_human
            lines += [
                "",
                f"  With {raters.raters} raters ({raters.n} records graded twice or more):",
                f"    human vs human  QWK {_num(hh.qwk)}  Spearman {_num(hh.spearman)}  "
                f"exact {_pct(hh.exact)}  adjacent {_pct(hh.adjacent)}",
                f"    coach vs human  QWK {_num(mh.qwk)}  Spearman {_num(mh.spearman)}  "
                f"exact {_pct(mh.exact)}  adjacent {_pct(mh.adjacent)}",
            ]
        lines.append("")
    if report.criteria:
        lines.append(
            f"{'Labels, coach vs human':<27}{'n':>4}{'human+':>7}{'prec':>8}{'recall':>8}{'F1':>7}"
            f"{'tp':>5}{'fp':>5}{'fn':>5}{'tn':>5}"
        )
        for name, figures in report.criteria.items():
            lines.append(_binary_row(name, figures))
        lines += [f"  macro F1 {_num(report.macro_f1)}", ""]
    if report.flags:
        lines.append("Flags")
        lines += [f"  ! {flag.message}" for flag in report.flags]
    else:
        lines.append("Flags: none; coach meets the usual agreement standards on this set.")
    lines.append("")
    lines += _disagreement_lines(report)
    lines.append("")
    lines += _suggestion_lines(suggestions)
    lines.append("")
    if written is not None:
        changes = written.rubric.changes
        lines.append(f"Wrote a tuned copy of the pack to {written.root}")
        if changes:
            for change in changes:
                old = _value(change.old)
                lines.append(f"  {change.name}: {old} > {_value(change.new)}")
        else:
            lines.append(
                "  no suggestion held up under cross-validation: the copy equals the original"
            )
        if not written.rubric.kept_comments:
            lines.append("  the rubric's comments could not be kept in the copy")
        for path in written.backups:
            lines.append(f"  backed up {path}")
        lines.append(f"  check it with: coach content check {written.root}")
    elif suggestions.changed():
        lines.append(f"Write a tuned copy of the pack with: {again} --write OUT_DIR")
    return "\n".join(lines).rstrip()


def _value(value: float | tuple[float, ...]) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(format_number(v) for v in value) + "]"
    return format_number(value)
