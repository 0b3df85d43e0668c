"""Anki note types, decks, notes and the .apkg file, with identities that survive edits.

Identity in Anki, and why it is built this way:
- Note types have fixed ids (below). Their fields never change, so Anki updates them in
  place when the templates or the stylesheet change ("update note types if newer").
- basic, reversed and typed cards share one note type: card 1 is front→back (with a
  typing box when the Answer field is filled in), card 2 is back→front and exists only
  when the Reverse field is filled in. Switching among those types changes field
  contents, never the note type, so Anki keeps the note and its review history.
- A note's GUID is a hash of the project namespace and the card id, never of its text.
  Cloze notes hash a different string, as Anki cannot change a note's type on import.
- Deck ids are hashes of the namespace and the deck name.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Literal

import genanki

from ..signals import held

# Fixed forever: changing one makes Anki treat the note type as new ("Basic+" copies).
NOTE_MODEL_ID = 1_740_000_000_001
CLOZE_MODEL_ID = 1_740_000_000_002
NOTE_MODEL_NAME = "flashnotes basic/reversed/typed"
CLOZE_MODEL_NAME = "flashnotes cloze"
NOTE_FIELDS = ("Front", "Back", "Answer", "Reverse", "Source", "Id")
CLOZE_FIELDS = ("Text", "Back", "Source", "Id")

ModelKind = Literal["note", "cloze"]


@dataclass(frozen=True)
class NoteSpec:
    """One note as it goes into the package: fields already rendered to HTML."""

    kind: ModelKind
    guid: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    mod: int  # seconds; Anki's "update if newer" compares it
    due: int  # position among new cards


@dataclass(frozen=True)
class NoteType:
    """A note type's definition and the modification time it is exported with."""

    kind: ModelKind
    definition: dict[str, Any]

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.definition, sort_keys=True).encode()).hexdigest()


def stable_id(*parts: str) -> int:
    """A positive id below 2**53 (safe in JavaScript), from a hash of `parts`."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") % (2**53 - 2**31)) + 2**31


def note_guid(namespace: str, card_id: str, kind: ModelKind) -> str:
    """The note's GUID: namespace and id only (`:` never occurs in either)."""
    suffix = ":cloze" if kind == "cloze" else ""
    return genanki.guid_for(f"flashnotes:{namespace}:{card_id}{suffix}")


def deck_id(namespace: str, deck: str) -> int:
    return stable_id("deck", namespace, deck)


@lru_cache(maxsize=1)
def note_types() -> dict[ModelKind, NoteType]:
    """Both note types, their templates and stylesheet rendered from package data."""
    import jinja2

    from .render import pygments_css

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("flashnotes.deck", "templates"),
        # Anki's templates use {{ }}; ours use [[ ]] and [% %] so the two never meet.
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
    )
    css = env.get_template("style.css").render(
        pygments_light=pygments_css(".fn pre.code", "default"),
        pygments_dark=pygments_css(".nightMode .fn pre.code", "github-dark"),
    )

    def template(name: str, question: str, answer: str) -> dict[str, str]:
        return {
            "name": name,
            "qfmt": env.get_template(question).render().strip(),
            "afmt": env.get_template(answer).render().strip(),
        }

    note = {
        "id": NOTE_MODEL_ID,
        "name": NOTE_MODEL_NAME,
        "fields": [{"name": name} for name in NOTE_FIELDS],
        "templates": [
            template("Front → Back", "forward_question.html", "forward_answer.html"),
            template("Back → Front", "reverse_question.html", "reverse_answer.html"),
        ],
        "css": css,
        "type": genanki.Model.FRONT_BACK,
    }
    cloze = {
        "id": CLOZE_MODEL_ID,
        "name": CLOZE_MODEL_NAME,
        "fields": [{"name": name} for name in CLOZE_FIELDS],
        "templates": [template("Cloze", "cloze_question.html", "cloze_answer.html")],
        "css": css,
        "type": genanki.Model.CLOZE,
    }
    return {"note": NoteType("note", note), "cloze": NoteType("cloze", cloze)}


class _Model(genanki.Model):
    """A genanki model exported with a given modification time instead of the build time."""

    def __init__(self, note_type: NoteType, mod: int) -> None:
        definition = note_type.definition
        super().__init__(
            model_id=definition["id"],
            name=definition["name"],
            fields=[dict(field) for field in definition["fields"]],
            templates=[dict(template) for template in definition["templates"]],
            css=definition["css"],
            model_type=definition["type"],
        )
        self.mod = mod

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        result = super().to_json(timestamp, deck_id)
        result["mod"] = self.mod
        return result


class _Note(genanki.Note):
    """A genanki note with its own modification time (genanki stamps every note alike)."""

    def __init__(self, model: _Model, spec: NoteSpec) -> None:
        super().__init__(
            model=model, fields=list(spec.fields), tags=list(spec.tags), guid=spec.guid
        )
        self.due = spec.due
        self.mod = spec.mod

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)

    def _check_invalid_html_tags_in_fields(self) -> None:
        # Fields come from the sanitiser; genanki's regex check would only cost time.
        return


class _Deck(genanki.Deck):
    """A genanki deck that makes each note only while writing it.

    genanki keeps a Note object per note for the whole write; for 100,000 notes those
    cost some 70 MB, so notes are kept as specs and made one at a time.
    """

    def __init__(self, deck_id: int, name: str) -> None:
        super().__init__(deck_id, name)
        self.specs: list[NoteSpec] = []
        self.models_by_kind: dict[ModelKind, _Model] = {}

    def write_to_db(self, cursor, timestamp: float, id_gen) -> None:
        self.notes = []  # genanki then writes the deck itself and no notes
        super().write_to_db(cursor, timestamp, id_gen)
        for spec in self.specs:
            _Note(self.models_by_kind[spec.kind], spec).write_to_db(
                cursor, timestamp, self.deck_id, id_gen
            )


def write_package(
    target: IO[bytes],
    notes: Sequence[NoteSpec],
    namespace: str,
    note_type_mods: dict[ModelKind, int],
    media: Sequence[tuple[str, Path]],
    timestamp: float,
) -> None:
    """Write an .apkg into the new, empty file `target` (the caller moves it into place).

    genanki's own `write_to_file` leaves its temporary database behind and names media by
    basename; this writes the same collection into a temporary folder that is always
    removed, and the media under the names given in `media` (name, file).
    """
    types = note_types()
    models = {kind: _Model(types[kind], note_type_mods[kind]) for kind in types}
    decks: dict[str, _Deck] = {}
    for spec in notes:
        deck = decks.get(spec.deck)
        if deck is None:
            deck = decks[spec.deck] = _Deck(deck_id(namespace, spec.deck), spec.deck)
        deck.specs.append(spec)
        deck.models_by_kind = models
    for deck in decks.values():  # every package carries both note types
        for model in models.values():
            deck.add_model(model)
    package = genanki.Package([decks[name] for name in sorted(decks)])

    # held: a SIGTERM while the folder is being made is raised once `with` can remove it.
    with held() as release, tempfile.TemporaryDirectory(prefix="flashnotes-") as scratch:
        release()
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            cursor = connection.cursor()
            package.write_to_db(cursor, timestamp, itertools.count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(target, "w") as archive:
            archive.write(database, "collection.anki2", compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr(
                "media", json.dumps({str(index): name for index, (name, _) in enumerate(media)})
            )
            for index, (_, path) in enumerate(media):
                archive.write(path, str(index))
