"""Terminal escapes from a shared project never reach the learner's terminal (issue 9 item 2).

`check` refuses control characters written into card files, so what can still reach the
quiz is what check lets through: bidi overrides and zero-width characters written
directly, and every family written as a Markdown character reference (`&#x202e;`), which
the Markdown parser decodes. Both are shown escaped, on a pipe and on a pty. The renderer
itself is tested with every family written directly too.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner
from quizkit import PNG, make_project

from flashnotes.cli import cli
from flashnotes.review.console import terminal_console
from flashnotes.review.terminal import emit, markdown

FLASHNOTES = str(Path(sys.executable).parent / "flashnotes")
NOW = "2026-11-30T09:00:00+00:00"

FAMILIES = {
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "title": "\x1b]0;pwned\x1b\\",
    "screen-clear": "\x1b[2J\x1bc",
    "c1-csi-osc": "\x9b31m\x9d0;t\x9c",
    "nul": "\x00",
    "del": "\x7f",
    "bidi-override": "\u202e\u2066",
    "zero-width": "\u200b\u2060\ufeff",
}
# What may never be printed: C0 but tab/newline, DEL, C1, bidi controls, zero-width marks.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
# What rich itself writes on a terminal: colours and styles, clearing the screen, the cursor.
RICH_OWN = re.compile(r"\x1b\[[0-9;?]*[mJHKhl]")


def unsafe_in(output: str) -> list[str]:
    return UNSAFE.findall(RICH_OWN.sub("", output))


def as_reference(text: str) -> str:
    return "".join(f"&#x{ord(char):x};" for char in text)


def rendered(text: str, *, terminal: bool) -> str:
    out = io.StringIO()
    console = terminal_console(file=out, width=80, force_terminal=terminal)
    emit(console, markdown(text, lambda path: f"[image: {path}]"))
    return out.getvalue()


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_every_family_in_every_place_of_a_field_is_shown_escaped(family, terminal):
    payload = FAMILIES[family]
    places = [
        f"text {payload} **bold {payload}**",
        f"# heading {payload}",
        f"`code {payload}`",
        f"```{payload}\ncode {payload}\n```",
        f"[link {payload}](https://example.org/{payload})",
        f"![alt {payload}](My_img/{payload}.png)",
        f"<img src='My_img/{payload}.png'>",
        f"$x_{payload}$ and $$y^{payload}$$",
        f"| a {payload} |\n|---|\n| b {payload} |",
        f"- item {payload}\n- {as_reference(payload)}",
        f"entity {as_reference(payload)} in text",
    ]
    for place in places:
        output = rendered(place, terminal=terminal)
        assert unsafe_in(output) == [], (place, output)
        if not terminal:
            assert "\x1b" not in output
    assert "\\x" in rendered(f"a {payload}", terminal=terminal) or "\\u" in rendered(
        f"a {payload}", terminal=terminal
    )


def test_the_console_escapes_what_a_caller_forgot_to_clean():
    from rich.text import Text

    out = io.StringIO()
    console = terminal_console(file=out, width=80, force_terminal=True)
    console.print(Text("deck \x1b]52;c;aGk=\x07 \u202e"), style="bold")
    console.clear()  # rich's own control output stays
    output = out.getvalue()
    assert unsafe_in(output) == []
    assert "\\x1b]52;c;aGk=" in output and "\\u202e" in output
    assert "\x1b[2J" in output


# -- the quiz, as a learner who cloned a hostile project runs it ---------------------------

HOSTILE = "\u202e\u200b" + as_reference("\x1b]52;c;cm0gLXJmIH4=\x07\u202e")
CARDS = f"""\
deck: "06 RNN\u202e"
cards:
  - id: hostile
    front: "front {HOSTILE} **b**"
    back: |
      back {HOSTILE}

      ![alt {HOSTILE}](My_img/gru.png)
    source: "3.1 {HOSTILE}"
"""


@pytest.fixture
def hostile(tmp_path):
    return make_project(tmp_path / "proj", CARDS, settings="deck: Demo\u200b\n")


def test_check_lets_this_project_through(hostile):
    result = CliRunner().invoke(cli, ["check", "-C", str(hostile)])
    assert result.exit_code == 0, result.output  # so the quiz below really shows it


def test_the_quiz_on_a_pipe_shows_every_escape_escaped(hostile):
    result = subprocess.run(
        [FLASHNOTES, "quiz", "-C", str(hostile)],
        input="\n3\n",
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHNOTES_NOW": NOW, "TZ": "UTC", "COLUMNS": "200"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert unsafe_in(result.stdout + result.stderr) == []
    assert "\x1b" not in result.stdout + result.stderr
    # the parser turns a reference to a control character into U+FFFD; the rest is escaped
    assert "front \\u202e\\u200b\ufffd]52;c;cm0gLXJmIH4=\ufffd\\u202e b" in result.stdout
    assert "source: 3.1 \\u202e" in result.stdout and "06 RNN\\u202e" in result.stdout
    assert "reviewed 1 card" in result.stdout


def test_the_quiz_on_a_pty_shows_every_escape_escaped(hostile):
    env = {**os.environ, "FLASHNOTES_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        FLASHNOTES, ["quiz", "-C", str(hostile)], env=env, encoding="utf-8",
        dimensions=(40, 100), timeout=20,
    )  # fmt: skip
    child.logfile_read = log = io.StringIO()
    child.expect("Enter/space")
    child.send(" ")
    child.expect("source: ")
    child.send("3")
    child.expect("Enter/space")  # the same card again, ten minutes early (learn-ahead)
    child.send("q")
    child.expect(pexpect.EOF)
    output = log.getvalue().replace("\r\n", "\n")  # the pty's line endings
    shown = RICH_OWN.sub("", output)
    assert unsafe_in(output) == [], [c for c in shown if UNSAFE.match(c)]
    assert "\x1b]" not in output and "\x1bc" not in output
    assert "\ufffd]52;c;cm0gLXJmIH4=\ufffd\\u202e" in output


@pytest.mark.parametrize("columns", ["0", "-3", "abc", "", "5"])
def test_any_columns_value_prints_the_card(project_for_columns, columns):
    result = subprocess.run(
        [FLASHNOTES, "quiz", "-C", str(project_for_columns)],
        input="\n3\n",
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHNOTES_NOW": NOW, "TZ": "UTC", "COLUMNS": columns},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "GRU 的重置门" in result.stdout.replace("\n", "")
    assert "reviewed 1 card" in result.stdout
    stats = subprocess.run(
        [FLASHNOTES, "stats", "-C", str(project_for_columns)],
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHNOTES_NOW": NOW, "TZ": "UTC", "COLUMNS": columns},
        timeout=60,
    )
    assert stats.returncode == 0 and "next 7 days" in stats.stdout.replace("\n", " ")


@pytest.fixture
def project_for_columns(tmp_path):
    root = make_project(tmp_path / "plain")
    (root / "My_img" / "gru.png").write_bytes(PNG)
    return root
