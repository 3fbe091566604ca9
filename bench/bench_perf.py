"""Issue 8's figures: cold start against `import sentence_transformers`, warm scoring, batch
throughput and peak memory. Run by hand (not in CI):

    .venv/bin/python bench/bench_perf.py [--runs 7] [--batch 1000] [--profile]

Each figure is printed as median, min and max over several runs; the cold start is measured
alternately with the baseline in the same run, so both see the same machine load, and its ratio
is given per pair. Everything runs against a fresh cache dir (COACH_CACHE_DIR) that the first,
separately reported, start fills. `--profile` adds cProfile hot spots of the warm scoring path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.content import ContentPack, load_pack  # noqa: E402
from coach.locations import bundled_content_dir  # noqa: E402
from coach.scoring import Scorer  # noqa: E402
from coach.scoring.embedding import content_texts, default_embedder  # noqa: E402
from coach.scoring.embedding_cache import CachingEmbedder  # noqa: E402
from coach.scoring.onnx_embedder import OnnxMiniLM  # noqa: E402
from coach.scoring.text import split_sentences  # noqa: E402

PYTHON = sys.executable
COACH = [PYTHON, "-m", "coach"]
TARGETS = {
    "cold_ratio": 0.25,
    "warm_ms": 25.0,
    "batch_rate": 60.0,
    "rss_mb": 700.0,
}


# ---------------------------------------------------------------- helpers


def summary(label: str, values: list[float], unit: str, digits: int = 3) -> str:
    return (
        f"{label}: median {statistics.median(values):.{digits}f}{unit}  "
        f"min {min(values):.{digits}f}{unit}  max {max(values):.{digits}f}{unit}  (n={len(values)})"
    )


def verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def timed(command: list[str], env: dict[str, str], stdin: bytes = b"") -> float:
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def sentence_pool() -> list[str]:
    """Real answer sentences from the calibration sets, for varied answers."""
    pool: list[str] = []
    for path in sorted((bundled_content_dir() / "calibration").glob("*.yaml")):
        import yaml

        for record in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            pool += [s.text for s in split_sentences(str(record["answer"])) if len(s.text) > 20]
    return list(dict.fromkeys(pool))


def vary(sentence: str, rng: random.Random) -> str:
    """The same sentence with other figures, so no two answers are alike."""
    return re.sub(
        r"\d+", lambda m: str(rng.randint(2, 99) * (10 ** (len(m.group()) - 1))), sentence
    )


class Sentences:
    """Pool sentences with their figures changed, never the same sentence twice in a run: the
    scorer keeps recent sentences in memory, so a repeat would skip the model and flatter the
    figures (before 2026-12-02 late, half the batch's sentences were repeats)."""

    def __init__(self, pool: list[str], rng: random.Random) -> None:
        self.pool = pool
        self.rng = rng
        self.used: set[str] = set()
        self.words = sorted({w for s in pool for w in re.findall(r"\b[a-z]{4,}\b", s)})

    def draw(self) -> str:
        sentence = vary(self.rng.choice(self.pool), self.rng)
        while sentence in self.used:  # most sentences hold no figure: swap a word instead
            sentence = self._swap_word(sentence)
        self.used.add(sentence)
        return sentence

    def _swap_word(self, sentence: str) -> str:
        spots = list(re.finditer(r"\b[a-z]{4,}\b", sentence))
        if not spots:
            return sentence + " " + self.rng.choice(self.words)
        spot = self.rng.choice(spots)
        return sentence[: spot.start()] + self.rng.choice(self.words) + sentence[spot.end() :]


def make_answer(source: Sentences, sentences: int) -> str:
    return " ".join(source.draw() for _ in range(sentences))


def typical_answers(source: Sentences, count: int) -> list[str]:
    """Answers of 140-160 words."""
    answers: list[str] = []
    while len(answers) < count:
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < 140:
            picked.append(source.draw())
        text = " ".join(picked)
        if len(text.split()) <= 160:
            answers.append(text)
    return answers


# ---------------------------------------------------------------- the figures


def cold_start(runs: int, env: dict[str, str], answer: Path) -> float:
    score = [*COACH, "score", "-q", "1", "--file", str(answer), "--json"]
    baseline = [PYTHON, "-c", "import sentence_transformers"]
    first = timed(score, env)
    print(f"first start ever (builds the ONNX graph, encodes the content): {first:.2f} s")
    timed(score, env)  # second start: the page cache holds the graph, as on a user's machine
    cold, imports = [], []
    for _ in range(runs):  # alternate, so both see the same machine load
        cold.append(timed(score, env))
        imports.append(timed(baseline, env))
    ratios = [c / i for c, i in zip(cold, imports, strict=True)]
    print(summary("cold `coach score -q 1 --file A`", cold, " s"))
    print(summary('`python -c "import sentence_transformers"`', imports, " s"))
    print(summary("ratio cold score / import, per pair", ratios, "x"))
    ratio = statistics.median(cold) / statistics.median(imports)
    print(
        f"ratio of medians: {ratio:.3f}x (target <= {TARGETS['cold_ratio']}x: "
        f"{verdict(ratio <= TARGETS['cold_ratio'])})"
    )
    return ratio


def prepared_scorer(pack: ContentPack) -> Scorer:
    scorer = Scorer(pack, default_embedder())
    for question in pack.questions:
        with content_texts(scorer.embedder):  # a no-op once scorer.py marks its content itself
            scorer.prepare(question)
    return scorer


def warm_scoring(scorer: Scorer, answers: list[str]) -> float:
    """Wall time per answer, and CPU time (all threads), which machine load inflates far less:
    on an idle machine the wall time is at least CPU time / cores. Every answer is new to the
    scorer (it keeps the sentences of recent answers in memory)."""
    questions = [q.id for q in scorer.pack.questions]
    embedder = scorer.embedder
    assert embedder is not None
    model = getattr(embedder, "inner", embedder)  # the model itself, past any memory
    warm_up, answers = answers[:3], answers[3:]
    for answer in warm_up:
        scorer.score(questions[0], answer)
    total, alone, cpu, again = [], [], [], []
    for i, answer in enumerate(answers):
        question = questions[i % len(questions)]
        start, start_cpu = time.perf_counter(), time.process_time()
        scorer.score(question, answer)
        total.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        start = time.perf_counter()
        scorer.score(question, answer)  # as the app's submit does, after the live check
        again.append((time.perf_counter() - start) * 1000)
        sentences = [s.text for s in split_sentences(answer)]
        start = time.perf_counter()
        model.encode(sentences)
        alone.append((time.perf_counter() - start) * 1000)
    words = statistics.median(len(a.split()) for a in answers)
    pieces = statistics.median(
        sum(model.token_counts([s.text for s in split_sentences(a)])) for a in answers
    )
    print(
        summary(
            f"warm score of a new {words:.0f}-word answer ({pieces:.0f} word pieces), wall",
            total,
            " ms",
            1,
        )
    )
    print(summary("  the same, CPU time of all threads", cpu, " ms", 1))
    print(summary("  model alone (tokenise + MiniLM pass), wall", alone, " ms", 1))
    rest = [t - m for t, m in zip(total, alone, strict=True)]
    print(summary("  the rest (sentences, keywords, criteria), wall", rest, " ms", 1))
    print(
        summary("  the same answer again (the app's submit after its live check)", again, " ms", 1)
    )
    median = statistics.median(total)
    print(f"  target <= {TARGETS['warm_ms']:.0f} ms: {verdict(median <= TARGETS['warm_ms'])}")
    return median


def batch_in_process(scorer: Scorer, runs: list[list[tuple[str, str]]]) -> float:
    """One batch per run, each of answers the scorer has not seen."""
    from coach.cli.score_cmd import BATCH_CHUNK, score_chunk

    rates, cpu_rates, model_share = [], [], []
    embedder = scorer.embedder
    assert embedder is not None
    model = getattr(embedder, "inner", embedder)
    for items in runs:
        lines = [(n, json.dumps({"question": q, "answer": a})) for n, (q, a) in enumerate(items, 1)]
        sink = io.StringIO()
        start, start_cpu = time.perf_counter(), time.process_time()
        for at in range(0, len(lines), BATCH_CHUNK):
            score_chunk(scorer.pack, scorer, lines[at : at + BATCH_CHUNK], sink)
        elapsed = time.perf_counter() - start
        rates.append(len(items) / elapsed)
        cpu_rates.append(len(items) / (time.process_time() - start_cpu))
        sentences = [s.text for _, a in items for s in split_sentences(a)]
        start = time.perf_counter()
        for at in range(0, len(sentences), BATCH_CHUNK * 5):
            model.encode(sentences[at : at + BATCH_CHUNK * 5])
        model_share.append((time.perf_counter() - start) / elapsed * 100)
    count = len(runs[0])
    print(summary(f"batch of {count} five-sentence answers, in process", rates, " answers/s", 1))
    print(summary("  answers per CPU-second (all threads)", cpu_rates, " answers/s", 1))
    print(summary("  model share of that time", model_share, " %", 0))
    return statistics.median(rates)


def batch_cli(items: list[tuple[str, str]], env: dict[str, str], tmp: Path, runs: int) -> float:
    many = tmp / "many.jsonl"
    many.write_text(
        "\n".join(json.dumps({"question": q, "answer": a}) for q, a in items), encoding="utf-8"
    )
    one = tmp / "one.jsonl"
    one.write_text(json.dumps({"question": items[0][0], "answer": items[0][1]}), encoding="utf-8")
    command = [*COACH, "score", "--batch"]
    walls, starts, rates = [], [], []
    for _ in range(runs):
        wall = timed([*command, str(many), "--out", os.devnull], env)
        start = timed([*command, str(one), "--out", os.devnull], env)
        walls.append(wall)
        starts.append(start)
        rates.append((len(items) - 1) / max(1e-9, wall - start))
    print(summary(f"`coach score --batch` of {len(items)} answers, wall", walls, " s", 2))
    print(summary("`coach score --batch` of 1 answer (start-up)", starts, " s", 2))
    print(summary("  answers/s after start-up", rates, " answers/s", 1))
    median = statistics.median(rates)
    print(f"  target >= {TARGETS['batch_rate']:.0f}/s: {verdict(median >= TARGETS['batch_rate'])}")
    return median


RSS_CHILD = r"""
import json, sys, time
def rss():  # peak RSS of this process (VmHWM; ru_maxrss would include the parent's, from fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from coach.content import load_pack
from coach.locations import bundled_content_dir
from coach.scoring import MiniLM, Scorer
from coach.scoring.embedding import default_embedder
pack = load_pack(bundled_content_dir())
out = {"start": rss()}
embedder = MiniLM() if sys.argv[1] == "reference" else default_embedder()
scorer = Scorer(pack, embedder)
for q in pack.questions:
    scorer.prepare(q)
scorer.score(1, sys.argv[2])
out["embedding"] = rss()
if len(sys.argv) > 3:
    try:
        from coach.speech import load_model, transcribe
        load_model()
        out["whisper_loaded"] = rss()
        start = time.perf_counter()
        transcript = transcribe(sys.argv[3])
        out["transcribe_s"] = time.perf_counter() - start
        out["words"] = len(transcript.text.split())
        out["both"] = rss()
    except Exception as exc:
        out["whisper_error"] = f"{exc.__class__.__name__}: {exc}"
print(json.dumps(out))
"""


def speech_clip(tmp: Path, text: str) -> tuple[Path, float] | None:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    path = tmp / "answer.wav"
    subprocess.run([espeak, "-s", "150", "-w", str(path), text], check=True, capture_output=True)
    import wave

    with wave.open(str(path)) as clip:
        return path, clip.getnframes() / clip.getframerate()


def peak_memory(env: dict[str, str], answer: str, tmp: Path) -> float:
    clip = speech_clip(tmp, answer)
    args = [answer, str(clip[0])] if clip else [answer]
    fast = json.loads(
        subprocess.run(
            [PYTHON, "-c", RSS_CHILD, "fast", *args], env=env, capture_output=True, check=True
        ).stdout
    )
    reference = json.loads(
        subprocess.run(
            [PYTHON, "-c", RSS_CHILD, "reference", answer], env=env, capture_output=True, check=True
        ).stdout
    )
    print(f"peak RSS, interpreter, coach imports and content: {fast['start']:.0f} MB")
    print(
        f"peak RSS with the embedding model (onnxruntime), after scoring: {fast['embedding']:.0f} MB"
    )
    print(
        f"peak RSS with sentence-transformers instead, for comparison: {reference['embedding']:.0f} MB"
    )
    peak = float(fast["embedding"])
    if "both" in fast and clip:
        peak = float(fast["both"])
        rtf = fast["transcribe_s"] / clip[1]
        print(f"peak RSS with Whisper (tiny.en int8) loaded too: {fast['whisper_loaded']:.0f} MB")
        print(
            f"peak RSS after transcribing a {clip[1]:.0f} s clip as well: {peak:.0f} MB "
            f"(transcription RTF {rtf:.3f}, first call, {fast['words']} words)"
        )
    elif "whisper_error" in fast:
        print(f"Whisper not measured: {fast['whisper_error']}")
    print(f"  target <= {TARGETS['rss_mb']:.0f} MB: {verdict(peak <= TARGETS['rss_mb'])}")
    return peak


def profile(scorer: Scorer, answers: list[str]) -> None:
    questions = [q.id for q in scorer.pack.questions]
    items = [(questions[i % len(questions)], a) for i, a in enumerate(answers)]
    profiler = cProfile.Profile()
    profiler.enable()
    for q, a in items:
        scorer.score(q, a)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(18)
    print("\ncProfile of warm scoring, by own time:")
    print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[:6000])


