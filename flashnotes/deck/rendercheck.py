"""What only rendering shows: a field that renders to nothing, a deletion lost on the way.

Anki makes a note's cards from its rendered fields: no card 1 for an empty Front, no
reverse card for an empty Back, and a cloze card only for a number its Text still holds
as `{{cN::`. A front of only an HTML comment, a line `[x]: y` (a link definition), or a
deletion inside a link, a script or a highlighted code block passes every rule on the
source and still gives Anki fewer cards than the quiz counts. `check` renders the cards
whose source could do that (export renders them all) and names them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import Problem
from ..project.model import CLOZE_PATTERN, Card, Project

# Anki's rule: a field is empty when only whitespace and zero-width spaces are left
# (rslib notetype/cardgen.rs). A deletion is `{{cN::...}}`, closed (CLOZE_PATTERN).
_EMPTY_FIELD = re.compile(r"[\s\u200b]*")

# What in a source can make rendering drop text or cloze markup: raw HTML (comments,
# scripts, styles, attributes), link definitions and destinations, highlighted code.
_RISKY_PROMPT = ("<", "]:")
_RISKY_CLOZE = ("<", "]:", "](", "```", "~~~")


def rendering_problems(card: Card, fields: Sequence[str]) -> list[Problem]:
    """Where Anki would make fewer cards of these rendered fields than the card has."""
    where = card.location
    if card.type == "cloze":
        kept = {int(match.group(1)) for match in CLOZE_PATTERN.finditer(fields[0])}
        return [
            Problem(
                where.path,
                where.line,
                f"card {card.id}: cloze deletion c{number} is lost when rendered for Anki "
                "(inside a link, an HTML comment, script or style, or highlighted code)",
            )
            for number in card.cloze_numbers
            if number not in kept
        ]
    prompts = [("front", fields[0])]
    if card.type == "reversed":
        prompts.append(("back", fields[1]))
    return [
        Problem(
            where.path,
            where.line,
            f"card {card.id}: `{name}` shows nothing once rendered for Anki (HTML comments, "
            "scripts and styles are removed; a line `[x]: ...` defines a link), so Anki "
            "would make no card of it",
        )
        for name, html in prompts
        if _EMPTY_FIELD.fullmatch(html)
    ]


def check_rendering(project: Project) -> list[Problem]:
    """rendering_problems for every card whose source could lose text when rendered."""
    risky = [card for card in project.cards if _could_lose_text(card)]
    if not risky:
        return []
    from ..project.media import anki_media_names
    from .fields import card_fields
    from .render import Renderer

    renderer = Renderer(anki_media_names(image.relpath for image in project.images))
    problems: list[Problem] = []
    for card in risky:
        problems += rendering_problems(card, card_fields(card, renderer))
    return sorted(problems)


def _could_lose_text(card: Card) -> bool:
    if card.type == "cloze":
        return any(marker in (card.text or "") for marker in _RISKY_CLOZE)
    prompts = [card.front or ""]
    if card.type == "reversed":
        prompts.append(card.back or "")
    return any(marker in prompt for prompt in prompts for marker in _RISKY_PROMPT)
