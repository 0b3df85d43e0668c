"""Knowing that nothing changed without loading the project or reading every note.

After a sync, the record keeps a fingerprint of everything the result depends on: the
stat (size, modification time) of the card files, settings and images, flashnotes' and
its renderer's versions, the options, the collection's own modification stamp (`col.mod`,
which Anki moves on every change it makes), the stat of the media files sync wrote and
of the review database (and its `-wal`), which every quiz rating changes.
When the fingerprint is the same on the next run, the result would be the same, so sync
reports the last outcome and touches nothing. Any difference, or a `-wal` beside the
collection (Anki is open or crashed), takes the full path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .. import __version__


def fingerprint(
    root: Path,
    collection: Path,
    col_mod: int,
    images: Iterable[tuple[str, str]],  # (project-relative path, media name)
    options: Iterable[object],
    files: Iterable[Path] = (),  # more files the outcome depends on (the review database)
) -> str:
    from ..deck.fields import renderer_version

    media = collection.with_name(collection.stem + ".media")
    parts: list[object] = [__version__, renderer_version(), list(options), col_mod]
    parts.append(_stat(root / "flashnotes.yaml"))
    parts += [(str(path), _stat(path)) for path in files]
    for folder, _, names in sorted(os.walk(root / "cards")):
        parts += [(folder, name, _stat(Path(folder) / name)) for name in sorted(names)]
    for relpath, name in images:
        parts.append((relpath, _stat(root / relpath), name, _stat(media / name)))
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def collection_mod(query) -> int:
    return int(query("SELECT mod FROM col")[0][0])


def wal_exists(collection: Path) -> bool:
    return collection.with_name(collection.name + "-wal").exists()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)
