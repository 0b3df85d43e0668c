"""The terminal quiz: reads the learner's keys and moves a session along, drawing each card.

The steps live in session.py, the drawing in view.py and the closing words in ending.py;
this module only connects them to keys. Input, output and both clocks are injected, so
tests drive a whole session through a pipe with a pinned time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from ..errors import FlashnotesError, display_path
from ..project.model import Project, Side
from .ending import cram_end, nothing_due, session_end
from .keys import ESCAPE, QUIT, REDRAW, REVEAL, UNDO
from .opener import open_in_viewer
from .queue import QuizOptions
from .scheduler import RATING_NAMES, make_scheduler, preview
from .session import Session, Step, Summary
from .store import Store
from .view import CardView, Header

DEFAULT_OPTIONS = QuizOptions()
BURY = "-"
SUSPEND = "@"
RATINGS = ("1", "2", "3", "4")


class Keys(Protocol):
    def key(self) -> str: ...
    def answer(self) -> str | None: ...


class Quiz:
    """One quiz session on a console: the loop from the first card to the closing lines."""

    def __init__(
        self,
        project: Project,
        sides: Sequence[Side],
        store: Store | None,
        keys: Keys,
        console: Console,
        clock: Callable[[], datetime],
        *,
        options: QuizOptions = DEFAULT_OPTIONS,
        monotonic: Callable[[], float] = time.monotonic,
        tz: tzinfo | None = None,
        fuzzing: bool = True,
        interactive: bool = False,
        opener: Callable[[Path], tuple[bool, str]] | None = None,
    ) -> None:
        self.keys = keys
        self.clock = clock
        self.options = options
        self.monotonic = monotonic
        self.tz = tz
        self.settings = project.settings.quiz
        self.scheduler = make_scheduler(
            self.settings,
            fuzzing=fuzzing,
            parameters=store.parameters_in_use() if store is not None else None,
        )
        self.opener = opener or open_in_viewer
        self.view = CardView(project, console, interactive=interactive, more=keys.key)
        side_of = {side.key: side for side in project.sides}
        self.session = Session(
            sides, side_of, store, self.scheduler, self.settings, options, tz
        )  # fmt: skip
        self._shown_at = 0.0
        self._quit = False  # the learner ended the session, not the queue

    @property
    def summary(self) -> Summary:
        return self.session.summary

    def run(self) -> Summary:
        started = self.monotonic()
        now = self.clock()
        if not self.session.sides:
            raise FlashnotesError("no cards to quiz: --tag/--deck selected none")
        if not self.session.start(now):
            outlook = self.session.outlook(now)
            self.summary.next_due = outlook.next_due
            self.view.print(Text(nothing_due(outlook, self.settings, self.options, now, self.tz)))
            return self.summary
        if self.options.cram:
            self.view.note("cram: practice only; nothing is saved and no schedule changes")
        try:
            self._loop()
        except KeyboardInterrupt:
            self._quit = True
            self.view.print(Text())  # off the line a typed answer or ^C was on
        self.summary.seconds = self.monotonic() - started
        self._finish()
        return self.summary

    def _loop(self) -> None:
        session = self.session
        while (side := session.take(self.clock())) is not None:
            outcome = self._card(side)
            if outcome == QUIT:
                self._quit = True
                return
            if outcome == UNDO:
                self._undo()
            elif outcome == BURY:
                session.bury(self.clock())
                self.view.flash(self._held_words(side, f"buried {side.key} until tomorrow"))
            elif outcome == SUSPEND:
                session.suspend()
                self.view.flash(
                    self._held_words(
                        side,
                        f"suspended {side.key}; `flashnotes unsuspend {side.key}` brings it back",
                    )
                )
            else:
                duration_ms = int((self.monotonic() - self._shown_at) * 1000)
                session.rate(int(outcome), self.clock(), duration_ms)

    def _held_words(self, side: Side, kept: str) -> str:
        """What `-` or `@` did: kept in the database, or in cram only for this practice."""
        if self.options.cram:
            return f"{side.key} set aside for this practice only (nothing is saved; u: undo)"
        return f"{kept} (u: undo)"

    def _undo(self) -> None:
        step = self.session.undo()
        self.view.flash("nothing to undo" if step is None else _undone(step))

    def _header(self) -> Header:
        now = self.clock()
        position, total = self.session.position(now)
        return Header(position, total, self.session.counts(now), self.options.cram)

    def _card(self, side: Side) -> str:
        """Show a card and take its answer; return "1"-"4", "u", "q", "-" or "@"."""
        state = self.session.state(side)
        header = self._header()
        self.view.front(side, state, header)
        self._shown_at = self.monotonic()
        typed: str | None = None
        if side.card.type == "typed" and side.kind == "forward":
            self.view.ask_typed()
            while (typed := self.keys.answer()) == REDRAW:
                self.view.redraw()
            if typed is None:
                return QUIT
            if typed == ESCAPE:
                typed = None  # keys instead of an answer: u, q, -, @, or Enter to type it
                outcome = self._keys((), "Enter: type the answer   u: undo   q: quit")
                if outcome != REVEAL:
                    return outcome
                return self._card(side)
        else:
            self.view.front_hint()
            outcome = self._keys((), None)
            if outcome != REVEAL:
                return outcome
        previews = {} if self.options.cram else preview(self.scheduler, state, self.clock())
        self.view.back(side, state, header, previews, typed)
        outcome = self._keys(RATINGS, None)
        return "3" if outcome == REVEAL else outcome  # Enter/space: Good, as in Anki

    def _keys(self, extra: tuple[str, ...], hint: str | None) -> str:
        """Wait for a key that moves the session: reveal, undo, quit, bury, suspend, or one
        of `extra`; `o` opens images on the way."""
        if hint:
            self.view.note(hint, "dim")
        while True:
            key = self.keys.key()
            if key in (REVEAL, QUIT, UNDO, BURY, SUSPEND, *extra):
                return key
            if key == "o":
                self.view.open_images(self.opener)
            elif key == REDRAW:
                self.view.redraw()

    def _finish(self) -> None:
        summary = self.summary
        self.view.print(Rule(style="dim"))
        if self.options.cram:
            self.view.print(Text(cram_end(summary)))
            return
        now = self.clock()
        outlook = self.session.outlook(now)
        summary.still_due = outlook.queue.pending(now)
        summary.next_due = outlook.next_due
        limit = self.options.limit
        cut = limit is not None and self.session.queue.held.session_limit and not self._quit
        limited = limit if cut else None
        lines = session_end(summary, outlook, limited, self.settings, self.options, now, self.tz)
        for line in lines:
            self.view.print(Text(line))


def _undone(step: Step) -> str:
    what = {
        "rating": f"rating {RATING_NAMES.get(step.rating, step.rating)}",
        "bury": "burying",
        "suspend": "suspending",
    }[step.action]
    return f"undone: {what} of {step.side.key}; that card comes again"


# -- the command ---------------------------------------------------------------------------


def pinned_clock(text: str | None) -> Callable[[], datetime]:
    """The clock: the real one, or the time FLASHNOTES_NOW pins (naive means local time)."""
    if not text:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FlashnotesError(
            f"FLASHNOTES_NOW={text!r} is not an ISO 8601 time such as 2026-11-30T09:00"
        ) from None
    # Study days, due dates and 100-year intervals must stay inside datetime's range.
    if not CLOCK_YEARS[0] <= moment.year <= CLOCK_YEARS[1]:
        raise FlashnotesError(
            f"FLASHNOTES_NOW={text!r} is out of range: pin a time between the years "
            f"{CLOCK_YEARS[0]} and {CLOCK_YEARS[1]}"
        )
    fixed = moment.astimezone(UTC)  # a naive time is taken as local time
    return lambda: fixed


CLOCK_YEARS = (1970, 9000)


def run_quiz(
    root: Path, db: Path | None, options: QuizOptions, now_text: str | None = None
) -> Summary:
    """`flashnotes quiz`: load the project, open the database, run a session on stdin/stdout."""
    import sys

    from ..project.loader import load_project
    from ..project.select import select_cards
    from .console import terminal_console
    from .keys import LineKeys, TerminalKeys
    from .store import default_db_path

    clock = pinned_clock(now_text)
    project = load_project(root)
    cards = select_cards(project.cards, options.tags, options.decks, project.settings.deck)
    sides = [side for card in cards for side in card.sides]
    if db is not None and not options.cram and not db.parent.is_dir():
        # Only the default place is created: a typo in --db should not make folders.
        raise FlashnotesError(
            f"{display_path(db)}: folder {display_path(db.parent)} does not exist"
        )
    store = None if options.cram else Store.open(db or default_db_path(project.root))
    on_terminal = sys.stdin.isatty()
    console = terminal_console()
    keys = TerminalKeys() if on_terminal else LineKeys(sys.stdin)
    try:
        with keys:
            quiz = Quiz(
                project,
                sides,
                store,
                keys,
                console,
                clock,
                options=options,
                interactive=on_terminal and console.is_terminal,
            )
            return quiz.run()
    finally:
        if store is not None:
            store.close()
