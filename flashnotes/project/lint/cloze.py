"""Cloze cards: a deletion must not stand in the text around it, or be guessable from a twin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations

from ..model import CLOZE_PATTERN, Card
from .text import Shown, is_number, plain, quoted

# Pairs a reader completes from one side: seeing 长期 shown, 短期 is no longer recalled.
_OPPOSITES = {
    frozenset(pair)
    for pair in (
        ("长", "短"),
        ("大", "小"),
        ("多", "少"),
        ("高", "低"),
        ("前", "后"),
        ("上", "下"),
        ("左", "右"),
        ("正", "负"),
        ("增", "减"),
        ("行", "列"),
        ("内", "外"),
        ("快", "慢"),
        ("入", "出"),
        ("开始", "结束"),
        ("开始", "终止"),
        ("始", "终"),
        ("最大", "最小"),
        ("衰减", "爆炸"),
        ("欠", "过"),
        ("编码", "解码"),
        ("训练", "测试"),
        ("真", "假"),
        ("min", "max"),
        ("input", "output"),
        ("encoder", "decoder"),
        ("row", "column"),
    )
}
_GENERIC_TAIL = "值的"
_MATH_ONLY = re.compile(r"\$[^$]+\$")
_GLOSS = re.compile(r"[(（][^()（）]*[)）]")


def _deletions(card: Card) -> list[tuple[int, str, str]]:
    """(number, answer, hint) of every deletion, in text order."""
    assert card.text is not None
    found = []
    for match in CLOZE_PATTERN.finditer(card.text):
        answer, _, hint = match.group(2).partition("::")
        found.append((int(match.group(1)), answer, hint))
    return found


def _asked_text(text: str, number: int) -> str:
    """The text as Anki shows it when asking deletion `number`: its hint, the others filled."""

    def replace(match: re.Match[str]) -> str:
        answer, _, hint = match.group(2).partition("::")
        return f" {hint} " if int(match.group(1)) == number else answer

    return CLOZE_PATTERN.sub(replace, text)


def cloze_answer_visible(card: Card) -> Iterator[str]:
    if card.type != "cloze" or card.text is None:
        return
    deletions = _deletions(card)
    for number in sorted({number for number, _, _ in deletions}):
        shown = Shown(plain(_asked_text(card.text, number)))
        for answer in (a for n, a, _ in deletions if n == number):
            # "最大值" is known by its "最大": a generic last character is not what is asked.
            folded = plain(answer).rstrip(_GENERIC_TAIL)
            if is_number(folded) or len(folded) < 2 or _MATH_ONLY.fullmatch(answer.strip()):
                continue  # a formula shares its variables with the text around it
            if shown.shows(folded):
                yield (
                    f"c{number}'s answer {quoted(answer)} also stands in the text shown "
                    "with it; reword the text around the deletion"
                )
                break


def cloze_pair_giveaway(card: Card) -> Iterator[str]:
    if card.type != "cloze" or card.text is None:
        return
    answers = {}
    for number, answer, _ in _deletions(card):
        answers.setdefault(number, answer)
    for (first, a), (second, b) in combinations(sorted(answers.items()), 2):
        how = _twins(_core(a), _core(b))
        if how is not None:
            yield (
                f"c{first} {quoted(a)} and c{second} {quoted(b)} {how}: with one shown the "
                "other is a guess; give both one number (one card asks the pair) or reword"
            )
            return


def _core(answer: str) -> str:
    """An answer without glosses and spaces: `欠拟合（underfitting）` → `欠拟合`."""
    return _GLOSS.sub("", plain(answer)).replace(" ", "")


def _twins(a: str, b: str) -> str | None:
    """How `a` and `b` give each other away, or None when they do not."""
    if a == b or not a or not b or is_number(a) or is_number(b):
        return None
    shortest = min(len(a), len(b))
    prefix = 0
    while prefix < shortest and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middles = (a[prefix : len(a) - suffix], b[prefix : len(b) - suffix])
    if frozenset(middles) in _OPPOSITES:
        return f"differ only in the opposites `{middles[0]}`/`{middles[1]}`"
    shared = prefix + suffix
    if shared and 2 * shared >= shortest and max(map(len, middles)) <= 4:
        return "share most of their text"
    return None
