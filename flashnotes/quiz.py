"""The terminal quiz: which cards are due today, and the review loop.

Input, output and both clocks are injected, so tests drive a whole session through a pipe
with a pinned time. Days (for the daily limits and for keeping siblings apart) are study
days that start at 4 am local time, as in Anki: a session after midnight still counts
towards the evening before.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

from fsrs import Card as FsrsCard
from fsrs import State
from rich.console import Console, Group
from rich.rule import Rule
from rich.text import Text

from .errors import FlashnotesError, display_path
from .keys import QUIT, REVEAL
from .model import Project, QuizSettings, Side
from .scheduler import (
    RATING_NAMES,
    STATE_NAMES,
    format_interval,
    make_scheduler,
    preview,
    review,
)
from .store import LoggedReview, Store

DAY_START_HOUR = 4
# A learning card due within this much time is shown again in the same session, early if
# nothing else is left (Anki's "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)
RATING_STYLES = {1: "red", 2: "yellow", 3: "green", 4: "blue"}


class Keys(Protocol):
    def key(self) -> str: ...
    def answer(self) -> str | None: ...


@dataclass(frozen=True)
class QuizOptions:
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    new: int | None = None  # cap on new cards this session (0: reviews only)
    limit: int | None = None  # cap on cards this session
    cram: bool = False  # any card, due or not; nothing written


# -- days and the queue ------------------------------------------------------------------


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


# -- typed answers -----------------------------------------------------------------------


def normalize_answer(text: str) -> str:
    """Lenient form of an answer: full-width → half-width, case folded, spaces collapsed."""
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def answer_matches(typed: str, expected: str) -> bool:
    return normalize_answer(typed) == normalize_answer(expected)


def answer_diff(typed: str, expected: str, *, markers: bool) -> Text:
    """The typed answer against the right one: wrong parts struck in red, missing in green.

    With `markers` (no colour), `[-wrong-]` and `{+missing+}` show the same thing.
    """
    import difflib

    mine, right = normalize_answer(typed), normalize_answer(expected)
    out = Text()
    matcher = difflib.SequenceMatcher(None, mine, right, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        if operation == "equal":
            out.append(mine[a0:a1])
            continue
        if a1 > a0:
            out.append(f"[-{mine[a0:a1]}-]" if markers else mine[a0:a1], "bold red strike")
        if b1 > b0:
            out.append(f"{{+{right[b0:b1]}+}}" if markers else right[b0:b1], "bold green")
    return out


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
        options: QuizOptions = QuizOptions(),
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
        self.scheduler = make_scheduler(self.settings, fuzzing=fuzzing)
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
        from .media import reference_key

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
            self._print(plain(f"cram: practised {_cards(summary.reviewed)}; nothing saved"))
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
                f"reviewed {_cards(summary.reviewed)} in {_duration(summary.seconds)}; "
                f"again {rate} ({summary.again} of {summary.reviewed})"
            )
        )
        if summary.still_due:
            self._print(plain(f"{_cards(summary.still_due)} still due today"))
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
            reasons.append(f"{_cards(queue.buried)} wait for tomorrow: a sibling was shown today")
        if queue.held_back:
            reasons.append(f"{_cards(queue.held_back)} over today's limits")
        text = "nothing due"
        if reasons:
            text += " (" + "; ".join(reasons) + ")"
        self._print(plain(f"{text}; {self._next_text(now, when)}"))


def _cards(count: int) -> str:
    return f"{count} card{'' if count == 1 else 's'}"


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
    fixed = moment.astimezone(UTC)  # a naive time is taken as local time
    return lambda: fixed


def run_quiz(
    root: Path, db: Path | None, options: QuizOptions, now_text: str | None = None
) -> Summary:
    """`flashnotes quiz`: load the project, open the database, run a session on stdin/stdout."""
    import sys

    from .keys import LineKeys, TerminalKeys
    from .loader import load_project
    from .select import select_cards
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
