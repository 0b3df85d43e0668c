"""`check` and `export` never echo a terminal escape from a project (issue 9, item 2):
keys, ids, types, tags, deck names, image paths, the namespace and the export record all
print through the one sanitiser, escaped and visible."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki_helpers import RED, write_project
from click.testing import CliRunner

from flashnotes.cli import cli

# Clipboard write (OSC 52), title change, screen clear, C1 CSI, a bidi override.
ESCAPE = "\x1b]52;c;cHduZWQ=\x07\x1b]0;t\x07\x1b[2J\x9b2J\u202e"


def assert_clean(output: str) -> None:
    for character in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert character not in output
    assert "\\x1b]52;c;cHduZWQ=\\x07" in output  # shown, escaped


def run(root: Path, *args: str):
    os.chdir(root)
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    "where",
    ["key", "type", "tag", "deck", "image", "id", "namespace", "settings deck", "file key"],
)
def test_check_echoes_no_escape(tmp_path, where):
    card = {"id": "c", "front": "q", "back": "a"}
    card_file: dict = {"cards": [card]}
    settings = {"namespace": "ns"}
    if where == "key":
        card[ESCAPE] = "x"
    elif where == "type":
        card["type"] = ESCAPE
    elif where == "tag":
        card["tags"] = [ESCAPE]
    elif where == "deck":
        card_file["deck"] = ESCAPE
    elif where == "image":
        # Raw, `back` itself is refused; as references the path holds the escape.
        encoded = "".join(f"&#{ord(c)};" if ord(c) < 32 or ord(c) > 126 else c for c in ESCAPE)
        card["back"] = f'<img src="My_img/{encoded}.png">'

    elif where == "id":
        card["id"] = ESCAPE
    elif where == "namespace":
        settings["namespace"] = ESCAPE
    elif where == "settings deck":
        settings["deck"] = ESCAPE
    else:
        card_file[ESCAPE] = 1
    root = write_project(
        tmp_path / "p", {"a.yaml": json.dumps(card_file)}, settings=json.dumps(settings)
    )
    result = run(root, "check")
    assert result.exit_code == 1
    assert_clean(result.stdout + result.stderr)


def test_export_echoes_no_escape_from_its_record(tmp_path):
    cards = {
        "a.yaml": json.dumps({"deck": "Sub", "cards": [{"id": "c", "front": "q", "back": "a"}]})
    }
    root = write_project(tmp_path / "p", cards, {"My_img/a.png": RED})
    assert run(root, "export", str(tmp_path / "deck.apkg")).exit_code == 0
    (record_path,) = (root / ".flashnotes").glob("export-record.json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["cards"]["c"]["deck"] = ESCAPE  # the card "moved" from a hostile deck name
    record["cards"]["gone"] = dict(record["cards"]["c"])  # and one "disappeared"
    record_path.write_text(json.dumps(record), encoding="utf-8")
    result = run(root, "export", str(tmp_path / "deck.apkg"))
    assert result.exit_code == 0, result.output
    assert "moved from deck" in result.stdout and "gone from the project" in result.stdout
    assert_clean(result.stdout + result.stderr)

    # An id no card could have (escapes in it) makes the whole record unreadable: rebuilt,
    # with a warning that quotes it escaped.
    record["cards"][f"gone{ESCAPE}"] = dict(record["cards"]["c"])
    record_path.write_text(json.dumps(record), encoding="utf-8")
    result = run(root, "export", str(tmp_path / "deck.apkg"))
    assert result.exit_code == 0, result.output
    assert "is unreadable" in result.stderr and "is not an id" in result.stderr
    assert_clean(result.stdout + result.stderr)
