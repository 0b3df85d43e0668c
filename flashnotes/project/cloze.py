"""Anki cloze markup: finding deletions and the mistakes that break them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import CLOZE_MAX, CLOZE_PATTERN

# Anything that starts like a deletion, well-formed or not: `{{c1::`, `{{c1:`, `{{ c1::`,
# `{{C1::`, `{{c::`.
_OPENING = re.compile(r"\{\{\s*[cC]\s*(\d*)\s*(:{0,2})")
_WELLFORMED = re.compile(r"\{\{c([0-9]+)::")


@dataclass(frozen=True)
class Deletion:
    number: int
    answer: str
    hint: str | None
    start: int  # offset of `{{` in the text
    end: int  # offset just past `}}`


@dataclass(frozen=True)
class ClozeProblem:
    offset: int
    message: str


def deletions(text: str) -> list[Deletion]:
    """Every deletion in `text`, in order, as Anki reads them (each ends at the first `}}`)."""
    found = []
    for match in CLOZE_PATTERN.finditer(text):
        answer, _, hint = match.group(2).partition("::")
        found.append(
            Deletion(int(match.group(1)), answer, hint or None, match.start(), match.end())
        )
    return found


def cloze_problems(text: str) -> list[ClozeProblem]:
    """What would make Anki show this cloze text other than as the author meant."""
    problems: list[ClozeProblem] = []
    seen_any = False
    position = 0
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            break
        start = opening.start()
        wellformed = _WELLFORMED.match(text, start)
        if wellformed is None:
            problems.append(
                ClozeProblem(
                    start,
                    f"malformed cloze `{opening.group(0)}`: write `{{{{c1::answer}}}}` "
                    "(lowercase c, a number, two colons)",
                )
            )
            position = opening.end()
            continue
        seen_any = True
        digits = wellformed.group(1).lstrip("0") or "0"
        # A number too long for int() is over the limit anyway.
        number = int(digits) if len(digits) <= len(str(CLOZE_MAX)) else CLOZE_MAX + 1
        if number > CLOZE_MAX:
            shown = digits if len(digits) <= 12 else f"{digits[:12]}…"
            problems.append(
                ClozeProblem(
                    start,
                    f"cloze number c{shown} is over c{CLOZE_MAX}: Anki makes cards only up to "
                    f"c{CLOZE_MAX} and puts higher numbers on that card; renumber the deletions",
                )
            )
            number = CLOZE_MAX
        close = text.find("}}", wellformed.end())
        if close < 0:
            problems.append(
                ClozeProblem(start, f"cloze deletion c{number} is never closed with `}}}}`")
            )
            break
        body = text[wellformed.end() : close]
        answer = body.partition("::")[0]
        if number == 0:
            problems.append(ClozeProblem(start, "cloze numbers start at c1, not c0"))
        if not answer.strip():
            problems.append(ClozeProblem(start, f"cloze deletion c{number} has an empty answer"))
        if body.count("{") > body.count("}"):
            problems.append(
                ClozeProblem(
                    start,
                    f"a `}}}}` inside cloze deletion c{number} ends it early in Anki "
                    "(common in math): write `} }` with a space inside the deletion",
                )
            )
        position = close + 2
    if not seen_any and not problems:
        problems.append(ClozeProblem(0, "cloze text has no deletion; mark one as `{{c1::answer}}`"))
    return problems
