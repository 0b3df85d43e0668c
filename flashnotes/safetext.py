"""One sanitiser for every text that comes from a file and goes to a terminal.

A card file, a settings file, an export record or a database is untrusted: an escape
sequence in a deck name must not set the window title, write the clipboard (OSC 52) or
clear the screen, and a bidi override must not make `check` print a line that reads
differently from the file. Such characters are shown escaped (`\\x1b`, `\\u202e`), so the
user sees that they are there and can find them.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (NEL, CSI, OSC, ... as single bytes in UTF-8 terminals).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Invisible characters that change how a line reads or hide text: bidi embeddings,
# overrides, isolates and marks; zero-width space, joiners, word joiner, BOM; the Unicode
# line and paragraph separators, which some terminals and editors treat as line breaks.
_INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"

# Lone surrogates: the bytes of a file name that is not UTF-8, as Python decodes them.
# No terminal can show them (printing one is an error); shown escaped, the name stays
# recognisable.
_UNDECODABLE = "\ud800-\udfff"

_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_OR_LAYOUT = re.compile(f"[\t\n{_CONTROLS}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n\r{_CONTROLS}{_INVISIBLE}{_UNDECODABLE}]")
_UNSAFE_IN_BLOCK = re.compile(f"[\r{_CONTROLS}{_INVISIBLE}{_UNDECODABLE}]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_line(text: str) -> str:
    """`text` for one line of output: every control and invisible character escaped."""
    return _UNSAFE_IN_LINE.sub(_escaped, text)


def safe_block(text: str) -> str:
    """`text` that may span lines: newlines and tabs kept, everything else escaped."""
    return _UNSAFE_IN_BLOCK.sub(_escaped, text)


def unsafe_characters(text: str) -> list[str]:
    """The distinct control and invisible characters in `text`, escaped, in order of first use.

    For validation: a field that ships to Anki or a terminal should not carry them.
    """
    seen: dict[str, None] = {}
    for match in _UNSAFE_IN_BLOCK.finditer(text.replace("\t", " ")):
        seen.setdefault(_escaped(match), None)
    return list(seen)


def control_characters(text: str, *, layout: bool = True) -> tuple[int, list[str]] | None:
    """Where the first C0 or C1 control character is in `text`, and every distinct one,
    escaped; None if there is none. With `layout`, tab and newline are allowed.

    For validation of text that ships: Anki splits fields at `\\x1f`, shows `\\0` as
    U+FFFD and drops controls from deck names and tags.
    """
    pattern = _CONTROL if layout else _CONTROL_OR_LAYOUT
    first = pattern.search(text)
    if first is None:
        return None
    seen = dict.fromkeys(_escaped(match) for match in pattern.finditer(text))
    return first.start(), list(seen)
