"""Control characters in what a project ships (issue 9, items 4 and 11): `check` names them.

Anki splits a note's fields at `\\x1f`, shows `\\0` as U+FFFD and silently drops controls
from deck names and tags; an id with a trailing newline is no id.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki_helpers import exported_into_anki, write_project
from click.testing import CliRunner

from flashnotes.cli import cli

CONTROLS = ["\x1f", "\x00", "\x1b", "\x7f", "\x85", "\r", "\x0b"]


def check(root: Path):
    os.chdir(root)
    return CliRunner().invoke(cli, ["check"])


def card_file(root: Path, cards: list[dict], **head) -> Path:
    """A card file as JSON, which YAML reads as flow style: escapes stay escapes."""
    return write_project(root, {"a.yaml": json.dumps({**head, "cards": cards}, indent=1)})


def assert_one_problem(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines == [expected, "1 problem found"]
    assert all(c.isprintable() for c in result.output.replace("\n", ""))


@pytest.mark.parametrize("control", CONTROLS, ids=[f"{ord(c):#04x}" for c in CONTROLS])
@pytest.mark.parametrize(
    "card, key",
    [
        ({"front": "q{}", "back": "a"}, "front"),
        ({"front": "q", "back": "a{}"}, "back"),
        ({"type": "cloze", "text": "{{{{c1::x}}}}{}"}, "text"),
        ({"type": "cloze", "text": "{{{{c1::x}}}}", "back": "b{}"}, "back"),
        ({"type": "typed", "front": "q", "answer": "1{}"}, "answer"),
        ({"front": "q", "back": "a", "source": "6.7{}"}, "source"),
    ],
)
def test_a_control_character_in_any_field_is_named_at_its_line(tmp_path, card, key, control):
    fields = {name: value.format(control) for name, value in card.items()}
    root = card_file(tmp_path / "p", [{"id": "c", **fields}])
    line = json.dumps({"cards": [{"id": "c", **fields}]}, indent=1).splitlines()
    # json.dumps puts each key on its own line, the same lines as in the file.
    number = next(i for i, text in enumerate(line, 1) if f'"{key}"' in text)
    escaped = f"\\x{ord(control):02x}"
    assert_one_problem(
        check(root),
        f"cards/a.yaml:{number}: `{key}` contains the control character {escaped}, "
        "which Anki cannot keep in a note; remove it",
    )


def test_in_a_literal_block_the_line_of_the_character_is_given(tmp_path):
    root = write_project(
        tmp_path / "p",
        {
            "a.yaml": """\
                cards:
                  - id: c
                    front: q
                    back: |
                      line one
                      line two
                    source: "a\\x1fb\\0c"
            """
        },
    )
    assert_one_problem(
        check(root),
        "cards/a.yaml:7: `source` contains the control characters \\x1f, \\x00, "
        "which Anki cannot keep in a note; remove them",
    )


def test_tab_and_newline_are_layout_not_controls(tmp_path):
    root = card_file(
        tmp_path / "p",
        [{"id": "c", "front": "a\tb", "back": "line\nline\n\n```\n\tcode\n```", "source": "x\ty"}],
    )
    result = check(root)
    assert result.exit_code == 0, result.output


def test_export_refuses_what_check_refuses(tmp_path):
    root = card_file(tmp_path / "p", [{"id": "c", "front": "q", "back": "a\x1fb"}])
    out = tmp_path / "deck.apkg"
    result = CliRunner().invoke(cli, ["export", "-C", str(root), str(out)])
    assert result.exit_code == 1
    assert "`back` contains the control character \\x1f" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("tag", ["t\x00x", "t\x01x", "t\x7fx", "t\x9bx"])
def test_tags_with_controls_are_refused(tmp_path, tag):
    root = card_file(tmp_path / "p", [{"id": "c", "front": "q", "back": "a", "tags": [tag]}])
    escaped = f"\\x{ord(tag[1]):02x}"
    assert_one_problem(
        check(root),
        f"cards/a.yaml:8: tag `t{escaped}x` contains the control character {escaped}, "
        "which Anki would drop",
    )


@pytest.mark.parametrize("deck", ["a\nb", "a\tb", "a\x1fb", "a\x00b", "a\x85b"])
def test_deck_names_with_controls_are_refused_in_card_files_and_settings(tmp_path, deck):
    escaped = f"\\x{ord(deck[1]):02x}"
    message = f"deck name `a{escaped}b` contains the control character {escaped}, which Anki drops"
    root = card_file(tmp_path / "p", [{"id": "c", "front": "q", "back": "a"}], deck=deck)
    assert_one_problem(check(root), f"cards/a.yaml:2: {message}")

    (root / "flashnotes.yaml").write_text(json.dumps({"deck": deck}), encoding="utf-8")
    (root / "cards" / "a.yaml").write_text(
        json.dumps({"cards": [{"id": "c", "front": "q", "back": "a"}]})
    )
    assert_one_problem(check(root), f"flashnotes.yaml:1: {message}")


def test_an_id_with_a_trailing_newline_is_refused(tmp_path):
    root = write_project(
        tmp_path / "p", {"a.yaml": 'cards:\n  - id: "abc\\n"\n    front: q\n    back: a\n'}
    )
    assert_one_problem(
        check(root),
        "cards/a.yaml:2: `id` `abc\\x0a` may only use lowercase letters, digits, `-`, `_` and `.`",
    )


def test_a_namespace_with_a_trailing_newline_is_refused(tmp_path):
    root = card_file(tmp_path / "p", [{"id": "c", "front": "q", "back": "a"}])
    (root / "flashnotes.yaml").write_text('namespace: "abc\\n\\x1b"\n', encoding="utf-8")
    result = check(root)
    assert result.exit_code == 1
    assert result.stderr.startswith("flashnotes.yaml:1: namespace `abc\\x0a\\x1b` must be")


def test_a_reference_in_raw_html_cannot_smuggle_a_field_separator_into_anki(tmp_path):
    """`&#31;` is no raw control, so check accepts it; the export keeps it a reference."""
    pytest.importorskip("anki.collection")
    root = card_file(
        tmp_path / "p",
        [{"id": "c", "front": '<span title="x&#31;y">q</span>', "back": "<i>&#x1f;</i>"}],
    )
    assert check(root).exit_code == 0
    with exported_into_anki(root, tmp_path) as col:
        (note_id,) = col.find_notes("")
        note = col.get_note(note_id)
        assert note["Front"] == '<p><span title="x&#31;y">q</span></p>'
        assert note["Back"] == "<p><i>\ufffd</i></p>"  # markdown-it's own replacement
        assert note["Id"] == "c"
