"""Chinese, Japanese and Korean text: which characters are wide, which punctuation binds.

Shared by the Anki renderer and the terminal, which must agree on how card text breaks.
"""

from __future__ import annotations

import unicodedata

# Punctuation that must not start a line (closing) or end one (opening), as in CJK
# typesetting; the ASCII ones too, as a formula before "," is as bad as one before "，".
OPENING_PUNCTUATION = "（【《“‘「『〔［｛〈"
CLOSING_PUNCTUATION = "，。、；：？！）】》”’」』〕］｝〉…・ー"
ASCII_CLOSING_PUNCTUATION = ",.;:!?)]}%"


def is_wide(char: str) -> bool:
    """Whether a line break next to `char` is dropped rather than shown as a space.

    CSS Text 3 ("segment break transformation"): a line break between two East Asian
    wide characters (full-width, wide or half-width) is removed, Hangul excepted, since
    Korean separates words with spaces.
    """
    if unicodedata.east_asian_width(char) not in ("F", "W", "H"):
        return False
    return not ("\u1100" <= char <= "\u11ff" or "\uac00" <= char <= "\ud7af")


def joins_across_line_break(before: str, after: str) -> bool:
    """Whether a soft line break between these two characters should vanish."""
    return bool(before) and bool(after) and is_wide(before[-1]) and is_wide(after[0])
