"""`flashnotes sync` into real Anki collections (the `anki` library) in temporary folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from anki_helpers import import_package
from synckit import GREEN, RED, edit, files, new_collection, opened, small_project, sync

from flashnotes.deck import apkg
from flashnotes.deck.export import export_project

anki_collection = pytest.importorskip("anki.collection")

NOTE_TYPE = "flashnotes basic/reversed/typed"
CLOZE_TYPE = "flashnotes cloze"


@pytest.fixture
def root(tmp_path):
    return small_project(tmp_path / "project")


@pytest.fixture
def collection(tmp_path):
    return new_collection(tmp_path / "anki")


def cards_file(root: Path) -> Path:
    return root / "cards" / "01-basics.yaml"


def note_of(col, card_id: str):
    (note_id,) = col.find_notes(f"Id:{card_id}")
    return col.get_note(note_id)


def review(col, card_id: str, ord_: int = 0) -> int:
    """Answer one card Good in Anki; returns its card id."""
    card = next(card for card in note_of(col, card_id).cards() if card.ord == ord_)
    card.start_timer()
    col.sched.answerCard(card, 3)
    return card.id


def test_first_sync_writes_notes_cards_decks_tags_and_media(root, collection):
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output and "1 image written" in result.output
    with opened(collection) as col:
        assert len(col.find_notes(f'"note:{NOTE_TYPE}"')) == 2
        assert len(col.find_notes(f'"note:{CLOZE_TYPE}"')) == 1
        assert len(col.find_cards(f'"note:{NOTE_TYPE}"')) == 3  # basic 1 + reversed 2
        assert len(col.find_cards(f'"note:{CLOZE_TYPE}"')) == 2
        assert col.models.by_name(NOTE_TYPE)["id"] == apkg.NOTE_MODEL_ID
        assert col.models.by_name(CLOZE_TYPE)["id"] == apkg.CLOZE_MODEL_ID
        note = note_of(col, "softmax")
        assert note.guid == apkg.note_guid("test-ns", "softmax", "note")
        assert note.tags == ["ch01", "softmax"]
        assert col.decks.name(note.cards()[0].did) == "Test Deck::01 Basics"
        assert 'src="my_img_fig.png"' in note["Back"]
        assert (Path(col.media.dir()) / "my_img_fig.png").read_bytes() == RED
        assert col.fix_integrity()[1]
    assert list((collection.parent / "backups").glob("*.colpkg"))


def test_a_second_sync_with_nothing_changed_writes_nothing(root, collection):
    assert sync(root, collection).exit_code == 0
    before = files(collection.parent)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert files(collection.parent) == before


def test_a_collection_that_imported_the_exported_package_is_adopted(root, collection, tmp_path):
    export_project(root, tmp_path / "deck.apkg")
    with opened(collection) as col:
        import_package(col, tmp_path / "deck.apkg")
        reviewed = review(col, "softmax")
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    # every note, note type and image matches; the review made in Anki joins the quiz
    assert "0 added, 0 updated" in result.output
    assert "1 review from Anki into the quiz" in result.output
    with opened(collection) as col:
        assert col.note_count() == 3
        assert col.db.scalar("select count() from revlog where cid = ?", reviewed) == 1


def test_edit_move_and_type_switches_keep_the_history_of_continuing_cards(root, collection):
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        softmax = review(col, "softmax")
        forward = review(col, "ordereddict", 0)
        c1 = review(col, "dropout-rates", 0)
    path = cards_file(root)
    edit(path, "Probabilities.", "Probabilities that sum to one.")
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  - id: ordereddict"), text.index("  - id: dropout-rates")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(path, "type: cloze\n    text: Dropout", "type: basic\n    front: Dropout")
    edit(path, "{{c1::smaller}}, e.g. {{c2::0.2}}.", "what?\n    back: smaller")
    (root / "cards" / "02-moved.yaml").write_text(
        "deck: 02 Moved\ncards:\n  - id: ordereddict\n    type: cloze\n"
        '    text: "`OrderedDict` is a {{c1::dict that keeps insertion order}}"\n',
        encoding="utf-8",
    )
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "2 retyped" in result.output
    assert "full sync" in result.output  # said before it happens
    with opened(collection) as col:
        note = note_of(col, "softmax")
        assert "sum to one" in note["Back"] and note.cards()[0].id == softmax
        assert col.db.scalar("select count() from revlog where cid = ?", softmax) == 1
        # reversed -> cloze: the forward card continues as c1; the reverse card is gone
        note = note_of(col, "ordereddict")
        assert note.note_type()["name"] == CLOZE_TYPE
        assert note.guid == apkg.note_guid("test-ns", "ordereddict", "cloze")
        assert [(card.id, card.ord) for card in note.cards()] == [(forward, 0)]
        assert col.decks.name(note.cards()[0].did) == "Test Deck::02 Moved"
        assert col.db.scalar("select count() from revlog where cid = ?", forward) == 1
        # cloze -> basic: c1 continues as the front->back card, c2 is gone
        note = note_of(col, "dropout-rates")
        assert note.note_type()["name"] == NOTE_TYPE
        assert note.guid == apkg.note_guid("test-ns", "dropout-rates", "note")
        assert [(card.id, card.ord) for card in note.cards()] == [(c1, 0)]
        assert col.db.scalar("select count() from revlog where cid = ?", c1) == 1
        assert col.note_count() == 3
        assert col.fix_integrity()[1]
        assert col.db.scalar("select count() from cards") == 3
    assert "nothing to do" in sync(root, collection).output


def test_basic_reversed_typed_switch_in_place(root, collection):
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        forward = review(col, "ordereddict", 0)
    edit(cards_file(root), "type: reversed", "type: typed\n    answer: OrderedDict")
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        note = note_of(col, "ordereddict")
        assert [(card.id, card.ord) for card in note.cards()] == [(forward, 0)]  # no empty card
        assert note["Answer"] == "OrderedDict"
    edit(cards_file(root), "type: typed\n    answer: OrderedDict", "type: reversed")
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        cards = note_of(col, "ordereddict").cards()
        assert [card.ord for card in cards] == [0, 1] and cards[0].id == forward
        assert col.fix_integrity()[1]


def test_missing_notes_are_listed_and_deleted_only_when_asked(root, collection):
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        own = col.new_note(col.models.by_name(NOTE_TYPE))
        own["Front"], own["Back"], own["Id"] = "mine", "mine", "softmax-copy"
        col.add_note(own, col.decks.id("Test Deck::01 Basics"))
    text = cards_file(root).read_text(encoding="utf-8")
    cards_file(root).write_text(text[: text.index("  - id: dropout-rates")], encoding="utf-8")
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "kept in Anki (--delete-missing deletes them): dropout-rates" in result.output
    with opened(collection) as col:
        assert col.find_notes("Id:dropout-rates")
    result = sync(root, collection, "--delete-missing")
    assert result.exit_code == 0, result.output
    with opened(collection) as col:
        assert not col.find_notes("Id:dropout-rates")
        assert col.get_note(own.id)["Front"] == "mine"  # not ours: never touched
        assert col.note_count() == 3


def test_an_edit_made_in_anki_survives_unless_forced(root, collection):
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        note = note_of(col, "softmax")
        note["Front"] = "edited in Anki"
        col.update_note(note)
    edit(cards_file(root), "What does softmax", "What, exactly, does softmax")
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "edited in Anki since the last sync" in result.output and "softmax" in result.output
    with opened(collection) as col:
        assert note_of(col, "softmax")["Front"] == "edited in Anki"
    assert sync(root, collection).output.count("edited in Anki") == 1  # still reported
    result = sync(root, collection, "--force")
    assert result.exit_code == 0, result.output
    with opened(collection) as col:
        assert "exactly" in note_of(col, "softmax")["Front"]


def test_an_edit_made_in_anki_is_kept_when_the_collection_is_named_through_a_link(
    root, collection, tmp_path
):
    """One collection, one record: a profile folder reached through a symbolic link (a
    synced or moved Anki folder) must not look like a collection never synced before."""
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        note = note_of(col, "softmax")
        note["Front"] = "edited in Anki"
        col.update_note(note)
    link = tmp_path / "linked-profile"
    link.symlink_to(collection.parent, target_is_directory=True)
    result = sync(root, link / collection.name)
    assert result.exit_code == 0, result.output
    assert "edited in Anki since the last sync" in result.output and "softmax" in result.output
    with opened(collection) as col:
        assert note_of(col, "softmax")["Front"] == "edited in Anki"


def test_dry_run_leaves_the_collection_bytes_unchanged(root, collection):
    before = files(collection.parent)
    result = sync(root, collection, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output and "3 added" in result.output
    assert files(collection.parent) == before


def test_a_changed_image_replaces_the_old_bytes(root, collection):
    assert sync(root, collection).exit_code == 0
    (root / "My_img" / "Fig.png").write_bytes(GREEN)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "1 image written" in result.output
    with opened(collection) as col:
        assert (Path(col.media.dir()) / "my_img_fig.png").read_bytes() == GREEN
        assert 'src="my_img_fig.png"' in note_of(col, "softmax")["Back"]


def test_a_collection_open_elsewhere_is_refused_and_left_unchanged(root, collection):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, anki.collection as a; c = a.Collection(sys.argv[1]);"
            " print('open', flush=True); sys.stdin.read()",
            str(collection),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = files(collection.parent)
        for args in ((), ("--dry-run",)):
            result = sync(root, collection, *args)
            assert result.exit_code == 1
            assert "open in Anki" in result.output and "Traceback" not in result.output
        assert files(collection.parent) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_library_failure_midway_leaves_the_collection_consistent(root, collection, monkeypatch):
    assert sync(root, collection).exit_code == 0
    edit(cards_file(root), "What does softmax", "What, exactly, does softmax")
    edit(cards_file(root), "deck: 01 Basics", "deck: 03 Elsewhere")
    with opened(collection) as col:
        notes_before = col.db.all("select id, guid, mid, flds, tags from notes order by id")
        cards_before = col.db.all("select id, nid, ord, did from cards order by id")

    def broken_set_deck(self, card_ids, deck_id):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(anki_collection.Collection, "set_deck", broken_set_deck)
    result = sync(root, collection)
    assert result.exit_code == 1
    assert "sync stopped" in result.output and "as they were" in result.output
    monkeypatch.undo()
    with opened(collection) as col:
        assert col.db.all("select id, guid, mid, flds, tags from notes order by id") == notes_before
        assert col.db.all("select id, nid, ord, did from cards order by id") == cards_before
        assert col.fix_integrity()[1]
    result = sync(root, collection)
    assert result.exit_code == 0 and "1 updated" in result.output and "3 moved" in result.output


def test_finding_the_collection(root, tmp_path, monkeypatch):
    base = tmp_path / "Anki2"
    monkeypatch.setenv("ANKI_BASE", str(base))
    from click.testing import CliRunner

    from flashnotes.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, ["sync", "-C", str(root), "--dry-run", *args])

    assert run().exit_code == 1 and "no Anki profile" in run().output
    new_collection(base / "User 1")
    assert "3 added" in run().output  # the one profile
    new_collection(base / "Other")
    result = run()
    assert result.exit_code == 1 and "--profile" in result.output
    assert run("--profile", "Other").exit_code == 0
    assert "no Anki profile `Nope`" in run("--profile", "Nope").output
    missing = tmp_path / "missing" / "collection.anki2"
    result = run("--collection", str(missing))
    assert result.exit_code == 1 and "no such collection" in result.output
    assert not missing.parent.exists()  # Anki's library would have made one
    (tmp_path / "not.anki2").write_text("hello", encoding="utf-8")
    result = run("--collection", str(tmp_path / "not.anki2"))
    assert result.exit_code == 1 and "not an Anki collection" in result.output


def test_without_the_anki_library_sync_says_how_to_install_it(root, collection, monkeypatch):
    monkeypatch.setitem(sys.modules, "anki", None)
    result = sync(root, collection)
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == "flashnotes sync needs Anki's library: pip install 'flashnotes[anki]'"
    )


def test_a_change_made_only_in_anki_is_seen_by_the_next_sync(root, collection):
    assert sync(root, collection).exit_code == 0
    assert "nothing to do" in sync(root, collection).output  # the quiet path
    with opened(collection) as col:
        col.remove_notes([note_of(col, "softmax").id])
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    (collection.parent / "collection.media" / "my_img_fig.png").write_bytes(GREEN)
    result = sync(root, collection)
    assert "1 image written" in result.output
    with opened(collection) as col:
        assert (Path(col.media.dir()) / "my_img_fig.png").read_bytes() == RED


def test_note_types_changed_in_anki_are_updated_in_place(root, collection):
    assert sync(root, collection).exit_code == 0
    with opened(collection) as col:
        notetype = col.models.get(apkg.NOTE_MODEL_ID)
        notetype["css"] = ".card { color: hotpink; }"
        notetype["tmpls"][0]["qfmt"] = "{{Front}} (edited)"
        col.models.update_dict(notetype)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "1 note type written" in result.output and "0 updated" in result.output
    with opened(collection) as col:
        notetype = col.models.get(apkg.NOTE_MODEL_ID)
        assert notetype["css"] == apkg.note_types()["note"].definition["css"]
        assert "(edited)" not in notetype["tmpls"][0]["qfmt"]
        assert col.note_count() == 3 and col.fix_integrity()[1]
    assert "nothing to do" in sync(root, collection).output


def test_a_note_whose_identity_another_note_type_holds_is_left_alone(root, collection):
    with opened(collection) as col:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "mine", "mine"
        note.guid = apkg.note_guid("test-ns", "softmax", "note")
        col.add_note(note, 1)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "left alone: softmax" in result.output and "2 added" in result.output
    with opened(collection) as col:
        assert col.get_note(note.id)["Front"] == "mine"
