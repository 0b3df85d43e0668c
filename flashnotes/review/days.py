"""Study days, as Anki keeps them: when a card is due, for the quiz and for `stats` alike.

A study day starts at 4 am local time (`quiz: day_start` in flashnotes.yaml, as Anki's
"next day starts at"), so a session after midnight still counts towards the evening
before. A card whose interval is a day or more is due for the whole study day on which it
falls due (rated Good at 21:00, due in two days: due from 4 am that day); a learning or
relearning step (minutes) is due at its exact time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from fsrs import Card as FsrsCard
from fsrs import State

DAY_START_HOUR = 4
ONE_DAY = timedelta(days=1)
# A learning card due within this much time is shown early when nothing else is left
# (Anki's "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)


def study_day_start(
    now: datetime, tz: tzinfo | None = None, hour: int = DAY_START_HOUR
) -> datetime:
    """The UTC start of the study day `now` falls in (`hour` o'clock local time)."""
    local = now.astimezone(tz)
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= ONE_DAY
    return start.astimezone(UTC)


def study_day_end(now: datetime, tz: tzinfo | None = None, hour: int = DAY_START_HOUR) -> datetime:
    """The UTC start of the next study day: when today's burying ends."""
    # Through local time, so that a day with a daylight-saving change still ends at 4 am.
    start = study_day_start(now, tz, hour).astimezone(tz)
    return study_day_start(start + ONE_DAY + timedelta(hours=12), tz, hour)


def counts_in_days(state: FsrsCard) -> bool:
    """Whether a card's interval is a day or more, so that it is due for a whole study day."""
    if state.last_review is None:
        return state.state == State.Review
    return state.due - state.last_review >= ONE_DAY


@dataclass(frozen=True)
class StudyDays:
    """The learner's days: a time zone (None: the machine's) and the hour a day starts."""

    tz: tzinfo | None = None
    hour: int = DAY_START_HOUR

    def start(self, now: datetime) -> datetime:
        return study_day_start(now, self.tz, self.hour)

    def end(self, now: datetime) -> datetime:
        return study_day_end(now, self.tz, self.hour)

    def due_from(self, state: FsrsCard) -> datetime:
        """The moment from which a reviewed card may be shown."""
        if counts_in_days(state):
            return self.start(state.due)
        return state.due
