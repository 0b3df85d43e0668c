"""One sync's exchange of reviews: planned from both logs, written into Anki inside the
notes' transaction, then into the quiz's store once Anki has committed (see reviews.py
for the rules, and why a sync killed in between duplicates nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..project.model import Project
from ..review.store import LoggedReview, Store
from .plan import Plan, WantedNote
from .readonly import Query
from .reviews import (
    AnkiDays,
    ReviewFlow,
    plan_flow,
    replay_sides,
    side_cards,
    side_key,
    write_to_anki,
)
from .snapshot import Snapshot


@dataclass
class ReviewExchange:
    project: Project
    db_path: Path
    store: Store | None = None
    flow: ReviewFlow = field(default_factory=ReviewFlow)
    written: list[tuple[int, int]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def __enter__(self) -> ReviewExchange:
        self.store = Store.open_existing(self.db_path)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _logged(self) -> list[LoggedReview]:
        return self.store.reviews() if self.store is not None else []

    def preview(self, query: Query, snapshot: Snapshot, wanted: Sequence[WantedNote]) -> None:
        """Plan the flow from a read-only look (counts for the summary and the dry run)."""
        cards = side_cards(wanted, snapshot)
        # Notes this sync adds have no cards in Anki yet, but their quiz reviews go with
        # them: count those sides too, under card ids no Anki card has.
        unborn = -1
        for note in wanted:
            if note.guid not in snapshot.notes:
                for ord_ in sorted(note.ords):
                    key = side_key(note, ord_)
                    if key is not None:
                        cards[key] = unborn
                        unborn -= 1
        self.flow = plan_flow(query, self._logged(), cards)

    @property
    def to_anki(self) -> int:
        return len(self.flow.push)

    @property
    def to_quiz(self) -> int:
        return len(self.flow.pulled)

    @property
    def pending(self) -> bool:
        return not self.flow.empty

    def in_anki(self, col: Any, snapshot: Snapshot, wanted: Sequence[WantedNote], plan: Plan):
        """Inside the collection's transaction, after the notes: plan again, replay the
        merged logs, write the quiz's reviews and schedules into Anki."""
        cards = side_cards(wanted, snapshot)
        self.renamed = self._renames(plan)
        logged = self._renamed_rows(self._logged())
        rollover = col.get_preferences().scheduling.rollover
        days = AnkiDays(col.sched.today, datetime.now(UTC), rollover)
        self.flow = plan_flow(col.db.all, logged, cards, days)
        if self.flow.empty:
            return
        rows, origins = self._merged(logged)
        replayed = replay_sides(self._scheduler(), rows, self.flow)
        settings = self.project.settings.quiz
        self.written = write_to_anki(col, self.flow, cards, replayed, origins, days, settings)

    def into_store(self) -> None:
        """After Anki's commit: marks, pulled reviews and replayed states, one transaction."""
        if self.flow.empty and not self.renamed:
            return
        if self.store is None:
            self.store = Store.open(self.db_path)
        flow = self.flow
        sides = {row.side_key for row in flow.push} | set(flow.resets)
        scheduler = self._scheduler()
        self.store.merge_synced(
            [*flow.marks, *self.written],
            flow.pulled,
            lambda rows: replay_sides(scheduler, rows, flow),
            renamed=self.renamed,
            sides=sides,
        )

    def _merged(self, logged: list[LoggedReview]) -> tuple[list[LoggedReview], dict[int, str]]:
        """The logs of every side the flow touches, pulled reviews included (negative ids)."""
        flow = self.flow
        sides = {row.side_key for row in flow.push} | set(flow.resets)
        sides |= {review.side_key for review in flow.pulled}
        rows = [row for row in logged if row.side_key in sides]
        for index, review in enumerate(flow.pulled, start=1):
            placeholder = _placeholder(review.reviewed_at)
            rows.append(
                LoggedReview(
                    -index,
                    review.side_key,
                    review.reviewed_at,
                    review.rating,
                    review.duration_ms,
                    None,
                    placeholder,
                    "anki",
                    review.anki_revlog_id,
                )
            )
        return rows, {row.id: row.origin for row in rows}

    def _renames(self, plan: Plan) -> list[tuple[str, str]]:
        """A switch to or from cloze keeps card 1 (`<id>` ↔ `<id>:c1`): its history follows,
        unless the new key has a history of its own already."""
        if self.store is None:
            return []
        known = self.store.keys_with_history()
        renames = []
        for wanted, _ in plan.retyped:
            old, new = (
                (wanted.card_id, f"{wanted.card_id}:c1")
                if wanted.kind == "cloze"
                else (f"{wanted.card_id}:c1", wanted.card_id)
            )
            if old in known and new not in known:
                renames.append((old, new))
        return renames

    def _renamed_rows(self, logged: list[LoggedReview]) -> list[LoggedReview]:
        names = dict(self.renamed)
        if not names:
            return logged
        return [replace(row, side_key=names.get(row.side_key, row.side_key)) for row in logged]

    def _scheduler(self):
        from ..review.scheduler import make_scheduler

        return make_scheduler(
            self.project.settings.quiz,
            fuzzing=False,
            parameters=self.store.parameters_in_use() if self.store is not None else None,
        )


def _placeholder(moment: datetime):
    from ..review.scheduler import new_state

    return new_state(moment)
