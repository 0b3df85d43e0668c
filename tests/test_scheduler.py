from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import State
from hypothesis import given
from hypothesis import strategies as st

from flashnotes.project.model import QuizSettings
from flashnotes.review.scheduler import (
    format_interval,
    make_scheduler,
    new_state,
    preview,
    review,
    state_from_dict,
    state_to_dict,
)

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_exact_intervals_for_a_rating_sequence_with_fuzzing_off():
    scheduler = make_scheduler(QuizSettings(), fuzzing=False)
    now, state, seen = START, None, []
    for rating in (3, 3, 3, 1, 3, 3, 4, 2):
        state = review(scheduler, state, rating, now)
        seen.append((state.due - now, state.state))
        now = state.due  # review each card exactly when it falls due
    day, minute = timedelta(days=1), timedelta(minutes=1)
    assert seen == [
        (10 * minute, State.Learning),
        (2 * day, State.Review),
        (11 * day, State.Review),
        (10 * minute, State.Relearning),
        (2 * day, State.Review),
        (5 * day, State.Review),
        (19 * day, State.Review),
        (36 * day, State.Review),
    ]


def test_labels_of_a_new_card_are_the_learning_steps():
    scheduler = make_scheduler(QuizSettings(), fuzzing=True)  # labels never fuzz
    labels = {r: format_interval(d) for r, d in preview(scheduler, None, START).items()}
    assert labels == {1: "1m", 2: "6m", 3: "10m", 4: "8d"}


def test_settings_reach_the_scheduler():
    settings = QuizSettings(
        desired_retention=0.8,
        learning_steps=(timedelta(minutes=5),),
        relearning_steps=(),
        maximum_interval=30,
    )
    scheduler = make_scheduler(settings, fuzzing=False)
    assert scheduler.desired_retention == 0.8
    assert review(scheduler, None, 1, START).due - START == timedelta(minutes=5)
    long = review(scheduler, None, 4, START)
    for _ in range(6):
        long = review(scheduler, long, 4, long.due)
    assert long.due - long.last_review <= timedelta(days=30)


def test_fuzzing_spreads_review_intervals():
    scheduler = make_scheduler(QuizSettings(), fuzzing=True)
    state = review(make_scheduler(QuizSettings(), fuzzing=False), None, 4, START)
    later = state.due + timedelta(days=10)
    dues = {review(scheduler, state, 3, later).due for _ in range(40)}
    assert len(dues) > 1


def test_naive_time_is_refused():
    scheduler = make_scheduler(QuizSettings(), fuzzing=False)
    with pytest.raises(ValueError):
        review(scheduler, None, 3, datetime(2026, 11, 30, 9))
    with pytest.raises(ValueError):
        new_state(datetime(2026, 11, 30, 9, tzinfo=timezone(timedelta(hours=8))))


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5.5), "6m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=1, minutes=30), "1.5h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=36), "1.2mo"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_interval_labels_read_like_anki(interval, label):
    assert format_interval(interval) == label


times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(
    ratings=st.lists(st.integers(1, 4), min_size=1, max_size=8),
    start=times,
    gaps=st.lists(st.integers(0, 10**7), min_size=8, max_size=8),
)
def test_saved_form_round_trips(ratings, start, gaps):
    scheduler = make_scheduler(QuizSettings(), fuzzing=False)
    state, now = None, start
    for rating, gap in zip(ratings, gaps, strict=False):
        state = review(scheduler, state, rating, now)
        assert state_from_dict(state_to_dict(state)) == state
        now += timedelta(seconds=gap)
