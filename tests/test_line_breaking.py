"""Line breaking in Chinese text, in Anki's HTML and in the terminal's Markdown."""

from __future__ import annotations

from rich.console import Console

from flashnotes.deck.render import render_markdown
from flashnotes.review.terminal import markdown


def test_a_line_break_between_chinese_characters_vanishes_in_anki():
    html = render_markdown("交叉熵（损失函数）；\n深度学习\n  模型 **也**\n用它")
    assert html == "<p>交叉熵（损失函数）；深度学习模型 <strong>也</strong>用它</p>"


def test_a_line_break_next_to_latin_text_or_math_stays_a_space_in_anki():
    assert render_markdown("softmax\n回归") == "<p>softmax\n回归</p>"
    assert render_markdown("$x$\n中文") == "<p>\\(x\\)\n中文</p>"
    assert render_markdown("한국어\n문장") == "<p>한국어\n문장</p>"  # Korean keeps spaces


def test_a_hard_break_stays_a_break():
    assert render_markdown("第一行  \n第二行") == "<p>第一行<br />\n第二行</p>"


def test_punctuation_is_kept_on_the_line_of_the_formula_before_or_after_it():
    html = render_markdown("数量级为 $O(n)$。而（$x$）与 $y$, z")
    assert '<span class="fn-nobreak">\\(O(n)\\)。</span>' in html
    assert '<span class="fn-nobreak">（\\(x\\)）</span>' in html
    assert '<span class="fn-nobreak">\\(y\\),</span> z' in html


def test_a_cloze_holding_just_the_formula_goes_inside_the_span_whole():
    html = render_markdown("为 {{c2::$O(n)$}}。", cloze=True)
    assert html == '<p>为 <span class="fn-nobreak">{{c2::\\(O(n)\\)}}。</span></p>'
    # A deletion holding more than the formula would end inside the span: left alone.
    assert render_markdown("{{c1::a $x$}}。", cloze=True) == "<p>{{c1::a \\(x\\)}}。</p>"


def _terminal(text: str) -> list[str]:
    console = Console(width=60, color_system=None)
    with console.capture() as captured:
        console.print(markdown(text))
    return [line.strip() for line in captured.get().splitlines() if line.strip()]


def test_the_terminal_joins_chinese_lines_but_not_headings_tables_or_code():
    text = "# 标题\n正文（一）；\n正文二\n\n| 表 |\n|---|\n| 格 |\n\n```\n代码\n代码\n```\n"
    lines = _terminal(text)
    assert "正文（一）；正文二" in lines
    assert lines.count("代码") == 2 and "标题" in lines[0]
    assert _terminal("- 列表\n  续行\n- 下一项") == ["• 列表续行", "• 下一项"]
    assert _terminal("softmax\n回归") == ["softmax 回归"]
