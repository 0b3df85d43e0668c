"""What a sync would change, worked out from the project, a snapshot and the record.

Pure: no I/O but the comparison of image bytes, so a dry run and the real sync make the
same plan from the same facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..deck.apkg import ModelKind, note_types
from ..deck.fields import Fields
from ..errors import FlashnotesError
from ..project.model import Card
from .record import Entry, SyncRecord, note_hash
from .snapshot import AnkiNote, Snapshot, cached_guid


@dataclass(frozen=True, slots=True)
class WantedNote:
    """A card of the project as the note sync wants in Anki."""

    card_id: str
    kind: ModelKind
    guid: str
    fields: Fields
    tags: tuple[str, ...]
    deck: str
    ords: frozenset[int]  # the card ordinals the note should have
    hash: str  # note_hash() of the content it should have


def wanted_notes(
    cards: Sequence[Card], rendered: Sequence[Fields], namespace: str
) -> list[WantedNote]:
    wanted = []
    for card, fields in zip(cards, rendered, strict=True):
        kind: ModelKind = "cloze" if card.type == "cloze" else "note"
        if kind == "cloze":
            ords = frozenset(number - 1 for number in card.cloze_numbers)
        else:
            ords = frozenset({0, 1} if card.type == "reversed" else {0})
        wanted.append(
            WantedNote(
                card.id,
                kind,
                cached_guid(namespace, card.id, kind),
                fields,
                card.tags,
                card.deck,
                ords,
                note_hash(kind, "\x1f".join(fields), " ".join(card.tags)),
            )
        )
    return wanted


def expected_guids(wanted: Sequence[WantedNote]) -> dict[str, tuple[str, ModelKind]]:
    return {note.guid: (note.card_id, note.kind) for note in wanted}


@dataclass
class Plan:
    note_types: list[ModelKind] = field(default_factory=list)  # to create or update
    add: list[WantedNote] = field(default_factory=list)
    update: list[tuple[WantedNote, AnkiNote]] = field(default_factory=list)  # retypes too
    move: list[tuple[WantedNote, AnkiNote]] = field(default_factory=list)
    missing: list[AnkiNote] = field(default_factory=list)  # ours, no longer in the project
    conflicts: list[str] = field(default_factory=list)  # edited in Anki since the last sync
    foreign: list[str] = field(default_factory=list)  # GUID held by a note not of our types
    media: list[tuple[str, Path]] = field(default_factory=list)  # to write
    unchanged: int = 0
    delete_missing: bool = False

    @property
    def retyped(self) -> list[tuple[WantedNote, AnkiNote]]:
        return [(wanted, note) for wanted, note in self.update if wanted.kind != note.kind]

    @property
    def changes_collection(self) -> bool:
        return bool(
            self.note_types
            or self.add
            or self.update
            or self.move
            or self.media
            or (self.delete_missing and self.missing)
        )


def make_plan(
    wanted: Sequence[WantedNote],
    snapshot: Snapshot,
    record: SyncRecord,
    images: Sequence[tuple[str, Path]],
    media_folder: Path,
    *,
    force: bool = False,
    delete_missing: bool = False,
) -> Plan:
    plan = Plan(delete_missing=delete_missing)
    plan.note_types = _note_types_to_write(snapshot)
    kept: set[int] = set()
    for note in wanted:
        # Ours under this id: the note of the wanted kind, else the other kind's (a switch).
        candidates = snapshot.by_card_id.get(note.card_id, [])
        found = snapshot.notes.get(note.guid) or (candidates[0] if candidates else None)
        if found is None:
            if note.guid in snapshot.foreign_guids:
                plan.foreign.append(note.card_id)
            else:
                plan.add.append(note)
            continue
        kept.add(found.id)
        entry = record.notes.get(note.card_id)
        changed = False
        if found.hash != note.hash:
            if entry is not None and entry.hash != found.hash and not force:
                plan.conflicts.append(note.card_id)
                continue
            plan.update.append((note, found))
            changed = True
        decks = {card.deck for card in snapshot.cards.get(found.id, [])}
        deck_changed_in_yaml = entry is None or entry.deck != note.deck or force
        if decks - {note.deck} and deck_changed_in_yaml:
            plan.move.append((note, found))
            changed = True
        plan.unchanged += not changed
    plan.missing = sorted(
        (note for note in snapshot.notes.values() if note.id not in kept),
        key=lambda note: (note.card_id, note.kind),
    )
    plan.media = [
        (name, path) for name, path in images if not _same_file(media_folder / name, path)
    ]
    return plan


def record_after(
    wanted: Sequence[WantedNote], snapshot: Snapshot, record: SyncRecord, plan: Plan
) -> SyncRecord:
    """The record once `plan` is applied and `snapshot` read again: conflicts keep their old
    entry (they stay conflicts until `--force`), every other note its content now."""
    notes: dict[str, Entry] = {}
    conflicts = set(plan.conflicts)
    for note in wanted:
        found = snapshot.notes.get(note.guid)
        if note.card_id in conflicts:
            if note.card_id in record.notes:
                notes[note.card_id] = record.notes[note.card_id]
        elif found is not None:
            notes[note.card_id] = Entry(found.hash, note.deck)
    for missing in plan.missing:
        if missing.guid in snapshot.notes and missing.card_id in record.notes:
            notes.setdefault(missing.card_id, record.notes[missing.card_id])
    return SyncRecord(record.namespace, record.collection, notes)


def _note_types_to_write(snapshot: Snapshot) -> list[ModelKind]:
    kinds: list[ModelKind] = []
    for kind, note_type in note_types().items():
        definition = note_type.definition
        current = snapshot.note_types.get(kind)
        if current is None:
            kinds.append(kind)
            continue
        fields = tuple(item["name"] for item in definition["fields"])
        if current.fields != fields or current.is_cloze != (kind == "cloze"):
            raise FlashnotesError(
                f"note type `{definition['name']}` was changed in Anki (fields "
                f"{', '.join(current.fields)}; flashnotes needs {', '.join(fields)}): rename "
                "or remove the fields in Anki's Fields dialog to match, then sync again"
            )
        templates = tuple((t["name"], t["qfmt"], t["afmt"]) for t in definition["templates"])
        if current.templates != templates or current.css != definition["css"]:
            kinds.append(kind)
    return kinds


def _same_file(stored: Path, wanted: Path) -> bool:
    try:
        if stored.stat().st_size != wanted.stat().st_size:
            return False
        return stored.read_bytes() == wanted.read_bytes()
    except OSError:
        return False
