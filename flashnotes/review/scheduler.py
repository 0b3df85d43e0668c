"""A thin adapter over `fsrs.Scheduler` (FSRS-6): no I/O, `now` always passed in, UTC only."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from ..project.model import QuizSettings

# FSRS-6's default weights, as py-fsrs ships them (the same numbers as fsrs-rs's defaults).
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(Scheduler().parameters)

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


def make_scheduler(
    settings: QuizSettings,
    *,
    fuzzing: bool = True,
    parameters: Sequence[float] | None = None,
) -> Scheduler:
    """The FSRS scheduler for a project's quiz settings.

    `parameters`: the learner's fitted set (`flashnotes optimize`); None means FSRS's defaults.
    Fuzzing is off in tests and in replays, which must be reproducible.
    """
    return Scheduler(
        parameters=tuple(parameters) if parameters is not None else DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=fuzzing,
    )


def _check_utc(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise ValueError("`now` must be a timezone-aware UTC datetime")


def new_state(now: datetime) -> FsrsCard:
    """The state of a card never reviewed: learning, step 0, due now."""
    _check_utc(now)
    # card_id is fixed: fsrs would otherwise sleep a millisecond to make one up, and our
    # identity is the side key in the store.
    return FsrsCard(card_id=0, due=now.astimezone(UTC))


def review(
    scheduler: Scheduler,
    state: FsrsCard | None,
    rating: int,
    now: datetime,
    duration_ms: int | None = None,
) -> FsrsCard:
    """The state after rating a card (1 Again … 4 Easy) at `now`; `state` None means new."""
    _check_utc(now)
    now = now.astimezone(UTC)  # fsrs insists on the `timezone.utc` object itself
    before = state if state is not None else new_state(now)
    after, _log = scheduler.review_card(before, Rating(rating), now, duration_ms)
    return after


def preview(scheduler: Scheduler, state: FsrsCard | None, now: datetime) -> dict[int, timedelta]:
    """How long each rating would put the card away, without fuzz (for the rating labels)."""
    plain = scheduler
    if scheduler.enable_fuzzing:
        plain = Scheduler(
            parameters=scheduler.parameters,
            desired_retention=scheduler.desired_retention,
            learning_steps=scheduler.learning_steps,
            relearning_steps=scheduler.relearning_steps,
            maximum_interval=scheduler.maximum_interval,
            enable_fuzzing=False,
        )
    return {rating: review(plain, state, rating, now).due - now for rating in RATING_NAMES}


def format_interval(interval: timedelta) -> str:
    """An interval as Anki shows it: `45s`, `1m`, `10m`, `3h`, `4d`, `1.2mo`, `1.5y`."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 60:
        return f"{_half_up(seconds)}s"
    if seconds < 3600:
        return f"{_half_up(seconds / 60)}m"
    if seconds < 86400:
        return f"{_trim(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{_half_up(days)}d"
    if days < 365:
        return f"{_trim(days / 30)}mo"
    return f"{_trim(days / 365)}y"


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _trim(value: float) -> str:
    """One decimal, none when it is .0: 1.2, 3."""
    text = f"{math.floor(value * 10 + 0.5) / 10:.1f}"
    return text.removesuffix(".0")


def format_time(moment: datetime) -> str:
    """A time as stored: ISO 8601 in UTC with microseconds, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def state_to_dict(state: FsrsCard) -> dict[str, Any]:
    """The saved form of a card's state: fsrs's own keys, minus card_id, times normalised."""
    return {
        "state": state.state.value,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": format_time(state.due),
        "last_review": format_time(state.last_review) if state.last_review else None,
    }


def state_from_dict(saved: dict[str, Any]) -> FsrsCard:
    """The inverse of `state_to_dict`. The saved form comes from a file, so every value is
    checked: one fsrs could not schedule raises ValueError saying which."""
    if not isinstance(saved, dict):
        raise ValueError(f"a state must be an object, not {saved!r:.40}")
    state = _whole(saved.get("state"), "state")
    if state not in (State.Learning.value, State.Review.value, State.Relearning.value):
        raise ValueError(f"state {state} is not 1, 2 or 3")
    step = saved.get("step")
    if step is not None and _whole(step, "step") < 0:
        raise ValueError(f"step {step} is negative")
    stability = _real(saved.get("stability"), "stability")
    if stability is not None and stability <= 0:
        raise ValueError(f"stability {stability} is not positive")
    difficulty = _real(saved.get("difficulty"), "difficulty")
    if difficulty is not None and not 1 <= difficulty <= 10:
        raise ValueError(f"difficulty {difficulty} is not between 1 and 10")
    if (stability is None) != (difficulty is None):
        raise ValueError("stability and difficulty must be both set or both empty")
    if state != State.Learning.value and stability is None:
        raise ValueError(f"a card in state {state} needs a stability and a difficulty")
    if state == State.Relearning.value and step is None:
        raise ValueError("a relearning card needs a step")
    last_review = saved.get("last_review")
    return FsrsCard(
        card_id=0,
        state=State(state),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=parse_time(saved.get("due"), "due"),
        last_review=None if last_review is None else parse_time(last_review, "last_review"),
    )


def parse_time(text: object, name: str) -> datetime:
    """A stored time back (the inverse of `format_time`); ValueError unless it has a zone."""
    try:
        moment = datetime.fromisoformat(text)  # type: ignore[arg-type]
        in_utc = moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} {text!r:.40} is not a time in years 1-9999") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{name} {text!r:.40} has no time zone")
    return in_utc


def _whole(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} {value!r:.40} is not a whole number")
    return value


def _real(value: object, name: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} {value!r:.40} is not a number")
    return float(value)
