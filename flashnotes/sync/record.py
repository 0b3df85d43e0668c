"""The sync record: what each note looked like in a collection right after the last sync.

One file per collection in the project's `.flashnotes/` folder. It lets sync tell a note
edited in Anki since then (its content no longer matches the record) from a note that is
merely out of date, and a deck changed in the YAML from a card the learner moved in Anki.
It is a cache of facts, not of decisions: if it is lost, the next sync treats every note
as never synced (the project's version wins) and writes a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..atomic import replace_file
from ..safepath import state_file

RECORD_FORMAT = 1


class Entry(NamedTuple):
    hash: str  # note_hash() of the note as sync left it
    deck: str  # the YAML deck it was synced with


@dataclass
class SyncRecord:
    namespace: str
    collection: str
    notes: dict[str, Entry] = field(default_factory=dict)
    # The outcome of the last sync and the fingerprint it holds for (see quiet.py).
    quiet: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path, namespace: str | None, collection: Path) -> SyncRecord:
        """The record, or an empty one when there is none or it is not usable; namespace
        None accepts any (the quiet check, which fingerprints the settings file instead)."""
        empty = cls(namespace or "", str(collection))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != RECORD_FORMAT:
                return empty
            if namespace is not None and data["namespace"] != namespace:
                return empty
            notes = {str(key): Entry(str(h), str(d)) for key, (h, d) in data["notes"].items()}
            quiet = data.get("quiet")
            if quiet is not None and not isinstance(quiet, dict):
                quiet = None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            return empty
        return cls(data["namespace"], str(collection), notes, quiet)

    def save(self, path: Path) -> None:
        """Write the record atomically; OSError as the file system raises it."""

        def write(handle: IO[str]) -> None:
            head = {"format": RECORD_FORMAT, "namespace": self.namespace}
            head["collection"] = self.collection
            head["quiet"] = self.quiet
            handle.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "notes": {\n')
            for position, key in enumerate(sorted(self.notes)):
                line = json.dumps({key: list(self.notes[key])}, ensure_ascii=False)[1:-1]
                handle.write(("," if position else "") + line + "\n")
            handle.write("}}\n")

        path.parent.mkdir(exist_ok=True)
        replace_file(path, write)


def record_path(root: Path, collection: Path) -> Path:
    """`.flashnotes/sync-<hash of the collection's path>.json`: one record per collection.

    The path is resolved first: one collection named two ways (through a linked folder)
    must find its one record, or edits made in Anki would look unrecorded and be overwritten.
    FlashnotesError if writing it could leave the project (a planted link)."""
    real = os.path.realpath(collection)
    digest = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return state_file(root, f"sync-{digest}.json")


def note_hash(kind: str, fields: str, tags: str) -> str:
    """A note's content as Anki holds it: note type, fields and tags.

    Tags compare without case or order: Anki sorts them and gives a new tag the case of
    an existing one that differs only in case.
    """
    tag_text = " ".join(sorted({tag.casefold() for tag in tags.split()}))
    content = "\x1e".join([kind, fields, tag_text])
    return hashlib.sha1(content.encode("utf-8")).hexdigest()
