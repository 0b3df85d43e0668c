"""Typed cards: the front must pin the form of the answer, or right answers are marked wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Card
from .text import fold

# "写完整函数名", "full name": the front asks for the qualified form.
_ASKS_FULL = re.compile(r"完整|全名|全称|full")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# `(3, 3)`, `[2, 2]`: a number written as a tuple of itself.
_TUPLE = re.compile(r"[(\[（]\s*\d+(?:\.\d+)?(?:\s*[,，]\s*\d+(?:\.\d+)?)+\s*[)\]）]")
_QUALIFIED = re.compile(r"([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\.([A-Za-z_]\w*)(\(.*\))?")


def typed_form_unpinned(card: Card) -> Iterator[str]:
    if card.type != "typed" or card.answer is None or card.front is None:
        return
    answer = card.answer.strip()
    front = fold(card.front)
    qualified = _QUALIFIED.fullmatch(answer)
    if qualified and fold(qualified.group(1)) not in front and not _ASKS_FULL.search(front):
        yield (
            f"the answer `{answer}` carries the prefix `{qualified.group(1)}.` that the front "
            f"does not ask for; say whether to type `{qualified.group(2)}` or `{answer}`"
        )
        return
    if card.back is not None and _NUMBER.fullmatch(answer):
        for other in _TUPLE.finditer(card.back):
            if all(number == answer for number in _NUMBER.findall(other.group(0))):
                yield (
                    f"the back writes the answer as `{other.group(0)}`; say in the front "
                    f"whether to type `{answer}` or `{other.group(0)}`"
                )
                return
