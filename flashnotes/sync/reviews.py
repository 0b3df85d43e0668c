"""Reviews both ways between the quiz's store and Anki's review log.

The rules (also in the README):
- A review is identified by its card and its time to the millisecond. A quiz review
  written into Anki becomes a revlog row whose id is its time in milliseconds (one more
  while that id is taken: ids are unique in a collection), and the store remembers that
  row's id, so nothing is written twice. A revlog row the store does not know is matched
  to an unsynced quiz review of the same card within a few milliseconds and the same
  rating (a sync killed after Anki's commit and before the store's), else it is a rating
  given in Anki and joins the quiz's log, marked as coming from Anki. A review the store
  remembers as written to Anki but that this collection's log lacks (a restored backup,
  another profile) is written again.
- Each card's merged log, in time order, is replayed through the quiz's scheduler: that
  is the quiz's schedule afterwards. A "Forget"/reset in Anki's log starts the card over
  at that moment; other manual entries (set due date, reschedule) are not ratings.
- Where both sides' schedules could disagree (different parameters), the side where the
  latest review happened wins: if it was the quiz, Anki's card gets the quiz's state
  (type, queue, due, interval, FSRS memory state); if it was Anki, Anki's card keeps its
  schedule and the quiz takes over its due time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Scheduler, State

from ..project.model import QuizSettings
from ..review.days import study_day_start
from ..review.replay import replay
from ..review.store import LoggedReview, PulledReview, ReplayedReview
from .plan import WantedNote
from .readonly import Query
from .snapshot import Snapshot

MATCH_MS = 5  # a revlog row this close to an unsynced quiz review of the card is that review
MANUAL = 4  # revlog type of Forget, Set Due Date
_FSRS_TO_ANKI = {State.Learning: (1, 1), State.Review: (2, 2), State.Relearning: (3, 1)}


def side_cards(wanted: Sequence[WantedNote], snapshot: Snapshot) -> dict[str, int]:
    """Each quiz side key with its Anki card id: `<id>` is card 1 (front→back), `<id>:reverse`
    card 2, `<id>:cN` the card of deletion N."""
    found: dict[str, int] = {}
    for note in wanted:
        anki = snapshot.notes.get(note.guid)
        if anki is None:
            continue
        for card in snapshot.cards.get(anki.id, []):
            key = side_key(note, card.ord)
            if key is not None:
                found[key] = card.id
    return found


def side_key(note: WantedNote, ord_: int) -> str | None:
    """The quiz's side key of the note's card with this ordinal (None: no such side)."""
    if note.kind == "cloze":
        return f"{note.card_id}:c{ord_ + 1}"
    return {0: note.card_id, 1: f"{note.card_id}:reverse"}.get(ord_)


@dataclass
class ReviewFlow:
    """What one sync moves each way."""

    pulled: list[PulledReview] = field(default_factory=list)  # Anki → quiz
    push: list[LoggedReview] = field(default_factory=list)  # quiz → Anki
    marks: list[tuple[int, int]] = field(default_factory=list)  # (log id, revlog id) matched
    resets: dict[str, list[datetime]] = field(default_factory=dict)
    anki_due: dict[str, datetime] = field(default_factory=dict)  # Anki's due per side

    @property
    def empty(self) -> bool:
        return not (self.pulled or self.push or self.marks)


def plan_flow(
    query: Query,
    logged: Sequence[LoggedReview],
    cards: dict[str, int],
    days: AnkiDays | None = None,
) -> ReviewFlow:
    """Match Anki's review log of our cards against the quiz's log; with `days` (the
    library is open), also read when Anki has each card due."""
    flow = ReviewFlow()
    side_of = {card_id: side for side, card_id in cards.items()}
    revlog = _revlog(query, list(side_of))
    present = {row[0] for row in revlog}
    known = {row.anki_revlog_id for row in logged if row.anki_revlog_id is not None}
    unsynced: dict[str, list[LoggedReview]] = defaultdict(list)
    for row in logged:
        if row.side_key not in cards:
            continue
        if row.anki_revlog_id is None:
            if row.origin == "quiz":
                unsynced[row.side_key].append(row)
        elif row.anki_revlog_id not in present:
            # Written to Anki once, but not to this collection's log: a restored backup,
            # or another profile. This collection lacks the review, so it gets it again.
            unsynced[row.side_key].append(row)
    for revlog_id, cid, ease, ivl, duration, kind in revlog:
        side = side_of[cid]
        if revlog_id in known:
            continue
        at = datetime.fromtimestamp(revlog_id / 1000, UTC)
        if kind == MANUAL or ease == 0:
            if ivl == 0:
                flow.resets.setdefault(side, []).append(at)
            continue
        twin = next(
            (
                row
                for row in unsynced[side]
                if abs(_ms(row.reviewed_at) - revlog_id) <= MATCH_MS and row.rating == ease
            ),
            None,
        )
        if twin is not None:
            unsynced[side].remove(twin)
            flow.marks.append((twin.id, revlog_id))
        else:
            flow.pulled.append(PulledReview(side, at, ease, duration or None, revlog_id))
    flow.push = sorted((row for rows in unsynced.values() for row in rows), key=_order)
    for cid, queue, due in _card_dues(query, list(side_of)) if days else ():
        when = _anki_due(queue, due, days)
        if when is not None:
            flow.anki_due[side_of[cid]] = when
    return flow


def replay_sides(
    scheduler: Scheduler,
    rows: Iterable[LoggedReview],
    flow: ReviewFlow,
) -> list[ReplayedReview]:
    """Replay each side's merged log in time order, resets honoured; where the latest
    review came from Anki, the final due time is Anki's."""
    rows = list(rows)
    origin = {row.id: row.origin for row in rows}
    replayed = list(replay(scheduler, rows, flow.resets))
    last = {entry.side_key: index for index, entry in enumerate(replayed)}
    for side, index in last.items():
        entry = replayed[index]
        if origin[entry.id] == "anki" and side in flow.anki_due:
            replayed[index] = replace(entry, after=_with_due(entry.after, flow.anki_due[side]))
    return replayed


