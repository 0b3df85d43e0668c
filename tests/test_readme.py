"""The README's promises: its card example passes check, CI runs its test command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from flashnotes.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_card_file_example_passes_check(tmp_path):
    section = README.split("### A card file", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "06-rnn.yaml").write_text(example, encoding="utf-8")
    (tmp_path / "My_img").mkdir()
    shutil.copy(REPO / "My_img" / "gru-cell.png", tmp_path / "My_img")
    result = CliRunner().invoke(cli, ["check", "-C", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 4 cards (7 review cards) in 1 deck, 1 image\n"


def test_ci_runs_the_readme_test_command():
    commands = re.search(r"# 2\. install the test extras and run the tests\n(.+)\n", README)
    assert commands is not None
    assert commands.group(1) in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_builds_the_shipped_deck():
    assert "pip install . && flashnotes export deck.apkg" in README
