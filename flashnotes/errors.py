"""The error vocabulary: problems that carry a `path:line` and errors that carry problems."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .safetext import safe_line


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input, at a place in a file."""

    path: Path
    line: int
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        """`path:line: message`, the path relative to `relative_to` (default: the cwd).

        Line 0 means the whole file or folder: `path: message`. The message quotes the
        user's files, so it is printed with control characters escaped.
        """
        where = display_path(self.path, relative_to)
        if self.line > 0:
            where = f"{where}:{self.line}"
        return safe_line(f"{where}: {self.message}")


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """A path as a user would type it from `relative_to`, so editors can jump to it."""
    base = relative_to if relative_to is not None else Path.cwd()
    try:
        relative = Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if relative.startswith("../"):
        # Far outside the base (`/dev/null` seen from a project), the absolute path reads
        # better than a climb of `../`; near it (`../deck/cards/a.yaml`), the relative one.
        absolute = Path(os.path.abspath(path)).as_posix()
        return min(relative, absolute, key=len)
    return relative


def plural(count: int, noun: str) -> str:
    """`1 card`, `2 cards`: counts in messages."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class FlashnotesError(Exception):
    """A problem with the user's input or data: reported as one line per problem, exit 1."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            self.text = problems
        else:
            self.problems = tuple(sorted(problems))
            self.text = ""
        super().__init__(self.text or "\n".join(p.format() for p in self.problems))

    def lines(self) -> list[str]:
        """Every line to show the user, sorted by path and line."""
        if self.problems:
            return [p.format() for p in self.problems]
        return [safe_line(line) for line in self.text.splitlines() or [""]]
