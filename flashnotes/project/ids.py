"""Proposing ids for cards that lack one (idwriter.py writes them into the files)."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"[a-z0-9]+")
_CLOZE_MARKUP = re.compile(r"\{\{c\d+::|::[^}]*\}\}|\}\}")
_MAX_WORDS = 5
_MAX_SLUG = 40


def propose_id(front: str, taken: set[str]) -> str:
    """A short slug of the card's front, unique among `taken`.

    Only ASCII words make it into a slug (ids are `[a-z0-9._-]`), so a mostly Chinese front
    gets its English terms plus a short hash of the whole text, which keeps ids distinct.
    """
    words = _WORD.findall(_CLOZE_MARKUP.sub(" ", front).lower())
    slug = "-".join(words[:_MAX_WORDS])[:_MAX_SLUG].strip("-")
    digest = hashlib.sha1(front.encode("utf-8")).hexdigest()
    if not slug:
        candidate = f"card-{digest[:8]}"
    elif len(words) >= 2:
        candidate = slug
    else:
        candidate = f"{slug}-{digest[:6]}"
    counter = 2
    unique = candidate
    while unique in taken:
        unique = f"{candidate}-{counter}"
        counter += 1
    return unique
