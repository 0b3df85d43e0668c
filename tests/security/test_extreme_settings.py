"""Any quiz setting `check` accepts, any state the review database accepts, any clock the
quiz accepts: scheduling never raises (extreme steps, retention and intervals used to
crash the quiz mid-session)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashnotes.project.model import QuizSettings
from flashnotes.project.settings import MAXIMUM_STEP, RETENTION_RANGE, WHOLE_NUMBER_RANGES
from flashnotes.review.quiz import CLOCK_YEARS
from flashnotes.review.scheduler import (
    format_interval,
    format_time,
    make_scheduler,
    preview,
    review,
    state_from_dict,
    state_to_dict,
)

STEPS = st.lists(
    st.timedeltas(min_value=timedelta(milliseconds=1), max_value=MAXIMUM_STEP), max_size=4
).map(tuple)
QUIZ = st.builds(
    QuizSettings,
    desired_retention=st.floats(*RETENTION_RANGE),
    learning_steps=STEPS,
    relearning_steps=STEPS,
    maximum_interval=st.integers(*WHOLE_NUMBER_RANGES["maximum_interval"]),
)
CLOCK = st.datetimes(
    min_value=datetime(CLOCK_YEARS[0], 1, 1), max_value=datetime(CLOCK_YEARS[1], 12, 31)
).map(lambda moment: moment.replace(tzinfo=UTC))
STORED = st.fixed_dictionaries(
    {
        "state": st.sampled_from([1, 2, 3]),
        "step": st.one_of(st.none(), st.integers(0, 10**6)),
        "stability": st.one_of(st.none(), st.floats(1e-300, 1e300)),
        "difficulty": st.one_of(st.none(), st.floats(1, 10)),
        "due": CLOCK.map(format_time),
        "last_review": st.one_of(st.none(), CLOCK.map(format_time)),
    }
)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(QUIZ, st.one_of(st.none(), STORED), CLOCK, st.integers(1, 4), st.booleans())
def test_scheduling_never_raises_within_the_accepted_ranges(quiz, saved, now, rating, fuzzing):
    try:
        state = None if saved is None else state_from_dict(saved)
    except ValueError:
        return  # the store reports such a row as a corrupt database
    scheduler = make_scheduler(quiz, fuzzing=fuzzing)
    labels = [format_interval(interval) for interval in preview(scheduler, state, now).values()]
    after = review(scheduler, state, rating, now)
    assert len(labels) == 4
    assert state_from_dict(state_to_dict(after)) == after  # what is saved can be read back
    review(scheduler, after, 3, max(now, after.due))
