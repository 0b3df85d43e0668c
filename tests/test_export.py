"""`flashnotes export`: the command, atomic writing, the build record and the summary."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile

import pytest
from anki_helpers import everything_project, replace_in_card_file
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.deck import apkg
from flashnotes.deck.export import export_project, record_path

T0 = 1_750_000_000.0


@pytest.fixture
def project(tmp_path):
    return everything_project(tmp_path / "project")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_export_command_writes_a_package_and_a_summary(project, tmp_path):
    out = tmp_path / "deck.apkg"
    result = run("export", str(out), "-C", str(project))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {out}: 6 notes, 8 cards, 2 images, 2 decks\n"
        "first export of this project: 6 new notes\n"
    )
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["0", "1", "collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {
            "0": "my_img_fig.png",
            "1": "my_img_sub_fig.png",
        }
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()

    result = run("export", str(out), "-C", str(project))
    assert result.output.splitlines()[1] == "since the last export: 0 new, 0 updated, 6 unchanged"


def test_filters_select_cards_and_only_their_images(project, tmp_path):
    out = tmp_path / "deck.apkg"
    result = run("export", str(out), "-C", str(project), "--deck", "02*")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: 1 note, 1 card, 1 image, 1 deck\n")
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("media")) == {"0": "my_img_sub_fig.png"}

    result = run("export", str(out), "-C", str(project), "--tag", "softmax", "--tag", "images")
    assert result.output.startswith(f"wrote {out}: 2 notes, 2 cards, 2 images, 2 decks\n")


def test_a_filter_that_matches_nothing_is_an_error(project, tmp_path):
    out = tmp_path / "deck.apkg"
    result = run("export", str(out), "-C", str(project), "--tag", "nope", "--deck", "9*")
    assert (result.exit_code, result.output) == (1, "no card matches --tag nope --deck '9*'\n")
    assert not out.exists()


def test_out_must_be_an_apkg_in_an_existing_folder(project, tmp_path):
    result = run("export", str(tmp_path / "deck.zip"), "-C", str(project))
    assert result.exit_code == 2 and "does not end in .apkg" in result.output
    missing = tmp_path / "missing" / "deck.apkg"
    result = run("export", str(missing), "-C", str(project))
    assert (result.exit_code, result.output) == (
        1,
        f"cannot write {missing}: folder {missing.parent} does not exist\n",
    )


def test_a_project_with_errors_writes_nothing(project, tmp_path):
    replace_in_card_file(project / "cards/01-basics.yaml", "front: Define ReLU", "frnt: Define")
    out = tmp_path / "deck.apkg"
    result = run("export", str(out), "-C", str(project))
    assert result.exit_code == 1
    assert result.output.splitlines()[1].endswith(
        "cards/01-basics.yaml:13: unknown key `frnt` in a card; did you mean `front`?"
    )
    assert list(tmp_path.iterdir()) == [project]


def test_a_failing_write_leaves_the_old_package_and_no_temporary_file(
    project, tmp_path, monkeypatch
):
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"the previous package")

    def fail(target, *args, **kwargs):
        target.write(b"half a package")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apkg, "write_package", fail)
    result = run("export", str(out), "-C", str(project))
    assert (result.exit_code, result.output) == (
        1,
        f"cannot write {out}: No space left on device\n",
    )
    assert out.read_bytes() == b"the previous package"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg", "project"]
    assert not record_path(project).exists()  # the record follows only a written package


def test_no_temporary_database_is_left_behind(project, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    export_project(project, tmp_path / "deck.apkg", now=T0)
    assert list(scratch.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg", "project", "scratch"]


def test_mod_times_advance_only_for_edited_notes(project, tmp_path):
    out = tmp_path / "deck.apkg"
    export_project(project, out, now=T0)
    first = _record(project)["cards"]
    assert {entry["mod"] for entry in first.values()} == {int(T0)}

    replace_in_card_file(project / "cards/01-basics.yaml", "Probabilities:", "Probs:")
    summary = export_project(project, out, now=T0 + 100)
    second = _record(project)["cards"]
    assert summary.updated == ("softmax",) and summary.unchanged == 5
    assert second["softmax"]["mod"] == int(T0) + 100
    assert all(second[key]["mod"] == int(T0) for key in second if key != "softmax")
    mods = _note_mods(out)
    assert mods.pop("softmax") == int(T0) + 100
    assert set(mods.values()) == {int(T0)}


def test_changing_an_image_updates_the_notes_that_show_it(project, tmp_path):
    out = tmp_path / "deck.apkg"
    export_project(project, out, now=T0)
    (project / "My_img/fig.png").write_bytes((project / "My_img/sub/fig.png").read_bytes())
    summary = export_project(project, out, now=T0 + 100)
    assert summary.updated == ("softmax",)


def test_disappeared_moved_and_retyped_cards_are_reported(project, tmp_path):
    out = tmp_path / "deck.apkg"
    export_project(project, out, now=T0)
    basics = project / "cards/01-basics.yaml"
    replace_in_card_file(basics, "- id: relu-code", "- id: relu-code-2")
    replace_in_card_file(basics, "deck: 01 Basics", "deck: 01 Basics renamed")
    replace_in_card_file(
        project / "cards/sub/02-images.yaml",
        "front: |\n      Which colour?",
        "type: cloze\n    text: |\n      Which {{c1::colour}}?",
    )
    summary = export_project(project, out, now=T0 + 100)
    lines = summary.lines()
    assert lines[1] == "since the last export: 1 new, 4 updated, 0 unchanged"
    assert summary.new == ("relu-code-2",)
    assert summary.retyped == ("blue-figure",)
    assert [move.card_id for move in summary.moved] == [
        "softmax",
        "ordereddict",
        "perplexity-best",
        "dropout-rates",
    ]
    assert lines[-2] == "1 card gone from the project: relu-code"
    assert lines[-1] == (
        'Anki never deletes notes on import: to remove them, search "Id:relu-code" '
        "in Anki's browser and delete the notes there"
    )
    assert "moved from deck `Test Deck::01 Basics` to `Test Deck::01 Basics renamed`" in lines[2]
    # reported once: the record forgets cards that are gone
    assert export_project(project, out, now=T0 + 200).disappeared == ()


def test_a_corrupt_record_is_rebuilt_with_a_warning(project, tmp_path):
    out = tmp_path / "deck.apkg"
    export_project(project, out, now=T0)
    record_path(project).write_text("{not json", encoding="utf-8")
    result = run("export", str(out), "-C", str(project))
    assert result.exit_code == 0
    assert "export-record.json is unreadable" in result.output
    assert json.loads(record_path(project).read_text())["format"] == 1


def test_guids_depend_on_namespace_and_id_only():
    assert apkg.note_guid("ns", "card", "note") == apkg.note_guid("ns", "card", "note")
    assert apkg.note_guid("ns", "card", "note") != apkg.note_guid("other", "card", "note")
    assert apkg.note_guid("ns", "card", "note") != apkg.note_guid("ns", "card", "cloze")
    assert apkg.note_guid("a__b", "c", "note") != apkg.note_guid("a", "b__c", "note")


def test_the_cli_does_not_load_export_libraries_at_start_up():
    import subprocess
    import sys

    heavy = "('genanki', 'pygments', 'nh3', 'markdown_it')"
    code = f"import flashnotes.cli, sys; print([m for m in {heavy} if m in sys.modules])"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def _record(root):
    return json.loads(record_path(root).read_text(encoding="utf-8"))


def _note_mods(package):
    import sqlite3

    with zipfile.ZipFile(package) as archive, tempfile.TemporaryDirectory() as scratch:
        path = archive.extract("collection.anki2", scratch)
        connection = sqlite3.connect(path)
        rows = connection.execute("select flds, mod from notes").fetchall()
        connection.close()
    return {fields.split("\x1f")[-1]: mod for fields, mod in rows}  # Id is the last field


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
