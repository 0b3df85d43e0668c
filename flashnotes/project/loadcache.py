"""A cache of validated card files, so unchanged files are not parsed again.

A card file's cards are reused only while the file and the project's settings are exactly
as when they were validated (size and modification time in nanoseconds, and the
settings' values); the images its cards show are checked again on every load, through
the same resolver as a fresh read, so a removed image or a path that now leaves the
project is never taken on trust. Files with problems are never cached, so `check`
always reports from a fresh read. The cache lives in the user's cache folder (see
cachedir.py), and is JSON, never pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from .. import __version__
from ..atomic import replace_file
from ..cachedir import project_cache_file
from .media import ImageResolver
from .model import CARD_TYPES, Card, Image, Location, Settings

CACHE_NAME = "load-cache.jsonl"
CACHE_FORMAT = 5  # 5: NFC tags and decks; 4: deck names as Anki's; 3: stricter checks

Signature = list[int]


def file_signature(path: Path) -> Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


class LoadCache:
    """The validated cards of unchanged files, read from and written to the user's cache.

    On disk: a first line naming the cache's key, then one line per card file,
    `["relpath", [size, mtime_ns]]<TAB>[cards...]`. A file's cards stay undecoded bytes
    until they are asked for, which keeps memory flat for large projects.
    """

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.path = project_cache_file(root, CACHE_NAME)
        settings_digest = hashlib.sha1(repr(settings).encode()).hexdigest()
        self.key = f"{CACHE_FORMAT}:{__version__}:{settings_digest}"
        self.files: dict[str, tuple[Signature, bytes]] = self._read()
        self.changed = False

    def _read(self) -> dict[str, tuple[Signature, bytes]]:
        files: dict[str, tuple[Signature, bytes]] = {}
        try:
            with self.path.open("rb") as handle:
                if json.loads(handle.readline()) != {"key": self.key}:
                    return {}
                for line in handle:
                    head, _, cards = line.rstrip(b"\n").partition(b"\t")
                    relpath, signature = json.loads(head)
                    files[relpath] = (signature, cards)
        except (OSError, ValueError, TypeError, RecursionError):
            return {}  # no cache, or not one we wrote: read the card files
        return files

    def cards(
        self, path: Path, images: ImageResolver
    ) -> tuple[list[Card], list[tuple[str, Location]]] | None:
        """The cards and ids of `path` if it is unchanged and its images valid, else None."""
        entry = self.files.get(self._relative(path))
        if entry is None or file_signature(path) != entry[0]:
            return None
        try:
            return _decode(json.loads(entry[1]), path, images)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            return None  # not a cache we wrote: read the file instead

    def store(self, path: Path, signature: Signature | None, encoded: bytes | None) -> None:
        """Remember a freshly validated file (only one that had no problems)."""
        if signature is None or encoded is None:
            return
        self.files[self._relative(path)] = (signature, encoded)
        self.changed = True

    def forget(self, path: Path) -> None:
        self.changed |= self.files.pop(self._relative(path), None) is not None

    def save(self, present: list[Path]) -> None:
        """Write the cache if it changed, dropping files that are gone; never fails loudly."""
        keep = {self._relative(path) for path in present}
        for relpath in [relpath for relpath in self.files if relpath not in keep]:
            del self.files[relpath]
            self.changed = True
        if not self.changed:
            return

        def write(handle: IO[bytes]) -> None:
            handle.write(json.dumps({"key": self.key}).encode() + b"\n")
            for relpath, (signature, cards) in self.files.items():
                head = json.dumps([relpath, signature], ensure_ascii=False).encode("utf-8")
                handle.write(head + b"\t" + cards + b"\n")

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(self.path, write, binary=True)
        except OSError:
            pass  # without a writable cache folder flashnotes still works, only slower

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def encode_cards(cards: list[Card], ids: list[tuple[str, Location]]) -> bytes:
    """A file's validated cards in the cache's form."""
    id_lines = {card_id: location.line for card_id, location in ids}
    encoded = [_encode(card, id_lines[card.id]) for card in cards]
    return json.dumps(encoded, ensure_ascii=False).encode("utf-8")


_TEXT_FIELDS = ("front", "back", "text", "answer", "source")


def _encode(card: Card, id_line: int) -> list[Any]:
    return [
        card.id,
        card.type,
        card.deck,
        list(card.tags),
        card.location.line,
        id_line,
        *(getattr(card, name) for name in _TEXT_FIELDS),
        [image.relpath for image in card.images],
        [list(pair) for pair in card.lint],
    ]


def _decode(
    rows: object, path: Path, resolver: ImageResolver
) -> tuple[list[Card], list[tuple[str, Location]]] | None:
    """The cards of a cache entry, or None for anything that is not what `_encode` wrote.

    The cache is read back without validation, so each value's type is checked here: a
    damaged entry costs a fresh read, never a wrong card or a crash later.
    """
    if not isinstance(rows, list):
        return None
    cards = []
    ids = []
    for row in rows:
        if not _well_formed(row):
            return None
        card_id, card_type, deck, tags, line, id_line, *fields, relpaths, lint = row
        front, back, text, answer, source = fields
        images = [resolver.resolve(relpath) for relpath in relpaths]
        if not all(isinstance(image, Image) for image in images):
            return None  # an image changed: a fresh read reports it at its line
        cards.append(
            Card(
                id=card_id,
                type=card_type,
                deck=deck,
                tags=tuple(tags),
                location=Location(path, line),
                front=front,
                back=back,
                text=text,
                answer=answer,
                source=source,
                images=tuple(images),
                lint=tuple((rule, reason) for rule, reason in lint),
            )
        )
        ids.append((card_id, Location(path, id_line)))
    return cards, ids


def _well_formed(row: object) -> bool:
    """Whether `row` has the shape and types `_encode` gives a validated card."""
    if not isinstance(row, list) or len(row) != 13:
        return False
    card_id, card_type, deck, tags, line, id_line, *fields, relpaths, lint = row
    return (
        isinstance(card_id, str)
        and card_type in CARD_TYPES
        and isinstance(deck, str)
        and _strings(tags)
        and _line(line)
        and _line(id_line)
        and all(field is None or isinstance(field, str) for field in fields)
        # the field the renderer and the quiz start from: `text` for cloze, else `front`
        and isinstance(fields[2] if card_type == "cloze" else fields[0], str)
        and _strings(relpaths)
        and isinstance(lint, list)
        and all(isinstance(pair, list) and len(pair) == 2 and _strings(pair) for pair in lint)
    )


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _line(value: object) -> bool:
    return type(value) is int and value >= 1
