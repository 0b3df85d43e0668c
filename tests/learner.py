"""A simulated learner for the optimizer tests: a memory with known FSRS parameters.

The learner studies with the quiz's own scheduler (default parameters) every morning; whether
they recall a card is drawn from the retrievability their *true* memory model gives, with a
fixed seed. The log this writes is what `flashnotes optimize` should learn from.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from flashnotes.project.model import QuizSettings
from flashnotes.review.scheduler import DEFAULT_PARAMETERS, make_scheduler, review
from flashnotes.review.store import Store

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
# A learner who forgets faster than FSRS's defaults assume: first-day stabilities a third of
# the defaults, slower growth of stability after a success.
TRUE_PARAMETERS = (
    *(value / 3 for value in DEFAULT_PARAMETERS[:4]),
    *DEFAULT_PARAMETERS[4:8],
    DEFAULT_PARAMETERS[8] * 0.7,
    *DEFAULT_PARAMETERS[9:],
)


def card_ids(count: int) -> list[str]:
    return [f"fact-{number:03d}" for number in range(count)]


def write_project(root: Path, count: int) -> Path:
    """A project of `count` basic cards whose ids the simulated log uses."""
    (root / "cards").mkdir(parents=True)
    lines = ["deck: Memory", "cards:"]
    for card_id in card_ids(count):
        lines += [f"  - id: {card_id}", f"    front: 问题 {card_id}", f"    back: 答案 {card_id}"]
    (root / "cards" / "facts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "flashnotes.yaml").write_text("deck: Memory\n", encoding="utf-8")
    return root


def simulate(db: Path, *, cards: int, days: int, new_per_day: int = 20, seed: int = 7) -> int:
    """Write `days` of daily sessions into the review database; the number of reviews."""
    chance = random.Random(seed)
    quiz = make_scheduler(QuizSettings(), fuzzing=False)
    memory = Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    truth: dict[str, FsrsCard] = {}
    due: dict[str, datetime] = {}
    waiting = card_ids(cards)
    reviews = 0
    with Store.open(db) as store:
        for day in range(days):
            clock = START + timedelta(days=day, minutes=chance.randint(0, 90))
            for key in [waiting.pop(0) for _ in range(min(new_per_day, len(waiting)))]:
                due[key] = clock
            session_end = clock + timedelta(hours=2)
            while True:
                ready = sorted((when, key) for key, when in due.items() if when <= session_end)
                if not ready:
                    break
                when, key = ready[0]
                clock = max(clock, when) + timedelta(seconds=chance.randint(5, 40))
                rating = _recall(chance, memory, truth.get(key), clock)
                truth[key] = memory.review_card(
                    truth.get(key) or FsrsCard(card_id=0, due=clock), Rating(rating), clock
                )[0]
                logged = store.record(
                    key,
                    clock,
                    rating,
                    8000,
                    "simulated",
                    lambda before, r=rating, c=clock: review(quiz, before, r, c),
                )
                due[key] = logged.after.due
                reviews += 1
    return reviews


def _recall(chance: random.Random, memory: Scheduler, state: FsrsCard | None, now: datetime) -> int:
    if state is None:
        return chance.choices([1, 2, 3, 4], weights=[25, 10, 55, 10])[0]
    recalled = chance.random() < memory.get_card_retrievability(state, now)
    if not recalled:
        return 1
    return chance.choices([2, 3, 4], weights=[10, 80, 10])[0]
