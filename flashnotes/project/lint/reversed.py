"""Reversed cards: the back→front card asks for the front's term, so the back must not show it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Card
from .text import HALF_WIDTH, Shown, fold, plain, words

# A front such as "束搜索（beam search）" names one term several ways; each is checked.
_PARENTHESIS = re.compile(r"[(（]([^()（）]*)[)）]")
_ALTERNATIVES = re.compile(r"[「」/、,，;；]|—|\bor\b|或")
_QUALIFIER = re.compile(r"[(（][^()（）a-zA-Z]*[)）]")
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9]{1,7}\b")


def reverse_giveaway(card: Card) -> Iterator[str]:
    if card.type != "reversed" or card.front is None or card.back is None:
        return
    back = plain(card.back)
    shown = Shown(back)
    for term in _terms(plain(card.front)):
        if shown.shows(term):
            yield (
                f"the back shows the front's term `{term}`, so the back→front card "
                "gives its own answer away; describe it without naming it"
            )
            return
    back_words = words(back)
    for acronym in _ACRONYM.findall(card.front.translate(HALF_WIDTH)):
        spelled = _spelled_out(acronym, back_words)
        if spelled:
            yield (
                f"the back spells out `{acronym}` as `{spelled}`, so the back→front card "
                "gives its own answer away"
            )
            return


def _terms(front: str) -> list[str]:
    """The names a front gives its term: `束搜索（beam search）` → 束搜索, beam search.

    A Chinese-only parenthesis such as `（循环神经网络）` says where the term belongs, so
    it is not a name of the term.
    """
    front = _QUALIFIER.sub(" ", front)
    names = [_PARENTHESIS.sub(" ", front), *(m.group(1) for m in _PARENTHESIS.finditer(front))]
    terms = (term.strip() for name in names for term in _ALTERNATIVES.split(name))
    return [term for term in terms if len(term) >= 2]


def _spelled_out(acronym: str, back_words: list[str]) -> str | None:
    """The words of `back_words` whose beginnings spell `acronym` (`GloVe`: Global Vectors)."""
    pieces = [fold(piece) for piece in re.findall(r"[A-Z][a-z0-9]*", acronym)]
    if len(pieces) < 2 or "".join(pieces) != fold(acronym):
        return None  # `fastText`, `x2`: not an acronym
    for start in range(len(back_words) - len(pieces) + 1):
        window = back_words[start : start + len(pieces)]
        if all(word.startswith(piece) for word, piece in zip(window, pieces, strict=True)):
            return " ".join(window)
    return None
