"""Fitting FSRS to 100,000 reviews: `flashnotes optimize` against fsrs-rs alone.

python benchmarks/optimize.py [--reviews 100000] [--runs 3]

Three timings in one run, so the ratios hold on a noisy machine:
- baseline: fsrs-rs's compute_parameters on training items built beforehand (the library alone);
- fit: flashnotes's fit() on the log rows (items built from the log, fit, three evaluations);
- command: the whole `flashnotes optimize --db` in a fresh process (start-up, reading the
  database, fitting, storing, the retention simulation).
The issue's target: the command under 30 s for 100,000 reviews on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

FLASHNOTES = str(Path(sys.executable).parent / "flashnotes")
START = datetime(2025, 1, 1, 9, tzinfo=UTC)
STATE = json.dumps(
    {
        "state": 2,
        "step": None,
        "stability": 5.0,
        "difficulty": 5.0,
        "due": "2025-01-02T09:00:00.000000+00:00",
        "last_review": None,
    }
)


def write_log(db: Path, reviews: int, seed: int = 1) -> None:
    """A review database with `reviews` rows: cards reviewed at growing intervals."""
    from flashnotes.review.store import Store

    Store.open(db).close()  # our schema, current version
    chance = random.Random(seed)
    rows = []
    card = 0
    while len(rows) < reviews:
        when = START + timedelta(days=chance.randint(0, 300), hours=chance.random() * 12)
        interval = 1.0
        for _ in range(chance.randint(3, 15)):
            rating = 1 if chance.random() < 0.15 else chance.choice([2, 3, 3, 3, 4])
            rows.append((f"card-{card}", when.isoformat(timespec="microseconds"), rating, STATE))
            interval = 1.0 if rating == 1 else interval * chance.uniform(1.8, 3.0)
            when += timedelta(days=interval, minutes=chance.randint(-60, 60))
        card += 1
    connection = sqlite3.connect(db)
    connection.executemany(
        "INSERT INTO review_log (side_key, reviewed_at, rating, state_after, session)"
        " VALUES (?, ?, ?, ?, 'bench')",
        rows[:reviews],
    )
    connection.commit()
    connection.close()


def project(root: Path) -> Path:
    (root / "cards").mkdir(parents=True)
    (root / "cards" / "a.yaml").write_text("cards:\n  - id: a\n    front: q\n    back: a\n")
    return root


def best(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.2f} s (min {min(samples):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    from flashnotes.review.fitting import fit, training_items
    from flashnotes.review.store import Store

    work = Path(tempfile.mkdtemp(prefix="flashnotes-optimize-bench-"))
    db = work / "reviews.sqlite3"
    write_log(db, args.reviews)
    root = project(work / "proj")
    with Store.open(db) as store:
        rows = store.reviews()
    items = training_items(rows)
    print(f"{len(rows):,} reviews, {len(items):,} training items")

    baseline, ours, command = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items)
        baseline.append(time.perf_counter() - started)

        started = time.perf_counter()
        fit(rows)
        ours.append(time.perf_counter() - started)

        copy = work / "copy.sqlite3"
        copy.write_bytes(db.read_bytes())
        started = time.perf_counter()
        subprocess.run(
            [FLASHNOTES, "optimize", "-C", str(root), "--db", str(copy)],
            check=True,
            capture_output=True,
        )
        command.append(time.perf_counter() - started)

    ratio = statistics.median(ours) / statistics.median(baseline)
    print(f"baseline (fsrs-rs compute_parameters alone): {best(baseline)}")
    print(f"fit() (items + fit + evaluations):           {best(ours)}  ratio {ratio:.2f}x")
    print(f"flashnotes optimize, whole command:          {best(command)}  (target < 30 s)")


if __name__ == "__main__":
    main()
