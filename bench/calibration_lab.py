"""How fast the rubric lab answers: score a labels file once, then time threshold moves and
suggestions. Run by hand: .venv/bin/python bench/calibration_lab.py [LABELS] [--copies N]"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from coach.calibration import Lab, LabelSet, load_labels, score_labels
from coach.cli.common import build_scorer
from coach.content import load_pack
from coach.locations import bundled_content_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labels", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=20, help="repeat the records (lab timing)")
    args = parser.parse_args()
    root = bundled_content_dir()
    pack = load_pack(root)
    path = args.labels or root / "calibration" / "holdout.yaml"
    labels = load_labels(path, lambda ref: pack.find_question(ref).id)
    start = time.perf_counter()
    scorer = build_scorer(pack)
    print(f"model load      {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    scored = score_labels(scorer, labels)
    print(f"scoring {len(scored):>5}   {time.perf_counter() - start:6.2f} s  (the only slow step)")
    if args.copies > 1:  # a bigger set from the same results, to time the numpy side
        many = LabelSet(labels.path, labels.records * args.copies, ())
        from coach.calibration import build_scored_set

        scored = build_scored_set(pack, many.records, list(scored.results) * args.copies)
    lab = Lab(scored)
    start = time.perf_counter()
    moves = 100
    for i in range(moves):
        lab.set_threshold("follow_up", 0.3 + 0.004 * i)
    each = (time.perf_counter() - start) / moves
    print(f"lab move {len(scored):>5}  {1000 * each:6.1f} ms per threshold move (full report)")
    start = time.perf_counter()
    lab.suggest()
    print(f"suggest  {len(scored):>5}  {time.perf_counter() - start:6.2f} s  (5-fold CV)")


if __name__ == "__main__":
    main()
