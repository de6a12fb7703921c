"""Full deduplication of N synthetic persons (issue 14, benchmark): Lantern's job beside
Splink alone on the same prepared table, in the same run; precision, recall and F1 at the
chosen threshold against the synthetic truth; peak resident memory.

Lantern's job is what ``match_people`` runs: person records prepared (names to pinyin,
IDs parsed), the stored model loaded and re-dialected, Splink's predict on an in-memory
DuckDB with spilling off, the pairs fetched as ids and probabilities. Splink alone is a
plain ``DuckDBAPI()`` and ``Linker(table, model)`` predicting on the already-prepared
table. Targets: Lantern at most 1.2x Splink alone, F1 >= 0.95, peak memory within 8 GiB.

    make bench      or    python bench/match_dedupe.py --persons 1000000 [--threshold 0.5] [--train]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from lantern.linkage.matching import jobs, synthetic  # noqa: E402
from lantern.linkage.matching.artefacts import default_model  # noqa: E402
from lantern.linkage.matching.model import trained_settings  # noqa: E402
from lantern.linkage.matching.scoring import table, thresholds  # noqa: E402

TARGET_RATIO, TARGET_F1, TARGET_GIB = 1.2, 0.95, 8.0


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # kilobytes on Linux


def splink_alone(prepared, threshold: float) -> tuple[float, int]:
    from splink import DuckDBAPI, Linker

    start = time.perf_counter()
    api = DuckDBAPI()
    linker = Linker(api.register(prepared), trained_settings(default_model().settings), log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    pairs = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    return time.perf_counter() - start, len(pairs)


def lantern_job(records, threshold: float, train: bool) -> tuple[float, float, set[tuple[str, str]]]:
    start = time.perf_counter()
    prepared = table(records)
    prepared_at = time.perf_counter()
    found = {(a, b) if a < b else (b, a)
             for a, b, _p in jobs.predict([prepared], threshold=threshold, model=default_model(), train_first=train)}
    return time.perf_counter() - start, prepared_at - start, found


def quality(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(truth))
    return precision, recall, 2 * precision * recall / max(1e-12, precision + recall)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--threshold", type=float, default=None, help="default: the review threshold")
    parser.add_argument("--train", action="store_true", help="Lantern's job trains on the data first")
    args = parser.parse_args()
    threshold = args.threshold if args.threshold is not None else thresholds().review

    start = time.perf_counter()
    truths = list(synthetic.persons(args.persons))
    records = [t.record for t in truths]
    truth = synthetic.true_pairs(truths)
    del truths
    print(f"generated {len(records):,} records ({len(truth):,} true pairs) in {time.perf_counter() - start:.1f} s")

    lantern_s, prepare_s, found = lantern_job(records, threshold, args.train)
    alone_s, alone_pairs = splink_alone(table(records), threshold)
    precision, recall, f1 = quality(found, truth)
    ratio = lantern_s / alone_s
    print(f"Lantern's job: {lantern_s:.1f} s (of which preparing the records {prepare_s:.1f} s), "
          f"{len(found):,} pairs at p >= {threshold}")
    print(f"Splink alone on the prepared table: {alone_s:.1f} s, {alone_pairs:,} pairs")
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x); without preparing: "
          f"{(lantern_s - prepare_s) / alone_s:.2f}x")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f} (target >= {TARGET_F1})")
    print(f"peak resident memory {peak_gib():.2f} GiB (target <= {TARGET_GIB})")
    ok = ratio <= TARGET_RATIO and f1 >= TARGET_F1 and peak_gib() <= TARGET_GIB
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
