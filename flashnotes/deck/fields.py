"""The Anki field values of cards: rendered once, reused while a card is unchanged.

Rendering Markdown, math and code is most of an export's work. Each card's fields are
cached in the user's cache folder (see cachedir.py), keyed by everything that goes into
them: the card's text, the media names of its images, and the versions of flashnotes'
renderer and of the libraries it uses. What misses is rendered on every core when there
is a lot of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import IO

from ..atomic import replace_file
from ..cachedir import project_cache_file
from ..errors import FlashnotesError, display_path
from ..project.model import Card
from .rendercheck import rendering_problems

CACHE_NAME = "render-cache.jsonl"
# Below this many cards to render, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 1000
_CHUNK = 250

Fields = tuple[str, ...]
# How many fields each kind of note has (see card_fields).
CLOZE_FIELDS = 4
NOTE_FIELDS = 6


def card_fields(card: Card, renderer) -> Fields:
    """The note's field values: (Front, Back, Answer, Reverse, Source, Id) or, for cloze
    notes, (Text, Back, Source, Id). In Unicode NFC, as Anki stores every field: what is
    shipped is then what Anki has, byte for byte."""
    return tuple(unicodedata.normalize("NFC", value) for value in _card_fields(card, renderer))


def _card_fields(card: Card, renderer) -> Fields:
    from .render import escape

    source = escape(card.source) if card.source else ""
    if card.type == "cloze":
        assert card.text is not None
        back = renderer.render(card.back) if card.back else ""
        return (renderer.render(card.text, cloze=True), back, source, card.id)
    assert card.front is not None
    return (
        renderer.render(card.front),
        renderer.render(card.back) if card.back else "",
        escape(card.answer) if card.type == "typed" and card.answer else "",
        "y" if card.type == "reversed" else "",
        source,
        card.id,
    )


def render_fields(
    cards: Sequence[Card],
    media_names: Mapping[str, str],
    root: Path,
    advance: Callable[[], None] = lambda: None,
) -> list[Fields]:
    """The fields of every card, in order; an image the renderer cannot place is an error."""
    cache_path = project_cache_file(root, CACHE_NAME)
    cached = _load(cache_path)
    version = renderer_version()
    keys = [_key(card, media_names, version) for card in cards]
    results: list[Fields | None] = [None] * len(cards)
    misses = []
    for index, key in enumerate(keys):
        fields = cached.get(key)
        wanted = CLOZE_FIELDS if cards[index].type == "cloze" else NOTE_FIELDS
        if fields is None or len(fields) != wanted:  # a damaged entry is rendered again
            misses.append(index)
        else:
            results[index] = tuple(fields)
            advance()
    for index, fields, unresolved in _render(cards, misses, media_names, advance):
        if unresolved:
            raise FlashnotesError(_unresolved(cards[index], unresolved))
        results[index] = fields
    problems = [
        problem
        for card, fields in zip(cards, results, strict=True)
        for problem in rendering_problems(card, fields)  # type: ignore[arg-type]
    ]
    if problems:
        raise FlashnotesError(problems)
    if misses or len(cached) != len(set(keys)):
        _save(cache_path, dict(zip(keys, results, strict=True)))
    return results  # type: ignore[return-value]


def _render(cards, indices, media_names, advance):
    """(index, fields, unresolved image sources) for each card index, in order."""
    workers = min(os.cpu_count() or 1, 4)
    if len(indices) < PARALLEL_THRESHOLD or workers < 2 or "fork" not in get_all_start_methods():
        yield from _render_chunk(cards, indices, media_names, advance)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunks = [indices[start : start + _CHUNK] for start in range(0, len(indices), _CHUNK)]
    # Forked workers see `cards` as it is now, without pickling it.
    global _WORK
    _WORK = (cards, media_names)
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for rendered in pool.map(_render_in_worker, chunks):
                for item in rendered:
                    advance()
                    yield item
    finally:
        _WORK = None


_WORK: tuple[Sequence[Card], Mapping[str, str]] | None = None


def _render_in_worker(indices: list[int]) -> list[tuple[int, Fields, list[str]]]:
    assert _WORK is not None
    cards, media_names = _WORK
    return list(_render_chunk(cards, indices, media_names, lambda: None))


def _render_chunk(cards, indices, media_names, advance):
    from .render import Renderer

    renderer = Renderer(media_names)
    for index in indices:
        renderer.unresolved.clear()
        fields = card_fields(cards[index], renderer)
        advance()
        yield index, fields, list(renderer.unresolved)


def _key(card: Card, media_names: Mapping[str, str], version: str) -> str:
    images = [media_names.get(image.relpath, "") for image in card.images]
    content = [version, card.type, card.front, card.back, card.text, card.answer]
    content += [card.source, card.id, images]
    return hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


# Every module of flashnotes whose code shapes a field's HTML: the renderer and which
# field gets what (this file), the Markdown dialect and cloze placeholders
# (project/markdown.py), the cloze pattern (project/model.py), the line-breaking rules
# the renderer applies (project/cjk.py).
_RENDERING_MODULES = (
    *("deck/render.py", "deck/fields.py"),
    *("project/markdown.py", "project/model.py", "project/cjk.py"),
)


def renderer_version() -> str:
    """Changes whenever rendering could: flashnotes' renderer or a library it uses."""
    package = Path(__file__).parent.parent
    source = b"".join((package / module).read_bytes() for module in _RENDERING_MODULES)
    libraries = []
    for name in ("markdown-it-py", "mdit-py-plugins", "Pygments", "nh3"):
        try:
            libraries.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{name}=?")
    return hashlib.sha1(source + ";".join(libraries).encode()).hexdigest()


def _load(path: Path) -> dict[str, list[str]]:
    """The cache as {key: fields}; one JSON line per card keeps memory flat when reading."""
    cached: dict[str, list[str]] = {}
    try:
        with path.open("rb") as handle:
            for line in handle:
                key, fields = json.loads(line)
                if (
                    isinstance(key, str)
                    and isinstance(fields, list)
                    and all(isinstance(item, str) for item in fields)
                ):
                    cached[key] = fields
    except (OSError, ValueError, TypeError, RecursionError):
        return {}  # no cache, or not one we wrote: render everything
    return cached


def _save(path: Path, fields: dict[str, Fields | None]) -> None:
    def write(handle: IO[str]) -> None:
        for key, values in fields.items():
            handle.write(json.dumps([key, values], ensure_ascii=False))
            handle.write("\n")

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, write)
    except OSError:
        pass  # no cache: the next export is only slower


def _unresolved(card: Card, sources: list[str]) -> str:
    where = f"{display_path(card.location.path)}:{card.location.line}"
    return (
        f"{where}: image `{sources[0]}` in card {card.id} is not a checked project image; "
        "write it as ![alt](path/inside/the/project.png)"
    )
