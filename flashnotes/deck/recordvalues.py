"""The values of the export record, checked as they are read back.

The record (`.flashnotes/export-record.json`) may come from a cloned repository or be
edited by hand, and its `mod` times go straight into the package. Anki keeps a note's
modification time in 32 bits: -5 comes back as 4294967291, 2^53 as 0, and 2^63 cannot be
written at all. So each value is checked here; anything else makes the record unreadable,
and the export rebuilds it with a warning.
"""

from __future__ import annotations

from typing import Any

from ..project.loader import ID_PATTERN

# Anki stores a note's modification time as an unsigned 32-bit number of seconds.
ANKI_MOD_MAX = 2**32 - 1
# A time the export gave is never ahead of the clock, save for the one-second steps it takes
# when a note changes twice in a second and a clock set back a little: a day covers both.
FUTURE_SLACK_SECONDS = 86_400
ID_MAX_LENGTH = 64
KINDS = ("note", "cloze")


def checked_mod(value: object, now_seconds: int) -> int:
    """A modification time from the record; ValueError unless Anki would keep it as it is."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"mod {value!r:.40} is not a whole number of seconds")
    latest = min(now_seconds + FUTURE_SLACK_SECONDS, ANKI_MOD_MAX)
    if not 0 < value <= latest:
        raise ValueError(f"mod {value} is not a time between 1970 and now")
    return value


def checked_hash(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"hash {value!r:.40} is not text")
    return value


def checked_card_id(card_id: str) -> str:
    if len(card_id) > ID_MAX_LENGTH or not ID_PATTERN.fullmatch(card_id):
        raise ValueError(f"card id {card_id!r:.80} is not an id flashnotes gives")
    return card_id


def checked_card(entry: Any, now_seconds: int) -> tuple[str, int, str | None, str | None]:
    """hash, mod, deck and kind of one card entry."""
    if not isinstance(entry, dict):
        raise ValueError(f"card entry {entry!r:.40} is not an object")
    deck = entry.get("deck")
    if deck is not None and not isinstance(deck, str):
        raise ValueError(f"deck {deck!r:.40} is not text")
    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind {kind!r:.40} is not note or cloze")
    return checked_hash(entry["hash"]), checked_mod(entry["mod"], now_seconds), deck, kind


def checked_note_types(note_types: Any, now_seconds: int) -> dict[str, dict[str, Any]]:
    """The note type entries by kind: {"note": {"hash": ..., "mod": ...}, ...}."""
    if not isinstance(note_types, dict):
        raise ValueError("note_types is not an object")
    checked = {}
    for kind, entry in note_types.items():
        if kind not in KINDS or not isinstance(entry, dict):
            raise ValueError(f"note type {kind!r:.40} is not note or cloze")
        checked[kind] = {
            "hash": checked_hash(entry["hash"]),
            "mod": checked_mod(entry["mod"], now_seconds),
        }
    return checked
