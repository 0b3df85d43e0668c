"""Finding the learner's collection: `--collection`, `--profile`, or the only profile."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from ..errors import FlashnotesError, display_path
from ..review.store import SQLITE_HEADER, read_head

COLLECTION_FILE = "collection.anki2"


def anki_base_folder() -> Path:
    """Anki's default base folder for this system; `ANKI_BASE` overrides it, as in Anki."""
    override = os.environ.get("ANKI_BASE")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Anki2"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Anki2"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "Anki2"


def find_collection(collection: Path | None, profile: str | None) -> Path:
    """The collection file to sync into, checked to be an existing Anki collection."""
    if collection is not None and profile is not None:
        raise FlashnotesError("give either --collection or --profile, not both")
    if collection is None:
        collection = _profile_collection(profile)
    if collection.is_dir():
        collection = collection / COLLECTION_FILE
    check_collection(collection)
    return Path(os.path.abspath(collection))


def _profile_collection(profile: str | None) -> Path:
    base = anki_base_folder()
    profiles = sorted(entry.name for entry in _folders(base) if (entry / COLLECTION_FILE).is_file())
    if profile is not None:
        if profile not in profiles:
            known = ", ".join(profiles) or "none"
            raise FlashnotesError(
                f"no Anki profile `{profile}` in {display_path(base)} (profiles: {known})"
            )
        return base / profile / COLLECTION_FILE
    if len(profiles) == 1:
        return base / profiles[0] / COLLECTION_FILE
    if not profiles:
        raise FlashnotesError(
            f"no Anki profile found in {display_path(base)}; name the collection with "
            "--collection PATH/collection.anki2"
        )
    raise FlashnotesError(
        f"{len(profiles)} Anki profiles in {display_path(base)} ({', '.join(profiles)}); "
        "choose one with --profile NAME"
    )


def _folders(base: Path) -> list[Path]:
    try:
        return [entry for entry in base.iterdir() if entry.is_dir()]
    except OSError:
        return []


def check_collection(path: Path) -> None:
    """Refuse, in one line, a path that is not an Anki collection (Anki's library would
    silently create an empty collection there)."""
    where = display_path(path)
    if not path.exists():
        raise FlashnotesError(f"{where}: no such collection")
    if not path.is_file():
        raise FlashnotesError(f"{where}: not a file; --collection needs a collection.anki2")
    head = read_head(path, "collection")
    if head != SQLITE_HEADER:
        raise FlashnotesError(f"{where}: not an Anki collection (not an SQLite database)")
    _check_tables(path)


def _check_tables(path: Path) -> None:
    from .readonly import read_only

    with read_only(path) as query:
        tables = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"col", "notes", "cards", "notetypes", "decks"} <= tables:
        raise FlashnotesError(
            f"{display_path(path)}: not an Anki collection (or one from an Anki older than "
            "2.1.28; open it in a current Anki once)"
        )


def is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)
