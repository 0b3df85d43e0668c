"""`flashnotes export`: select cards, render them, and write an .apkg atomically.

The build record (`<root>/.flashnotes/export-record.json`) remembers, per card id, a hash
of the note as last exported and the modification time it got. A note keeps its old
time while its content is unchanged, so Anki's "update if newer" updates exactly the
notes that were edited; the record also tells what changed since the previous export.
It is a cache: if it is unreadable, the export rebuilds it and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..atomic import replace_file
from ..errors import FlashnotesError, display_path, plural
from ..progress import progress
from ..project.loader import load_project
from ..project.media import anki_media_names
from ..project.model import Project
from ..project.select import select_cards
from ..safepath import state_file
from .fields import render_fields
from .recordvalues import checked_card, checked_card_id, checked_note_types

RECORD_FILE = "export-record.json"
RECORD_FORMAT = 1


@dataclass(frozen=True)
class DeckMove:
    card_id: str
    old: str
    new: str


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, and what changed since the previous export of the project."""

    out: Path
    notes: int
    cards: int
    images: int
    decks: int
    new: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    disappeared: tuple[str, ...]
    moved: tuple[DeckMove, ...] = ()
    retyped: tuple[str, ...] = ()  # switched to or from cloze: a new note in Anki
    first_export: bool = False
    warnings: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The closing summary, as plain lines for the terminal."""
        lines = [*self.warnings]
        lines.append(
            f"wrote {self.out}: {plural(self.notes, 'note')}, "
            f"{plural(self.cards, 'card')}, {plural(self.images, 'image')}, "
            f"{plural(self.decks, 'deck')}"
        )
        if self.first_export:
            lines.append(f"first export of this project: {plural(len(self.new), 'new note')}")
        else:
            lines.append(
                f"since the last export: {len(self.new)} new, {len(self.updated)} updated, "
                f"{self.unchanged} unchanged"
            )
        for move in self.moved:
            lines.append(
                f"card {move.card_id} moved from deck `{move.old}` to `{move.new}`: Anki keeps "
                "cards it already has where they are; move them in Anki's browser "
                f"(search Id:{move.card_id}, then Change Deck)"
            )
        for card_id in self.retyped:
            lines.append(
                f"card {card_id} switched to or from cloze: Anki gets a new note and keeps the "
                f"old one with its history (search Id:{card_id} in Anki's browser)"
            )
        if self.disappeared:
            ids = ", ".join(self.disappeared)
            search = " OR ".join(f"Id:{card_id}" for card_id in self.disappeared)
            lines.append(f"{plural(len(self.disappeared), 'card')} gone from the project: {ids}")
            lines.append(
                "Anki never deletes notes on import: to remove them, search "
                f'"{search}" in Anki\'s browser and delete the notes there'
            )
        return lines


class _CardEntry(NamedTuple):
    """What the record keeps of one exported note (a tuple: 100,000 of them stay small)."""

    hash: str
    mod: int
    deck: str | None
    kind: str | None


@dataclass
class _Record:
    """The saved form of the build record; only this module reads or writes it."""

    namespace: str
    note_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, _CardEntry] = field(default_factory=dict)

    @classmethod
    def load(
        cls, path: Path, namespace: str, now_seconds: int
    ) -> tuple[_Record | None, str | None]:
        """The record (None if there is none) and a warning if it had to be dropped.

        Every value is checked (see recordvalues): the record may come from a clone.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            return None, _unreadable(path, str(error))
        try:
            if data["format"] != RECORD_FORMAT:
                return None, _unreadable(path, f"unknown format {data['format']!r:.40}")
            if data["namespace"] != namespace:
                return None, None  # a new namespace is a new set of notes in Anki
            note_types = checked_note_types(data["note_types"], now_seconds)
            cards = {}
            for card_id, entry in data["cards"].items():
                digest, mod, deck, kind = checked_card(entry, now_seconds)
                cards[checked_card_id(card_id)] = _CardEntry(digest, mod, _interned(deck), kind)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            return None, _unreadable(path, f"unexpected content ({error})")
        return cls(namespace, note_types, cards), None

    def dump(self, handle: IO[str]) -> None:
        """Write the record as JSON, a line per card, streamed rather than built in memory."""
        head = {"format": RECORD_FORMAT, "namespace": self.namespace}
        head["note_types"] = self.note_types
        handle.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cards": {\n')
        for position, (card_id, entry) in enumerate(sorted(self.cards.items())):
            line = json.dumps({card_id: entry._asdict()}, ensure_ascii=False)[1:-1]
            handle.write(("," if position else "") + line + "\n")
        handle.write("}}\n")


def _interned(deck: object) -> str | None:
    # Thousands of cards share a deck name: one string object for each name.
    return sys.intern(deck) if isinstance(deck, str) else None


def record_path(root: Path) -> Path:
    """The project's build record; FlashnotesError if writing it could leave the project."""
    return state_file(root, RECORD_FILE)


