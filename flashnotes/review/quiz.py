"""The terminal quiz: the review loop over the queue that queue.py builds.

Input, output and both clocks are injected, so tests drive a whole session through a pipe
with a pinned time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

from fsrs import Card as FsrsCard
from rich.console import Console, Group
from rich.rule import Rule
from rich.text import Text

from ..errors import FlashnotesError, display_path, plural
from ..project.model import Project, Side
from .answers import answer_diff, answer_matches
from .keys import QUIT, REVEAL
from .queue import (
    LEARN_AHEAD,
    Queue,
    QuizOptions,
    Today,
    build_queue,
    next_due,
    study_day_start,
)
from .scheduler import (
    RATING_NAMES,
    STATE_NAMES,
    format_interval,
    make_scheduler,
    preview,
    review,
)
from .store import Store

DEFAULT_OPTIONS = QuizOptions()
RATING_STYLES = {1: "red", 2: "yellow", 3: "green", 4: "blue"}


class Keys(Protocol):
    def key(self) -> str: ...
    def answer(self) -> str | None: ...


# -- the session -------------------------------------------------------------------------


@dataclass
class Summary:
    reviewed: int = 0
    again: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None
    still_due: int = 0


@dataclass
class _Done:
    side: Side
    log_id: int | None  # None in cram mode
    rating: int


class Session:
    """One quiz session over the selected sides of a project."""

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
        opener: Callable[[Path], str | None] | None = None,
    ) -> None:
        self.project = project
        self.sides = list(sides)
        self.side_of = {side.key: side for side in project.sides}
        self.store = store
        self.keys = keys
        self.console = console
        self.clock = clock
        self.options = options
        self.monotonic = monotonic
        self.tz = tz
        self.settings = project.settings.quiz
        fitted = store.fitted_parameters() if store is not None else None
        self.scheduler = make_scheduler(
            self.settings, fuzzing=fuzzing, parameters=fitted and fitted.parameters
        )
        self.interactive = interactive
        self.opener = opener or open_in_viewer
        self.session_id = os.urandom(16).hex()  # which ratings this session may undo
        self.history: list[_Done] = []
        self.summary = Summary()
        self.cram_states: dict[str, FsrsCard] = {}

    # The study day and what the store knows about it.
    def _today(self, now: datetime) -> tuple[dict[str, FsrsCard], Today]:
        if self.store is None:
            return {}, Today({}, 0, 0)
        rows = self.store.reviews(since=study_day_start(now, self.tz))
        return self.store.states(), Today.from_log(rows, self.side_of)

    def run(self) -> Summary:
        started = self.monotonic()
        now = self.clock()
        states, today = self._today(now)
        queue = build_queue(self.sides, states, today, now, self.settings, self.options)
        if not len(queue):
            self._nothing_due(now, states, today, queue)
            return self.summary
        if self.options.cram:
            self._print(
                Text("cram: practice only; nothing is saved and no schedule changes", "yellow")
            )
        try:
            self._loop(queue, states)
        except KeyboardInterrupt:
            self._print()
        self.summary.seconds = self.monotonic() - started
        self._finish()
        return self.summary

    def _loop(self, queue: Queue, states: dict[str, FsrsCard]) -> None:
        while (side := queue.next(self.clock())) is not None:
            # position among the distinct cards of the session; learning cards coming back
            # do not count twice
            seen = {done.side.key for done in self.history} | {side.key}
            total = len(seen) + sum(card.key not in seen for card in queue.cards)
            state = self._state(side, states)
            outcome = self._show(side, state, len(seen), total)
            if outcome == QUIT:
                queue.put_back(side)
                return
            if outcome == "u":
                queue.put_back(side)
                if self.history:
                    done = self.history.pop()
                    self._undo(done, queue, states)
                    queue.put_back(done.side)
                continue
            rating = int(outcome)
            after = self._rate(side, rating, states)
            if self.options.cram:
                if rating == 1:
                    queue.cards.append(side)
            elif after.due - self.clock() <= LEARN_AHEAD:
                queue.learning.append((after.due, side))

    def _state(self, side: Side, states: dict[str, FsrsCard]) -> FsrsCard | None:
        if self.options.cram:
            return None
        return states.get(side.key)

    def _rate(self, side: Side, rating: int, states: dict[str, FsrsCard]) -> FsrsCard:
        now = self.clock()
        duration_ms = int((self.monotonic() - self._shown_at) * 1000)
        self.summary.reviewed += 1
        self.summary.again += rating == 1
        if self.store is None or self.options.cram:
            self.history.append(_Done(side, None, rating))
            return review(self.scheduler, None, rating, now)
        logged = self.store.record(
            side.key,
            now,
            rating,
            duration_ms,
            self.session_id,
            lambda before: review(self.scheduler, before, rating, now, duration_ms),
        )
        states[side.key] = logged.after
        self.history.append(_Done(side, logged.id, rating))
        return logged.after

    def _undo(self, done: _Done, queue: Queue, states: dict[str, FsrsCard]) -> None:
        queue.forget(done.side)
        self.summary.reviewed -= 1
        self.summary.again -= done.rating == 1
        if done.log_id is not None and self.store is not None:
            restored = self.store.undo(done.log_id, self.session_id)
            if restored is None:
                states.pop(done.side.key, None)
            else:
                states[done.side.key] = restored
        self._print(Text("undone: that card comes again", "yellow"))

    # -- one card --------------------------------------------------------------------------

    def _show(self, side: Side, state: FsrsCard | None, position: int, total: int) -> str:
        """Show a card, take its answer; return "1"-"4", "u" or "q"."""
        from .terminal import clean, markdown

        images: list[Path] = []

        def label(reference: str) -> str:
            path = self._image_path(reference)
            if path is not None and path not in images:
                images.append(path)
            return f"[image: {reference} — press o to open]"

        card = side.card
        status = "new" if state is None else STATE_NAMES[state.state]
        header = Text.assemble(
            (clean(card.deck).replace("::", " › "), "bold cyan"),
            ("  ·  ", "dim"),
            (f"{position}/{total}", "bold"),
            ("  ·  ", "dim"),
            (status, "magenta"),
        )
        front_text = self._front(side)
        front = Group(header, Rule(style="dim"), markdown(front_text, label))
        if self.interactive:
            self.console.clear()
        self._print(front)
        self._draw_images(images)
        self._shown_at = self.monotonic()

        typed: str | None = None
        if card.type == "typed" and side.kind == "forward":
            self._print(Text("type the answer, then Enter:", "dim"))
            typed = self.keys.answer()
            if typed is None:
                return QUIT
        else:
            self._hint("Enter/space: show answer   o: open image   u: undo   q: quit", images)
            while True:
                key = self.keys.key()
                if key == REVEAL:
                    break
                if key in (QUIT, "u"):
                    return key
                if key == "o":
                    self._open(images)

        back_text = self._back(side)
        parts: list = []
        if self.interactive:
            self.console.clear()
            parts += [front]
        parts.append(Rule(style="dim"))
        if typed is not None:
            parts.append(self._typed_feedback(typed, card.answer or ""))
        if back_text:
            parts.append(markdown(back_text, label))
        if card.source:
            parts.append(Text(f"source: {card.source}", "dim"))
        parts.append(Text())
        parts.append(self._ratings(state))
        self._print(Group(*parts))
        self._draw_images(images)  # the screen was cleared: front's images and back's
        self._hint("1-4: rate   o: open image   u: undo   q: quit", images)
        while True:
            key = self.keys.key()
            if key in ("1", "2", "3", "4", QUIT, "u"):
                return key
            if key == "o":
                self._open(images)

    def _draw_images(self, images: list[Path]) -> None:
        """Draw images inline where the terminal can; elsewhere their labels stand."""
        if not self.interactive or not images:
            return
        from .termimage import inline_image, inline_protocol

        protocol = inline_protocol(os.environ)
        if protocol is None:
            return
        columns = max(10, min(self.console.width - 2, 60))
        for path in images:
            sequence = inline_image(path, protocol, columns)
            if sequence is not None:
                self.console.file.write(sequence)
        self.console.file.flush()

    def _print(self, *renderables: object) -> None:
        from .terminal import emit

        emit(self.console, *renderables)

    def _front(self, side: Side) -> str:
        from .terminal import cloze_markdown

        card = side.card
        if side.kind == "cloze":
            return cloze_markdown(card.text or "", side.number, revealed=False)
        return (card.back if side.kind == "reverse" else card.front) or ""

    def _back(self, side: Side) -> str:
        from .terminal import cloze_markdown

        card = side.card
        if side.kind == "cloze":
            answer = cloze_markdown(card.text or "", side.number, revealed=True)
            return answer + (f"\n\n{card.back}" if card.back else "")
        if side.kind == "reverse":
            return card.front or ""
        return card.back or ""

    def _typed_feedback(self, typed: str, expected: str) -> Text:
        from .terminal import clean

        typed, expected = clean(typed), clean(expected)
        if answer_matches(typed, expected):
            return Text.assemble(("✓ correct: ", "bold green"), expected)
        markers = self.console.no_color or self.console.color_system is None
        return Text.assemble(
            ("✗ you typed: ", "bold red"),
            typed or "(nothing)",
            "\n  the answer: ",
            (expected, "bold"),
            "\n  difference: ",
            answer_diff(typed, expected, markers=markers),
        )

    def _ratings(self, state: FsrsCard | None) -> Text:
        out = Text()
        labels = {} if self.options.cram else preview(self.scheduler, state, self.clock())
        for rating, name in RATING_NAMES.items():
            if rating > 1:
                out.append("   ")
            out.append(f"{rating} ", "bold")
            out.append(name, RATING_STYLES[rating])
            if rating in labels:
                out.append(f" {format_interval(labels[rating])}")
        return out

    def _hint(self, text: str, images: list[Path]) -> None:
        if not images:
            text = text.replace("   o: open image", "")
        self._print(Text(text, "dim"))

    def _image_path(self, reference: str) -> Path | None:
        from ..project.media import reference_key

        key = reference_key(reference)
        for card in self.project.cards:
            for image in card.images:
                if image.relpath == key:
                    return image.path
        return None

    def _open(self, images: list[Path]) -> None:
        if not images:
            self._print(Text("this card shows no image", "dim"))
            return
        for path in images:
            problem = self.opener(path)
            if problem:
                self._print(Text(problem, "yellow"))

    # -- the end ---------------------------------------------------------------------------

    def _finish(self) -> None:
        from .terminal import plain

        summary = self.summary
        if self.options.cram:
            self._print(plain(f"cram: practised {plural(summary.reviewed, 'card')}; nothing saved"))
            return
        now = self.clock()
        states, today = self._today(now)
        remaining = build_queue(self.sides, states, today, now, self.settings, self.options)
        summary.still_due = len(remaining)
        summary.next_due = self._next_due(now, states, today)
        rate = f"{round(100 * summary.again / summary.reviewed)}%" if summary.reviewed else "—"
        self._print(Rule(style="dim"))
        self._print(
            plain(
                f"reviewed {plural(summary.reviewed, 'card')} in {_duration(summary.seconds)}; "
                f"again {rate} ({summary.again} of {summary.reviewed})"
            )
        )
        if summary.still_due:
            self._print(plain(f"{plural(summary.still_due, 'card')} still due today"))
        else:
            self._print(plain(self._next_text(now, summary.next_due)))

    def _next_due(
        self, now: datetime, states: dict[str, FsrsCard], today: Today
    ) -> datetime | None:
        day_end = study_day_start(now, self.tz) + timedelta(days=1)
        return next_due(self.sides, states, today, now, day_end, self.settings, self.options)

    def _next_text(self, now: datetime, when: datetime | None) -> str:
        if when is None:
            return "no card is scheduled"
        if when <= now:
            return "next card due now"
        local = when.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        return f"next card due in {format_interval(when - now)} ({local})"

    def _nothing_due(
        self, now: datetime, states: dict[str, FsrsCard], today: Today, queue: Queue
    ) -> None:
        from .terminal import plain

        if not self.sides:
            raise FlashnotesError("no cards to quiz: --tag/--deck selected none")
        when = self._next_due(now, states, today)
        self.summary.next_due = when
        reasons = []
        if queue.buried:
            reasons.append(
                f"{plural(queue.buried, 'card')} wait for tomorrow: a sibling was shown today"
            )
        if queue.held_back:
            reasons.append(f"{plural(queue.held_back, 'card')} over today's limits")
        text = "nothing due"
        if reasons:
            text += " (" + "; ".join(reasons) + ")"
        self._print(plain(f"{text}; {self._next_text(now, when)}"))


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def open_in_viewer(path: Path) -> str | None:
    """Open a file in the system's viewer without waiting; a message if that cannot be done."""
    import shutil
    import subprocess
    import sys

    command = "open" if sys.platform == "darwin" else "xdg-open"
    if sys.platform == "win32":
        import os

        os.startfile(path)  # type: ignore[attr-defined]
        return None
    if shutil.which(command) is None:
        return f"cannot open images here (no `{command}`); the image is {path}"
    subprocess.Popen(
        [command, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return f"opened {path.name} in the image viewer"


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
    console = Console(highlight=False, emoji=False)
    keys = TerminalKeys() if on_terminal else LineKeys(sys.stdin)
    try:
        with keys:
            session = Session(
                project,
                sides,
                store,
                keys,
                console,
                clock,
                options=options,
                interactive=on_terminal and console.is_terminal,
            )
            return session.run()
    finally:
        if store is not None:
            store.close()
