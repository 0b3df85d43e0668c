"""`flashnotes stats` on a long review history, against a bare SQLite count of the same log.

    python benchmarks/stats.py                        # 730,000 reviews of 10,000 cards, 3 runs
    python benchmarks/stats.py --reviews 100000 --runs 5

Two years of daily study is about 730,000 reviews. Three commands, alternated in each
round so machine noise hits all alike; medians and their ratios to the baseline:
- baseline: a Python process that opens the database and counts the log (the least
  any `stats` could do);
- check: `flashnotes check` on the same project (start-up and loading the cards, which
  `stats` needs too);
- stats: `flashnotes stats --json --db` on the project and the database.
Run it with PYTHONPATH pointing at another checkout to compare two versions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

FLASHNOTES = [sys.executable, "-c", "from flashnotes.cli import main; main()"]
BASELINE = [
    sys.executable,
    "-c",
    "import sqlite3, sys; "
    "print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM review_log').fetchone()[0])",
]
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review")


def state(kind: int, stability: float, due: datetime, last: datetime) -> dict:
    return {
        "state": kind,
        "step": None if kind == 2 else 0,
        "stability": stability,
        "difficulty": 5.0,
        "due": due.isoformat(timespec="microseconds"),
        "last_review": last.isoformat(timespec="microseconds"),
    }


def write_project(root: Path, cards: int) -> None:
    (root / "cards").mkdir(parents=True)
    lines = ["deck: 基准", "cards:"]
    for number in range(cards):
        lines += [f"  - id: card-{number}", f"    front: 问题 {number}", f"    back: 答案 {number}"]
    (root / "cards" / "all.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_log(db: Path, reviews: int, cards: int, seed: int = 1) -> None:
    """`reviews` log rows spread over two years, and each card's last state."""
    from flashnotes.review.store import Store

    Store.open(db).close()  # our schema, current version
    chance = random.Random(seed)
    start = NOW - timedelta(days=730)
    rows = []
    latest: dict[str, dict] = {}
    per_card = reviews // cards
    for number in range(cards):
        key = f"card-{number}"
        before = None
        for step in range(per_card + (number < reviews % cards)):
            when = start + timedelta(days=730 * step / per_card, hours=chance.random() * 12)
            rating = 1 if chance.random() < 0.1 else 3
            after = state(2, 1.0 + step, when + timedelta(days=1 + step), when)
            rows.append(
                (
                    key,
                    when.isoformat(timespec="microseconds"),
                    rating,
                    1200,
                    None if before is None else json.dumps(before, sort_keys=True),
                    json.dumps(after, sort_keys=True),
                )
            )
            before = after
        if before is not None:
            latest[key] = before
    connection = sqlite3.connect(db)
    connection.executemany(
        "INSERT INTO review_log (side_key, reviewed_at, rating, duration_ms, state_before,"
        " state_after, session) VALUES (?, ?, ?, ?, ?, ?, 'bench')",
        rows,
    )
    connection.executemany(
        f"INSERT INTO card_state (side_key, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(key, *(saved[name] for name in COLUMNS)) for key, saved in latest.items()],
    )
    connection.commit()
    connection.close()


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "FLASHNOTES_NOW": NOW.isoformat()},
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=730_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", metavar="DIR", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        write_project(Path(options.write) / "project", options.cards)
        write_log(Path(options.write) / "reviews.sqlite3", options.reviews, options.cards)
        return

    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "project"
        db = Path(work) / "reviews.sqlite3"
        # Written by another process: a child's peak RSS counts the parent it forked from.
        sizes = ["--reviews", str(options.reviews), "--cards", str(options.cards)]
        subprocess.run([sys.executable, __file__, "--write", work, *sizes], check=True)
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        commands = {
            "baseline": [*BASELINE, str(db)],
            "check": [*FLASHNOTES, "check", "-C", str(root)],
            "stats": [*FLASHNOTES, "stats", "--json", "-C", str(root), "--db", str(db)],
        }
        timed(commands["check"])  # the load cache, as a user's second command finds it
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, command in commands.items():
                samples[name].append(timed(command))

    base = statistics.median(seconds for seconds, _ in samples["baseline"])
    print(f"{options.reviews:,} reviews of {options.cards:,} cards, {options.runs} runs")
    print(f"{'':<9} {'median':>9} {'ratio':>7} {'peak RSS':>10}")
    for name, runs in samples.items():
        median = statistics.median(seconds for seconds, _ in runs)
        peak = max(mib for _, mib in runs)
        print(f"{name:<9} {median:>7.2f} s {median / base:>6.1f}× {peak:>6.0f} MiB")


if __name__ == "__main__":
    main()
