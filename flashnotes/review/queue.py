"""Which cards a session shows: study days, daily limits, siblings kept apart, holds.

`plan_today` is the one definition of "due" that `quiz` and `stats` share; `build_queue`
applies the daily and session limits to it. Pure functions of the project, the stored
states and holds, and `now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from fsrs import Card as FsrsCard
from fsrs import State

from ..project.model import QuizSettings, Side
from .days import LEARN_AHEAD, StudyDays, counts_in_days

if TYPE_CHECKING:
    from .store import Hold, LoggedReview


@dataclass(frozen=True)
class QuizOptions:
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    new: int | None = None  # cap on new cards this session (0: reviews only)
    limit: int | None = None  # cap on cards this session
    cram: bool = False  # any card, due or not; nothing written


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
class Plan:
    """What may be shown today, before limits: the shared meaning of "due"."""

    due: list[Side]  # reviewed cards due now, earliest first
    later: list[tuple[datetime, Side]]  # learning steps due later in the study day
    new: list[Side]  # never reviewed, in file order (siblings not yet decided)
    turn: dict[str, str]  # card id → the side key that has today's turn
    siblings: int = 0  # due, but a sibling has today's turn
    buried: int = 0  # buried by the learner until the next study day
    suspended: int = 0


def plan_today(
    sides: Sequence[Side],
    states: dict[str, FsrsCard],
    holds: dict[str, Hold],
    today: Today,
    now: datetime,
    days: StudyDays,
) -> Plan:
    """Reviewed cards due now or later today, and new cards, minus held and buried ones."""
    day_end = days.end(now)
    plan = Plan([], [], [], dict(today.shown))
    due: list[tuple[datetime, Side]] = []
    for side in sides:
        hold = holds.get(side.key)
        if hold is not None and hold.hides(now):
            plan.suspended += hold.suspended
            plan.buried += not hold.suspended
            continue
        state = states.get(side.key)
        if state is None:
            plan.new.append(side)
            continue
        when = days.due_from(state)
        if when >= day_end:
            continue
        if plan.turn.setdefault(side.card.id, side.key) != side.key:
            plan.siblings += 1
        elif when <= now:
            due.append((when, side))
        else:
            plan.later.append((when, side))
    due.sort(key=lambda item: item[0])
    plan.due = [side for _, side in due]
    return plan


@dataclass
class Held:
    """Why cards that could be shown today are not in this session."""

    siblings: int = 0  # a sibling has today's turn
    buried: int = 0
    suspended: int = 0
    session_limit: int = 0  # --limit
    new_option: int = 0  # --new
    new_per_day: int = 0
    reviews_per_day: int = 0


@dataclass
class Queue:
    """The cards of a session: first showings in order, and learning steps by due time."""

    cards: list[Side]
    learning: list[tuple[datetime, Side]] = field(default_factory=list)
    held: Held = field(default_factory=Held)

    def next(self, now: datetime) -> Side | None:
        """The next card: a learning step that is due, else the next first showing, else a
        learning step within the learn-ahead limit, whoever rated it; None when done."""
        self.learning.sort(key=lambda item: item[0])
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[1]
        if self.cards:
            return self.cards.pop(0)
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return self.learning.pop(0)[1]
        return None

    def pending(self, now: datetime) -> int:
        """How many showings are left that this session can give now."""
        soon = sum(when <= now + LEARN_AHEAD for when, _ in self.learning)
        return len(self.cards) + soon

    def later(self) -> datetime | None:
        """When the earliest learning step is due."""
        return min((when for when, _ in self.learning), default=None)

    def copy(self) -> Queue:
        return Queue(list(self.cards), list(self.learning), self.held)

    def add_learning(self, side: Side, state: FsrsCard, now: datetime, days: StudyDays) -> None:
        """A card just rated comes back today if its next step falls within the study day."""
        if not counts_in_days(state) and state.due < days.end(now):
            self.learning.append((state.due, side))


def build_queue(
    sides: Sequence[Side],
    states: dict[str, FsrsCard],
    holds: dict[str, Hold],
    today: Today,
    now: datetime,
    settings: QuizSettings,
    options: QuizOptions,
    days: StudyDays,
) -> Queue:
    """Due cards by due time, then new cards in file order, within the limits; one side per
    note per day; learning steps due later today wait in `learning`."""
    if options.cram:
        chosen = list(sides)[: options.limit] if options.limit is not None else list(sides)
        return Queue(chosen, held=Held(session_limit=len(sides) - len(chosen)))
    plan = plan_today(sides, states, holds, today, now, days)
    held = Held(siblings=plan.siblings, buried=plan.buried, suspended=plan.suspended)
    queue = Queue([], list(plan.later), held)
    reviews_left = max(0, settings.reviews_per_day - today.reviews_done)
    for side in plan.due:
        if states[side.key].state == State.Review:
            if reviews_left == 0:
                held.reviews_per_day += 1
                continue
            reviews_left -= 1
        queue.cards.append(side)
    new_left = max(0, settings.new_per_day - today.new_seen)
    option_left = new_left if options.new is None else min(new_left, options.new)
    for side in plan.new:
        if plan.turn.get(side.card.id, side.key) != side.key:
            held.siblings += 1
        elif new_left == 0:
            held.new_per_day += 1
        elif option_left == 0:
            held.new_option += 1
        else:
            plan.turn[side.card.id] = side.key
            queue.cards.append(side)
            new_left -= 1
            option_left -= 1
    if options.limit is not None and len(queue.cards) > options.limit:
        held.session_limit += len(queue.cards) - options.limit
        del queue.cards[options.limit :]
    return queue


def next_due(
    sides: Sequence[Side],
    states: dict[str, FsrsCard],
    holds: dict[str, Hold],
    queue: Queue,
    now: datetime,
    options: QuizOptions,
    days: StudyDays,
) -> datetime | None:
    """When the next card can be shown, given burying, holds and the daily limits, for a
    queue that has nothing to show now; None: never."""
    day_end = days.end(now)
    times = [when for when, _ in queue.learning]
    held = queue.held
    if held.siblings or held.new_per_day or held.reviews_per_day:
        times.append(day_end)
    for side in sides:
        hold = holds.get(side.key)
        if hold is not None and hold.suspended:
            continue
        after_hold = hold.buried_until if hold is not None and hold.hides(now) else None
        state = states.get(side.key)
        if state is None:
            if after_hold is not None and options.new != 0:
                times.append(after_hold)
            continue
        when = days.due_from(state)
        if when >= day_end or after_hold is not None:
            times.append(max(when, after_hold or when, day_end))
    return min(times, default=None)
