"""Card Markdown for the terminal: rich's Markdown, math as Unicode, cloze gaps, images named.

A field is parsed with the card Markdown dialect the deck uses (`project/markdown.py`), so
math, code and images are found exactly where Anki finds them. The parsed tokens are then
adapted for rich: math becomes Unicode lines, images become labels, and every text,
attribute and code block is escaped by `safetext` (card text is untrusted: an escape
sequence must not reach the terminal). Parsing takes time linear in the field's length; a
field too long to read on a terminal is cut, with a line saying how much was left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.text import Text

from ..project.cjk import CLOSING_PUNCTUATION as _CLOSING_PUNCTUATION
from ..project.cjk import OPENING_PUNCTUATION as _OPENING_PUNCTUATION
from ..project.cloze import deletions
from ..safetext import safe_block, safe_line

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Longer fields are cut: nobody reads ten thousand characters off one card, and the Markdown
# parser needs about a second for that much hostile input (`![![![…`).
MAX_FIELD = 10_000
_MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")

# Line breaking for Chinese, Japanese and Korean. rich breaks lines only at spaces, so a
# run of CJK text is one long "word": it jumps whole to the next line, leaving a short line
# behind. Here every CJK character is a word of its own (lines may break between any two),
# except that closing punctuation stays with the character before it and opening
# punctuation with the one after, as CJK typesetting requires.
_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_CJK_WORD = re.compile(
    rf"\s*[{_OPENING_PUNCTUATION}]*(?:[{_WIDE}]|[^\s{_WIDE}]+)[{_CLOSING_PUNCTUATION}]*\s*"
)


def _break_lines_between_cjk_characters() -> None:
    from rich import _wrap

    _wrap.re_word = _CJK_WORD


_break_lines_between_cjk_characters()


def clean(text: str) -> str:
    """One line of untrusted text, safe to print: control and invisible characters escaped."""
    return safe_line(text)


def plain(text: str) -> Text:
    """A Text object of untrusted text: no rich markup, nothing unsafe."""
    return Text(safe_line(text))


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def cloze_markdown(text: str, number: int, *, revealed: bool) -> str:
    """Cloze text for deletion `number`: `[...]`/`[hint]` before the answer, the answer after.

    Other deletions show their answers, as Anki shows them. The gap is marked with `<kbd>`,
    which rich's Markdown styles, because `**` next to CJK punctuation is not emphasis in
    CommonMark (`得**[...]**，` would show its asterisks).
    """
    parts: list[str] = []
    position = 0
    for deletion in deletions(text):
        parts.append(text[position : deletion.start])
        if deletion.number != number:
            parts.append(deletion.answer)
        elif revealed:
            parts.append(f"<kbd>{deletion.answer}</kbd>")
        else:
            parts.append(f"<kbd>\\[{escape_markdown(deletion.hint or '...')}\\]</kbd>")
        position = deletion.end
    parts.append(text[position:])
    return "".join(parts)


def markdown(text: str, image_label: Callable[[str], str] | None = None) -> RenderableType:
    """A card field as a rich renderable (headings, lists, emphasis, highlighted code)."""
    label = image_label or (lambda path: f"[image: {path}]")
    shown, left_out = _cut(text)
    body = _render(shown, label)
    if not left_out:
        return body
    note = Text(
        f"… {left_out:,} more characters not shown: "
        f"the terminal shows the first {MAX_FIELD:,} characters of a field",
        "dim",
    )
    return Group(body, note)


def _cut(text: str) -> tuple[str, int]:
    """The part of a field the terminal shows (ending at a line break where one is near)."""
    if len(text) <= MAX_FIELD:
        return text, 0
    end = text.rfind("\n", MAX_FIELD // 2, MAX_FIELD)
    end = MAX_FIELD if end < 0 else end
    return text[:end], len(text) - end


def _render(text: str, label: Callable[[str], str]) -> RenderableType:
    if _is_plain(text):
        # Most fields are a sentence or two: skip the Markdown parser (and Pygments).
        return Text(safe_block(text.strip()))
    from rich.markdown import Markdown

    rendered = Markdown("", code_theme="ansi_dark", hyperlinks=False, justify="default")
    rendered.parsed = _for_terminal(_parser().parse(text), label)
    return rendered


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from ..project.markdown import card_markdown

    return card_markdown()


_MARKDOWN_SYNTAX = re.compile(
    r"[\n\\`*_#>\[\]<|~$]|^\s*([-+]|\d+[.)])\s|^\s*$|&\w+;|&#", re.MULTILINE
)


def _is_plain(text: str) -> bool:
    """Whether Markdown would show this text exactly as written (one paragraph, no markup)."""
    return not _MARKDOWN_SYNTAX.search(text.strip())


# -- parsed Markdown made ready for rich ---------------------------------------------------


def _for_terminal(tokens: list[Token], label: Callable[[str], str]) -> list[Token]:
    from ..project.markdown import html_images, join_cjk_lines

    out: list[Token] = []
    for token in tokens:
        if token.type == "math_block":  # `$$` on lines of their own
            out += _paragraph(_display_math(token.content))
        elif token.type == "html_block":
            # rich shows no raw HTML; its images are named like Markdown's
            sources = html_images(token.content)
            if sources:
                out += _paragraph([_text(" ".join(label(source) for source in sources))])
        elif token.type == "inline":
            # line breaks inside Chinese text are no spaces, as in the deck
            token.children = list(_inline(join_cjk_lines(token.children or []), label))
            out.append(token)
        else:
            out.append(_escaped(token))
    return out


def _inline(children: Iterable[Token], label: Callable[[str], str]) -> Iterable[Token]:
    from ..project.markdown import html_images
    from .texmath import to_unicode

    for child in children:
        if child.type == "math_inline":
            yield _text(to_unicode(child.content))
        elif child.type == "math_inline_double":  # `$$…$$` inside a paragraph
            yield from _display_math(child.content)
        elif child.type == "image":
            source = _parser().normalizeLinkText(str(child.attrs.get("src", "")))
            yield _text(label(source))
        elif child.type == "html_inline":
            sources = html_images(child.content)
            # <kbd> marks a cloze gap (rich styles it); other raw HTML shows nothing
            yield _text(" ".join(label(source) for source in sources)) if sources else child
        else:
            yield _escaped(child)


def _display_math(tex: str) -> list[Token]:
    """A display formula as lines: one per row of `aligned` and its kind, `&` columns lined up."""
    from markdown_it.token import Token

    from .texmath import to_rows

    lines = _aligned(to_rows(tex))
    out: list[Token] = []
    for line in lines:
        if out:
            out.append(Token("hardbreak", "br", 0))
        out.append(_text(line))
    return out


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells laid out as TeX's `aligned` does: odd columns to the right, even to the
    left. Padding is no-break spaces, which Markdown and line wrapping leave in place."""
    from rich.cells import cell_len

    cells = [[safe_block(cell) for cell in row] for row in rows]
    widths: dict[int, int] = {}
    for row in cells:
        if len(row) > 1:
            for column, cell in enumerate(row):
                widths[column] = max(widths.get(column, 0), cell_len(cell))
    lines = []
    for row in cells:
        if len(row) == 1:
            lines.append(row[0])
            continue
        parts = []
        for column, cell in enumerate(row):
            padding = "\u00a0" * (widths[column] - cell_len(cell))
            if column % 2 == 0:
                parts.append(padding + cell)
            else:
                parts.append(cell + (padding if column < len(row) - 1 else ""))
        lines.append(" ".join(parts).rstrip())
    return lines


def _paragraph(children: list[Token]) -> list[Token]:
    from markdown_it.token import Token

    inline = Token("inline", "", 0, children=children)
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]


def _text(content: str) -> Token:
    from markdown_it.token import Token

    return Token("text", "", 0, content=safe_block(content))


def _escaped(token: Token) -> Token:
    """The token with every text rich could show escaped: content, info string, attributes.

    The Markdown parser decodes entities, so `&#x202e;` in a card is a bidi override here.
    """
    token.content = safe_block(token.content)
    token.info = safe_line(token.info)
    for name, value in token.attrs.items():
        if isinstance(value, str):
            token.attrs[name] = safe_line(value)
    if token.children:
        token.children = [_escaped(child) for child in token.children]
    return token


def emit(console: Console, *renderables: object) -> None:
    """Print each renderable on its own lines; on a pipe or file without the trailing spaces
    rich pads lines with."""
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    with console.capture() as captured:
        for renderable in renderables:
            console.print(renderable)
    lines = captured.get().splitlines()
    console.file.write("".join(line.rstrip() + "\n" for line in lines))
    console.file.flush()
