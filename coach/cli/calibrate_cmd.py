"""`coach calibrate`: how well coach agrees with human grades and labels, and how to tune it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.calibration import (
    DEFAULT_FOLDS,
    LabelIssue,
    LabelRecord,
    LabelsError,
    LabelSet,
    Report,
    RubricWriteError,
    ScoredSet,
    Suggestions,
    build_report,
    changes_between,
    load_labels,
    load_pack_with_rubrics,
    score_labels,
    suggest,
    write_tuned_pack,
)
from coach.calibration.metrics import BinaryFigures, GradeFigures
from coach.calibration.rubric_files import (
    WrittenPack,
    check_out_dir,
    format_number,
    rubric_source,
)
from coach.cli.common import UsageError, add_content_option, build_scorer, warn
from coach.cli.score_cmd import Progress
from coach.content import ContentError, ContentPack
from coach.locations import bundled_content_dir

TOP_DISAGREEMENTS = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="compare coach's grades and labels with a hiring manager's",
        description="Score a labels file of hand-graded answers and report how well coach agrees "
        "with the humans (QWK, Spearman, precision/recall per criterion), where it disagrees most, "
        "and cross-validated threshold and cut-off suggestions.",
    )
    parser.add_argument(
        "labels",
        nargs="?",
        type=Path,
        metavar="LABELS",
        help="JSONL or YAML records {id?, question, answer, grade?, grades?, labels?}",
    )
    parser.add_argument(
        "--rubric", metavar="DIR", type=Path, help="rubrics folder to use instead of the pack's"
    )
    add_content_option(parser)
    parser.add_argument(
        "--folds",
        metavar="K",
        type=int,
        default=DEFAULT_FOLDS,
        help=f"cross-validation folds for the suggestions (default {DEFAULT_FOLDS})",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--write",
        metavar="OUT_DIR",
        type=Path,
        help="write a copy of the pack with the suggested numbers (the original is never changed)",
    )
    parser.add_argument(
        "--from-history",
        action="store_true",
        help="use the grades a coach gave to practice attempts instead of a labels file",
    )
    parser.add_argument(
        "--candidate", metavar="NAME", help="with --from-history: one candidate only"
    )
    parser.add_argument(
        "--db", metavar="PATH", type=Path, help="with --from-history: the practice database"
    )
    parser.set_defaults(run=run)


# ---------------------------------------------------------------- inputs


def _load_pack(args: argparse.Namespace) -> ContentPack:
    root = args.content or bundled_content_dir()
    try:
        return load_pack_with_rubrics(root, args.rubric)
    except ContentError as exc:
        raise UsageError(str(exc)) from None


def _resolver(pack: ContentPack) -> Any:
    def resolve(ref: str | int) -> str:
        return pack.find_question(ref).id

    return resolve


def _labels_from_file(args: argparse.Namespace, pack: ContentPack) -> LabelSet:
    try:
        return load_labels(args.labels, _resolver(pack))
    except LabelsError as exc:
        raise UsageError(str(exc)) from None


def _labels_from_history(args: argparse.Namespace, pack: ContentPack) -> LabelSet:
    """Attempts a coach graded by hand, as records with one human grade each."""
    try:
        from coach.store import StoreError, open_store
    except ImportError:  # pragma: no cover - the store ships with coach
        raise UsageError(
            "--from-history is not available yet: the practice history store is missing"
        ) from None
    from coach.locations import default_db_path

    path = args.db or default_db_path()
    if not Path(path).exists():
        raise UsageError(f"--from-history: no practice history at {path} yet")
    records: list[LabelRecord] = []
    issues: list[LabelIssue] = []
    try:
        with open_store(path) as store:
            attempts = store.list_attempts(candidate=args.candidate)
    except StoreError as exc:
        raise UsageError(f"--from-history: {exc}") from None
    for attempt in attempts:
        if attempt.human_grade is None:
            continue
        try:
            question = pack.find_question(attempt.question_id).id
        except KeyError as exc:
            issues.append(LabelIssue(str(path), None, f"attempt {attempt.id}: {exc.args[0]}", True))
            continue
        if not any(ch.isalnum() for ch in attempt.answer):
            continue
        records.append(
            LabelRecord(
                id=f"attempt-{attempt.id}",
                line=0,
                question=question,
                answer=attempt.answer,
                grade=attempt.human_grade,
                kind=attempt.candidate,
            )
        )
    if not records:
        who = f" for {args.candidate}" if args.candidate else ""
        raise UsageError(
            f"--from-history: no attempts{who} have a coach's grade yet; grade some in the history"
        )
    return LabelSet(Path(path), tuple(records), tuple(issues))


def _check_args(args: argparse.Namespace) -> None:
    if args.from_history and args.labels:
        raise UsageError("give a LABELS file or --from-history, not both")
    if not args.from_history and not args.labels:
        raise UsageError("calibrate needs a LABELS file (.jsonl or .yaml) or --from-history")
    if (args.candidate or args.db) and not args.from_history:
        raise UsageError("--candidate and --db go with --from-history")
    if args.folds < 2:
        raise UsageError(f"--folds {args.folds}: cross-validation needs at least 2 folds")


# ---------------------------------------------------------------- run


def run(args: argparse.Namespace) -> int:
    _check_args(args)
    pack = _load_pack(args)
    labels = (
        _labels_from_history(args, pack) if args.from_history else _labels_from_file(args, pack)
    )
    for issue in labels.issues:
        warn(str(issue))
    if not labels.records:
        raise UsageError(f"{labels.path}: no usable records ({len(labels.issues)} problems above)")
    if args.write:  # before the slow part: a bad destination should not cost a scoring run
        try:
            check_out_dir(pack.root, args.write, args.rubric)
        except RubricWriteError as exc:
            raise UsageError(f"--write {exc}") from None
    scorer = build_scorer(pack, quiet=args.json)
    progress = Progress(len(labels.records), sys.stderr)
    try:
        scored = score_labels(scorer, labels, progress=lambda done, _total: progress.update(done))
    finally:
        progress.close()
    for issue in scored.issues[len(labels.issues) :]:
        warn(str(issue))
    if not len(scored):
        raise UsageError(f"{labels.path}: no record could be scored")
    notes = _notes(scored, scorer.embedder is not None)
    if args.rubric:
        notes.insert(0, f"rubrics from {rubric_source(args.rubric)}")
    report = build_report(scored)
    suggestions = suggest(scored, folds=args.folds)
    written = None
    if args.write:
        changes = changes_between(scored.base, suggestions.params)
        try:
            written = write_tuned_pack(pack.root, args.write, changes, args.rubric)
        except RubricWriteError as exc:
            raise UsageError(f"--write {exc}") from None
        except OSError as exc:
            raise UsageError(f"--write {args.write}: cannot write ({exc.strerror})") from None
    if args.json:
        payload = _payload(labels, pack, scored, report, suggestions, written, notes)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        again = "coach calibrate " + ("--from-history" if args.from_history else str(args.labels))
        print(render(labels, pack, scored, report, suggestions, written, notes, again))
    return 2 if any(issue.skipped for issue in scored.issues) else 0


def _notes(scored: ScoredSet, semantic: bool) -> list[str]:
    notes = []
    if not semantic:
        notes.append("the embedding model is missing: figures are for keyword checks only")
    drift = scored.recompute_mismatches()
    if drift:
        notes.append(
            f"recomputing {len(drift)} records from their scores does not reproduce the scorer; "
            "the suggestions may be off (report this as a bug)"
        )
    return notes


def _payload(
    labels: LabelSet,
    pack: ContentPack,
    scored: ScoredSet,
    report: Report,
    suggestions: Suggestions,
    written: WrittenPack | None,
    notes: list[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "labels": str(labels.path),
        "content": str(pack.root),
        "content_hash": pack.content_hash,
        **report.to_dict(),
        "suggestions": suggestions.to_dict(),
        "issues": [
            {"line": i.line, "message": i.message, "skipped": i.skipped} for i in scored.issues
        ],
        "notes": notes,
    }
    if written is not None:
        out["written"] = {
            "path": str(written.root),
            "rubric": str(written.rubric.path),
            "kept_comments": written.rubric.kept_comments,
            "changes": [c.to_dict() for c in written.rubric.changes],
            "backups": [str(p) for p in written.backups],
        }
    return out


# ---------------------------------------------------------------- table


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
