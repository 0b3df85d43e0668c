"""The export record may come from a clone: every value is checked against what Anki keeps,
and a bad one rebuilds the record with a one-line warning, never a crash or a package that
Anki refuses or mangles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki_helpers import everything_project, import_package
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.deck.export import export_project, record_path

anki_collection = pytest.importorskip("anki.collection")

T0 = 1_750_000_000
LATER = T0 + 100
DAY = 86_400


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = everything_project(tmp_path / "project")
    export_project(root, tmp_path / "first.apkg", now=T0)
    return root


def edit_record(root: Path, edit) -> None:
    path = record_path(root)
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def every_card(field: str, value: object):
    def edit(data: dict) -> None:
        for entry in data["cards"].values():
            entry[field] = value

    return edit


def note_type(field: str, value: object):
    def edit(data: dict) -> None:
        data["note_types"]["note"][field] = value

    return edit


def imported_mods(tmp_path: Path, package: Path) -> tuple[int, set[int]]:
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        log = import_package(col, package)
        notes = [col.get_note(note_id) for note_id in col.find_notes("")]
        return len(log.new), {note.mod for note in notes}
    finally:
        col.close()


BAD_RECORDS = {
    "mod 2^63": every_card("mod", 2**63),
    "mod 2^63-1": every_card("mod", 2**63 - 1),
    "mod 2^53 (Anki keeps 0)": every_card("mod", 2**53),
    "mod 2^32 (Anki keeps 0)": every_card("mod", 2**32),
    "mod negative": every_card("mod", -5),
    "mod zero": every_card("mod", 0),
    "mod true": every_card("mod", True),
    "mod text": every_card("mod", "1750000000"),
    "mod fraction": every_card("mod", 1_750_000_000.5),
    "mod null": every_card("mod", None),
    "mod in a year": every_card("mod", T0 + 365 * DAY),
    "hash number": every_card("hash", 7),
    "kind unknown": every_card("kind", "basic\x1b[2J"),
    "deck a list": every_card("deck", ["x"]),
    "card entry a list": lambda data: data["cards"].update({"softmax": [1, 2]}),
    "card id with escapes": lambda data: data["cards"].update(
        {"\x1b]52;c;aGk=\x07": data["cards"]["softmax"]}
    ),
    "card id too long": lambda data: data["cards"].update({"a" * 65: data["cards"]["softmax"]}),
    "note type mod 2^63": note_type("mod", 2**63),
    "note type mod negative": note_type("mod", -1),
    "note type mod false": note_type("mod", False),
    "note types a list": lambda data: data.update({"note_types": []}),
    "note type of another kind": lambda data: data["note_types"].update(
        {"image": {"hash": "x", "mod": T0}}
    ),
    "cards a list": lambda data: data.update({"cards": []}),
    "format a list": lambda data: data.update({"format": [1]}),
}


@pytest.mark.parametrize("edit", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_value_rebuilds_the_record_and_anki_imports_every_note_as_is(
    project, tmp_path, edit
):
    edit_record(project, edit)
    package = tmp_path / "deck.apkg"
    summary = export_project(project, package, now=LATER)
    assert len(summary.warnings) == 1
    assert "export-record.json is unreadable" in summary.warnings[0]
    assert "rebuilding it" in summary.warnings[0]
    new, mods = imported_mods(tmp_path, package)
    assert new == 6 and mods == {LATER}  # every note stamped with this export's time
    record = json.loads(record_path(project).read_text(encoding="utf-8"))
    assert {entry["mod"] for entry in record["cards"].values()} == {LATER}
    assert all(entry["mod"] == LATER for entry in record["note_types"].values())


def test_the_cli_warns_in_one_line_and_exits_0(project, tmp_path):
    edit_record(project, every_card("mod", 2**63))
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "d.apkg"), "-C", str(project)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "unexpected content (mod" in warnings[0]
    assert "internal error" not in result.output


def test_times_a_recent_export_gave_are_kept(project, tmp_path):
    # a clock set back by a few hours since the last export is not an attack
    edit_record(project, every_card("mod", LATER + DAY - 1))
    package = tmp_path / "deck.apkg"
    summary = export_project(project, package, now=LATER)
    assert summary.warnings == () and len(summary.updated) == 0
    assert imported_mods(tmp_path, package) == (6, {LATER + DAY - 1})
