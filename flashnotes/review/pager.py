"""Cards taller than the terminal, shown a page at a time.

The card is laid out once at the terminal's width; a page is as many lines as fit above
the line that says how to go on.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.segment import Segment, Segments
from rich.text import Text

MORE_KEYS = "Space/Enter: next page   b: back"


def layout(console: Console, renderables: list[RenderableType]) -> list[list[Segment]]:
    """The lines `renderables` take on this console, without the padding rich adds."""
    return console.render_lines(Group(*renderables), console.options, pad=False)


def room(console: Console) -> int:
    """Lines a page may take: the terminal's height less the hint line and the cursor's."""
    return max(1, console.size.height - 2)


def page(lines: list[list[Segment]], top: int, size: int) -> Segments:
    """Lines `top` to `top + size` as one renderable."""
    segments: list[Segment] = []
    for line in lines[top : top + size]:
        segments.extend(line)
        segments.append(Segment.line())
    return Segments(segments)


def more_line(top: int, size: int, total: int) -> Text:
    last = min(top + size, total)
    return Text(f"— lines {top + 1}-{last} of {total} —   {MORE_KEYS}", "dim reverse")
