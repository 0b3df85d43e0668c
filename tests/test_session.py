"""The session's steps alone, without a screen or keys: queue, rate, bury, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizkit import make_project

from flashnotes.project.loader import load_project
from flashnotes.project.model import QuizSettings
from flashnotes.review.days import StudyDays
from flashnotes.review.queue import Queue, QuizOptions
from flashnotes.review.scheduler import make_scheduler, review
from flashnotes.review.session import Session
from flashnotes.review.store import Hold, Store

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def open_session(tmp_path, **options) -> Session:
    project = load_project(make_project(tmp_path / "p"))
    store = Store.open(tmp_path / "r.sqlite3")
    settings = project.settings.quiz
    side_of = {side.key: side for side in project.sides}
    scheduler = make_scheduler(settings, fuzzing=False)
    return Session(
        project.sides, side_of, store, scheduler, settings, QuizOptions(**options), UTC
    )  # fmt: skip


def keys(queue: Queue) -> tuple[list[str], list[str]]:
    return [s.key for s in queue.cards], [s.key for _, s in sorted(queue.learning)]


def test_undo_restores_the_queue_as_it_was_and_shows_the_card_again(tmp_path):
    session = open_session(tmp_path, new=2)
    assert session.start(NOW) == 2
    first = session.take(NOW)
    session.rate(1, NOW, 1000)  # again: back in a minute
    second = session.take(NOW)
    before = keys(session.queue)
    session.rate(3, NOW, 1000)
    assert keys(session.queue) != before
    assert session.take(NOW) == first  # learn-ahead: the earliest learning card
    step = session.undo()
    assert step is not None and step.side == second and step.rating == 3
    assert keys(session.queue) == before
    assert session.take(NOW) == second
    assert session.undo().side == first  # type: ignore[union-attr]
    assert session.take(NOW) == first
    assert session.store.reviews() == []  # type: ignore[union-attr]
    assert session.states == {}


def test_nothing_to_undo_keeps_the_shown_card(tmp_path):
    session = open_session(tmp_path)
    session.start(NOW)
    shown = session.take(NOW)
    assert session.undo() is None
    assert session.take(NOW) == shown


def test_counts_are_new_learning_review_with_the_shown_card(tmp_path):
    session = open_session(tmp_path)
    session.start(NOW)
    session.take(NOW)
    assert session.counts(NOW) == (4, 0, 0)  # six sides, two wait for a sibling
    session.rate(1, NOW, 1000)
    session.take(NOW)
    assert session.counts(NOW) == (3, 1, 0)


def test_bury_holds_until_the_next_study_day_and_undo_lifts_it(tmp_path):
    session = open_session(tmp_path)
    session.start(NOW)
    side = session.take(NOW)
    session.bury(NOW)
    assert session.store.holds() == {  # type: ignore[union-attr]
        side.key: Hold(buried_until=datetime(2026, 12, 1, 4, tzinfo=UTC))
    }
    session.take(NOW)
    session.undo()
    assert session.store.holds() == {}  # type: ignore[union-attr]


def test_a_review_card_is_due_from_the_start_of_its_day():
    days = StudyDays(UTC)
    scheduler = make_scheduler(QuizSettings(), fuzzing=False)
    state = review(scheduler, None, 4, datetime(2026, 11, 30, 21, tzinfo=UTC))
    assert state.due.hour == 21
    assert days.due_from(state) == days.start(state.due)
    assert days.due_from(state).hour == 4
    learning = review(scheduler, None, 1, NOW)
    assert days.due_from(learning) == NOW + timedelta(minutes=1)  # steps keep their time
    assert StudyDays(UTC, hour=0).due_from(state) == datetime(2026, 12, 8, tzinfo=UTC)
