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
from coach.calibration.rubric_files import (
    WrittenPack,
    check_out_dir,
    rubric_source,
)
from coach.cli.calibrate_render import render
from coach.cli.common import UsageError, add_content_option, build_scorer, warn
from coach.cli.score_cmd import Progress
from coach.content import ContentError, ContentPack
from coach.locations import bundled_content_dir


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
