"""Fixture projects for export tests: real YAML files and small real PNGs in a folder."""

from __future__ import annotations

import contextlib
import re
import struct
import textwrap
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def png_bytes(rgb: tuple[int, int, int], size: int = 4) -> bytes:
    """A valid `size`×`size` PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def write_project(
    root: Path,
    cards: dict[str, str],
    images: dict[str, bytes] | None = None,
    settings: str | None = "deck: Test Deck\nnamespace: test-ns\n",
) -> Path:
    """A project at `root`: card files (path under cards/ → YAML), images and settings."""
    root.mkdir(parents=True, exist_ok=True)
    if settings is not None:
        (root / "flashnotes.yaml").write_text(settings, encoding="utf-8")
    for relpath, text in cards.items():
        path = root / "cards" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for relpath, data in (images or {}).items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


RED = png_bytes((220, 30, 30))
BLUE = png_bytes((30, 30, 220))

BASICS = """\
    deck: 01 Basics
    tags: [ch01]
    cards:
      - id: softmax
        front: What does softmax turn logits into?
        back: |
          Probabilities: $\\hat{y}_j = \\frac{\\exp(o_j)}{\\sum_k \\exp(o_k)}$ and $a_1 * b_2 < c$

          ![red figure](My_img/fig.png)
        tags: [softmax]
        source: "3.4"
      - id: relu-code
        front: Define ReLU in PyTorch.
        back: |
          ```python
          def relu(x):
              return torch.max(x, torch.zeros_like(x))
          ```
      - id: ordereddict
        type: reversed
        front: "`collections.OrderedDict`"
        back: A dict that remembers insertion order
      - id: perplexity-best
        type: typed
        front: At best, what is the perplexity?
        answer: "1"
        back: The model always predicts the label with probability 1.
      - id: dropout-rates
        type: cloze
        text: Dropout near the input is {{c1::**smaller**::size}}, e.g. {{c2::$p_1 = 0.2$}}.
        back: optional extra
"""

IMAGES = """\
    deck: 02 Images::Nested
    cards:
      - id: blue-figure
        front: |
          Which colour? <img src="My_img/sub/fig.png" onerror="alert(1)">
        back: |
          Blue. <script>alert("x")</script><a href="javascript:alert(2)">more</a>
          <span onclick="alert(3)" style="color: red; position: fixed">red</span>
        tags: [images]
"""

EVERYTHING_IMAGES = {"My_img/fig.png": RED, "My_img/sub/fig.png": BLUE}


def everything_project(root: Path, settings: str | None = None) -> Path:
    """Every card type, two images both named fig.png, math, code and unsafe raw HTML."""
    kwargs = {} if settings is None else {"settings": settings}
    return write_project(
        root, {"01-basics.yaml": BASICS, "sub/02-images.yaml": IMAGES}, EVERYTHING_IMAGES, **kwargs
    )


def replace_in_card_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def visible_text(html: str) -> str:
    """What a reader sees of rendered card HTML: no style sheet, tags or attributes."""
    return _TAG.sub("", _STYLE.sub("", html))


def import_package(col, package: Path):
    """Import with the options Anki desktop uses by default; return the import log."""
    from anki import collection as anki_collection

    options = anki_collection.ImportAnkiPackageOptions(
        merge_notetypes=False, with_scheduling=False, with_deck_configs=False
    )
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(package), options=options)
    return col.import_anki_package(request).log


@contextlib.contextmanager
def fresh_collection(folder: Path) -> Iterator[Any]:
    """A new, empty Anki collection in `folder` (created), closed afterwards."""
    from anki.collection import Collection

    folder.mkdir(parents=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


@contextlib.contextmanager
def exported_into_anki(root: Path, work: Path) -> Iterator[Any]:
    """The project at `root` exported and imported into a fresh collection under `work`."""
    from flashnotes.deck.export import export_project

    export_project(root, work / "deck.apkg", now=1_750_000_000.0)
    with fresh_collection(work / "anki") as col:
        import_package(col, work / "deck.apkg")
        yield col
