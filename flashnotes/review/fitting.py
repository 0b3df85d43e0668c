"""Fit FSRS parameters to a learner's review log with fsrs-rs (the Rust FSRS Anki uses).

Training items are built as Anki builds them: one item per review that comes on a later
study day than the card's previous review, carrying the card's whole history up to it;
`delta_t` counts study days (which start at `quiz: day_start`, 4 am local time by
default), so reviews on the same day have `delta_t` 0 and enter as short-term history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..project.model import QuizSettings
from .days import StudyDays
from .replay import by_side
from .store import LoggedReview

# Below this many training items the fit is not worth keeping. fsrs-rs 0.9 itself fits
# only the four first-rating stabilities (or nothing) until its training set, after outlier
# filtering, holds roughly 50-150 items (measured on synthetic logs), and an evaluation on
# fewer than a few hundred reviews cannot tell two parameter sets apart reliably; Anki's
# manual likewise warns that small logs give unreliable parameters.
MIN_TRAINING_REVIEWS = 400

# fsrs-rs searches for the optimal retention between 0.70 and 0.95; an answer at the lower
# end means "this low or lower", not a measured optimum.
LOWEST_SIMULATED_RETENTION = 0.70

# How far ahead the retention simulator looks, in days (Anki's default is a year too).
SIMULATION_DAYS = 365


@dataclass(frozen=True)
class Evaluation:
    """How well a parameter set predicts recall on a set of reviews (lower is better)."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Fit:
    """The outcome of fitting: the parameters and both evaluations on the same reviews."""

    training_reviews: int
    parameters: tuple[float, ...]
    default: Evaluation
    fitted: Evaluation
    current: Evaluation | None  # the fitted set in use before, if any
    # The fitting procedure scored on reviews it was not fitted on (fsrs-rs's time-series
    # split: fit on earlier reviews, predict later ones); None when the log is too short.
    fitted_unseen: Evaluation | None

    @property
    def predicts_better(self) -> bool:
        """Better than the defaults and than the set in use, on the same reviews."""
        rivals = [self.default] + ([self.current] if self.current is not None else [])
        return all(self.fitted.log_loss < rival.log_loss for rival in rivals)


def study_day(moment: datetime, days: StudyDays) -> int:
    """The study day `moment` falls in, as a day number (days start at `quiz: day_start`)."""
    return days.start(moment).astimezone(days.tz).date().toordinal()


def training_items(rows: Sequence[LoggedReview], days: StudyDays | None = None) -> list:
    """fsrs-rs training items, ordered by the time of the review each one predicts."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    days = days or StudyDays()
    dated: list[tuple[datetime, int, FSRSItem]] = []
    for side_number, reviews in enumerate(by_side(rows).values()):
        history: list[FSRSReview] = []
        previous_day: int | None = None
        for row in reviews:
            day = study_day(row.reviewed_at, days)
            elapsed = 0 if previous_day is None else day - previous_day
            history.append(FSRSReview(row.rating, elapsed))
            previous_day = day
            if len(history) > 1 and elapsed > 0:
                dated.append((row.reviewed_at, side_number, FSRSItem(list(history))))
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in dated]


def fit(
    rows: Sequence[LoggedReview],
    days: StudyDays | None = None,
    *,
    current: Sequence[float] | None = None,
) -> Fit | int:
    """Fit parameters to the log; the number of training reviews instead if too few.

    `current`: a fitted set already in use, evaluated on the same reviews for comparison.
    """
    from fsrs_rs_python import FSRS, evaluate_with_time_series_splits

    from .scheduler import DEFAULT_PARAMETERS

    items = training_items(rows, days)
    if len(items) < MIN_TRAINING_REVIEWS:
        return len(items)
    defaults = FSRS(list(DEFAULT_PARAMETERS))
    parameters = tuple(defaults.compute_parameters(items))
    try:
        unseen = _evaluation(evaluate_with_time_series_splits(items))
    except (ValueError, RuntimeError):
        unseen = None  # too few reviews in some split; the in-sample numbers still stand
    return Fit(
        training_reviews=len(items),
        parameters=parameters,
        default=_evaluation(defaults.evaluate(items)),
        fitted=_evaluation(FSRS(list(parameters)).evaluate(items)),
        current=None if current is None else _evaluation(FSRS(list(current)).evaluate(items)),
        fitted_unseen=unseen,
    )


def _evaluation(result) -> Evaluation:
    return Evaluation(log_loss=float(result.log_loss), rmse=float(result.rmse_bins))


def optimal_retention(
    parameters: Sequence[float], card_count: int, settings: QuizSettings
) -> float | None:
    """The desired retention that minimises review time per card remembered (advice only).

    fsrs-rs's simulator plays a year of study of a deck this size under the project's daily
    limits; None when it cannot say (an empty deck, or the simulator gives up).
    """
    from fsrs_rs_python import default_simulator_config
    from fsrs_rs_python import optimal_retention as simulate_optimum

    if card_count <= 0:
        return None
    config = default_simulator_config()
    config.deck_size = card_count
    config.learn_span = SIMULATION_DAYS
    config.learn_limit = max(1, settings.new_per_day)
    config.review_limit = max(1, settings.reviews_per_day)
    config.max_ivl = float(settings.maximum_interval)
    try:
        value = float(simulate_optimum(config, list(parameters)))
    except (ValueError, RuntimeError):
        return None
    return value if math.isfinite(value) else None
