"""Markdown fields to the sanitised HTML that Anki shows: math, code, images, cloze markup.

Pure `str -> str`. The markdown-it instance and the Pygments formatter are built once; a
`Renderer` adds what one export needs (the project's flat media names) to a reusable nh3
cleaner.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..project.cjk import ASCII_CLOSING_PUNCTUATION, CLOSING_PUNCTUATION, OPENING_PUNCTUATION
from ..project.markdown import (
    CLOZE_CLOSE,
    CLOZE_OPEN,
    card_markdown,
    cloze_numbers_as_written,
    join_cjk_lines,
    protect_cloze,
    restore_cloze,
)
from ..project.media import reference_key

# What raw HTML may keep. Everything Markdown and Pygments produce is in here; anything
# that can run code (script, iframe, object, event handlers, style sheets) is not.
ALLOWED_TAGS = {
    *("p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins"),
    *("sub", "sup", "mark", "small", "abbr", "cite", "q", "ruby", "rt", "rp"),
    *("ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "details", "summary"),
    *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
    *("img", "a"),
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
}
ALLOWED_STYLE_PROPERTIES = {
    *("color", "background-color", "font-weight", "font-style", "text-decoration"),
    *("text-align", "vertical-align", "width", "max-width", "height"),
}
URL_SCHEMES = {"http", "https", "mailto"}

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Control characters that reach the HTML through character references in raw HTML
# (`title="&#31;"`): written back as references, since a raw `\x1f` would split Anki's
# fields. `check` refuses them written directly.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group())};"


# `{{c` and a digit that are not a deletion of the text (made of entities, `&#123;`, or
# from a private-use placeholder): Anki would read a deletion there, with any number.
_STRAY_CLOZE = re.compile(r"\{\{(?=c[0-9])")


def escape(text: str) -> str:
    """Escape only what HTML needs (`<`, `>`, `&`): TeX keeps its quotes and backslashes."""
    return text.translate(_ESCAPES)


def _math_inline(self, tokens, idx, options, env) -> str:
    return f"\\({escape(tokens[idx].content.strip())}\\)"


def _math_display_inline(self, tokens, idx, options, env) -> str:
    # A span, not a div: a block inside <p> is invalid HTML. MathJax centres it anyway.
    return f'<span class="math">\\[{escape(tokens[idx].content.strip())}\\]</span>'


def _math_block(self, tokens, idx, options, env) -> str:
    return f'<div class="math">\\[{escape(tokens[idx].content.strip())}\\]</div>\n'


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
    body = highlight(token.content, language)
    # MathJax leaves `tex2jax_ignore` alone, so a `\(` in code stays code.
    return f'<pre class="code tex2jax_ignore"><code>{body}</code></pre>\n'


# Punctuation around a formula: before it (and before a cloze deletion that holds just
# the formula), after it (and after the end of such a deletion).
_BEFORE_MATH = re.compile(
    f"([{re.escape(OPENING_PUNCTUATION)}]*)((?:{CLOZE_OPEN}\\d+{CLOZE_OPEN})?)$"
)
_AFTER_MATH = re.compile(
    f"^({CLOZE_CLOSE}?)([{re.escape(CLOSING_PUNCTUATION + ASCII_CLOSING_PUNCTUATION)}]*)"
)


def _bind_math_punctuation(children: list[Token]) -> list[Token]:
    """Keep inline math together with the punctuation around it ("$x$，", "（$x$）").

    A browser may break a line on either side of a typeset formula (an inline block),
    even before "，" or after a word joiner; a no-wrap span around formula and punctuation
    forbids it. A cloze deletion that holds just the formula goes inside the span whole,
    so Anki's own cloze span nests in ours.
    """
    if not any(token.type == "math_inline" for token in children):
        return children
    result: list[Token] = []
    for index, token in enumerate(children):
        if token.type != "math_inline":
            result.append(token)
            continue
        following = children[index + 1] if index + 1 < len(children) else None
        previous = result[-1] if result else None
        # Only the ends of the neighbouring texts matter (and a long text is slow to search).
        before = _BEFORE_MATH.search(previous.content[-16:] if _is_text(previous) else "")
        after = _AFTER_MATH.match(following.content if _is_text(following) else "")
        assert before is not None and after is not None  # both can match nothing
        bound = before.group(1) or after.group(2)
        cloze_ends = bool(before.group(2)) == bool(after.group(1))
        if not bound or not cloze_ends:
            result.append(token)
            continue
        group = [token]
        if before.group(0):
            cut = len(previous.content) - len(before.group(0))  # type: ignore[union-attr]
            previous.content = previous.content[:cut]  # type: ignore[union-attr]
            group.insert(0, _text(before.group(0)))
        if after.group(0):
            following.content = following.content[after.end() :]  # type: ignore[union-attr]
            group.append(_text(after.group(0)))
        result += [_html('<span class="fn-nobreak">'), *group, _html("</span>")]
    return [token for token in result if not _is_text(token) or token.content]


def _is_text(token: Token | None) -> bool:
    return token is not None and token.type == "text"


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _html(content: str) -> Token:
    return Token("html_inline", "", 0, content=content)


def _line_breaking(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _bind_math_punctuation(join_cjk_lines(token.children))


def _build_markdown() -> MarkdownIt:
    md = card_markdown()
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display_inline)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("fence", _fence)
    md.core.ruler.push("fn_line_breaking", _line_breaking)
    return md


_MARKDOWN = _build_markdown()


@lru_cache(maxsize=1)
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    # CSS classes, not inline colours: the stylesheet colours them for light and night mode.
    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight(code: str, language: str) -> str:
    """Code as HTML: Pygments token spans if the language is known, else escaped text."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return escape(code)
    from pygments import highlight as pygments_highlight

    return pygments_highlight(code, lexer, _formatter())


