"""`flashnotes optimize`: fit FSRS to the learner's own log and keep the set if it is better."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..errors import plural
from ..project.model import Project
from .days import StudyDays
from .fitting import (
    LOWEST_SIMULATED_RETENTION,
    MIN_TRAINING_REVIEWS,
    Evaluation,
    Fit,
    fit,
    optimal_retention,
)
from .replay import replay
from .scheduler import make_scheduler
from .store import LoggedReview, Store, StoredParameters, parameters_of, require_named_db

ALREADY_DEFAULT = "the quiz already schedules with FSRS's default parameters"


def run_optimize(
    root: Path, db: Path | None, *, reset: bool, reschedule: bool, now: datetime
) -> Iterator[str]:
    """Do what the options say and yield the lines to print."""
    from ..project.loader import load_project
    from .store import default_db_path

    project = load_project(root)
    require_named_db(db)
    store = Store.open_existing(db or default_db_path(project.root))
    if store is None:
        if reset:
            yield ALREADY_DEFAULT  # no database: nothing was ever fitted
            return
        yield "no reviews yet: nothing to fit (review with `flashnotes quiz` first)"
        yield _too_few(0)
        return
    with store:
        # The log is read once: the fit and the replay use the same rows (a replay changes
        # states, never which ratings were given when).
        rows = store.reviews() if reschedule or not reset else []
        if reset:
            yield from _reset(store)
        else:
            yield from _optimize(project, store, rows, now)
        if reschedule:
            yield from _reschedule(project, store, rows)


def _reset(store: Store) -> Iterator[str]:
    if store.clear_fitted_parameters():
        yield "the quiz schedules with FSRS's default parameters again"
    else:
        yield ALREADY_DEFAULT


def _optimize(
    project: Project, store: Store, rows: list[LoggedReview], now: datetime
) -> Iterator[str]:
    current = store.fitted_parameters()
    days = StudyDays(hour=project.settings.quiz.day_start)
    result = fit(rows, days, current=None if current is None else current.parameters)
    yield f"reviews in the log: {len(rows):,}"
    if isinstance(result, int):
        yield _too_few(result)
        return
    yield (
        f"used for fitting: {result.training_reviews:,} (each review on a later day than "
        "the card's previous one, with the card's history before it)"
    )
    yield from _evaluations(result, current is not None)
    kept = result.predicts_better
    if kept:
        store.save_fitted_parameters(
            StoredParameters(
                result.parameters,
                now,
                len(rows),
                result.fitted.log_loss,
                result.fitted.rmse,
                result.default.log_loss,
                result.default.rmse,
            )
        )
        yield "kept: the quiz schedules with the fitted parameters from now on"
        yield (
            "cards keep their due dates until their next review; "
            "`flashnotes optimize --reschedule` recomputes them all now"
        )
    else:
        in_use = "the fitted set from before stays" if current is not None else "the defaults stay"
        yield f"not kept: the fitted set predicts these reviews no better; {in_use} in use"
    yield "fitted parameters:"
    yield from _parameter_lines(result.parameters)
    in_use_parameters = result.parameters if kept else parameters_of(current)
    yield _retention_advice(project, in_use_parameters)


def _evaluations(result: Fit, has_current: bool) -> Iterator[str]:
    yield f"  {'':<34}{'log loss':>9}{'RMSE':>9}"
    yield _evaluation_line("default parameters", result.default)
    if has_current and result.current is not None:
        yield _evaluation_line("fitted set in use before", result.current)
    yield _evaluation_line("fitted parameters", result.fitted)
    if result.fitted_unseen is not None:
        yield _evaluation_line("fitted, on later unseen reviews*", result.fitted_unseen)
        yield ("  * fsrs-rs's time-series split: fitted on earlier reviews, scored on later ones")


def _evaluation_line(label: str, evaluation: Evaluation) -> str:
    return f"  {label:<34}{evaluation.log_loss:>9.4f}{evaluation.rmse:>9.4f}"


def _parameter_lines(parameters: tuple[float, ...]) -> Iterator[str]:
    text = ", ".join(f"{value:.4f}" for value in parameters)
    for line in textwrap.wrap(text, width=76):
        yield f"  {line}"


def _too_few(count: int) -> str:
    missing = MIN_TRAINING_REVIEWS - count
    return (
        f"too little history to fit: {plural(count, 'review')} on a later day than the "
        f"card's previous review, {MIN_TRAINING_REVIEWS} needed ({missing:,} more); "
        "the parameters in use stay as they are"
    )


def _retention_advice(project: Project, parameters: tuple[float, ...]) -> str:
    settings = project.settings.quiz
    configured = f"desired retention: {settings.desired_retention:.2f} (flashnotes.yaml)"
    optimum = optimal_retention(parameters, len(project.sides), settings)
    if optimum is None:
        return configured
    where = f"about {optimum:.2f}"
    if optimum <= LOWEST_SIMULATED_RETENTION + 0.005:
        where = f"{LOWEST_SIMULATED_RETENTION:.2f} or lower, the lowest it tries"
    return (
        f"{configured}; fsrs-rs's simulator (a year of this deck) finds the least review "
        f"time per card remembered at {where}; advice only, "
        "change `quiz: desired_retention` yourself if you want it"
    )


def _reschedule(project: Project, store: Store, rows: list[LoggedReview]) -> Iterator[str]:
    stored = store.fitted_parameters()
    scheduler = make_scheduler(
        project.settings.quiz, fuzzing=False, parameters=parameters_of(stored)
    )
    replayed = list(replay(scheduler, rows))
    store.rewrite_states(replayed)
    sides = len({row.side_key for row in replayed})
    which = "fitted" if stored is not None else "default"
    yield (
        f"rescheduled {plural(sides, 'card')} by replaying "
        f"{plural(len(replayed), 'review')} with the {which} parameters"
    )
