"""`--tag` and `--deck` filters, shared by export and quiz."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence

from .model import Card


def tag_matches(card_tags: Iterable[str], wanted: str) -> bool:
    """Anki's tag search: case-insensitive, `rnn` also matches the child tag `rnn::gru`."""
    wanted = wanted.lower()
    return any(tag.lower() == wanted or tag.lower().startswith(wanted + "::") for tag in card_tags)


def deck_matches(deck: str, pattern: str, root_deck: str) -> bool:
    """Whether a full deck name, or one of its parents, matches a glob pattern.

    The pattern is matched case-insensitively against the full name (`Root::06 RNN`) and
    against the name under the root deck (`06 RNN`), so `--deck '06*'` works; a deck
    matches when a parent does, as selecting a deck in Anki includes its subdecks.
    """
    pattern = pattern.lower()
    parts = deck.lower().split("::")
    root_parts = len(root_deck.split("::"))
    for end in range(1, len(parts) + 1):
        candidates = ["::".join(parts[:end])]
        if end > root_parts:
            candidates.append("::".join(parts[root_parts:end]))
        if any(fnmatch.fnmatchcase(name, pattern) for name in candidates):
            return True
    return False


def select_cards(
    cards: Sequence[Card], tags: Sequence[str], decks: Sequence[str], root_deck: str
) -> list[Card]:
    """Cards having any of `tags` (if given) and in a deck matching any of `decks` (if given)."""
    return [
        card
        for card in cards
        if (not tags or any(tag_matches(card.tags, tag) for tag in tags))
        and (not decks or any(deck_matches(card.deck, pattern, root_deck) for pattern in decks))
    ]