def write_to_anki(
    col: Any,
    flow: ReviewFlow,
    cards: dict[str, int],
    replayed: Sequence[ReplayedReview],
    origins: dict[int, str],
    days: AnkiDays,
    settings: QuizSettings,
) -> list[tuple[int, int]]:
    """Quiz reviews into Anki's review log, and each card whose latest review is the quiz's
    scheduled as the quiz schedules it. Returns (log id, revlog id) of the rows written."""
    states = {row.id: row for row in replayed}
    written = []
    for row in flow.push:
        state = states.get(row.id)
        before, after = (state.before, state.after) if state else (row.before, row.after)
        revlog_id = _ms(row.reviewed_at)
        while col.db.scalar("SELECT 1 FROM revlog WHERE id = ?", revlog_id):
            revlog_id += 1
        col.db.execute(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            revlog_id,
            cards[row.side_key],
            row.rating,
            _interval(after, row.reviewed_at),
            0 if before is None else _interval(before, before.last_review or row.reviewed_at),
            int(after.difficulty * 100) if after.difficulty else 0,
            max(0, min(row.duration_ms or 0, 60_000)),
            _revlog_kind(before),
        )
        written.append((row.id, revlog_id))
    latest: dict[str, ReplayedReview] = {}
    for row in sorted(replayed, key=lambda r: r.after.last_review or r.after.due):
        latest[row.side_key] = row
    pushed_sides = {row.side_key for row in flow.push}
    for side, row in latest.items():
        if side in pushed_sides and origins.get(row.id, "quiz") == "quiz" and side in cards:
            _schedule(col, cards[side], row.after, days, settings)
    return written


def _schedule(
    col: Any, card_id: int, state: FsrsCard, days: AnkiDays, settings: QuizSettings
) -> None:
    from anki.cards import FSRSMemoryState

    card = col.get_card(card_id)
    card.type, card.queue = _FSRS_TO_ANKI[state.state]
    if state.state == State.Review:
        card.due = days.number(state.due)
        card.ivl = max(1, _interval(state, state.last_review or state.due))
    else:
        card.due = int(state.due.timestamp())
        card.ivl = 0 if state.state == State.Learning else card.ivl
        # The learning steps still to go, which Anki's scheduler reads from `left`.
        steps = (
            settings.learning_steps if state.state == State.Learning else settings.relearning_steps
        )
        card.left = max(1, len(steps) - (state.step or 0))
    card.factor = card.factor or 2500
    if state.stability is not None and state.difficulty is not None:
        card.memory_state = FSRSMemoryState(stability=state.stability, difficulty=state.difficulty)
    if state.last_review is not None:
        card.last_review_time = int(state.last_review.timestamp())
    # Card info and Anki's leech count read these; the revlog now holds every rating.
    card.reps = col.db.scalar("SELECT count() FROM revlog WHERE cid = ? AND ease > 0", card_id)
    card.lapses = col.db.scalar(
        "SELECT count() FROM revlog WHERE cid = ? AND ease = 1 AND type = 1", card_id
    )
    col.update_cards([card], skip_undo_entry=True)


def _interval(state: FsrsCard, since: datetime) -> int:
    """Anki's interval: days for a review card, negative seconds for a learning step."""
    seconds = (state.due - since).total_seconds()
    if state.state == State.Review:
        return max(1, round(seconds / 86400))
    return -max(1, int(seconds))


def _revlog_kind(before: FsrsCard | None) -> int:
    if before is None or before.state == State.Learning:
        return 0
    return 1 if before.state == State.Review else 2


def _revlog(query: Query, card_ids: list[int]) -> list[tuple]:
    sql = "SELECT id, cid, ease, ivl, time, type FROM revlog WHERE cid IN ({}) ORDER BY id"
    return _for_cards(query, sql, card_ids)


def _card_dues(query: Query, card_ids: list[int]) -> list[tuple]:
    return _for_cards(query, "SELECT id, queue, due FROM cards WHERE id IN ({})", card_ids)


def _for_cards(query: Query, sql: str, card_ids: list[int]) -> list[tuple]:
    """Rows of `sql` for every card id, 500 ids per query (SQLite's variable limit)."""
    rows: list[tuple] = []
    for start in range(0, len(card_ids), 500):
        chunk = card_ids[start : start + 500]
        rows += query(sql.format(",".join("?" * len(chunk))), *chunk)
    return rows


@dataclass(frozen=True)
class AnkiDays:
    """Anki's day numbers (`col.sched.today` is today's): Anki's days start at its own
    "next day starts at" hour (`rollover`), local time."""

    today: int
    now: datetime
    rollover: int = 4

    def number(self, due: datetime) -> int:
        start = study_day_start(due, hour=self.rollover)
        days = (start - study_day_start(self.now, hour=self.rollover)).days
        return max(0, self.today + days)

    def moment(self, number: int) -> datetime:
        start = study_day_start(self.now, hour=self.rollover)
        return start + timedelta(days=number - self.today)


def _anki_due(queue: int, due: int, days: AnkiDays) -> datetime | None:
    if queue == 2:
        return days.moment(due)
    if queue == 1:
        return datetime.fromtimestamp(due, UTC)
    return None


def _with_due(state: FsrsCard, due: datetime) -> FsrsCard:
    return FsrsCard(
        card_id=0,
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=due,
        last_review=state.last_review,
    )


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def _order(row: LoggedReview) -> tuple:
    return (row.reviewed_at, row.id)
