"""The quiz on a real (pseudo-)terminal under a shell with job control: Ctrl-Z and `fg`,
and typed answers edited with the cursor keys."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest
from quizkit import FLASHNOTES, make_project, terminal
from quizkit import log_rows as ratings

from flashnotes.review.lineedit import ACCEPT, LineBuffer

LEFT, HOME, DELETE = b"\x1b[D", b"\x1b[H", b"\x1b[3~"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def shell(root: Path) -> pexpect.spawn:
    """An interactive bash (job control on, as a learner's terminal has)."""
    child = terminal(
        "bash", ["--norc", "--noprofile", "-i"], root, PS1="READY$ ", HISTFILE="/dev/null"
    )
    child.expect("READY\\$ ")
    return child


def test_ctrl_z_gives_the_shell_a_normal_terminal_and_fg_comes_back_in_single_keys(project):
    child = shell(project)
    child.sendline(f"{FLASHNOTES} quiz")
    child.expect("1/4")
    child.expect("show answer")
    child.sendcontrol("z")
    child.expect("Stopped")
    child.expect("READY\\$ ")
    child.sendline("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,")
    child.expect("icanon,echo,")  # the shell's terminal is in line mode again
    child.expect("READY\\$ ")
    child.sendline("fg")
    child.expect("1/4")  # the card is drawn again
    child.expect("show answer")
    child.send(" ")  # single keys again, no Enter
    child.expect("Good")
    child.send("3")
    child.expect("2/4")
    child.send("q")
    child.expect("reviewed 1 card")
    child.expect("READY\\$ ")
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert ratings(project) == [("gru-gates", 3)]


def test_a_typed_answer_is_edited_with_cursor_keys_and_backspace(project):
    child = shell(project)
    child.sendline(f"{FLASHNOTES} quiz --deck '*'")
    child.expect("1/4")
    child.send(" ")
    child.send("3")
    child.expect("2/4")
    child.send(" ")
    child.send("3")
    child.expect("type the answer")
    # 中 is two cells wide; the cursor goes back over "1", backspace takes all of 中
    child.send("中1")
    child.send(LEFT.decode())
    child.send("\x7f")
    child.send("\r")
    child.expect("✓ correct")
    assert "you typed" not in child.before
    child.send("u")  # a key again once the answer is given
    child.expect("undone: rating Good of dropout:c1")
    child.expect_exact("\x1b[2J")  # the undone card's fresh screen says it too
    child.expect("undone: rating Good of dropout:c1")
    child.expect("show answer")
    child.send("q")
    child.expect("reviewed 1 card")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_esc_on_a_typed_card_gives_keys_and_ctrl_c_ends_on_its_own_line(project):
    child = shell(project)
    child.sendline(f"{FLASHNOTES} quiz")
    for _ in range(2):
        child.send(" ")
        child.send("3")
    child.expect("type the answer")
    child.send("x")
    child.send("\x1b")
    child.expect("Enter: type the answer")
    child.send("\r")  # back to typing
    child.expect("type the answer")
    child.sendintr()
    child.expect("\r\n[^\r\n]*reviewed 2 cards")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_line_buffer_keys():
    line = LineBuffer()
    for key in (b"a", "中".encode(), b"b"):
        line.press(key)
    assert (line.text, line.cursor) == ("a中b", 3)
    line.press(LEFT)
    line.press(b"\x7f")
    assert (line.text, line.cursor) == ("ab", 1)
    line.press(HOME)
    line.press(DELETE)
    assert (line.text, line.cursor) == ("b", 0)
    line.press(b"\x05")  # Ctrl-E
    line.insert("好 c")
    line.press(b"\x17")  # Ctrl-W: the word before the cursor
    assert line.text == "b好 "
    line.press(b"\x15")  # Ctrl-U
    assert (line.text, line.cursor) == ("", 0)
    line.insert("x\x1b[31my")  # control characters never enter the answer
    assert line.text == "x[31my"
    assert line.press(b"\r") == ACCEPT


def test_line_buffer_draws_the_cursor_in_cells():
    line = LineBuffer("中文ab", 1)
    # after the text, back over 文ab: 2 + 1 + 1 cells
    assert line.render("› ") == "\r› 中文ab\x1b[K\x1b[4D"
    line.press(b"\x05")
    assert line.render("› ") == "\r› 中文ab\x1b[K"


TALL = """\
deck: 长卡
cards:
  - id: tall
    front: 列出二十个激活函数
    back: |
{items}
"""


def test_a_card_taller_than_the_terminal_is_shown_a_page_at_a_time(project):
    items = "\n".join(f"      - 第 {n} 行 line-{n:02d}" for n in range(1, 31))
    make_project(project, TALL.format(items=items))
    child = shell(project)
    child.setwinsize(16, 80)
    child.sendline(f"{FLASHNOTES} quiz")
    child.expect("show answer")
    child.send(" ")
    child.expect("line-05")
    child.expect("— lines 1-14 of 3[0-9] —")
    assert "line-20" not in child.before
    child.send("x")  # not a paging key: nothing moves
    child.send(" ")
    child.expect("line-20")
    child.expect("— lines 15-28 of")
    child.send("b")  # back a page
    child.expect("— lines 1-14 of")
    child.send(" ")
    child.send(" ")
    child.expect("line-30")
    child.expect("Good")  # the last page ends with the ratings
    child.send("3")
    child.expect("show answer")  # again in 10 minutes: learn-ahead brings it back
    child.send("q")
    child.expect("reviewed 1 card")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_a_resize_draws_the_card_again(project):
    child = shell(project)
    child.sendline(f"{FLASHNOTES} quiz")
    child.expect("1/4")
    child.expect("show answer")
    child.setwinsize(24, 60)  # SIGWINCH
    child.expect("1/4")
    child.expect("show answer")
    child.send("q")
    child.expect("reviewed 0 cards")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_a_line_longer_than_the_terminal_scrolls_sideways():
    line = LineBuffer("一二三四五六七八九十abc", 13)
    # 20 columns: the prompt takes 2, one is kept free; the cursor at the end stays visible
    assert line.render("› ", 20) == "\r› 五六七八九十abc\x1b[K"
    line.press(HOME)
    assert line.render("› ", 20) == "\r› 一二三四五六七八\x1b[K\x1b[16D"