def int8_effect(pack: ContentPack) -> None:
    """Every grade, criterion, STAR part and mistake of the calibration sets that the int8 option
    changes, against the exact ONNX path (itself equal to sentence-transformers)."""
    import yaml

    model = OnnxMiniLM()
    exact = Scorer(pack, model)
    quick = Scorer(pack, OnnxMiniLM(quantized=True))
    sample = typical_answers(Sentences(sentence_pool(), random.Random(3)), 30)
    sentences = [x.text for a in sample for x in split_sentences(a)]
    tokens = sum(model.token_counts(sentences))
    print(f"({len(sentences)} sentences, {tokens / len(sentences):.1f} tokens each on average)")
    assert exact.embedder is not None and quick.embedder is not None
    cosines = (exact.embedder.encode(sentences) * quick.embedder.encode(sentences)).sum(axis=1)
    print(
        f"int8 vs exact embeddings on {len(sentences)} answer sentences: cosine min "
        f"{cosines.min():.4f}, median {statistics.median(cosines.tolist()):.4f}"
    )
    for path in sorted((bundled_content_dir() / "calibration").glob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [(str(r["question"]), str(r["answer"])) for r in records]
        changes: list[str] = []
        checks = 0
        for record, a, b in zip(
            records, exact.score_many(items), quick.score_many(items), strict=True
        ):
            pairs = [("grade", a.grade, b.grade)]
            pairs += [
                (x.id, x.passed, y.passed) for x, y in zip(a.criteria, b.criteria, strict=True)
            ]
            pairs += [(part, a.star[part].present, b.star[part].present) for part in a.star]
            found = ({m.id for m in a.mistakes}, {m.id for m in b.mistakes})
            pairs += [(m, m in found[0], m in found[1]) for m in sorted(found[0] | found[1])]
            checks += len(pairs)
            changes += [f"{record['id']} {what}: {x} -> {y}" for what, x, y in pairs if x != y]
            if abs(a.overall - b.overall) >= 3:
                changes.append(f"{record['id']} overall: {a.overall} -> {b.overall}")
        grades = sum(1 for c in changes if " grade:" in c)
        print(
            f"{path.name}: {len(records)} answers, {grades} grades changed, "
            f"{len(changes) - grades} other changes in {checks} checks"
        )
        for change in changes:
            print(f"    {change}")


def section(title: str, run: Callable[[], object]) -> None:
    print(f"\n== {title}  (load average {load_average()})")
    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold-start pairs (default 7)")
    parser.add_argument("--batch", type=int, default=1000, help="answers in the batch")
    parser.add_argument("--profile", action="store_true", help="cProfile the warm scoring path")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument(
        "--int8", action="store_true", help="also the int8 option: speed and calibration effect"
    )
    args = parser.parse_args()

    print(f"coach bench_perf, {time.strftime('%Y-%m-%d %H:%M')}, {machine()}")
    rng = random.Random(8)
    source = Sentences(sentence_pool(), rng)
    answers = typical_answers(source, 20)
    # One set for the exact model and the int8 option alike: answers drawn later hold more
    # swapped-in words, and so more word pieces for the model.
    warm_answers = typical_answers(source, 103)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "COACH_CACHE_DIR": str(tmp / "cache"),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),  # this tree's coach, even when run from a copy
        }
        env.pop("COACH_EMBEDDER", None)
        os.environ["COACH_CACHE_DIR"] = env["COACH_CACHE_DIR"]
        answer_file = tmp / "answer.txt"
        answer_file.write_text(answers[0], encoding="utf-8")
        if not args.skip_cold:
            section("cold start", lambda: cold_start(args.runs, env, answer_file))
        pack = load_pack(bundled_content_dir())
        scorer = prepared_scorer(pack)
        section("warm scoring", lambda: warm_scoring(scorer, warm_answers))
        questions = [q.id for q in pack.questions]

        def batches(count: int) -> list[list[tuple[str, str]]]:
            return [
                [(rng.choice(questions), make_answer(source, 5)) for _ in range(args.batch)]
                for _ in range(count)
            ]

        section("batch", lambda: batch_in_process(scorer, batches(3)))
        items = batches(1)[0]
        section("batch through the CLI", lambda: batch_cli(items, env, tmp, 3))
        if not args.skip_memory:
            section("memory", lambda: peak_memory(env, answers[0], tmp))
        if args.int8:
            print(f"\n== int8 option (COACH_EMBEDDER=onnx-int8)  (load average {load_average()})")
            int8_effect(pack)
            # As the app has the option: behind the memory of recent sentences, empty (the
            # calibration answers scored above share sentences with the warm answers).
            quick = Scorer(pack, CachingEmbedder(OnnxMiniLM(quantized=True), None))
            for question in pack.questions:
                quick.prepare(question)
            warm_scoring(quick, warm_answers)
            batch_in_process(quick, batches(2))
            batch_cli(batches(1)[0], {**env, "COACH_EMBEDDER": "onnx-int8"}, tmp, 2)
        if args.profile:
            profile(scorer, typical_answers(source, 100))
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()
