"""A progress bar on stderr for long runs on a terminal; nothing at all otherwise."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

PROGRESS_THRESHOLD = 500  # cards; below this the work takes well under a second


@contextlib.contextmanager
def progress(
    total: int, show: bool | None, description: str = "rendering cards"
) -> Iterator[Callable[[], None]]:
    """Yield a function that advances the bar by one; `show` None decides by size and tty."""
    if show is None:
        show = total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
    if not show:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
