"""What a collection holds of ours, read through plain SQL.

The same queries run on a read-only SQLite connection (for `--dry-run` and to find out
that there is nothing to do, leaving the file's bytes as they were) and on the library's
own connection once the collection is open, so both plans are made from the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ..deck.apkg import CLOZE_MODEL_ID, NOTE_MODEL_ID, ModelKind, note_guid
from .readonly import Query
from .record import note_hash

MODEL_KINDS: dict[int, ModelKind] = {NOTE_MODEL_ID: "note", CLOZE_MODEL_ID: "cloze"}
MODEL_IDS: dict[ModelKind, int] = {kind: mid for mid, kind in MODEL_KINDS.items()}


@cache
def cached_guid(namespace: str, card_id: str, kind: ModelKind) -> str:
    """`note_guid`, remembered: a sync computes each GUID several times, and genanki's
    hash is slow in Python (10,000 notes: a quarter of a second per pass)."""
    return note_guid(namespace, card_id, kind)


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """A note of ours as the collection holds it."""

    id: int
    card_id: str  # its Id field
    kind: ModelKind
    guid: str
    fields: str  # Anki's saved form: joined by \x1f
    tags: str  # Anki's saved form: " a b "
    hash: str  # note_hash() of its content


@dataclass(frozen=True, slots=True)
class AnkiCard:
    id: int
    note_id: int
    ord: int
    deck: str  # the home deck's name (the original deck of a card in a filtered deck)


@dataclass(frozen=True)
class NoteTypeState:
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question, answer)
    css: str
    is_cloze: bool


@dataclass
class Snapshot:
    """Our notes (GUID of this namespace on one of our note types), their cards, the
    other notes' GUIDs, the decks and our two note types as they are."""

    notes: dict[str, AnkiNote] = field(default_factory=dict)  # by GUID
    by_card_id: dict[str, list[AnkiNote]] = field(default_factory=dict)
    cards: dict[int, list[AnkiCard]] = field(default_factory=dict)  # by note id
    foreign_guids: set[str] = field(default_factory=set)
    decks: dict[str, int] = field(default_factory=dict)  # "A::B" -> id
    note_types: dict[ModelKind, NoteTypeState] = field(default_factory=dict)


def read_snapshot(
    query: Query, namespace: str, expected: Mapping[str, tuple[str, ModelKind]]
) -> Snapshot:
    """Read what the collection holds; `expected` maps the GUIDs the project wants to
    (card id, kind), which spares computing those GUIDs again."""
    snapshot = Snapshot()
    deck_names = {}
    for deck_id, name in query("SELECT id, name FROM decks"):
        deck_names[deck_id] = name.replace("\x1f", "::")
        snapshot.decks[deck_names[deck_id]] = deck_id
    mids = tuple(MODEL_KINDS)
    for note_id, guid, mid, fields, tags in query("SELECT id, guid, mid, flds, tags FROM notes"):
        kind = MODEL_KINDS.get(mid)
        card_id = fields.rpartition("\x1f")[2] if kind else ""
        if kind and (
            expected.get(guid) == (card_id, kind) or guid == cached_guid(namespace, card_id, kind)
        ):
            content = note_hash(kind, fields, tags)
            note = AnkiNote(note_id, card_id, kind, guid, fields, tags, content)
            snapshot.notes[guid] = note
            snapshot.by_card_id.setdefault(card_id, []).append(note)
        else:
            snapshot.foreign_guids.add(guid)
    ours = {note.id for note in snapshot.notes.values()}
    rows = query(
        "SELECT c.id, c.nid, c.ord, CASE WHEN c.odid != 0 THEN c.odid ELSE c.did END"
        " FROM cards c JOIN notes n ON n.id = c.nid WHERE n.mid IN (?, ?) ORDER BY c.nid, c.ord",
        *mids,
    )
    for card_id, note_id, ord_, deck_id in rows:
        if note_id in ours:
            card = AnkiCard(card_id, note_id, ord_, deck_names.get(deck_id, ""))
            snapshot.cards.setdefault(note_id, []).append(card)
    snapshot.note_types = _note_types(query)
    return snapshot


def _note_types(query: Query) -> dict[ModelKind, NoteTypeState]:
    from anki.notetypes_pb2 import Notetype

    found: dict[ModelKind, NoteTypeState] = {}
    for mid, config in query("SELECT id, config FROM notetypes WHERE id IN (?, ?)", *MODEL_KINDS):
        parsed = Notetype.Config.FromString(bytes(config))
        fields = query("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", mid)
        templates = []
        for name, template_config in query(
            "SELECT name, config FROM templates WHERE ntid = ? ORDER BY ord", mid
        ):
            template = Notetype.Template.Config.FromString(bytes(template_config))
            templates.append((name, template.q_format, template.a_format))
        found[MODEL_KINDS[mid]] = NoteTypeState(
            fields=tuple(row[0] for row in fields),
            templates=tuple(templates),
            css=parsed.css,
            is_cloze=parsed.kind == Notetype.Config.KIND_CLOZE,
        )
    return found
