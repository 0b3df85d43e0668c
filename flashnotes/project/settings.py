"""flashnotes.yaml: the project's settings, validated with line numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import yaml

from ..errors import Problem
from ..safepath import resolves_inside
from ..safetext import control_characters
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
    "day_start",
)
# Both matched whole (`fullmatch`): `$` would let a trailing newline through.
NAMESPACE_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([smhd])\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LONGEST_SECONDS = 10**8 * 86400.0  # 270,000 years, inside timedelta

# The quiz's limits, Anki's where it has one (deck options): beyond them FSRS and date
# arithmetic overflow, and a study day would never end. 36500 days is Anki's maximum
# interval; a learning step longer than that is no step.
RETENTION_RANGE = (0.7, 0.99)
WHOLE_NUMBER_RANGES = {
    "maximum_interval": (1, 36500),
    "new_per_day": (0, 1_000_000),
    "reviews_per_day": (0, 1_000_000),
    "day_start": (0, 23),  # an hour, as Anki's "next day starts at"
}
MAXIMUM_STEP = timedelta(days=36500)


def deck_name_problem(name: str) -> str | None:
    """Why a deck name would confuse Anki, or None."""
    if not name.strip():
        return "deck name is empty"
    if any(not part.strip() for part in name.split("::")):
        return f"deck name `{name}` has an empty part between `::`"
    if found := control_characters(name, layout=False):
        return f"deck name `{name}` contains the control character {found[1][0]}, which Anki drops"
    if any(part.strip().startswith(":") or part.strip().endswith(":") for part in name.split("::")):
        return f"deck name `{name}` has a part that starts or ends with `:`, which Anki drops"
    if '"' in name:
        return f'deck name `{name}` contains `"`, which Anki does not allow'
    return None


def deck_name(name: str) -> str:
    """A valid deck name as Anki stores it: in Unicode NFC, each `::` part without
    surrounding spaces."""
    return "::".join(part.strip() for part in unicodedata.normalize("NFC", name).split("::"))


def parse_duration(text: str) -> timedelta | None:
    """`30s`, `10m`, `1h`, `1d` → a timedelta; None if not of that form."""
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    # Past timedelta's range it is no duration a scheduler could use: longer than any limit.
    return timedelta(seconds=min(seconds, _LONGEST_SECONDS))


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """The settings of the project at `root` (defaults if the file is absent) and problems."""
    path = root / SETTINGS_FILE
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    if path.is_symlink() and not resolves_inside(path, root.resolve()):
        report(0, "is a symbolic link that leaves the project; not read")
        return Settings(), problems
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
    deck = deck_name(deck)
    namespace = _text(entries.get("namespace"), report) or DEFAULT_NAMESPACE
    if "namespace" in entries and not NAMESPACE_PATTERN.fullmatch(namespace):
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
        elif key == "desired_retention":
            value = _number(entry.value)
            low, high = RETENTION_RANGE
            if isinstance(value, float | int) and low <= value <= high:
                values[key] = float(value)
            else:
                report(entry.line, f"`desired_retention` must be a number from {low} to {high}")
        else:
            value = _number(entry.value)
            low, high = WHOLE_NUMBER_RANGES[key]
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                values[key] = value
            else:
                report(entry.line, f"`{key}` must be a whole number from {low} to {high}")
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
        if step > MAXIMUM_STEP:
            report(line_of(item), f"`{key}`: a step is at most {MAXIMUM_STEP.days}d")
            return None
        steps.append(step)
    return tuple(steps)
