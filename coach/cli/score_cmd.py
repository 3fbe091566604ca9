"""`coach score`: score one answer (file or stdin) or a JSONL batch."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from coach.cli.common import (
    UsageError,
    add_content_option,
    add_save_options,
    build_scorer,
    load_content,
    read_text_file,
)
from coach.cli.render import render_result
from coach.content import ContentPack
from coach.scoring import EmptyAnswer, Scorer, ScoreResult

# Answers scored per model call: more sentences per call sort into batches of closer lengths, so
# less padding (256 against 64: about 5 % more answers a second, bench/bench_perf.py).
BATCH_CHUNK = 256


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score an answer to a question",
        description="Score one answer (from --file or standard input) or a JSONL batch.",
    )
    parser.add_argument("-q", "--question", metavar="Q", help="question id or 1-based position")
    parser.add_argument("--file", metavar="F", type=Path, help="answer text file (default: stdin)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--audio", metavar="FILE", type=Path, help="spoken answer: wav, mp3, m4a or ogg file"
    )
    parser.add_argument("--batch", metavar="IN.jsonl", type=Path, help="score many answers")
    parser.add_argument(
        "--out", metavar="OUT.jsonl", type=Path, help="batch output (default: stdout)"
    )
    add_content_option(parser)
    add_save_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.batch:
        if args.file or args.question or args.audio:
            raise UsageError("--batch takes questions from its records; drop -q/--file/--audio")
        if args.save:
            raise UsageError("--save keeps one answer; it does not work with --batch")
        return run_batch(args)
    if not args.question:
        raise UsageError("score needs -q/--question (an id or 1 to 10) or --batch IN.jsonl")
    pack = load_content(args)
    question = find(pack, args.question, "-q/--question")
    saver = None
    if args.save:  # the store and the speech stack are imported only when asked for
        from coach.cli.history_cmd import open_saver

        saver = open_saver(args, pack, question)
    spoken = None
    if args.audio:
        if args.file:
            raise UsageError("--audio and --file both give the answer; use one")
        from coach.cli.speech_cmd import transcribe_answer

        spoken = transcribe_answer(args.audio, pack, question)
    answer = spoken.transcript.text if spoken else read_answer(args)
    scorer = build_scorer(pack)
    try:
        result = scorer.score(question.id, answer)
    except EmptyAnswer as exc:
        raise UsageError(str(exc)) from None
    if saver:
        saver.save(result, answer, spoken.delivery if spoken else None)  # before printing
    if args.json:
        extras = spoken.score_extras() if spoken else {}
        print(json.dumps({**result.to_dict(), **extras}, ensure_ascii=False, indent=2))
    else:
        print(render_result(result, question))
        if spoken:
            from coach.cli.speech_cmd import render_delivery

            print("\n" + render_delivery(spoken.delivery))
    return 0


def find(pack: ContentPack, ref: str, flag: str) -> Any:
    try:
        return pack.find_question(ref)
    except KeyError as exc:
        raise UsageError(f"{flag} {ref}: {exc.args[0]}") from None


def read_answer(args: argparse.Namespace) -> str:
    if args.file:
        return read_text_file(args.file, "--file")
    if sys.stdin is None:
        raise UsageError("no answer given: pass --file F or pipe the answer on standard input")
    if sys.stdin.isatty():
        print("Type or paste your answer, then press Ctrl-D on an empty line:", file=sys.stderr)
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"standard input is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = max(1, total)
        self.stream = stream
        self.live = stream.isatty()
        self.last_percent = -1

    def update(self, done: int) -> None:
        percent = 100 * done // self.total
        if percent == self.last_percent:
            return
        if self.live:
            filled = percent * 30 // 100
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\rscoring [{bar}] {done}/{self.total}")
            self.stream.flush()
        elif percent // 10 != self.last_percent // 10 or done == self.total:
            self.stream.write(f"scoring {done}/{self.total} ({percent}%)\n")
        self.last_percent = percent

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")


class BadRecord(UsageError):
    """One batch line that cannot be scored; keeps the record's id when it has one."""

    def __init__(self, message: str, record_id: Any = None) -> None:
        super().__init__(message)
        self.record_id = record_id


