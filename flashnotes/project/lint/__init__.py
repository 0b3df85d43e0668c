"""`flashnotes lint`: warnings about cards that are hard to remember well.

Rules come from the classic rules for formulating knowledge (one fact per card, no answer
given away, short answers); one module per family of rules, listed in `catalog.py`. A
card silences a rule for itself with `lint: {RULE: reason}`.

Entry point: `lint_project(project, rule_names)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ...errors import display_path
from ...safetext import safe_line
from ..model import Card, Project


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
    from .catalog import RULES

    chosen = set(rule_names) if rule_names is not None else None
    found: list[LintWarning] = []

    def add(card: Card, rule: str, message: str) -> None:
        if rule not in card.silenced:
            location = card.location
            found.append(LintWarning(location.path, location.line, rule, message))

    for rule in RULES:
        if chosen is not None and rule.name not in chosen:
            continue
        if rule.card_check is not None:
            check = rule.card_check
            for card in project.cards:
                for message in check(card):
                    add(card, rule.name, message)
        if rule.project_check is not None:
            for card, message in rule.project_check(project.cards):
                add(card, rule.name, message)
    found.sort()
    return found
