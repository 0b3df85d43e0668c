"""Recompute card states by replaying the review log through a scheduler.

The log is the truth; a card's state is what the scheduler makes of its ratings in time
order. Replays run without fuzz, so the same log and parameters always give the same
due dates (the quiz adds fuzz again at the next rating).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Scheduler

from .scheduler import review
from .store import LoggedReview, ReplayedReview


def by_side(rows: Iterable[LoggedReview]) -> dict[str, list[LoggedReview]]:
    """Each side's reviews in time order (log order breaks ties)."""
    sides: dict[str, list[LoggedReview]] = defaultdict(list)
    for row in rows:
        sides[row.side_key].append(row)
    for reviews in sides.values():
        reviews.sort(key=lambda row: (row.reviewed_at, row.id))
    return dict(sides)


def replay(
    scheduler: Scheduler,
    rows: Iterable[LoggedReview],
    resets: Mapping[str, Sequence[datetime]] | None = None,
) -> Iterator[ReplayedReview]:
    """Every review with the state before and after it, as `scheduler` computes them.

    `resets`: times at which a side was made new again (Anki's Forget); the reviews after a
    reset start from a new card, as Anki's own history does.
    """
    for side_key, reviews in sorted(by_side(rows).items()):
        pending = sorted((resets or {}).get(side_key, ()))
        state: FsrsCard | None = None
        for row in reviews:
            if pending and pending[0] <= row.reviewed_at:
                while pending and pending[0] <= row.reviewed_at:
                    pending.pop(0)
                state = None
            after = review(scheduler, state, row.rating, row.reviewed_at, row.duration_ms)
            yield ReplayedReview(row.id, side_key, state, after)
            state = after
