"""Proposing ids for cards that lack one, and writing them into the user's files."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from ..atomic import replace_file
from ..errors import FlashnotesError, Problem

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


def write_ids(missing: Iterable[tuple[Path, int, str]]) -> int:
    """Insert `id: <proposed>` as the first key of each card, file by file.

    `missing` holds (file, line of the card's first key, proposed id). ruamel.yaml's round
    trip keeps the user's comments, key order and layout; files are replaced atomically.
    """
    from ruamel.yaml import YAML  # only this command rewrites user files

    by_file: dict[Path, dict[int, str]] = {}
    for path, line, proposed in missing:
        by_file.setdefault(path, {})[line] = proposed
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    written = 0
    for path, proposals in sorted(by_file.items()):
        text = path.read_text(encoding="utf-8-sig")
        document = yaml.load(text)
        _detect_indent(yaml, text)
        for card in document.get("cards", []):
            line = card.lc.line + 1
            if line in proposals and "id" not in card:
                card.insert(0, "id", proposals[line])
                written += 1
        try:
            # A link inside the project (the loader refuses others) stays a link.
            replace_file(
                path.resolve(), lambda handle, document=document: yaml.dump(document, handle)
            )
        except OSError as error:
            raise FlashnotesError([Problem(path, 1, f"cannot write: {error.strerror}")]) from None
    return written


def _detect_indent(yaml, text: str) -> None:
    """Keep the file's own list style: `- id:` under `cards:` at column 0 or indented."""
    match = re.search(r"^cards:\s*\n(?:\s*#.*\n)*( *)- ", text, re.MULTILINE)
    offset = len(match.group(1)) if match else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
