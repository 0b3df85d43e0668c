"""Which cards a session shows: study days, daily limits, siblings kept apart.

Days (for the daily limits and for keeping siblings apart) are study days that start at
4 am local time, as in Anki: a session after midnight still counts towards the evening
before. Pure functions of the project, the stored states and `now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from fsrs import Card as FsrsCard
from fsrs import State

from ..project.model import QuizSettings, Side

if TYPE_CHECKING:
    from .store import LoggedReview

DAY_START_HOUR = 4
# A learning card due within this much time is shown again in the same session, early if
# nothing else is left (Anki's "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class QuizOptions:
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    new: int | None = None  # cap on new cards this session (0: reviews only)
    limit: int | None = None  # cap on cards this session
    cram: bool = False  # any card, due or not; nothing written


def study_day_start(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The UTC start of the study day `now` falls in (4 am local time)."""
    local = now.astimezone(tz)
    start = local.replace(hour=DAY_START_HOUR, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(UTC)


@dataclass
class Today:
    """What the review log says about the current study day."""

    shown: dict[str, str]  # card id → the one side key shown today
    new_seen: int
    reviews_done: int

    @classmethod
    def from_log(cls, rows: Sequence[LoggedReview], side_of: dict[str, Side]) -> Today:
        shown: dict[str, str] = {}
        new_keys: set[str] = set()
        reviews = 0
        for row in rows:
            side = side_of.get(row.side_key)
            if side is not None:
                shown.setdefault(side.card.id, row.side_key)
            if row.before is None:
                new_keys.add(row.side_key)
            elif row.before.state == State.Review:
                reviews += 1
        return cls(shown, len(new_keys), reviews)


@dataclass
class Queue:
    """The cards of a session: first showings in order, then learning cards coming back."""

    cards: list[Side]
    buried: int = 0  # due or new, but a sibling has today's turn
    held_back: int = 0  # due or new, but over a daily or session limit
    learning: list[tuple[datetime, Side]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cards) + len(self.learning)

    def next(self, now: datetime) -> Side | None:
        self.learning.sort(key=lambda item: item[0])
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[1]
        if self.cards:
            return self.cards.pop(0)
        if self.learning:
            return self.learning.pop(0)[1]
        return None

    def put_back(self, side: Side) -> None:
        self.cards.insert(0, side)

    def forget(self, side: Side) -> None:
        """Drop a side's pending return (its rating was undone)."""
        self.learning = [item for item in self.learning if item[1].key != side.key]


def build_queue(
    sides: Sequence[Side],
    states: dict[str, FsrsCard],
    today: Today,
    now: datetime,
    settings: QuizSettings,
    options: QuizOptions,
) -> Queue:
    """Due cards by due time, then new cards in file order, within the limits; one side per
    note per day."""
    if options.cram:
        chosen = list(sides)[: options.limit] if options.limit is not None else list(sides)
        return Queue(chosen, held_back=len(sides) - len(chosen))
    turn = dict(today.shown)  # card id → side key that has today's turn
    queue = Queue([])

    def take(side: Side) -> bool:
        owner = turn.setdefault(side.card.id, side.key)
        if owner != side.key:
            queue.buried += 1
            return False
        return True

    due = sorted(
        (side for side in sides if side.key in states and states[side.key].due <= now),
        key=lambda side: states[side.key].due,
    )
    reviews_left = max(0, settings.reviews_per_day - today.reviews_done)
    for side in due:
        in_review = states[side.key].state == State.Review
        if in_review and reviews_left == 0:
            queue.held_back += 1
            continue
        if take(side):
            queue.cards.append(side)
            reviews_left -= in_review
    new_left = max(0, settings.new_per_day - today.new_seen)
    if options.new is not None:
        new_left = min(new_left, options.new)
    for side in sides:
        if side.key in states:
            continue
        if new_left == 0:
            queue.held_back += 1
            continue
        if take(side):
            queue.cards.append(side)
            new_left -= 1
    if options.limit is not None and len(queue.cards) > options.limit:
        queue.held_back += len(queue.cards) - options.limit
        del queue.cards[options.limit :]
    return queue


def next_due(
    sides: Sequence[Side],
    states: dict[str, FsrsCard],
    today: Today,
    now: datetime,
    day_end: datetime,
    settings: QuizSettings,
    options: QuizOptions,
) -> datetime | None:
    """When the next card can be shown, given burying and the daily limits; None: never."""
    new_left = max(0, settings.new_per_day - today.new_seen)
    if options.new == 0:
        new_left = 0
    reviews_left = max(0, settings.reviews_per_day - today.reviews_done)
    times = []
    for side in sides:
        owner = today.shown.get(side.card.id)
        buried = owner is not None and owner != side.key
        state = states.get(side.key)
        if state is None:
            if options.new == 0:
                continue
            times.append(day_end if buried or new_left == 0 else now)
        elif buried or (state.state == State.Review and reviews_left == 0):
            times.append(max(state.due, day_end))
        else:
            times.append(max(state.due, now))
    return min(times, default=None)
