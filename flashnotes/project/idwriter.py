"""`flashnotes add-ids`: inserting `id:` lines into the user's card files, and nothing else.

A YAML round trip cannot promise to keep every byte (CRLF, a BOM, flow style, long
lines, escapes), so the ids are inserted as text at the position of each card's mapping,
found by its place in the `cards` list (never by line number: two cards can share a line,
and YAML counts U+2028 as a line break where editors do not). The result is parsed again
and must equal the old document plus the new ids; every file is checked before any file
is written, so a problem in one file leaves all of them untouched.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import replace_file, rewrite_in_place
from ..errors import FlashnotesError, Problem
from .yamlnodes import STR_TAG, DocumentError, compose, decode

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class WrittenId:
    """An id that add-ids wrote: the file and the line it is on now."""

    path: Path
    line: int
    card_id: str


@dataclass(frozen=True)
class _Plan:
    target: Path  # the file itself: a link inside the project is written through
    data: bytes
    written: list[WrittenId]


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def write_ids(missing: Iterable[tuple[Path, int, str]]) -> list[WrittenId]:
    """Insert `id: <proposed>` as the first key of each card, given as (file, position, id).

    The position is the card's index in the file's `cards` list. Raises FlashnotesError,
    having written nothing, if any file cannot take its ids without other changes.
    """
    by_file: dict[Path, dict[int, str]] = {}
    for path, position, proposed in missing:
        by_file.setdefault(path, {})[position] = proposed
    plans: list[_Plan] = []
    problems: list[Problem] = []
    for path, wanted in sorted(by_file.items()):
        try:
            plans.append(_plan(path, wanted))
        except _Refused as refused:
            problems.append(Problem(path, refused.line, refused.message))
        except OSError as error:
            problems.append(Problem(path, 0, f"cannot read: {error.strerror}"))
    if problems:
        raise FlashnotesError(problems)
    written: list[WrittenId] = []
    for plan in plans:
        try:
            _write(plan)
        except OSError as error:
            before = f" ({len(written)} ids written before it)" if written else ""
            problem = Problem(plan.written[0].path, 0, f"cannot write: {error.strerror}{before}")
            raise FlashnotesError([problem]) from None
        written += plan.written
    return written


def _write(plan: _Plan) -> None:
    if os.stat(plan.target).st_nlink > 1:
        rewrite_in_place(plan.target, plan.data)  # every hard link then shows the ids
    else:
        replace_file(plan.target, lambda stream: stream.write(plan.data), binary=True)


def _plan(path: Path, wanted: dict[int, str]) -> _Plan:
    target = path.resolve()
    raw = target.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    try:
        text = decode(raw)
        old = compose(text)
    except DocumentError as error:
        raise _Refused(error.line, error.message) from None
    cards = _cards(old)

    insertions: list[tuple[int, str, str]] = []  # (offset, text to insert, id)
    for position, card_id in wanted.items():
        if position >= len(cards) or not isinstance(cards[position], yaml.MappingNode):
            raise _Refused(0, "changed while add-ids ran; run it again")
        card = cards[position]
        if any(_key(key) == "id" for key, _ in card.value):
            raise _Refused(card.start_mark.line + 1, "changed while add-ids ran; run it again")
        insertions.append((*_insertion(text, card, _quoted(card_id)), card_id))

    pieces: list[str] = []
    done = 0
    shift = 0
    positions: list[tuple[int, str]] = []
    for offset, inserted, card_id in sorted(insertions):
        pieces += [text[done:offset], inserted]
        done = offset
        positions.append((offset + shift, card_id))
        shift += len(inserted)
    pieces.append(text[done:])
    new_text = "".join(pieces)

    _verify(old, new_text, wanted)
    written = [
        WrittenId(path, new_text.count("\n", 0, offset) + 1, card_id)
        for offset, card_id in positions
    ]
    return _Plan(target, bom + new_text.encode("utf-8"), written)


def _cards(document: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(document, yaml.MappingNode):
        for key, value in document.value:
            if _key(key) == "cards" and isinstance(value, yaml.SequenceNode):
                return value.value
    raise _Refused(1, "changed while add-ids ran: no `cards:` list now; run it again")


def _insertion(text: str, card: yaml.MappingNode, card_id: str) -> tuple[int, str]:
    """Where and what to insert so that `id` becomes the card's first key."""
    start = card.start_mark.index
    if card.flow_style:  # {front: a, back: b}: right after the brace
        if text[start : start + 1] != "{":
            raise _Refused(card.start_mark.line + 1, _BY_HAND.format(card_id))
        return start + 1, f"id: {card_id}" + (", " if card.value else "")
    # A block mapping: a line of its own at the column of the first key, with the line
    # break this line already uses.
    found = _LINE_BREAK.search(text, start) or _LINE_BREAK.search(text)
    newline = found.group() if found else "\n"
    return start, f"id: {card_id}{newline}{' ' * card.start_mark.column}"


_BY_HAND = "cannot insert the id here without changing the file otherwise; add `id: {}` by hand"


def _verify(old: yaml.Node, new_text: str, wanted: dict[int, str]) -> None:
    """The new document must be the old one with exactly the new ids as first keys."""
    cards = _cards(old)
    try:
        new = compose(new_text)
    except DocumentError as error:
        raise _Refused(error.line, _BY_HAND.format(min(wanted.values()))) from None
    new_cards = _cards(new)
    seen: set[tuple[int, int]] = set()
    same = len(new_cards) == len(cards)
    for position, (before, after) in enumerate(zip(cards, new_cards, strict=False)):
        if not same:
            break
        if position in wanted:
            head, *rest = after.value
            key, value = head
            same = (
                _key(key) == "id"
                and value.tag == STR_TAG
                and value.value == wanted[position]
                and _same_entries(before.value, rest, seen)
            )
            if not same:
                raise _Refused(before.start_mark.line + 1, _BY_HAND.format(wanted[position]))
        else:
            same = _same(before, after, seen)
    outside_cards = [(key, value) for key, value in old.value if _key(key) != "cards"]
    new_outside = [(key, value) for key, value in new.value if _key(key) != "cards"]
    if not same or not _same_entries(outside_cards, new_outside, seen):
        raise _Refused(1, _BY_HAND.format(min(wanted.values())))


def _same(a: yaml.Node, b: yaml.Node, seen: set[tuple[int, int]]) -> bool:
    """Two node trees alike (a shared node is compared once: aliases cannot blow this up)."""
    pair = (id(a), id(b))
    if pair in seen:
        return True
    seen.add(pair)
    if type(a) is not type(b) or a.tag != b.tag:
        return False
    if isinstance(a, yaml.ScalarNode):
        return a.value == b.value
    if isinstance(a, yaml.SequenceNode):
        return len(a.value) == len(b.value) and all(
            _same(x, y, seen) for x, y in zip(a.value, b.value, strict=True)
        )
    return _same_entries(a.value, b.value, seen)


def _same_entries(a: list, b: list, seen: set[tuple[int, int]]) -> bool:
    return len(a) == len(b) and all(
        _same(ka, kb, seen) and _same(va, vb, seen) for (ka, va), (kb, vb) in zip(a, b, strict=True)
    )


def _key(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _quoted(card_id: str) -> str:
    """The id as a YAML string: plain where YAML reads it back as that string."""
    try:
        plain = yaml.safe_load(card_id)
    except yaml.YAMLError:
        plain = None
    return card_id if plain == card_id else f'"{card_id}"'
