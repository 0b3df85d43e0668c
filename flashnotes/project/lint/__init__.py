"""`flashnotes lint`: warnings about cards that are hard to remember well.

Rules come from the classic rules for formulating knowledge (one fact per card, no answer
given away, short answers); one module per family of rules, listed in `catalog.py`. A
card silences a rule for itself with `lint: {RULE: reason}`.

Entry point: `lint_project(project, rule_names)`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from ...errors import display_path
from ...safetext import safe_line
from ..model import Card, Project
from .catalog import RULES, Rule


@dataclass(frozen=True, order=True)
class LintWarning:
    path: Path
    line: int
    rule: str
    message: str

    def format(self) -> str:
        where = f"{display_path(self.path)}:{self.line}"
        return safe_line(f"{where}: warning: {self.rule}: {self.message}")


def lint_project(project: Project, rule_names: Iterable[str] | None = None) -> list[LintWarning]:
    """Every warning of the chosen rules (default: all), sorted by file, line and rule."""
    chosen = set(rule_names) if rule_names is not None else None
    rules = tuple(rule for rule in RULES if chosen is None or rule.name in chosen)
    cards = project.cards
    found = _card_warnings(rules, cards)
    for rule in rules:
        if rule.project_check is not None:
            for card, message in rule.project_check(cards):
                if rule.name not in card.silenced:
                    location = card.location
                    found.append(LintWarning(location.path, location.line, rule.name, message))
    found.sort()
    return found


# Below this many cards, starting worker processes costs more than it saves.
_PARALLEL_CARDS = 2000
_shared: tuple[tuple[Rule, ...], Sequence[Card]] | None = None  # what forked workers read


def _card_warnings(rules: tuple[Rule, ...], cards: Sequence[Card]) -> list[LintWarning]:
    """The per-card rules' warnings, on every core for large projects."""
    workers = min(os.cpu_count() or 1, 8)
    if len(cards) < _PARALLEL_CARDS or workers < 2 or "fork" not in get_all_start_methods():
        return _check_cards(rules, cards)
    global _shared
    _shared = (rules, cards)  # forked workers inherit it; nothing is pickled but results
    try:
        step = -(-len(cards) // workers)
        bounds = [(start, start + step) for start in range(0, len(cards), step)]
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            return [warning for part in pool.map(_check_slice, bounds) for warning in part]
    finally:
        _shared = None


def _check_slice(bounds: tuple[int, int]) -> list[LintWarning]:
    assert _shared is not None
    rules, cards = _shared
    return _check_cards(rules, cards[bounds[0] : bounds[1]])


def _check_cards(rules: tuple[Rule, ...], cards: Sequence[Card]) -> list[LintWarning]:
    found = []
    for rule in rules:
        check = rule.card_check
        if check is None:
            continue
        for card in cards:
            for message in check(card):
                if rule.name not in card.silenced:
                    location = card.location
                    found.append(LintWarning(location.path, location.line, rule.name, message))
    return found
