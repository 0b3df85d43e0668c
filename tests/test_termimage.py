"""Inline images: which terminals get them, and the escape sequences they are sent."""

from __future__ import annotations

import base64

import pytest

from flashnotes.review.termimage import inline_image, inline_protocol


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "kitty"),
        ({"TERM": "xterm-ghostty"}, "kitty"),
        ({"TERM_PROGRAM": "iTerm.app"}, "iterm"),
        ({"TERM_PROGRAM": "WezTerm"}, "iterm"),
        ({"TERM": "xterm-256color"}, None),
        ({"KITTY_WINDOW_ID": "1", "TMUX": "/tmp/tmux-0/default,1,0"}, None),
        ({"TERM_PROGRAM": "iTerm.app", "TERM": "screen-256color"}, None),
    ],
)
def test_protocol_from_the_environment(environ, expected):
    assert inline_protocol(environ) == expected


def test_kitty_sends_png_in_chunks(tmp_path):
    data = bytes(range(256)) * 40
    path = tmp_path / "fig.png"
    path.write_bytes(data)
    sequence = inline_image(path, "kitty", 40)
    parts = sequence.rstrip("\n").split("\x1b\\")[:-1]
    assert parts[0].startswith("\x1b_Ga=T,f=100,c=40,m=1;")
    assert len(parts) == 4  # 13,656 base64 characters, 4,096 to a chunk
    assert [part.split(";")[0] for part in parts[1:]] == ["\x1b_Gm=1", "\x1b_Gm=1", "\x1b_Gm=0"]
    payload = "".join(part.split(";", 1)[1] for part in parts)
    assert base64.b64decode(payload) == data


def test_iterm_sends_the_file_inline(tmp_path):
    path = tmp_path / "fig.jpg"
    path.write_bytes(b"\xff\xd8\xff rest")
    sequence = inline_image(path, "iterm", 50)
    encoded = base64.b64encode(b"\xff\xd8\xff rest").decode()
    assert sequence == (
        f"\x1b]1337;File=inline=1;size=8;width=50;preserveAspectRatio=1:{encoded}\x07\n"
    )


def test_formats_a_terminal_cannot_draw_keep_their_label(tmp_path):
    svg = tmp_path / "fig.svg"
    svg.write_text("<svg/>")
    jpeg = tmp_path / "fig.jpg"
    jpeg.write_bytes(b"\xff\xd8\xff")
    assert inline_image(svg, "iterm", 50) is None
    assert inline_image(jpeg, "kitty", 50) is None
    assert inline_image(tmp_path / "missing.png", "kitty", 50) is None
