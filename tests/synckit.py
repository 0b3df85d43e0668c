"""Helpers for sync tests: fresh Anki collections in temporary folders, a small project,
and the CLI driven as a user runs it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from anki_helpers import RED, fresh_collection, png_bytes, write_project
from click.testing import CliRunner

from flashnotes.cli import cli

SMALL = """\
    deck: 01 Basics
    tags: [ch01]
    cards:
      - id: softmax
        front: What does softmax turn logits into?
        back: |
          Probabilities.

          ![red figure](My_img/Fig.png)
        tags: [softmax]
      - id: ordereddict
        type: reversed
        front: "`collections.OrderedDict`"
        back: A dict that remembers insertion order
      - id: dropout-rates
        type: cloze
        text: Dropout near the input is {{c1::smaller}}, e.g. {{c2::0.2}}.
"""
GREEN = png_bytes((30, 220, 30))


@contextmanager
def opened(path: Path) -> Iterator[Any]:
    """An Anki collection opened with the library, closed afterwards."""
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        yield col
    finally:
        col.close()


def small_project(root: Path) -> Path:
    """Three cards, one of each note shape (basic with an image, reversed, cloze)."""
    return write_project(root, {"01-basics.yaml": SMALL}, {"My_img/Fig.png": RED})


def new_collection(folder: Path) -> Path:
    """A new, empty collection on disk, closed (sync refuses one that Anki holds open)."""
    with fresh_collection(folder):
        pass
    return folder / "collection.anki2"


def sync(root: Path, collection: Path, *args: str):
    """`flashnotes sync` run in-process, as a user types it."""
    return CliRunner().invoke(
        cli, ["sync", "-C", str(root), "--collection", str(collection), *args]
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path) -> dict[str, str]:
    """Every file beside the collection and its content digest (for "nothing changed")."""
    return {
        str(path.relative_to(folder)): digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
