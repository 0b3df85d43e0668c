"""Hostile sizes in the terminal (issue 9 item 9): a huge field is cut with a message, and
a formula nested past reason is shown as its source, never a RecursionError mid-session.

How long rendering takes is measured in benchmarks/terminal.py, not asserted here.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from quizkit import make_project
from rich.console import Console

from flashnotes.review.terminal import MAX_FIELD, markdown

FLASHNOTES = str(Path(sys.executable).parent / "flashnotes")


def shown(text: str) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(markdown(text))
    return console.file.getvalue()


def test_a_fifty_megabyte_field_is_cut_with_a_message():
    output = shown("长文本 " * 12_500_000)  # 50 million characters
    assert output.count("长文本") <= MAX_FIELD // 4 + 1
    assert "… 49,990,000 more characters not shown" in output.replace("\n", " ")


def test_hostile_markup_is_cut_too():
    for text in ("`" * 50_000, "![" * 50_000, "<img " * 50_000, "$a" * 50_000):
        assert "more characters not shown" in shown(text).replace("\n", " ")


def test_a_cut_field_ends_at_a_line_break_near_the_limit():
    lines = [f"- 第 {number} 行" for number in range(3_000)]
    output = shown("\n".join(lines))
    assert "• 第 1 行" in output
    last = [line for line in output.splitlines() if "第" in line][-1]
    assert last.strip().startswith("•")  # a whole item, not half of one


def test_deep_formulas_in_a_card_show_their_source(tmp_path):
    braces = "{" * 1000 + "x" + "}" * 1000
    fractions = "\\\\frac{" * 400 + "x" + "}{y}" * 400
    cards = f"""\
cards:
  - id: deep
    front: "${braces}$"
    back: "${fractions}$"
"""
    root = make_project(tmp_path / "proj", cards)
    result = subprocess.run(
        [FLASHNOTES, "quiz", "-C", str(root)],
        input="\n3\nq\n",
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHNOTES_NOW": "2026-11-30T09:00:00+00:00", "TZ": "UTC"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "{{{{{{{{{{x}}}}}}}}}}" in result.stdout.replace("\n", "")
    assert "\\frac{\\frac{\\frac{x}{y}}{y}}{y}" in result.stdout.replace("\n", "")
