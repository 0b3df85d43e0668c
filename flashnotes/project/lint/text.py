"""Plain, comparable text for the lint rules: Markdown and math markup off, width and case
folded, and a way to ask how much of a term another text already shows.

Chinese is not split into words (that needs a dictionary). A Chinese term counts as
shown when at least three quarters of its characters stand in the other text and 60 %
of them inside runs of two or more it shares with the other text: 束 … 搜索 shows 束搜索,
while 卷积层 does not show 卷积核 and 函数值 … 的解 does not show 数值解. Latin words are
compared whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# Only real HTML tags: `<eos>` or `<bos>` in a card are words, not markup.
_TAG = re.compile(
    r"</?(?:a|b|i|u|s|p|br|hr|em|strong|small|sub|sup|span|div|code|pre|font|mark|"
    r"table|thead|tbody|tr|td|th|ul|ol|li|center|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\([^)]*\)")
TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_MARKUP = re.compile(r"[`*$\\{}^#|~]")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?")
# Words too common to say anything about a term.
_STOPWORDS = frozenset(
    ("a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "by", "with", "is", "are")
)


# Full-width forms (U+FF01–U+FF5E) and the ideographic space to their ASCII twins: what
# NFKC does for width (NFKC itself is ten times slower). Chinese text is full of
# full-width punctuation, which compares the same either way, so only text with
# full-width letters or digits is translated.
HALF_WIDTH = {0xFF01 + offset: 0x21 + offset for offset in range(0x5E)} | {0x3000: 0x20}
_WIDE_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold(text: str) -> str:
    """Width and case folded: `ＲｅＬＵ（x）` and `relu(x)` compare equal."""
    if _WIDE_ALNUM.search(text):
        text = text.translate(HALF_WIDTH)
    return text.casefold()


@lru_cache(maxsize=4096)
def plain(markdown: str) -> str:
    """What a reader sees, folded: no code fences' markup, math markup, tags or emphasis.

    Code blocks and math keep their words (a term in code still gives it away); an
    image counts by its alt text (the alt usually says what the figure shows).
    """
    text = markdown
    # Each pass only where its marker occurs: most fields have no code, image or tag.
    if "```" in text or "~~~" in text:
        text = _FENCE.sub(lambda m: m.group(0).split("\n", 1)[-1].rsplit("\n", 1)[0], text)
    if "](" in text:
        text = IMAGE.sub(lambda m: f" {m.group(1)} ", text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _IMG_TAG.sub(lambda m: f" {_alt_of(m.group(0)) or ''} ", text)
        text = _TAG.sub(" ", text)
    if "\\" in text:
        text = TEX_COMMAND.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    return _SPACES.sub(" ", fold(text)).strip()


_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _alt_of(tag: str) -> str | None:
    match = _ALT.search(tag)
    if match is None:
        return None
    return next(group for group in match.groups() if group is not None)


def image_alts(markdown: str) -> list[str | None]:
    """The alt text of every image in `markdown` (None for an `<img>` without `alt`)."""
    alts: list[str | None] = []
    if "![" in markdown:
        alts.extend(m.group(1) for m in IMAGE.finditer(_FENCE.sub("", markdown)))
    if "<" in markdown:
        alts.extend(_alt_of(m.group(0)) for m in _IMG_TAG.finditer(markdown))
    return alts


def quoted(text: str) -> str:
    """`text` for a message: in backticks, without the backticks of its own code spans."""
    return "`" + " ".join(text.replace("`", "").split()) + "`"


def cjk_runs(text: str) -> list[str]:
    return _CJK.findall(text)


def words(text: str) -> list[str]:
    """Latin words and numbers of folded text, in order."""
    return _WORD.findall(text)


class Shown:
    """A text prepared for repeated "is this term shown here?" questions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: set[str] | None = None

    @property
    def words(self) -> set[str]:
        if self._words is None:  # only terms with Latin words need them
            self._words = set(words(self.text))
        return self._words

    def coverage(self, term: str) -> tuple[int, int]:
        """(shown, total) weight of folded `term`: CJK characters covered by a bigram of
        the term found here, plus the letters of whole Latin words found here."""
        shown = total = 0
        runs = cjk_runs(term)
        latin = [w for w in words(term) if len(w) > 1 and not w.isdigit() and w not in _STOPWORDS]
        characters = [c for run in runs for c in run]
        if runs and not latin and 4 * sum(c in self.text for c in characters) < 3 * len(characters):
            return 0, len(characters)  # most of a Chinese term's characters must stand here
        for run in runs:
            covered = [False] * len(run)
            for i in range(len(run) - 1):
                if run[i : i + 2] in self.text:  # two CJK characters: only inside a run
                    covered[i] = covered[i + 1] = True
            shown += sum(covered)
            total += len(run)
        for word in latin:
            total += len(word)
            if word in self.words:
                shown += len(word)
        return shown, total

    def shows(self, term: str, threshold: float = 0.6) -> bool:
        """Whether most of `term` (at least two characters of it) stands in this text."""
        shown, total = self.coverage(term)
        return total > 0 and shown >= 2 and shown >= threshold * total


_NUMBERS = re.compile(r"[-+0-9.,，%\s/×x^e()（）和与至到~、-]+")


def is_number(text: str) -> bool:
    """`0.5`, `-1 和 1`, `(3, 3)`: numbers, which differ without giving each other away."""
    return bool(_NUMBERS.fullmatch(text)) and any(c.isdigit() for c in text)