def export_project(
    root: Path,
    out: Path,
    tags: Sequence[str] = (),
    decks: Sequence[str] = (),
    now: float | None = None,
    show_progress: bool | None = None,
) -> ExportSummary:
    """Export the project at `root` to the package `out`; on any error, write nothing."""
    from . import apkg

    project = load_project(root)
    shown, out = out, Path(os.path.abspath(out))
    _check_target(out, shown)
    cards = select_cards(project.cards, tags, decks, project.settings.deck)
    if not cards:
        raise FlashnotesError(_nothing_selected(project, tags, decks))
    timestamp = time.time() if now is None else now
    now_seconds = int(timestamp)

    namespace = project.settings.namespace
    record_file = record_path(project.root)  # refused before anything is written
    record, warning = _Record.load(record_file, namespace, now_seconds)
    warnings = (warning,) if warning else ()
    previous = record or _Record(namespace)

    media_names = anki_media_names(image.relpath for image in project.images)
    image_digests: dict[str, str] = {}
    specs: list[apkg.NoteSpec] = []
    new: list[str] = []
    updated: list[str] = []
    moved: list[DeckMove] = []
    retyped: list[str] = []
    entries: dict[str, _CardEntry] = {}

    with progress(len(cards), show_progress) as advance:
        rendered = render_fields(cards, media_names, project.root, advance)
    for position, (card, fields) in enumerate(zip(cards, rendered, strict=True)):
        kind: apkg.ModelKind = "cloze" if card.type == "cloze" else "note"
        digests = [_digest(image.path, image_digests) for image in card.images]
        content = json.dumps([kind, fields, card.tags, card.deck, digests], ensure_ascii=False)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        old = previous.cards.get(card.id)
        if old is None or old.kind != kind:
            mod = now_seconds
            (new if old is None else retyped).append(card.id)
        elif old.hash == digest:
            mod = old.mod
        else:
            mod = max(now_seconds, old.mod + 1)  # strictly newer, even within a second
            updated.append(card.id)
        if old is not None and old.deck not in (None, card.deck):
            moved.append(DeckMove(card.id, old.deck, card.deck))
        entries[card.id] = _CardEntry(digest, mod, card.deck, kind)
        specs.append(
            apkg.NoteSpec(
                kind=kind,
                guid=apkg.note_guid(namespace, card.id, kind),
                fields=fields,
                tags=card.tags,
                deck=card.deck,
                mod=mod,
                due=position,
            )
        )

    note_type_mods: dict[apkg.ModelKind, int] = {}
    note_type_entries: dict[str, dict[str, Any]] = {}
    for kind, note_type in apkg.note_types().items():
        old = previous.note_types.get(kind)
        if old is not None and old["hash"] == note_type.digest:
            mod = old["mod"]
        else:
            mod = now_seconds if old is None else max(now_seconds, old["mod"] + 1)
        note_type_mods[kind] = mod
        note_type_entries[kind] = {"hash": note_type.digest, "mod": mod}

    used = sorted({image.relpath: image for card in cards for image in card.images}.items())
    media = [(media_names[relpath], image.path) for relpath, image in used]
    _write_atomically(
        out,
        shown,
        lambda stream: apkg.write_package(
            stream, specs, namespace, note_type_mods, media, timestamp
        ),
    )

    in_project = {card.id for card in project.cards}
    disappeared = sorted(card_id for card_id in previous.cards if card_id not in in_project)
    kept = {card_id: entry for card_id, entry in previous.cards.items() if card_id in in_project}
    saved = _Record(namespace, note_type_entries, {**kept, **entries})
    if not _save_record(record_file, saved):
        warnings += (
            f"warning: could not save {display_path(record_file)}; the next "
            "export will count every note as new",
        )
    return ExportSummary(
        out=shown,
        notes=len(specs),
        cards=sum(len(card.sides) for card in cards),
        images=len(media),
        decks=len({card.deck for card in cards}),
        new=tuple(new),
        updated=tuple(updated),
        unchanged=len(specs) - len(new) - len(updated) - len(retyped),
        disappeared=tuple(disappeared),
        moved=tuple(moved),
        retyped=tuple(retyped),
        first_export=record is None,
        warnings=warnings,
    )


def _digest(path: Path, cache: dict[str, str]) -> str:
    key = str(path)
    if key not in cache:
        cache[key] = hashlib.sha1(path.read_bytes()).hexdigest()
    return cache[key]


def _check_target(out: Path, shown: Path) -> None:
    if out.is_dir():
        raise FlashnotesError(f"cannot write {shown}: it is a folder")
    if not out.parent.is_dir():
        raise FlashnotesError(f"cannot write {shown}: folder {shown.parent} does not exist")


def _write_atomically(out: Path, shown: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write beside `out`, then rename over it: readers see the old file or the new one."""
    try:
        replace_file(out, write, binary=True)
    except OSError as error:
        raise FlashnotesError(f"cannot write {shown}: {error.strerror or error}") from None


def _save_record(path: Path, record: _Record) -> bool:
    try:
        path.parent.mkdir(exist_ok=True)
        replace_file(path, record.dump)
    except OSError:
        return False
    return True


def _unreadable(path: Path, reason: str) -> str:
    return (
        f"warning: {display_path(path)} is unreadable ({reason}); rebuilding it, so this "
        "export counts every note as new and Anki updates each of them once"
    )


def _nothing_selected(project: Project, tags: Sequence[str], decks: Sequence[str]) -> str:
    if not project.cards:
        return "no cards to export: the project has none yet"
    wanted = [f"--tag {tag}" for tag in tags] + [f"--deck '{deck}'" for deck in decks]
    return f"no card matches {' '.join(wanted)}"
