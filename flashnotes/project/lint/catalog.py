"""Every lint rule: its name (used in output, `--rules` and a card's `lint:` key), the
one-line reason it exists, and the function that finds it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Card
from .answers import answer_too_long, list_too_long, two_questions
from .cloze import cloze_answer_visible, cloze_pair_giveaway
from .duplicates import duplicate_front
from .images import image_alt_missing
from .reversed import reverse_giveaway
from .typed import typed_form_unpinned

CardCheck = Callable[[Card], Iterable[str]]
ProjectCheck = Callable[[Sequence[Card]], Iterable[tuple[Card, str]]]


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    card_check: CardCheck | None = None
    project_check: ProjectCheck | None = None


RULES: tuple[Rule, ...] = (
    Rule(
        "reverse-giveaway",
        "a reversed card whose back names the front's term asks nothing on its back→front side",
        card_check=reverse_giveaway,
    ),
    Rule(
        "cloze-answer-visible",
        "a deletion whose answer also stands in the visible text is read, not recalled",
        card_check=cloze_answer_visible,
    ),
    Rule(
        "cloze-pair-giveaway",
        "two deletions that differ in one opposite (短期/长期) give each other away",
        card_check=cloze_pair_giveaway,
    ),
    Rule(
        "two-questions",
        "a front asking two things is rated by the weaker answer; one question per card",
        card_check=two_questions,
    ),
    Rule(
        "answer-too-long",
        "a long answer is recalled in part and rated as if whole; keep answers short",
        card_check=answer_too_long,
    ),
    Rule(
        "list-too-long",
        "a list of more than three items on one card is forgotten item by item; use a cloze",
        card_check=list_too_long,
    ),
    Rule(
        "typed-form-unpinned",
        "a typed answer in a form the front does not ask for marks right answers wrong",
        card_check=typed_form_unpinned,
    ),
    Rule(
        "duplicate-front",
        "two cards with the same front compete for one memory and confuse the rating",
        project_check=duplicate_front,
    ),
    Rule(
        "image-alt-missing",
        "an image without alt text says nothing when the file is missing or not shown",
        card_check=image_alt_missing,
    ),
)

RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES)
