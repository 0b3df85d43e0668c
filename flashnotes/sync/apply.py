"""Applying a plan to a collection opened with Anki's library.

Media and the backup are files beside the collection; every change to the collection
itself happens in one database transaction, so an error midway (or Ctrl-C) leaves it as
it was before the sync.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..deck.apkg import ModelKind, note_types
from ..errors import FlashnotesError, display_path
from .plan import Plan, WantedNote
from .snapshot import MODEL_IDS, AnkiNote

# Field order of the new note type, as indices into the old one's fields (-1: empty).
# basic/reversed/typed: Front, Back, Answer, Reverse, Source, Id; cloze: Text, Back, Source, Id
_FIELD_MAPS: dict[ModelKind, list[int]] = {"cloze": [0, 1, 4, 5], "note": [0, 1, -1, -1, 2, 3]}


def backup(col: Any, collection: Path) -> Path | None:
    """A backup made by Anki's own function into `backups/` beside the collection, where
    Anki's "Open Backup" lists them. Returns the newest backup file."""
    folder = collection.parent / "backups"
    try:
        folder.mkdir(exist_ok=True)
        col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    except Exception as error:  # the library's own errors: nothing changed yet
        raise FlashnotesError(
            f"{display_path(folder)}: cannot make a backup ({error}); nothing was changed"
        ) from None
    backups = sorted(folder.glob("*.colpkg"), key=lambda path: path.stat().st_mtime)
    return backups[-1] if backups else None


def write_media(col: Any, media: Iterable[tuple[str, Path]]) -> None:
    """Write images through the collection's media manager (so AnkiWeb's media sync sees
    them); a changed image first sends the old file to Anki's media trash, else Anki would
    store the new bytes under another name."""
    for name, path in media:
        if col.media.have(name):
            col.media.trash_files([name])
        stored = col.media.write_data(name, path.read_bytes())
        if stored != name:
            raise FlashnotesError(
                f"{display_path(path)}: Anki stored this image as `{stored}`, not `{name}`; "
                "the collection's media folder holds a file it cannot replace"
            )


def apply_notes(
    col: Any, plan: Plan, then: Callable[[], None] = lambda: None, now: int | None = None
) -> None:
    """Note types, new notes, updates, type switches, moves and deletions, then `then`
    (the reviews), in one transaction."""

    def work() -> None:
        _apply(col, plan, int(time.time()) if now is None else now)
        then()

    col.db.transact(work)


def _apply(col: Any, plan: Plan, now: int) -> None:
    for kind in plan.note_types:
        _write_note_type(col, kind, now)
    deck_ids: dict[str, int] = {}

    def deck_id(name: str) -> int:
        if name not in deck_ids:
            deck_ids[name] = col.decks.id(name, create=True)
        return deck_ids[name]

    _add(col, plan.add, deck_id)
    for (old, new), pairs in _group_retypes(plan).items():
        _change_note_type(col, old, new, [note for _, note in pairs])
    _update(col, plan.update)
    for wanted, note in plan.move:
        card_ids = col.db.list("SELECT id FROM cards WHERE nid = ?", note.id)
        col.set_deck(card_ids, deck_id(wanted.deck))
    if plan.delete_missing and plan.missing:
        col.remove_notes([note.id for note in plan.missing])


def _write_note_type(col: Any, kind: ModelKind, now: int) -> None:
    from anki.utils import to_json_bytes

    definition = note_types()[kind].definition
    existing = col.models.get(definition["id"])
    if existing is not None:
        existing["css"] = definition["css"]
        for template, wanted in zip(existing["tmpls"], definition["templates"], strict=True):
            template.update(name=wanted["name"], qfmt=wanted["qfmt"], afmt=wanted["afmt"])
        col.models.update_dict(existing)
        return
    notetype = col.models.new(definition["name"])
    notetype.update(id=definition["id"], type=definition["type"], css=definition["css"])
    notetype.update(mod=now, usn=-1)
    for field in definition["fields"]:
        col.models.add_field(notetype, col.models.new_field(field["name"]))
    for wanted in definition["templates"]:
        template = col.models.new_template(wanted["name"])
        template.update(qfmt=wanted["qfmt"], afmt=wanted["afmt"])
        col.models.add_template(notetype, template)
    # `add_dict` with a preset id panics in the backend; this call keeps the fixed id.
    col._backend.add_or_update_notetype(
        json=to_json_bytes(notetype), preserve_usn_and_mtime=True, skip_checks=False
    )
    col.models._clear_cache()


def _add(col: Any, notes: list[WantedNote], deck_id) -> None:
    """All new notes in one backend call; the notes are built as the backend's own
    messages (10,000 `col.new_note` calls would cost a backend round trip each)."""
    from anki import notes_pb2

    if not notes:
        return
    requests = [
        notes_pb2.AddNoteRequest(
            note=notes_pb2.Note(
                notetype_id=MODEL_IDS[wanted.kind],
                guid=wanted.guid,
                fields=wanted.fields,
                tags=wanted.tags,
            ),
            deck_id=deck_id(wanted.deck),
        )
        for wanted in notes
    ]
    col._backend.add_notes(requests=requests)


def _group_retypes(plan: Plan) -> dict[tuple[ModelKind, ModelKind], list]:
    groups: dict[tuple[ModelKind, ModelKind], list] = {}
    for wanted, note in plan.retyped:
        groups.setdefault((note.kind, wanted.kind), []).append((wanted, note))
    return groups


def _change_note_type(col: Any, old: ModelKind, new: ModelKind, notes: list[AnkiNote]) -> None:
    """Switch notes between the two note types, keeping note and card ids (history).

    Cards keep their ordinals through the switch, so only card 1 (front→back, or c1)
    continues: the others are removed first, or a reverse card would become c2 with its
    reviews. Cards the new content needs are generated by the update that follows.
    """
    ids = [note.id for note in notes]
    doomed = []
    for note_id in ids:
        cards = col.db.all("SELECT id, ord FROM cards WHERE nid = ? ORDER BY ord", note_id)
        if not cards:
            continue
        keep = cards[0][0]  # card 1 if it exists; a note must keep one card to survive
        doomed += [card_id for card_id, _ in cards if card_id != keep]
    if doomed:
        col.remove_cards_and_orphaned_notes(doomed)
    request = col.models.change_notetype_info(
        old_notetype_id=MODEL_IDS[old], new_notetype_id=MODEL_IDS[new]
    ).input
    request.note_ids.extend(ids)
    del request.new_fields[:]
    request.new_fields.extend(_FIELD_MAPS[new])
    col.models.change_notetype_of_notes(request)


def _update(col: Any, updates: list[tuple[WantedNote, AnkiNote]]) -> None:
    """New fields, tags and GUID; then remove cards the new content no longer makes (a
    reverse side that ended, a cloze deletion that is gone), which Anki would keep empty."""
    if not updates:
        return
    notes = []
    for wanted, found in updates:
        note = col.get_note(found.id)
        note.fields[:] = list(wanted.fields)
        note.tags = list(wanted.tags)
        note.guid = wanted.guid
        notes.append(note)
    col.update_notes(notes)
    ords = {found.id: wanted.ords for wanted, found in updates}
    empty = []
    for note_id, wanted_ords in ords.items():
        for card_id, ord_ in col.db.all("SELECT id, ord FROM cards WHERE nid = ?", note_id):
            if ord_ not in wanted_ords:
                empty.append(card_id)
    if empty:
        col.remove_cards_and_orphaned_notes(empty)
