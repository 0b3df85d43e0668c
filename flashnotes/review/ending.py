"""What the quiz says when a session ends, or when there is nothing to show: how it went,
what is still due, which limit or rule holds the rest back, and when the next card is due."""

from __future__ import annotations

from datetime import datetime, tzinfo

from ..errors import plural
from ..project.model import QuizSettings
from .queue import Held, QuizOptions
from .scheduler import format_interval
from .session import Outlook, Summary


def held_reasons(held: Held, settings: QuizSettings, options: QuizOptions) -> list[str]:
    """Why cards that could be due are not shown, one phrase per rule, naming the rule."""
    reasons = []
    if held.siblings:
        verb = "waits" if held.siblings == 1 else "wait"
        reasons.append(
            f"{plural(held.siblings, 'card')} {verb} for tomorrow: a sibling was shown today"
        )
    if held.buried:
        reasons.append(f"{plural(held.buried, 'card')} buried until tomorrow")
    if held.suspended:
        reasons.append(f"{plural(held.suspended, 'card')} suspended")
    if held.reviews_per_day:
        reasons.append(
            f"{plural(held.reviews_per_day, 'review')} over the daily limit "
            f"(reviews_per_day: {settings.reviews_per_day})"
        )
    if held.new_per_day:
        reasons.append(
            f"{plural(held.new_per_day, 'new card')} over the daily limit "
            f"(new_per_day: {settings.new_per_day})"
        )
    if held.new_option:
        reasons.append(f"{plural(held.new_option, 'new card')} left out by --new {options.new}")
    return reasons


def next_text(now: datetime, when: datetime | None, tz: tzinfo | None) -> str:
    if when is None:
        return "no card is scheduled"
    if when <= now:
        return "next card due now"
    local = when.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return f"next card due in {format_interval(when - now)} ({local})"


def nothing_due(
    outlook: Outlook, settings: QuizSettings, options: QuizOptions, now: datetime, tz: tzinfo | None
) -> str:
    reasons = held_reasons(outlook.queue.held, settings, options)
    text = "nothing due" + (f" ({'; '.join(reasons)})" if reasons else "")
    return f"{text}; {next_text(now, outlook.next_due, tz)}"


def session_end(
    summary: Summary,
    outlook: Outlook,
    limited: int | None,
    settings: QuizSettings,
    options: QuizOptions,
    now: datetime,
    tz: tzinfo | None,
) -> list[str]:
    """The closing lines. `limited` is the --limit that ended the session, if one did."""
    rate = f"{round(100 * summary.again / summary.reviewed)}%" if summary.reviewed else "—"
    lines = [
        f"reviewed {plural(summary.reviewed, 'card')} in {duration(summary.seconds)}; "
        f"again {rate} ({summary.again} of {summary.reviewed})"
    ]
    left = outlook.queue.pending(now)
    if left:
        why = (
            f"--limit {limited} ended the session"
            if limited is not None
            else "run `flashnotes quiz` again to go on"
        )
        lines.append(f"{plural(left, 'card')} still due today ({why})")
    else:
        lines.append(next_text(now, outlook.next_due, tz))
    reasons = held_reasons(outlook.queue.held, settings, options)
    if reasons:
        lines.append("not shown: " + "; ".join(reasons))
    return lines


def cram_end(summary: Summary) -> str:
    return f"cram: practised {plural(summary.reviewed, 'card')}; nothing saved"


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
