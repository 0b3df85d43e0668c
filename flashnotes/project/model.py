"""Frozen value objects: what a validated project is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

CardType = Literal["basic", "reversed", "cloze", "typed"]
CARD_TYPES: tuple[CardType, ...] = ("basic", "reversed", "cloze", "typed")

DEFAULT_DECK = "flashnotes"
DEFAULT_NAMESPACE = "default"

# A cloze deletion as Anki reads it: `{{c1::answer}}` or `{{c1::answer::hint}}`; it ends at
# the first `}}`. Anki reads the number's ASCII digits only (`c١` is no deletion).
CLOZE_PATTERN = re.compile(r"\{\{c([0-9]+)::(.*?)\}\}", re.DOTALL)
# Anki makes one card per number up to c500; it puts every higher number on card 500.
CLOZE_MAX = 500


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: an absolute file path and a 1-based line."""

    path: Path
    line: int


@dataclass(frozen=True, slots=True)
class Image:
    """An image file inside the project that a card shows."""

    relpath: str  # POSIX path relative to the project root, e.g. "My_img/gru.png"
    path: Path  # absolute, resolved path on disk
    kind: str  # the format its bytes are: "png", "jpeg", "gif", "webp" or "svg"


@dataclass(frozen=True, slots=True)
class QuizSettings:
    """Scheduling settings for the terminal quiz (the `quiz:` mapping of flashnotes.yaml)."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500  # days
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_start: int = 4  # the hour a study day starts, local time (Anki's "next day starts at")


@dataclass(frozen=True, slots=True)
class Settings:
    """flashnotes.yaml, with defaults for everything left out."""

    deck: str = DEFAULT_DECK
    namespace: str = DEFAULT_NAMESPACE
    quiz: QuizSettings = field(default_factory=QuizSettings)


@dataclass(frozen=True, slots=True)
class Card:
    """One card entry of a card file: one Anki note, one or more reviewable sides."""

    id: str
    type: CardType
    deck: str  # full Anki deck name, "Root::Sub"
    tags: tuple[str, ...]  # the file's tags, then the card's own, without repeats
    location: Location  # where the card's entry starts
    front: str | None = None
    back: str | None = None
    text: str | None = None  # cloze text
    answer: str | None = None  # typed answer
    source: str | None = None
    images: tuple[Image, ...] = ()
    # `lint:` of the card: (rule name, the reason it does not apply here), in file order.
    lint: tuple[tuple[str, str], ...] = ()

    @property
    def silenced(self) -> frozenset[str]:
        """The lint rules this card silences for itself."""
        return frozenset(rule for rule, _ in self.lint)

    @property
    def cloze_numbers(self) -> tuple[int, ...]:
        """The distinct deletion numbers of a cloze card, ascending."""
        if self.text is None:
            return ()
        return tuple(sorted({int(m.group(1)) for m in CLOZE_PATTERN.finditer(self.text)}))

    @property
    def sides(self) -> tuple[Side, ...]:
        """The reviewable cards this entry makes, as Anki makes them."""
        if self.type == "cloze":
            return tuple(Side(self, f"{self.id}:c{n}", "cloze", n) for n in self.cloze_numbers)
        forward = Side(self, self.id, "forward", 0)
        if self.type == "reversed":
            return (forward, Side(self, f"{self.id}:reverse", "reverse", 1))
        return (forward,)


@dataclass(frozen=True, slots=True)
class Side:
    """One reviewable card: the forward or reverse side of a note, or one cloze deletion.

    `key` is its identity in the quiz's database. The forward side of `basic`, `reversed`
    and `typed` cards shares the key `<id>`, so switching between those types keeps its
    history; cloze deletions are `<id>:cN`, reverse sides `<id>:reverse`.
    """

    card: Card
    key: str
    kind: Literal["forward", "reverse", "cloze"]
    number: int  # cloze number for "cloze"; 0 forward, 1 reverse


@dataclass(frozen=True, slots=True)
class Project:
    """A fully validated project: settings and every card, in file order."""

    root: Path
    settings: Settings
    cards: tuple[Card, ...]

    @property
    def decks(self) -> tuple[str, ...]:
        return tuple(sorted({card.deck for card in self.cards}))

    @property
    def images(self) -> tuple[Image, ...]:
        unique = {image.relpath: image for card in self.cards for image in card.images}
        return tuple(unique[key] for key in sorted(unique))

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(side for card in self.cards for side in card.sides)
