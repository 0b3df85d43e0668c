"""flashnotes.yaml: the project's settings, validated with line numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import yaml

from ..errors import Problem
from .model import DEFAULT_DECK, DEFAULT_NAMESPACE, QuizSettings, Settings
from .yamlnodes import (
    DocumentError,
    compose,
    decode,
    kind_of,
    line_of,
    mapping_entries,
    scalar_value,
    unknown_key_message,
)

SETTINGS_FILE = "flashnotes.yaml"
SETTINGS_KEYS = ("deck", "namespace", "quiz")
QUIZ_KEYS = (
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "new_per_day",
    "reviews_per_day",
)
NAMESPACE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def deck_name_problem(name: str) -> str | None:
    """Why a deck name would confuse Anki, or None."""
    if not name.strip():
        return "deck name is empty"
    if any(not part.strip() for part in name.split("::")):
        return f"deck name `{name}` has an empty part between `::`"
    if '"' in name:
        return f'deck name `{name}` contains `"`, which Anki does not allow'
    return None


def parse_duration(text: str) -> timedelta | None:
    """`30s`, `10m`, `1h`, `1d` → a timedelta; None if not of that form."""
    match = _DURATION.match(text)
    if match is None:
        return None
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """The settings of the project at `root` (defaults if the file is absent) and problems."""
    path = root / SETTINGS_FILE
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    if not path.is_file():
        return Settings(), problems
    try:
        node = compose(decode(path.read_bytes()))
    except DocumentError as error:
        report(error.line, error.message)
        return Settings(), problems
    except OSError as error:
        report(1, f"cannot read: {error.strerror}")
        return Settings(), problems
    if node is None:
        return Settings(), problems
    if not isinstance(node, yaml.MappingNode):
        report(line_of(node), f"settings must be a mapping of keys, not {kind_of(node)}")
        return Settings(), problems

    entries = mapping_entries(node, report)
    for key, entry in entries.items():
        if key not in SETTINGS_KEYS:
            report(entry.line, unknown_key_message(key, SETTINGS_KEYS, SETTINGS_FILE))

    deck = _text(entries.get("deck"), report) or DEFAULT_DECK
    if "deck" in entries and (message := deck_name_problem(deck)):
        report(entries["deck"].line, message)
    namespace = _text(entries.get("namespace"), report) or DEFAULT_NAMESPACE
    if "namespace" in entries and not NAMESPACE_PATTERN.match(namespace):
        report(
            entries["namespace"].line,
            f"namespace `{namespace}` must be lowercase letters, digits, `.`, `_` or `-` "
            "(at most 64, starting with a letter or digit)",
        )
    quiz = QuizSettings()
    if "quiz" in entries:
        quiz = _quiz_settings(entries["quiz"].value, report)
    return Settings(deck=deck, namespace=namespace, quiz=quiz), problems


def _text(entry, report: Callable[[int, str], None]) -> str | None:
    if entry is None:
        return None
    node = entry.value
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        report(entry.line, f"`{entry.key}` must be text, not {kind_of(node)}")
        return None
    return node.value.strip()


def _quiz_settings(node: yaml.Node, report: Callable[[int, str], None]) -> QuizSettings:
    if not isinstance(node, yaml.MappingNode):
        report(line_of(node), f"`quiz` must be a mapping of settings, not {kind_of(node)}")
        return QuizSettings()
    entries = mapping_entries(node, report)
    values: dict[str, object] = {}
    for key, entry in entries.items():
        if key not in QUIZ_KEYS:
            report(entry.line, unknown_key_message(key, QUIZ_KEYS, "quiz settings"))
        elif key.endswith("_steps"):
            steps = _steps(entry.value, key, report)
            if steps is not None:
                values[key] = steps
        else:
            value = _number(entry.value)
            if key == "desired_retention":
                if isinstance(value, float | int) and 0 < value < 1:
                    values[key] = float(value)
                else:
                    report(entry.line, "`desired_retention` must be a number between 0 and 1")
            elif isinstance(value, int) and value >= (1 if key == "maximum_interval" else 0):
                values[key] = value
            else:
                low = 1 if key == "maximum_interval" else 0
                report(entry.line, f"`{key}` must be a whole number of at least {low}")
    return QuizSettings(**values)  # type: ignore[arg-type]


def _number(node: yaml.Node) -> object:
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    ):
        return None
    return scalar_value(node)


def _steps(
    node: yaml.Node, key: str, report: Callable[[int, str], None]
) -> tuple[timedelta, ...] | None:
    if not isinstance(node, yaml.SequenceNode):
        report(line_of(node), f"`{key}` must be a list of durations such as [1m, 10m]")
        return None
    steps = []
    for item in node.value:
        step = parse_duration(item.value) if isinstance(item, yaml.ScalarNode) else None
        if step is None or step <= timedelta(0):
            report(line_of(item), f"`{key}`: a step is a duration such as 30s, 10m, 1h or 1d")
            return None
        steps.append(step)
    return tuple(steps)
