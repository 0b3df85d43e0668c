from rich.console import Console
from rich.text import Text

from flashnotes.review.terminal import clean, cloze_markdown, emit, markdown


def render(renderable, width=40) -> str:
    console = Console(width=width, color_system=None, highlight=False)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def test_math_survives_markdown_and_code_does_not_change():
    text = r"门控 $z_t = \sigma(W_{xz} x_t)$ and `$not math$` with *stars*"
    out = render(markdown(text), width=80)
    assert "zₜ = σ(W_xz xₜ)" in out
    assert "$not math$" in out
    assert "*" not in out.replace("$not math$", "")


def test_display_math_and_images_become_labels():
    text = "$$\\alpha_1$$\n\n![GRU](My_img/gru.png) and <img src='My_img/b.png'>"
    out = render(markdown(text, lambda path: f"[image: {path}]"), width=80)
    assert "α₁" in out
    assert "[image: My_img/gru.png]" in out and "[image: My_img/b.png]" in out


def test_control_sequences_never_reach_the_terminal():
    nasty = "title\x1b]0;pwned\x07 \x1b[2Jclear\x9b31m"
    assert clean(nasty) == "title\\x1b]0;pwned\\x07 \\x1b[2Jclear\\x9b31m"  # shown escaped
    assert clean("tab\tand\nnewline") == "tab\\x09and\\x0anewline"  # one line stays one line
    assert "\x1b" not in render(markdown(nasty)) and "\\x1b]0;pwned" in render(markdown(nasty))


def test_cloze_gap_hint_and_answer():
    text = "设得{{c1::小一些}}，第一层 {{c2::0.2::一个小数}}。"
    assert "[...]" in render(markdown(cloze_markdown(text, 1, revealed=False)))
    front2 = render(markdown(cloze_markdown(text, 2, revealed=False)))
    assert "[一个小数]" in front2 and "小一些" in front2 and "0.2" not in front2
    back = render(markdown(cloze_markdown(text, 1, revealed=True)))
    assert "设得小一些，" in back


def test_wide_characters_wrap_within_the_width():
    text = "丢弃法中，靠近输入层的丢弃概率通常设得小一些，例如第一个隐藏层0.2、第二个0.5。" * 2
    console = Console(width=20, color_system=None)
    for renderable in (markdown(text), markdown(text + "\n\n- 列表")):
        out = render(renderable, width=20)
        for line in out.splitlines():
            assert console.measure(Text(line)).maximum <= 20
        assert "".join(out.split()).startswith("丢弃法中，靠近输入层")
    # a run of CJK text breaks anywhere, not only at spaces: no line is left short
    lines = render(markdown("输出 $o_i$ " + text), width=20).splitlines()
    assert all(console.measure(Text(line)).maximum >= 18 for line in lines[:-1])
    assert not any(line.startswith(("，", "。", "、")) for line in lines)


def test_code_is_highlighted_and_plain_text_skips_the_parser():
    assert isinstance(markdown("一句话而已"), Text)
    console = Console(width=40, force_terminal=True, color_system="256")
    with console.capture() as captured:
        console.print(markdown("```python\nimport torch\nx = torch.ones(2)\n```"))
    assert "\x1b[" in captured.get() and "torch.ones" in captured.get()


def test_emit_trims_padding_on_a_pipe(tmp_path):
    with (tmp_path / "out.txt").open("w", encoding="utf-8") as file:
        emit(Console(file=file, width=40), markdown("- a\n- b"), Text("c"))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "\n • a\n • b\nc\n"
