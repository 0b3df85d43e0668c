"""The rich Console the quiz and `stats` print through: a usable width, and nothing unsafe.

Two things no caller should have to remember:
- `COLUMNS=0` (or negative, or not a number) made rich draw zero columns wide, which
  printed nothing at all. Such a value is ignored; the terminal's own size (80 columns on
  a pipe) is used, and a tiny width is raised to one that can show a card.
- Every piece of text that reaches the terminal passes `safetext` on its way out, so an
  escape sequence from a card file is shown escaped even where a caller forgot to clean
  it. rich's own control output (colours, clearing the screen) is not text and is kept.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment

from ..safetext import safe_block

MIN_WIDTH = 20  # narrower than this, a rating line or a formula cannot be read at all
MIN_HEIGHT = 5


def _dimension(environ: Mapping[str, str], name: str, minimum: int) -> int | None:
    """None to let rich follow COLUMNS/LINES (and resizes); a number where the value is unusable."""
    value = environ.get(name)
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number >= minimum:
        return None
    if number > 0:
        return minimum
    size = shutil.get_terminal_size((80, 24))  # ignores COLUMNS/LINES of 0 or less
    return max(minimum, size.columns if name == "COLUMNS" else size.lines)


class _Escaped:
    """A renderable whose text is escaped segment by segment as rich draws it."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            text, style, control = segment
            if control or not text:
                yield segment
            else:
                escaped = safe_block(text)
                yield segment if escaped == text else Segment(escaped, style)


class _EscapeText(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Escaped(renderable) for renderable in renderables]  # type: ignore[misc]


def terminal_console(environ: Mapping[str, str] | None = None, **options: Any) -> Console:
    """A Console for card text: highlighting and emoji codes off, width and height usable."""
    environ = os.environ if environ is None else environ
    options.setdefault("width", _dimension(environ, "COLUMNS", MIN_WIDTH))
    options.setdefault("height", _dimension(environ, "LINES", MIN_HEIGHT))
    console = Console(highlight=False, emoji=False, **options)
    console.push_render_hook(_EscapeText())
    return console
