"""Typed answers: compared leniently, and what differed shown."""

from __future__ import annotations

import difflib
import re
import unicodedata

from rich.text import Text


def normalize_answer(text: str) -> str:
    """Lenient form of an answer: full-width → half-width, case folded, spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def answer_matches(typed: str, expected: str) -> bool:
    return normalize_answer(typed) == normalize_answer(expected)


def answer_diff(typed: str, expected: str, *, markers: bool) -> Text:
    """The typed answer against the right one: wrong parts struck in red, missing in green.

    With `markers` (no colour), `[-wrong-]` and `{+missing+}` show the same thing.
    """
    mine, right = normalize_answer(typed), normalize_answer(expected)
    out = Text()
    matcher = difflib.SequenceMatcher(None, mine, right, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        if operation == "equal":
            out.append(mine[a0:a1])
            continue
        if a1 > a0:
            out.append(f"[-{mine[a0:a1]}-]" if markers else mine[a0:a1], "bold red strike")
        if b1 > b0:
            out.append(f"{{+{right[b0:b1]}+}}" if markers else right[b0:b1], "bold green")
    return out
