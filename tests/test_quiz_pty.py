"""The quiz on a real (pseudo-)terminal: single keys, no Enter, the terminal restored."""

from __future__ import annotations

import base64
from pathlib import Path

import pexpect
import pytest
from quizkit import FLASHNOTES, PNG, make_project, terminal
from quizkit import log_rows as ratings


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def spawn(command: str, root: Path, **extra_env: str) -> pexpect.spawn:
    return terminal("/bin/sh", ["-c", command], root, **extra_env)


def test_single_keys_without_enter(project):
    child = spawn(f"{FLASHNOTES} quiz; echo EXIT=$?", project)
    child.expect("1/4")
    child.expect("Enter/space: show answer")
    child.send(" ")  # no Enter
    child.expect("3 .*Good.* 10m")
    child.send("o")  # the image: named, and opened or a reason why not
    child.expect(r"opened gru\.png|cannot open images here|could not open gru\.png")
    child.send("3")
    child.expect("2/")
    child.expect("\\[\\.\\.\\.\\]")  # the cloze gap
    child.send("\r")
    child.send("4")
    child.expect("type the answer")
    child.send("１\r")  # typed answers are lines, echoed; full-width digit is fine
    child.expect("correct")
    child.send("u")  # takes back the cloze card's rating
    child.expect("undone")
    child.send("q")
    child.expect("reviewed 1 card")
    child.expect("EXIT=0")
    child.expect(pexpect.EOF)
    assert ratings(project) == [("gru-gates", 3)]


def test_ctrl_c_quits_keeping_ratings_and_restores_the_terminal(project):
    # the shell survives Ctrl-C (a trap, not an ignore, so the quiz gets it) to run stty
    child = spawn(f"trap true INT; {FLASHNOTES} quiz; echo EXIT=$?; stty -a", project)
    child.expect("1/4")
    child.send(" ")
    child.expect("Good")
    child.send("2")
    child.expect("2/")
    child.sendintr()
    child.expect("reviewed 1 card")
    child.expect("EXIT=0")
    child.expect(pexpect.EOF)
    settings = child.before
    assert " icanon" in settings and " echo" in settings
    assert ratings(project) == [("gru-gates", 2)]


def test_images_are_drawn_inline_in_kitty(project):
    child = spawn(f"{FLASHNOTES} quiz; echo EXIT=$?", project, KITTY_WINDOW_ID="1", TMUX="")
    child.expect("1/4")
    child.send(" ")
    # The back shows My_img/gru.png: kitty's graphics protocol carries the PNG itself.
    child.expect_exact("\x1b_Ga=T,f=100,c=60,m=0;" + base64.b64encode(PNG).decode())
    child.send("q")
    child.expect("EXIT=0")


def test_no_inline_images_inside_tmux(project):
    child = spawn(f"{FLASHNOTES} quiz; echo EXIT=$?", project, KITTY_WINDOW_ID="1", TMUX="x")
    child.expect("1/4")
    child.send(" ")
    child.expect("press o to open")
    child.send("q")
    child.expect("EXIT=0")
    assert "\x1b_G" not in child.before
