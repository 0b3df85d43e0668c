"""Paths inside a shared project that flashnotes reads or writes, checked to stay inside it.

A cloned project may ship `.flashnotes` as a link to somewhere else (`~`, `/etc`), or a
state file or card file as a link out of the project. flashnotes writes its state (export
record, review database) only in a real `.flashnotes/` folder inside the project.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import FlashnotesError, display_path

STATE_DIR = ".flashnotes"


def state_file(root: Path, name: str, side_suffixes: tuple[str, ...] = ()) -> Path:
    """`<root>/.flashnotes/<name>`, or FlashnotesError if writing there could leave the project.

    `side_suffixes` name files written beside it (SQLite's `-wal`, `-shm`, `-journal`),
    which may not be links at all. Nothing is created here; the folder may be missing.
    """
    root = root.resolve()
    folder = root / STATE_DIR
    shown = display_path(folder)
    if folder.is_symlink():
        raise FlashnotesError(
            f"{shown} is a symbolic link; flashnotes keeps its state only in a real folder "
            "inside the project (remove the link)"
        )
    if os.path.lexists(folder) and not folder.is_dir():
        raise FlashnotesError(f"{shown} is not a folder; flashnotes keeps its state there")
    path = folder / name
    if path.is_symlink() and not resolves_inside(path, root):
        raise FlashnotesError(
            f"{display_path(path)} is a symbolic link that leaves the project; remove it"
        )
    for suffix in side_suffixes:
        side = path.with_name(path.name + suffix)
        if side.is_symlink():
            raise FlashnotesError(
                f"{display_path(side)} is a symbolic link; flashnotes writes this file "
                "itself (remove the link)"
            )
    return path


def resolves_inside(path: Path, root: Path) -> bool:
    """Whether `path`, links followed, is `root` (resolved) or inside it."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop leads nowhere safe
        return False
