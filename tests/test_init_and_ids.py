"""`flashnotes init`, `add-ids`, `schema`, and the CLI's handling of the unexpected."""

from __future__ import annotations

import json
import os
import textwrap

import yaml
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.project.ids import propose_id


def test_init_creates_a_project_that_passes_check(tmp_path):
    target = tmp_path / "我的笔记"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "cards" / "example.yaml").is_file()
    assert (target / "My_img" / "sigmoid.svg").is_file()
    assert ".flashnotes/" in (target / ".gitignore").read_text()
    settings = yaml.safe_load((target / "flashnotes.yaml").read_text(encoding="utf-8"))
    assert settings["deck"] == "我的笔记"
    assert settings["namespace"].startswith("notes-")
    checked = CliRunner().invoke(cli, ["check", "-C", str(target)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "ok: 4 cards (7 review cards) in 1 deck, 1 image\n"


def test_init_gives_each_project_its_own_namespace(tmp_path):
    for name in ("a", "b"):
        assert CliRunner().invoke(cli, ["init", str(tmp_path / name)]).exit_code == 0
    namespaces = {
        yaml.safe_load((tmp_path / name / "flashnotes.yaml").read_text())["namespace"]
        for name in ("a", "b")
    }
    assert len(namespaces) == 2


def test_init_refuses_an_existing_project(tmp_path):
    (tmp_path / "cards").mkdir()
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert not (tmp_path / "flashnotes.yaml").exists()


def test_proposed_ids_are_slugs_and_unique():
    assert propose_id("What does the GRU reset gate capture?", set()) == "what-does-the-gru-reset"
    assert propose_id("What does the GRU reset gate capture?", {"what-does-the-gru-reset"}) == (
        "what-does-the-gru-reset-2"
    )
    chinese = propose_id("GRU 的重置门有助于捕捉什么？", set())
    assert chinese.startswith("gru-") and len(chinese) == len("gru-") + 6
    assert propose_id("什么是困惑度？", set()).startswith("card-")


def test_add_ids_writes_ids_and_keeps_comments_and_layout(project):
    original = textwrap.dedent(
        """\
        # my RNN notes
        deck: 06 RNN   # the subdeck
        cards:
          # the gates
          - front: What does the GRU reset gate capture?
            back: short-term dependencies   # see 6.7
            tags: [gru]
          - id: kept
            front: q
            back: a
          - type: cloze
            text: "LSTM has {{c1::three}} gates"
        """
    )
    path = project.cards("rnn.yaml", original)
    os.chdir(project.root)
    before = CliRunner().invoke(cli, ["check"])
    assert before.exit_code == 1
    result = CliRunner().invoke(cli, ["add-ids"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "cards/rnn.yaml:5: id: what-does-the-gru-reset",
        "cards/rnn.yaml:12: id: lstm-has-three-gates",
        "wrote 2 ids",
    ]
    assert path.read_text(encoding="utf-8") == textwrap.dedent(
        """\
        # my RNN notes
        deck: 06 RNN   # the subdeck
        cards:
          # the gates
          - id: what-does-the-gru-reset
            front: What does the GRU reset gate capture?
            back: short-term dependencies   # see 6.7
            tags: [gru]
          - id: kept
            front: q
            back: a
          - id: lstm-has-three-gates
            type: cloze
            text: "LSTM has {{c1::three}} gates"
        """
    )
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0
    again = CliRunner().invoke(cli, ["add-ids"])
    assert again.stdout == "every card has an id\n"


def test_schema_prints_valid_json_schema():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["cards"]["items"] == {"$ref": "#/$defs/card"}
    assert set(schema["$defs"]["card"]["properties"]) == {
        "id",
        "type",
        "front",
        "back",
        "text",
        "answer",
        "tags",
        "source",
        "lint",
    }


def test_every_command_has_help_text():
    for name, command in cli.commands.items():
        assert command.help, f"`flashnotes {name}` has no help text"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["chek"])
    assert result.exit_code == 2


def test_internal_error_is_one_line_without_traceback(project, monkeypatch):
    project.cards("a.yaml", "cards: []\n")

    def explode(root):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("flashnotes.project.loader.read_project", explode)
    result = CliRunner().invoke(cli, ["check", "-C", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr.startswith("flashnotes: internal error (ZeroDivisionError: boom)")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert "github.com" not in result.stderr  # no made-up place to report to
