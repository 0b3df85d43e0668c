"""Card Markdown for the terminal: rich's Markdown, math as Unicode, cloze gaps, images named.

Card text is untrusted: every control character (escape sequences included) is removed
before anything reaches the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.console import Console, RenderableType
from rich.text import Text

from ..project.cjk import CLOSING_PUNCTUATION as _CLOSING_PUNCTUATION
from ..project.cjk import OPENING_PUNCTUATION as _OPENING_PUNCTUATION
from ..project.cjk import joins_across_line_break
from ..project.cloze import deletions

# C0 and C1 controls except tab and newline: ESC starts terminal control sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
# Code is left alone: fenced blocks, then inline code spans.
_CODE = re.compile(
    r"(^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[ \t]*$|\Z)|(`+)(?!`).+?(?<!`)\3(?!`))",
    re.DOTALL | re.MULTILINE,
)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])((?:\\.|[^$\\])+?)(?<!\s)\$(?!\d)")
_MARKDOWN_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_IMAGE = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>", re.IGNORECASE
)


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
    """Text without control characters, safe to print on a terminal."""
    return _CONTROL.sub("", text)


def plain(text: str) -> Text:
    """A Text object of untrusted text: no rich markup, no control characters."""
    return Text(clean(text))


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


def prepare(text: str, image_label: Callable[[str], str] | None = None) -> str:
    """Card Markdown made ready for rich: cleaned, math in Unicode, images as labels.

    Code blocks and code spans are kept exactly as written.
    """
    label = image_label or (lambda path: f"[image: {path}]")
    text = clean(text)
    pieces: list[str] = []
    position = 0
    for match in _CODE.finditer(text):
        pieces.append(_prepare_prose(text[position : match.start()], label))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_prepare_prose(text[position:], label))
    return "".join(pieces)


# A line break inside a paragraph, with the next line's indent (list items).
_SOFT_BREAK = re.compile(r"(?<=\S)\n[ \t]*(?=\S)")
# Lines a break ends for good: headings and table rows.
_WHOLE_LINE = re.compile(r"^ {0,3}#|\|")


def _join_cjk_lines(text: str) -> str:
    """Drop line breaks between two CJK characters: Markdown shows them as a space."""

    def join(match: re.Match[str]) -> str:
        before, after = text[match.start() - 1], text[match.end()]
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if _WHOLE_LINE.search(line) or not joins_across_line_break(before, after):
            return match.group(0)
        return ""

    return _SOFT_BREAK.sub(join, text)


def _prepare_prose(text: str, label: Callable[[str], str]) -> str:
    from .texmath import to_unicode

    text = _join_cjk_lines(text)
    text = _DISPLAY_MATH.sub(
        lambda m: "\n\n" + escape_markdown(to_unicode(m.group(1)).strip()) + "\n\n", text
    )
    text = _INLINE_MATH.sub(lambda m: escape_markdown(to_unicode(m.group(1))), text)
    text = _MARKDOWN_IMAGE.sub(lambda m: escape_markdown(label(m.group(2))), text)
    return _HTML_IMAGE.sub(
        lambda m: escape_markdown(label(next(g for g in m.groups() if g is not None))), text
    )


def markdown(text: str, image_label: Callable[[str], str] | None = None) -> RenderableType:
    """A card field as a rich renderable (headings, lists, emphasis, highlighted code)."""
    prepared = prepare(text, image_label)
    if _is_plain(prepared):
        # Most fields are a sentence or two: skip the Markdown parser (and Pygments).
        return Text(prepared.strip())
    from rich.markdown import Markdown

    return Markdown(prepared, code_theme="ansi_dark", hyperlinks=False, justify="default")


_MARKDOWN_SYNTAX = re.compile(
    r"[\n\\`*_#>\[\]<|~]|^\s*([-+]|\d+[.)])\s|^\s*$|&\w+;|&#", re.MULTILINE
)


def _is_plain(text: str) -> bool:
    """Whether Markdown would show this text exactly as written (one paragraph, no markup)."""
    return not _MARKDOWN_SYNTAX.search(text.strip())


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
