"""Scoring speed: cold CLI start, warm single answers, batch throughput.

Run by hand: `.venv/bin/python bench/bench_scoring.py [--runs N] [--reference]`. Prints median, min
and max. The in-process figures use the CLI's embedder (`default_embedder()`: onnxruntime plus the
content cache); `--reference` uses sentence-transformers instead. `bench_perf.py` has issue 8's
figures (ratios, real answer sentences, memory).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.content import load_pack  # noqa: E402
from coach.locations import bundled_content_dir  # noqa: E402
from coach.scoring import MiniLM, Scorer  # noqa: E402
from coach.scoring.embedding import Embedder, content_texts, default_embedder  # noqa: E402

SENTENCES = [
    "At my last company I was the first partnerships hire in the region.",
    "My goal was to build a referral channel worth a million in pipeline.",
    "Before asking for anything I introduced each partner to a client they wanted to meet.",
    "I followed up within a week and set a monthly touchpoint in the CRM.",
    "We closed nine deals worth $1.4M and referrals converted at 48%.",
    "I went to forty events and collected hundreds of cards.",
    "Honestly I rarely follow up after conferences.",
    "Our customer success lead joined the quarterly reviews.",
    "The sales cycle dropped from 120 to 75 days.",
    "Networking is about relationships and trust.",
]


def answer(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(rng.sample(SENTENCES, sentences))


def summary(label: str, values: list[float], unit: str) -> str:
    return (
        f"{label}: median {statistics.median(values):.3f}{unit}  "
        f"min {min(values):.3f}{unit}  max {max(values):.3f}{unit}  (n={len(values)})"
    )


def timed(command: list[str], stdin: bytes = b"") -> float:
    start = time.perf_counter()
    subprocess.run(command, input=stdin, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--reference", action="store_true", help="sentence-transformers in process")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    rng = random.Random(7)
    text = answer(rng, 8)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answer.txt"
        path.write_text(text, encoding="utf-8")
        coach = [sys.executable, "-m", "coach", "score", "-q", "1", "--file", str(path), "--json"]
        baseline = [sys.executable, "-c", "import sentence_transformers"]
        cold, imports = [], []
        for _ in range(args.runs):  # alternate, so both see the same machine load
            cold.append(timed(coach))
            imports.append(timed(baseline))
        print(summary("cold `coach score` (one answer)", cold, " s"))
        print(summary("`import sentence_transformers`", imports, " s"))
        ratios = [c / i for c, i in zip(cold, imports, strict=True)]
        print(summary("ratio cold score / import", ratios, "x"))

    pack = load_pack(bundled_content_dir())
    embedder: Embedder = MiniLM() if args.reference else default_embedder()
    scorer = Scorer(pack, embedder)
    for question in pack.questions:
        with content_texts(embedder):  # a no-op once scorer.py marks its content itself
            scorer.prepare(question)
    scorer.score(1, text)
    warm = []
    typical = answer(rng, 10)  # about 150 words
    for _ in range(max(20, args.runs * 4)):
        start = time.perf_counter()
        scorer.score(1, typical)
        warm.append((time.perf_counter() - start) * 1000)
    print(summary(f"warm score of a {len(typical.split())}-word answer", warm, " ms"))

    items = [(rng.randint(1, 10), answer(rng)) for _ in range(args.batch)]
    rates = []
    for _ in range(max(1, args.runs // 2)):
        start = time.perf_counter()
        scorer.score_many(items)
        rates.append(len(items) / (time.perf_counter() - start))
    print(summary(f"batch of {len(items)} five-sentence answers", rates, " answers/s"))

    lines = "\n".join(json.dumps({"question": q, "answer": a}) for q, a in items[:200])
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "in.jsonl"
        batch.write_text(lines, encoding="utf-8")
        whole = timed(
            [sys.executable, "-m", "coach", "score", "--batch", str(batch), "--out", os.devnull]
        )
    print(f"`coach score --batch` of 200 answers, start-up included: {whole:.2f} s")


if __name__ == "__main__":
    main()
