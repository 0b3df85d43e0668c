"""Questions and answers of basic, reversed and typed cards: one question, a short answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Card
from .text import IMAGE, TEX_COMMAND

# A back a reader can recall in one go; longer ones are remembered in part and rated as if whole.
MAX_ANSWER_CHARS = 160
MAX_TYPED_CHARS = 40
# More items than this on one card: recall of the set fails on any one; cloze asks each.
MAX_ITEMS = 3

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$", re.DOTALL)
_QUESTION_MARK = re.compile(r"[?？]")
# "A 和 B 分别…什么": one question that is two. 分别/各自 may stand a few words before the
# question word ("分别有助于捕捉什么"); a lone 各 only right before it, since "各层" and the
# like are common.
_TWO_AT_ONCE = re.compile(
    r"(?:(?:分别|各自)[^，。？！?!；;,]{0,8}?|各(?:是|为|有|起|代表|表示|指)?)"
    r"(?:什么|哪些|哪个|多少|怎样|如何)"
)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+\S", re.MULTILINE)
_DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)
_ROW_BREAK = re.compile(r"\\\\")


def two_questions(card: Card) -> Iterator[str]:
    if card.front is None or card.type == "cloze":
        return
    prose = _CODE.sub(" ", card.front)
    marks = len(_QUESTION_MARK.findall(prose))
    if marks >= 2:
        yield f"the front asks {marks} questions; give each its own card"
    elif match := _TWO_AT_ONCE.search(prose):
        yield f"the front asks for several things at once (`{match.group(0)}`); one card each"


def answer_too_long(card: Card) -> Iterator[str]:
    if card.type == "typed" and card.answer is not None:
        if len(card.answer) > MAX_TYPED_CHARS:
            yield (
                f"the typed answer has {len(card.answer)} characters (over {MAX_TYPED_CHARS}); "
                "ask for a shorter form"
            )
        return
    if card.type not in ("basic", "reversed") or card.back is None:
        return
    back = IMAGE.sub("", card.back) if "](" in card.back else card.back
    if "\\" in back:
        back = TEX_COMMAND.sub("", back)  # `\\boldsymbol` is one letter on the card, not ten
    # Counted as written, markup characters aside; exact enough for "too long".
    length = len(back.strip()) - sum(map(back.count, "`*$\\{}^_&"))
    if length > MAX_ANSWER_CHARS:
        yield (
            f"the back has {length} characters (over {MAX_ANSWER_CHARS}); "
            "keep the one fact asked and move the rest to other cards"
        )


def list_too_long(card: Card) -> Iterator[str]:
    if card.type not in ("basic", "reversed") or card.back is None:
        return
    items = len(_LIST_ITEM.findall(card.back))
    rows = max(
        (len(_ROW_BREAK.findall(m.group(1))) + 1 for m in _DISPLAY_MATH.finditer(card.back)),
        default=0,
    )
    count, what = max((items, "list items"), (rows, "lines of display math"))
    if count > MAX_ITEMS:
        yield (
            f"the back has {count} {what} (over {MAX_ITEMS}); "
            "a cloze with one deletion per item asks for each"
        )