def pygments_css(selector: str, style: str) -> str:
    """The token colours of a Pygments style, scoped under `selector`."""
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style=style)
    return "\n".join(
        [
            f"{selector} {{ background: {formatter.style.background_color}; }}",
            *formatter.get_token_style_defs(selector),
        ]
    )


class Renderer:
    """Renders Markdown fields for one export, pointing images at their Anki media names.

    `media_names` maps an image's project-relative path to its flat name in the package.
    An `<img>` whose source is not one of them loses its `src` and is listed in
    `unresolved`, so the export can refuse it instead of shipping a broken image.
    """

    def __init__(self, media_names: Mapping[str, str] | None = None) -> None:
        self.media_names = dict(media_names or {})
        self.unresolved: list[str] = []
        self._cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            filter_style_properties=ALLOWED_STYLE_PROPERTIES,
            attribute_filter=self._attribute,
            strip_comments=True,
            link_rel="noopener noreferrer",
        )

    def _attribute(self, tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            name = self.media_names.get(reference_key(value))
            if name is None:
                self.unresolved.append(value)
            return name
        return value

    def render(self, text: str, *, cloze: bool = False) -> str:
        """A Markdown field as sanitised HTML; with `cloze`, its deletions kept for Anki."""
        source = protect_cloze(text) if cloze else text
        html = _MARKDOWN.render(source)
        # Without `<` or an image in the source, the HTML is markdown-it's and Pygments'
        # own (markdown-it already refuses javascript: links), so cleaning would change
        # nothing; skipping it matters when exporting thousands of cards.
        if "<" in source or "![" in source:
            html = _CONTROL.sub(_reference, self._cleaner.clean(html))
        html = html.strip()
        if not cloze:
            return html
        return restore_cloze(_STRAY_CLOZE.sub("{&#123;", html), cloze_numbers_as_written(text))


def render_markdown(text: str, *, cloze: bool = False) -> str:
    """A Markdown field as sanitised HTML, images left as written."""
    renderer = _identity_renderer()
    return renderer.render(text, cloze=cloze)


class _KeepImages(Renderer):
    def _attribute(self, tag: str, attribute: str, value: str) -> str | None:
        return value


@lru_cache(maxsize=1)
def _identity_renderer() -> Renderer:
    return _KeepImages()
