"""A quiz session's steps, without a screen: take a card, rate, bury, suspend, undo.

Every step that changes something is saved at once and can be undone exactly: the
queue is restored as it was when the card was taken, so an undone card is shown again
and nothing else moves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Literal

from fsrs import Card as FsrsCard
from fsrs import Scheduler, State

from ..errors import FlashnotesError
from ..project.model import QuizSettings, Side
from .days import StudyDays
from .queue import Queue, QuizOptions, Today, build_queue, next_due
from .scheduler import review
from .store import Hold, Store

Action = Literal["rating", "bury", "suspend"]


@dataclass
class Summary:
    reviewed: int = 0
    again: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None
    still_due: int = 0


@dataclass(frozen=True)
class Step:
    """One thing done to a card, with what undoing it needs."""

    side: Side
    action: Action
    queue: Queue  # the queue just after the card was taken from it
    rating: int = 0
    log_id: int | None = None  # None in cram mode
    was_new: bool = False  # a new card's first rating (counts against --new)
    hold: Hold | None = None  # the side's hold before a bury or suspend


@dataclass(frozen=True)
class Outlook:
    """What is left after a session, or before one that has nothing to show."""

    queue: Queue  # built without the session's --limit, to count what is really left
    next_due: datetime | None


class Session:
    """The state of one quiz session over the selected sides of a project."""

    def __init__(
        self,
        sides: Sequence[Side],
        side_of: dict[str, Side],
        store: Store | None,
        scheduler: Scheduler,
        settings: QuizSettings,
        options: QuizOptions,
        tz: tzinfo | None = None,
    ) -> None:
        self.sides = list(sides)
        self.side_of = side_of
        self.store = store
        self.scheduler = scheduler
        self.settings = settings
        self.options = options
        self.days = StudyDays(tz, settings.day_start)
        self.session_id = os.urandom(16).hex()  # which ratings this session may undo
        self.history: list[Step] = []
        self.summary = Summary()
        self.states: dict[str, FsrsCard] = {}
        self.holds: dict[str, Hold] = {}
        self.queue = Queue([])
        self.current: Side | None = None
        self._taken = Queue([])  # the queue just after `current` was taken
        self._again: Side | None = None  # an undone card, shown next

    @property
    def saving(self) -> bool:
        return self.store is not None and not self.options.cram

    def _load(self, now: datetime, options: QuizOptions) -> Queue:
        today = Today({}, 0, 0)
        if self.saving:
            assert self.store is not None
            self.states, self.holds = self.store.states(), self.store.holds()
            rows = self.store.reviews(since=self.days.start(now))
            today = Today.from_log(rows, self.side_of)
        return build_queue(
            self.sides, self.states, self.holds, today, now, self.settings, options, self.days
        )

    def start(self, now: datetime) -> int:
        """Build the session's queue; how many cards it can show now."""
        self.queue = self._load(now, self.options)
        return self.queue.pending(now)

    def take(self, now: datetime) -> Side | None:
        """The next card to show (an undone card first); None when the session is done."""
        side, self._again = self._again, None
        if side is None:
            side = self.queue.next(now)
        self.current = side
        self._taken = self.queue.copy()
        return side

    def state(self, side: Side) -> FsrsCard | None:
        """The card's state as the quiz shows it (cram mode shows every card as new)."""
        return None if self.options.cram else self.states.get(side.key)

    # -- steps -----------------------------------------------------------------------------

    def rate(self, rating: int, now: datetime, duration_ms: int | None) -> FsrsCard:
        """Rate the current card (1 Again … 4 Easy), saved at once."""
        side = self._done_with()
        if not self.saving:
            self._count(rating)
            self.history.append(Step(side, "rating", self._taken, rating))
            if rating == 1:
                self.queue.cards.append(side)  # cram: practise it again at the end
            return review(self.scheduler, None, rating, now)
        assert self.store is not None
        try:
            logged = self.store.record(
                side.key,
                now,
                rating,
                duration_ms,
                self.session_id,
                lambda before: review(self.scheduler, before, rating, now, duration_ms),
            )
        except FlashnotesError as error:
            # The quiz ends here: say plainly that this rating is lost, the earlier ones not.
            raise FlashnotesError(
                f"{error}; this rating of {side.key} was NOT saved (earlier ratings saved this "
                f"session: {self.summary.reviewed})"
            ) from None
        self._count(rating)
        self.states[side.key] = logged.after
        was_new = logged.before is None
        self.history.append(Step(side, "rating", self._taken, rating, logged.id, was_new=was_new))
        self.queue.add_learning(side, logged.after, now, self.days)
        return logged.after

    def _count(self, rating: int) -> None:
        self.summary.reviewed += 1
        self.summary.again += rating == 1

    def bury(self, now: datetime) -> None:
        """Hide the current card until the next study day."""
        hold = self.holds.get(self.current.key) if self.current else None
        self._hold("bury", replace(hold or Hold(), buried_until=self.days.end(now)))

    def suspend(self) -> None:
        """Hide the current card until `flashnotes unsuspend`."""
        hold = self.holds.get(self.current.key) if self.current else None
        self._hold("suspend", replace(hold or Hold(), suspended=True))

    def _hold(self, action: Action, hold: Hold) -> None:
        side = self._done_with()
        before = self.holds.get(side.key)
        self._set_hold(side, hold)
        self.history.append(Step(side, action, self._taken, hold=before))

    def _set_hold(self, side: Side, hold: Hold | None) -> None:
        if self.saving:
            assert self.store is not None
            self.store.set_hold(side.key, hold)
        if hold is None:
            self.holds.pop(side.key, None)
        else:
            self.holds[side.key] = hold

    def _done_with(self) -> Side:
        side = self.current
        if side is None:
            raise RuntimeError("no card is shown")
        self.current = None
        return side

    def undo(self) -> Step | None:
        """Take back the last step; its card is shown next, the queue as it was. None: there
        is nothing to undo."""
        if not self.history:
            self._again = self.current  # the shown card stays
            return None
        step = self.history.pop()
        if step.action == "rating":
            self.summary.reviewed -= 1
            self.summary.again -= step.rating == 1
            if step.log_id is not None and self.store is not None:
                restored = self.store.undo(step.log_id, self.session_id)
                if restored is None:
                    self.states.pop(step.side.key, None)
                else:
                    self.states[step.side.key] = restored
        else:
            self._set_hold(step.side, step.hold)
        self.queue = step.queue.copy()
        self._again = step.side
        self.current = None
        return step

    # -- counting --------------------------------------------------------------------------

    def counts(self, now: datetime) -> tuple[int, int, int]:
        """Anki's three counts: new, learning and review cards left, the shown one included."""
        new = learning = reviews = 0
        pending = [*self.queue.cards, *(side for _, side in self.queue.learning)]
        for side in [*([self.current] if self.current else []), *pending]:
            state = self.state(side)
            if state is None:
                new += 1
            elif state.state == State.Review:
                reviews += 1
            else:
                learning += 1
        return new, learning, reviews

    def position(self, now: datetime) -> tuple[int, int]:
        """The shown card's place among the session's distinct cards (returning learning
        cards do not count twice), and how many there are."""
        seen = {step.side.key for step in self.history if step.action == "rating"}
        if self.current is not None:
            seen.add(self.current.key)
        ahead = {side.key for side in self.queue.cards}
        ahead |= {side.key for when, side in self.queue.learning if when <= now}
        return len(seen), len(seen | ahead)

    def outlook(self, now: datetime) -> Outlook:
        """What is still due today (whatever --limit said) and when the next card is due;
        the new cards this session showed count against its --new."""
        new = self.options.new
        if new is not None:
            new = max(0, new - sum(step.was_new for step in self.history))
        queue = self._load(now, replace(self.options, limit=None, new=new))
        when = None
        if not queue.pending(now):
            when = next_due(
                self.sides, self.states, self.holds, queue, now, self.options, self.days
            )
        return Outlook(queue, when)
