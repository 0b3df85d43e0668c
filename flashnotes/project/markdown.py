"""The Markdown dialect of card fields, one definition for Anki, the terminal and `check`.

The deck renderer and the terminal parse fields with this parser, so what Anki shows as
math, code or an image is what the quiz shows as one. `check` finds a field's images in
the same parse, so it agrees with export on what is an image: `![x]()` is one (with an
empty path), a reference-style `![x][r]` is one, `<img alt=">" src=...>` is one, and image
syntax inside code is none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from html.entities import html5
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .cjk import joins_across_line_break
from .model import CLOZE_PATTERN

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def card_markdown() -> MarkdownIt:
    """A new parser: CommonMark with raw HTML, tables, strikethrough and `$` math."""
    # Imported here: `check` on a project without images never needs them.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

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
        if token.type == "softbreak":
            before, after = _edge_text(children, index, -1), _edge_text(children, index, 1)
            if joins_across_line_break(before, after):
                continue
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


# Placeholders for cloze markup while Markdown and the sanitiser run: private-use
# characters that neither treats specially.
CLOZE_OPEN, CLOZE_HINT, CLOZE_CLOSE = "\ue000", "\ue001", "\ue002"
_PLACEHOLDER = re.compile(f"{CLOZE_OPEN}([0-9]+){CLOZE_OPEN}|{CLOZE_HINT}|{CLOZE_CLOSE}")


def protect_cloze(text: str) -> str:
    """Swap `{{cN::`, the hint's `::` and `}}` for placeholders Markdown does not touch."""

    def swap(match: re.Match[str]) -> str:
        answer, separator, hint = match.group(2).partition("::")
        middle = f"{answer}{CLOZE_HINT}{hint}" if separator else answer
        return f"{CLOZE_OPEN}{match.group(1)}{CLOZE_OPEN}{middle}{CLOZE_CLOSE}"

    return CLOZE_PATTERN.sub(swap, text)


def restore_cloze(html: str, numbers: set[str]) -> str:
    """Put back the cloze markup protect_cloze hid, for the deletion `numbers` it hid.

    A placeholder the text brought itself (a private-use character written or as an
    entity) with another number stays as it is: it never becomes a deletion Anki reads.
    """

    def restore(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "::" if match.group(0) == CLOZE_HINT else "}}"
        if match.group(1) in numbers:
            return "{{c" + match.group(1) + "::"
        return f"&#{ord(CLOZE_OPEN)};{match.group(1)}&#{ord(CLOZE_OPEN)};"

    return _PLACEHOLDER.sub(restore, html)


def cloze_numbers_as_written(text: str) -> set[str]:
    """The deletion numbers of cloze text, spelled as written (`01` stays `01`)."""
    return {match.group(1) for match in CLOZE_PATTERN.finditer(text)}


def image_references(text: str, *, cloze: bool = False) -> list[tuple[int, str]]:
    """(offset of its line, path as written) for every image of a Markdown field, in order.

    `cloze` parses the text as the renderer parses cloze text. The path is the `src` the
    rendered HTML gets (reference-style images resolved, entities decoded).
    """
    if "![" not in text and "<img" not in text.lower():
        return []  # no image can come out of this field: skip the parse
    source = protect_cloze(text) if cloze else text
    collector = _ImageCollector()
    # Only raw HTML can change how the HTML around it reads (open a comment, a script or
    # a <textarea>); everything else Markdown writes is escaped. So raw HTML is fed to
    # the HTML reader in order, and a Markdown image counts unless that reader is inside
    # something that swallows it, as a browser and the sanitiser would be.
    for token in _parser().parse(source):
        line = token.map[0] if token.map else collector.line
        if token.type == "html_block":
            collector.feed_at(line, token.content)
            continue
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                collector.feed_at(line, child.content)
            elif child.type == "image" and not collector.swallowing:
                collector.found.append((line, str(child.attrs.get("src") or "")))
    collector.close()
    starts = _line_starts(text)
    return [(starts[min(line, len(starts) - 1)], src) for line, src in collector.found]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = card_markdown()
    # Paths as the user wrote them, for messages: the renderer's parser percent-encodes
    # them (`图.png` → `%E5%9B%BE.png`), which names the same file (see reference_key).
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [match.end() for match in re.finditer("\n", text)]
    return starts


class _ImageCollector(HTMLParser):
    """The `src` of every `<img>` in HTML fed in document order, with the field line.

    Fed piece by piece, so an element opened in one block holds what follows. Elements
    whose content browsers (and the sanitiser's HTML parser) read as text hold no image.
    """

    CDATA_CONTENT_ELEMENTS = (
        *("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"),
        "noscript",
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.line = 0  # the field line of what is being fed
        self._fed_lines = 0
        self._base = 0  # lines fed before the current piece

    def feed_at(self, line: int, html: str) -> None:
        self.line = line
        self._base = self._fed_lines
        self._fed_lines += html.count("\n")
        self.feed(html)

    @property
    def swallowing(self) -> bool:
        """Inside an unfinished comment or tag, or an element read as text."""
        # What the reader holds back starts with `<` when it waits for a tag's or a
        # comment's end; held-back text (`a &amp`, a reference maybe not finished) does not.
        return self.rawdata.startswith("<") or self.cdata_elem is not None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img":
            return
        src = _raw_src(self.get_starttag_text() or "")
        if src is not None:
            within = max(0, self.getpos()[0] - 1 - self._base)
            self.found.append((self.line + within, _attribute_value(src)))


# The attributes of a start tag, as the HTML tokenizer splits them: name, then a value.
_ATTRIBUTE = re.compile(
    r"""[\s/]*([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?"""
)
_REFERENCE = re.compile(r"&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]*;?))")


def _raw_src(tag: str) -> str | None:
    """The first `src` of a start tag as written (the first one counts, as in browsers)."""
    for match in _ATTRIBUTE.finditer(tag, tag.find(" ") + 1 if " " in tag else len(tag)):
        if match.group(1).lower() == "src":
            value = match.group(2) or ""
            return value[1:-1] if value[:1] in ("'", '"') else value
    return None


def _attribute_value(raw: str) -> str:
    """An attribute value decoded as browsers and the sanitiser decode it (the HTML spec),
    not as `html.unescape` does: it drops control characters and decodes `&amp` in
    `&ampb`, which an attribute keeps."""

    def decode(match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            following = raw[match.end() : match.end() + 1]
            known = name in html5 and (name.endswith(";") or following != "=")
            return html5[name] if known else match.group(0)
        digits = decimal if decimal is not None else hexadecimal
        number = int(digits, 10 if decimal is not None else 16) if len(digits) < 9 else -1
        if number <= 0 or 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
            return "\ufffd"
        # 0x80-0x9F name Windows-1252 characters (`&#128;` is €) where it has them.
        return (0x80 <= number <= 0x9F and unescape(f"&#{number};")) or chr(number)

    return _REFERENCE.sub(decode, raw)


def html_images(html: str) -> list[str]:
    """The `src` of every `<img>` in a piece of raw HTML, read as `check` reads them."""
    collector = _ImageCollector()
    collector.feed_at(0, html)
    collector.close()
    return [src for _, src in collector.found]