def parse_batch_line(pack: ContentPack, line: str, number: int) -> tuple[Any, str, str]:
    """(record id, question id, answer) or BadRecord naming the line and field."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"line {number}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # a number over Python's 4300 digits, deep nesting
        raise BadRecord(f"line {number}: not valid JSON (a number or nesting too large)") from None
    if not isinstance(record, dict):
        raise BadRecord(f"line {number}: expected a JSON object with question and answer")
    record_id = record.get("id", number)
    try:
        return record_id, *_question_and_answer(pack, record, number)
    except UsageError as exc:
        raise BadRecord(str(exc), record_id) from None


def _question_and_answer(pack: ContentPack, record: dict[str, Any], number: int) -> tuple[str, str]:
    question = record.get("question")
    answer = record.get("answer")
    if question is None or isinstance(question, bool) or not isinstance(question, str | int):
        raise UsageError(f"line {number}: field 'question' must be a question id or position")
    if not isinstance(answer, str):
        raise UsageError(f"line {number}: field 'answer' must be a string")
    try:
        found = pack.find_question(question)
    except KeyError as exc:
        raise UsageError(f"line {number}: field 'question': {exc.args[0]}") from None
    if not answer.strip():
        raise UsageError(f"line {number}: field 'answer' is empty")
    return found.id, answer


def run_batch(args: argparse.Namespace) -> int:
    pack = load_content(args)
    text = read_text_file(args.batch, "--batch")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    scorer = build_scorer(pack)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    progress = Progress(len(lines))
    errors = 0
    try:
        for start in range(0, len(lines), BATCH_CHUNK):
            chunk = lines[start : start + BATCH_CHUNK]
            errors += score_chunk(pack, scorer, chunk, out)
            progress.update(start + len(chunk))
    finally:
        progress.close()
        if args.out:
            out.close()
    if errors:
        print(
            f"coach: {errors} of {len(lines)} records had errors (see their 'error' lines)",
            file=sys.stderr,
        )
        return 2
    return 0


@dataclass(frozen=True)
class BatchRecord:
    number: int
    record_id: Any
    question_id: str = ""
    answer: str = ""
    error: str = ""


def score_chunk(
    pack: ContentPack, scorer: Scorer, chunk: list[tuple[int, str]], out: TextIO
) -> int:
    records: list[BatchRecord] = []
    for number, line in chunk:
        try:
            record_id, question_id, answer = parse_batch_line(pack, line, number)
            records.append(BatchRecord(number, record_id, question_id, answer))
        except BadRecord as exc:
            records.append(BatchRecord(number, exc.record_id, error=str(exc)))
    good = [r for r in records if not r.error]
    try:
        results = iter(scorer.score_many([(r.question_id, r.answer) for r in good]))
    except EmptyAnswer:  # an answer of punctuation only: find it, score the others one by one
        records, scored = _score_one_by_one(scorer, records)
        results = iter(scored)
    for record in records:
        if record.error:
            payload = {"id": record.record_id, "line": record.number, "error": record.error}
            print(f"coach: error: {record.error}", file=sys.stderr)
        else:
            payload = {"id": record.record_id, **next(results).to_dict()}
        # ASCII keeps one record per line even when an answer holds U+0085 or U+2028.
        out.write(json.dumps(payload) + "\n")
    return sum(1 for r in records if r.error)


def _score_one_by_one(
    scorer: Scorer, records: list[BatchRecord]
) -> tuple[list[BatchRecord], list[ScoreResult]]:
    out: list[BatchRecord] = []
    scored: list[ScoreResult] = []
    for record in records:
        if record.error:
            out.append(record)
            continue
        try:
            scored.append(scorer.score(record.question_id, record.answer))
            out.append(record)
        except EmptyAnswer:
            error = f"line {record.number}: field 'answer' has no words to score"
            out.append(BatchRecord(record.number, record.record_id, error=error))
    return out, scored
