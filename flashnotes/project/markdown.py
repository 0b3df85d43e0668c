"""The Markdown dialect of card fields, one definition for Anki and the terminal.

Both the deck renderer and the terminal parse fields with this parser, so what Anki shows
as math, code or an image is what the quiz shows as one.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .cjk import joins_across_line_break


def card_markdown() -> MarkdownIt:
    """A new parser: CommonMark with raw HTML, tables, strikethrough and `$` math."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    md.enable("strikethrough")
    # Pandoc's rule for `$`: no space inside the delimiters, no digit after the closing
    # one, so "costs $5 or $10" stays text. `$$...$$` inside a paragraph is display math.
    dollarmath_plugin(
        md, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True
    )
    return md


def join_cjk_lines(children: list[Token]) -> list[Token]:
    """An inline token's children without the soft line breaks between two CJK characters:
    a browser or the terminal would show them as a space ("损失函数）； 深度"), where Chinese
    has none. Hard breaks stay."""
    kept = []
    for index, token in enumerate(children):
        before, after = _edge_text(children, index, -1), _edge_text(children, index, 1)
        if token.type != "softbreak" or not joins_across_line_break(before, after):
            kept.append(token)
    return kept


def _edge_text(children: list[Token], index: int, step: int) -> str:
    """The text of the nearest token from `index` in direction `step`, past markup tags."""
    index += step
    while 0 <= index < len(children):
        token = children[index]
        if token.type in ("text", "code_inline"):
            if token.content:
                return token.content
        elif token.nesting == 0:  # math, images, breaks: not text that joins
            return ""
        index += step
    return ""
