"""`flashnotes stats`: what is due and how reviews went, from the project and its database.

"cards" are review sides, as Anki counts cards: a reversed entry is two cards, a cloze
entry one card per deletion number.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from fsrs import State

from ..errors import plural
from ..project.model import Project
from .days import StudyDays
from .queue import Today, plan_today
from .store import LoggedReview, Store, parameters_of, require_named_db

CHART_DAYS = 28
RETENTION_DAYS = 30
FORECAST_DAYS = 7
_BLOCKS = " ▁▂▃▄▅▆▇█"


def collect(
    project: Project, store: Store | None, now: datetime, tz: tzinfo | None = None
) -> dict[str, Any]:
    """Every number `stats` shows, as plain data (the `--json` object)."""
    states = store.states() if store is not None else {}
    holds = store.holds() if store is not None else {}
    days = StudyDays(tz, project.settings.quiz.day_start)
    day_start = days.start(now)
    # Counted in SQL: a log of 730,000 reviews is never decoded row by row here.
    chart_start = day_start - timedelta(days=CHART_DAYS - 1)
    log: list[LoggedReview] = store.reviews(since=day_start) if store is not None else []
    # "Due" means what the quiz shows: the one definition both use (buried siblings, buried
    # and suspended cards are not due).
    side_of = {side.key: side for side in project.sides}
    today = Today.from_log([row for row in log if row.reviewed_at >= day_start], side_of)
    plan = plan_today(project.sides, states, holds, today, now, days)
    due_now = {side.key for side in plan.due}
    due_today = due_now | {side.key for _, side in plan.later}
    week_end = day_start + timedelta(days=FORECAST_DAYS)

    totals = Counter({"new": 0, "learning": 0, "review": 0, "relearning": 0, "due": 0})
    decks: dict[str, Counter] = {}
    forecast = [0] * FORECAST_DAYS
    for side in project.sides:
        deck = decks.setdefault(
            side.card.deck,
            Counter({"new": 0, "learning": 0, "review": 0, "due_today": 0, "due_week": 0}),
        )
        state = states.get(side.key)
        if state is None:
            totals["new"] += 1
            deck["new"] += 1
            continue
        name = {State.Learning: "learning", State.Review: "review"}.get(state.state, "relearning")
        totals[name] += 1
        # per deck, relearning counts as learning, as Anki's deck list does
        deck["review" if name == "review" else "learning"] += 1
        totals["due"] += side.key in due_now
        deck["due_today"] += side.key in due_today
        hold = holds.get(side.key)
        if hold is not None and hold.suspended:
            continue
        when = days.due_from(state)
        if side.key in due_today or when < week_end:
            deck["due_week"] += 1
            # a buried card (or sibling) due today waits for tomorrow
            ahead = (days.start(when) - day_start).days
            index = 0 if side.key in due_today else max(1, ahead)
            forecast[min(index, FORECAST_DAYS - 1)] += 1

    retention_reviews, recalled = (
        store.recall_counts(now - timedelta(days=RETENTION_DAYS)) if store is not None else (0, 0)
    )
    per_day = Counter(
        (days.start(moment) - day_start).days
        for moment in (store.review_times(chart_start) if store is not None else [])
    )
    project_keys = {side.key for side in project.sides}
    orphaned = sorted((store.keys_with_history() if store is not None else set()) - project_keys)
    local = lambda moment: moment.astimezone(tz).date().isoformat()  # noqa: E731
    return {
        "cards": len(project.sides),
        "new": totals["new"],
        "learning": totals["learning"],
        "review": totals["review"],
        "relearning": totals["relearning"],
        "due": totals["due"],
        "reviews": store.review_count() if store is not None else 0,
        "suspended": plan.suspended,
        "due_today": sum(deck["due_today"] for deck in decks.values()),
        "due_week": sum(deck["due_week"] for deck in decks.values()),
        "retention_30d": round(recalled / retention_reviews, 4) if retention_reviews else None,
        "retention_reviews_30d": retention_reviews,
        "decks": {name: dict(decks[name]) for name in sorted(decks)},
        "reviews_per_day": [
            {"date": local(day_start + timedelta(days=offset)), "reviews": per_day[offset]}
            for offset in range(-(CHART_DAYS - 1), 1)
        ],
        "forecast": [
            {"date": local(day_start + timedelta(days=offset)), "due": forecast[offset]}
            for offset in range(FORECAST_DAYS)
        ],
        "orphaned": orphaned,
        **_parameters_in_use(store),
        "root_deck": project.settings.deck,
        "now": now.isoformat(),
    }


def _parameters_in_use(store: Store | None) -> dict[str, Any]:
    """Which FSRS parameters the quiz schedules with: the fitted set, or the defaults."""
    fitted = store.fitted_parameters() if store is not None else None
    return {
        "fsrs_parameters": list(parameters_of(fitted)),
        "fsrs_parameters_fitted": None
        if fitted is None
        else {
            "fitted_at": fitted.fitted_at.isoformat(),
            "reviews": fitted.review_count,
            "log_loss": fitted.log_loss,
            "default_log_loss": fitted.default_log_loss,
        },
    }


def bar_chart(values: list[int]) -> str:
    """One character per value, eighth-blocks scaled to the largest."""
    top = max(values, default=0)
    if top == 0:
        return "·" * len(values)
    return "".join(
        "·" if value == 0 else _BLOCKS[max(1, round(8 * value / top))] for value in values
    )


def render(data: dict[str, Any]) -> list[Any]:
    """The human view: a deck table, retention, a four-week chart, the week ahead."""
    from rich.table import Table
    from rich.text import Text

    from .terminal import clean

    table = Table(title=None, show_footer=True, box=None, pad_edge=False)
    columns = ("new", "learning", "review", "due_today", "due_week")
    titles = ("new", "learning", "review", "due today", "due this week")
    root = data["root_deck"]
    table.add_column(clean(root), footer="total", no_wrap=False)
    for column, title in zip(columns, titles, strict=True):
        total = sum(deck[column] for deck in data["decks"].values())
        table.add_column(title, justify="right", footer=str(total))
    for name, deck in data["decks"].items():
        short = name.removeprefix(f"{root}::") if name != root else "(root deck)"
        table.add_row(clean(short), *(str(deck[column]) for column in columns))

    out: list[Any] = [table, Text()]
    retention = data["retention_30d"]
    if retention is None:
        out.append(Text("retention, last 30 days: no reviews of cards in review yet"))
    else:
        out.append(
            Text(
                f"retention, last 30 days: {100 * retention:.0f}% "
                f"of {data['retention_reviews_30d']} reviews of cards in review"
            )
        )
    days = data["reviews_per_day"]
    counts = [day["reviews"] for day in days]
    out.append(
        Text(
            f"reviews per day, {days[0]['date']} to {days[-1]['date']} "
            f"(total {sum(counts)}, most {max(counts)}):"
        )
    )
    out.append(Text(f"  {bar_chart(counts)}", "cyan"))
    out.append(Text("next 7 days:"))
    for day in data["forecast"]:
        date = datetime.fromisoformat(day["date"])
        label = "today" if day is data["forecast"][0] else date.strftime("%a %m-%d")
        out.append(Text(f"  {label:<9} {'█' * min(day['due'], 60)} {day['due']}"))
    out.append(Text(_parameters_line(data["fsrs_parameters_fitted"])))
    suspended = data["suspended"]
    out.append(
        Text(
            f"suspended: {plural(suspended, 'card')} (`flashnotes unsuspend ID` brings one back)"
            if suspended
            else "suspended: none"
        )
    )
    orphaned = data["orphaned"]
    if orphaned:
        shown = ", ".join(orphaned[:10]) + (", …" if len(orphaned) > 10 else "")
        out.append(
            Text(
                f"orphaned history: {len(orphaned)} card{'s' if len(orphaned) != 1 else ''} "
                f"no longer in the project ({clean(shown)}); kept, and used again if the id "
                "returns"
            )
        )
    else:
        out.append(Text("orphaned history: none"))
    return out


def _parameters_line(fitted: dict[str, Any] | None) -> str:
    if fitted is None:
        return "FSRS parameters: the defaults (`flashnotes optimize` fits them to your reviews)"
    date = fitted["fitted_at"][:10]
    return (
        f"FSRS parameters: fitted {date} on {fitted['reviews']:,} reviews "
        f"(log loss {fitted['log_loss']:.4f}, defaults {fitted['default_log_loss']:.4f})"
    )


def run_stats(root: Path, db: Path | None, as_json: bool, now_text: str | None = None) -> None:
    """`flashnotes stats`: load the project, read the database (never creating one), print."""
    from ..project.loader import load_project
    from .console import terminal_console
    from .quiz import pinned_clock
    from .store import default_db_path
    from .terminal import emit

    now = pinned_clock(now_text)()
    project = load_project(root)
    require_named_db(db)
    store = Store.open_for_reading(db or default_db_path(project.root))
    if store is None:
        data = collect(project, None, now)
    else:
        with store, store.reading():
            data = collect(project, store, now)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    emit(terminal_console(), *render(data))
