"""The project as a whole: two cards asking the same question compete for one memory."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..model import Card
from .text import fold

_MARKUP_AND_SPACE = re.compile(r"[\s`*_$\\{}^#|~]+")


def duplicate_front(cards: Sequence[Card]) -> Iterator[tuple[Card, str]]:
    # Compared as read: markup, width, case and spacing aside.
    by_front: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        if card.front is not None:
            by_front[_MARKUP_AND_SPACE.sub("", fold(card.front))].append(card)
    for same in by_front.values():
        if len(same) < 2:
            continue
        for card in same:
            others = ", ".join(f"`{other.id}`" for other in same if other is not card)
            yield card, f"the same front as {others}; merge them or make the questions differ"
