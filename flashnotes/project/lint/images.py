"""Images: alt text is what a missing file, a screen reader and the terminal quiz show."""

from __future__ import annotations

from collections.abc import Iterator

from ...errors import plural
from ..model import Card
from .text import image_alts


def image_alt_missing(card: Card) -> Iterator[str]:
    for name in ("front", "back", "text"):
        value = getattr(card, name)
        if value is None:
            continue
        missing = sum(1 for alt in image_alts(value) if not (alt and alt.strip()))
        if missing:
            yield f"{plural(missing, 'image')} in `{name}` without alt text; say what it shows"
