"""`flashnotes add-ids` on awkward layouts: only the id lines are new, every other byte stays.

Each case writes a card file as raw bytes, runs add-ids, and compares the file with the
same bytes plus the ids add-ids printed, inserted where a user would have typed them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashnotes.cli import cli

PRINTED = re.compile(r"^(?P<path>\S+):(?P<line>\d+): id: (?P<id>\S+)$")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "cards").mkdir()
    (tmp_path / "flashnotes.yaml").write_bytes(b"namespace: layouts\n")
    return tmp_path


def add_ids(root: Path):
    os.chdir(root)
    return CliRunner().invoke(cli, ["add-ids"])


def printed_ids(output: str) -> list[tuple[str, int, str]]:
    """(path, line, id) for every id line add-ids printed, in order."""
    found = []
    for line in output.splitlines()[:-1]:
        match = PRINTED.match(line)
        assert match, line
        found.append((match["path"], int(match["line"]), match["id"]))
    assert output.splitlines()[-1] == f"wrote {len(found)} id{'s' if len(found) != 1 else ''}"
    return found


def fill(template: bytes, ids: list[tuple[str, int, str]]) -> bytes:
    """The template with `{0}`, `{1}`... replaced by the printed ids, in order."""
    for index, (_, _, card_id) in enumerate(ids):
        template = template.replace(b"{%d}" % index, card_id.encode())
    return template


LAYOUTS = {
    "crlf_and_bom": (
        b"\xef\xbb\xbfdeck: \xe6\xb5\x8b\xe8\xaf\x95\r\ncards:\r\n"
        b"  - front: CRLF one\r\n    back: a\r\n"
        b"  - front: CRLF two\r\n    back: b\r\n",
        b"\xef\xbb\xbfdeck: \xe6\xb5\x8b\xe8\xaf\x95\r\ncards:\r\n"
        b"  - id: {0}\r\n    front: CRLF one\r\n    back: a\r\n"
        b"  - id: {1}\r\n    front: CRLF two\r\n    back: b\r\n",
        [3, 6],
    ),
    "dash_at_column_zero_and_wide_indent": (
        b"cards:\n- front: zero column\n  back: a\n"
        b"-     front: wide indent\n      back: b\n",
        b"cards:\n- id: {0}\n  front: zero column\n  back: a\n"
        b"-     id: {1}\n      front: wide indent\n      back: b\n",
        [2, 5],
    ),
    "dash_alone_on_its_line": (
        b"cards:\n  -\n    # a comment first\n    front: alone\n    back: a\n",
        b"cards:\n  -\n    # a comment first\n    id: {0}\n    front: alone\n    back: a\n",
        [4],
    ),
    "flow_list_two_cards_on_one_line": (
        b"cards: [{front: flow one, back: a}, {front: flow two, back: b}]\n",
        b"cards: [{id: {0}, front: flow one, back: a}, {id: {1}, front: flow two, back: b}]\n",
        [1, 1],
    ),
    "flow_card_in_block_list": (
        b"cards:\n  - {front: flow in block,\n     back: a}   # kept\n",
        b"cards:\n  - {id: {0}, front: flow in block,\n     back: a}   # kept\n",
        [2],
    ),
    "line_separators_in_an_earlier_card": (
        'cards:\n  - id: first\n    front: "one\u2028two\u2029three\x85four 😀"\n    back: a\n'
        "  - front: after separators\n    back: b\n".encode(),
        'cards:\n  - id: first\n    front: "one\u2028two\u2029three\x85four 😀"\n    back: a\n'
        "  - id: {0}\n    front: after separators\n    back: b\n".encode(),
        [5],
    ),
    "long_lines_escapes_and_quotes": (
        b"cards:\n  - front: '" + b"x" * 5000 + b" it''s long'\n"
        b'    back: "\\u00e9\\t\\x41 \\"quoted\\""\n    source: >-\n      folded\n      text\n',
        b"cards:\n  - id: {0}\n    front: '" + b"x" * 5000 + b" it''s long'\n"
        b'    back: "\\u00e9\\t\\x41 \\"quoted\\""\n    source: >-\n      folded\n      text\n',
        [2],
    ),
    "no_final_newline": (
        b"cards:\n  - front: last line\n    back: no newline",
        b"cards:\n  - id: {0}\n    front: last line\n    back: no newline",
        [2],
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_only_the_id_lines_are_new(root, layout):
    before, template, lines = LAYOUTS[layout]
    path = root / "cards" / "a.yaml"
    path.write_bytes(before)
    result = add_ids(root)
    assert result.exit_code == 0, result.output
    ids = printed_ids(result.stdout)
    assert [line for _, line, _ in ids] == lines
    assert {printed for printed, _, _ in ids} == {"cards/a.yaml"}
    assert len({card_id for _, _, card_id in ids}) == len(ids)
    assert path.read_bytes() == fill(template, ids)
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0


def test_mode_symlink_and_hard_links_survive(root):
    text = b"cards:\n  - front: linked\n    back: a\n"
    real = root / "notes" / "real.yaml"
    real.parent.mkdir()
    real.write_bytes(text)
    real.chmod(0o600)
    (root / "cards" / "via-link.yaml").symlink_to("../notes/real.yaml")
    hard = root / "cards" / "hard.yaml"
    hard.write_bytes(text.replace(b"linked", b"hard"))
    os.link(hard, root / "hard-elsewhere.yaml")

    result = add_ids(root)
    assert result.exit_code == 0, result.output
    ids = printed_ids(result.stdout)
    assert [(path, line) for path, line, _ in ids] == [
        ("cards/hard.yaml", 2),
        ("cards/via-link.yaml", 2),
    ]
    assert (root / "cards" / "via-link.yaml").is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert real.read_bytes() == b"cards:\n  - id: %s\n    front: linked\n    back: a\n" % (
        ids[1][2].encode()
    )
    assert hard.stat().st_nlink == 2
    assert (root / "hard-elsewhere.yaml").read_bytes() == hard.read_bytes()
    assert hard.read_bytes().startswith(b"cards:\n  - id: " + ids[0][2].encode())


def test_a_file_that_cannot_take_its_ids_stops_every_write(root):
    good = root / "cards" / "a.yaml"
    good.write_bytes(b"cards:\n  - front: fine\n    back: a\n")
    aliased = root / "cards" / "b.yaml"
    # The second card is the first one again: one id cannot be written for two cards.
    aliased_text = b"cards:\n  - &card {front: shared, back: b}\n  - *card\n"
    aliased.write_bytes(aliased_text)
    result = add_ids(root)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "cards/b.yaml:2: cannot insert the id here without changing the file otherwise; "
        "add `id: "
    )
    assert len(result.stderr.splitlines()) == 1
    assert good.read_bytes() == b"cards:\n  - front: fine\n    back: a\n"
    assert aliased.read_bytes() == aliased_text
    assert sorted(path.name for path in (root / "cards").iterdir()) == ["a.yaml", "b.yaml"]


def test_duplicate_keys_and_empty_items_elsewhere_do_not_stop_add_ids(root):
    (root / "cards" / "a.yaml").write_bytes(b"cards:\n  - front: first file\n    back: a\n")
    (root / "cards" / "b.yaml").write_bytes(
        b"cards:\n  -\n  - front: dup\n    front: dup again\n    back: b\n"
    )
    result = add_ids(root)
    assert result.exit_code == 0, result.output
    ids = printed_ids(result.stdout)
    assert [(path, line) for path, line, _ in ids] == [("cards/a.yaml", 2), ("cards/b.yaml", 3)]
    assert (root / "cards" / "b.yaml").read_bytes() == (
        b"cards:\n  -\n  - id: %s\n    front: dup\n    front: dup again\n    back: b\n"
        % ids[1][2].encode()
    )


def test_an_id_that_yaml_would_read_as_a_date_is_quoted(root):
    path = root / "cards" / "a.yaml"
    path.write_bytes(b"cards:\n  - front: 2024 01 01\n    back: a\n")
    result = add_ids(root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "cards/a.yaml:2: id: 2024-01-01\nwrote 1 id\n"
    assert path.read_bytes() == (
        b'cards:\n  - id: "2024-01-01"\n    front: 2024 01 01\n    back: a\n'
    )
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0
