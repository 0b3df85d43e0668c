"""Exported packages imported into a real, fresh Anki collection, as Anki desktop does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki_helpers import (
    EVERYTHING_IMAGES,
    everything_project,
    import_package,
    replace_in_card_file,
    visible_text,
)

from flashnotes.deck import apkg
from flashnotes.deck.export import export_project

anki_collection = pytest.importorskip("anki.collection")
from anki.scheduler.v3 import CardAnswer  # noqa: E402

T0 = 1_750_000_000.0
NOTE_TYPE = "flashnotes basic/reversed/typed"
CLOZE_TYPE = "flashnotes cloze"


@pytest.fixture
def col(tmp_path):
    (tmp_path / "anki").mkdir()
    collection = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield collection
    collection.close()


def note_by_id(col, card_id: str):
    (note_id,) = col.find_notes(f"Id:{card_id}")
    return col.get_note(note_id)


@pytest.fixture
def project(tmp_path):
    return everything_project(tmp_path / "project")


@pytest.fixture
def imported(col, project, tmp_path):
    package = tmp_path / "deck.apkg"
    export_project(project, package, now=T0)
    log = import_package(col, package)
    return col, log


def test_counts_per_type_decks_and_tags(imported):
    col, log = imported
    assert len(log.new) == 6 and not log.updated and not log.conflicting
    assert len(col.find_notes(f'"note:{NOTE_TYPE}"')) == 5
    assert len(col.find_notes(f'"note:{CLOZE_TYPE}"')) == 1
    # basic 1 + relu 1 + reversed 2 + typed 1 + image card 1 = 6; cloze c1, c2 = 2
    assert len(col.find_cards(f'"note:{NOTE_TYPE}"')) == 6
    assert len(col.find_cards(f'"note:{NOTE_TYPE}" card:2')) == 1
    assert len(col.find_cards(f'"note:{CLOZE_TYPE}"')) == 2
    assert sorted(d.name for d in col.decks.all_names_and_ids()) == [
        "Default",
        "Test Deck",
        "Test Deck::01 Basics",
        "Test Deck::02 Images",
        "Test Deck::02 Images::Nested",
    ]
    assert note_by_id(col, "softmax").tags == ["ch01", "softmax"]
    assert note_by_id(col, "blue-figure").tags == ["images"]
    card = note_by_id(col, "blue-figure").cards()[0]
    assert col.decks.name(card.did) == "Test Deck::02 Images::Nested"


def test_every_img_points_at_a_media_file_with_the_right_bytes(imported, project):
    col, _ = imported
    media = Path(col.media.dir())
    sources = {}
    for note_id in col.find_notes("Id:*"):
        for value in col.get_note(note_id).fields:
            sources.update(dict.fromkeys(re.findall(r'<img[^>]*\bsrc="([^"]+)"', value)))
    assert len(sources) == 2  # both fig.png survive, under different names
    expected = {
        "my_img_fig.png": EVERYTHING_IMAGES["My_img/fig.png"],
        "my_img_sub_fig.png": EVERYTHING_IMAGES["My_img/sub/fig.png"],
    }
    assert set(sources) == set(expected)
    for name, data in expected.items():
        assert (media / name).read_bytes() == data
    assert sorted(path.name for path in media.iterdir()) == sorted(expected)


def test_math_and_code_render_as_anki_shows_them(imported):
    col, _ = imported
    answer = note_by_id(col, "softmax").cards()[0].answer()
    assert r"\(\hat{y}_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}\)" in answer
    assert r"\(a_1 * b_2 &lt; c\)" in answer
    code = note_by_id(col, "relu-code").cards()[0].answer()
    assert '<pre class="code tex2jax_ignore"><code><span class="k">def</span>' in code
    assert '<span class="nf">relu</span>' in code
    assert "§ 3.4" in answer and "ch01 softmax" in answer  # source and tags, small


def test_reversed_typed_and_cloze_cards(imported):
    col, _ = imported
    forward, backward = sorted(note_by_id(col, "ordereddict").cards(), key=lambda c: c.ord)
    assert "OrderedDict" in visible_text(forward.question())
    assert "remembers insertion order" not in visible_text(forward.question())
    assert "remembers insertion order" in visible_text(backward.question())
    assert "OrderedDict" not in visible_text(backward.question())

    typed = note_by_id(col, "perplexity-best").cards()
    assert len(typed) == 1
    # pylib leaves the typing box to the reviewer, which replaces this marker on both sides
    assert "[[type:Answer]]" in typed[0].question()
    assert "[[type:Answer]]" in typed[0].answer()

    c1, c2 = sorted(note_by_id(col, "dropout-rates").cards(), key=lambda c: c.ord)
    question = visible_text(c1.question())
    assert "smaller" not in question and "[size]" in question
    assert r"\(p_1 = 0.2\)" in question  # the other deletion is shown
    assert "<strong>smaller</strong>" in c1.answer()
    assert "[...]" in visible_text(c2.question()) and "0.2" not in visible_text(c2.question())


def test_nothing_executable_survives(imported):
    col, _ = imported
    note = note_by_id(col, "blue-figure")
    html = "".join(note.fields) + note.cards()[0].answer()
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "position"):
        assert forbidden not in html.lower()
    assert "Blue." in html and 'style="color:red"' in html


def test_edit_reexport_updates_in_place_and_keeps_history(col, project, tmp_path):
    package = tmp_path / "deck.apkg"
    export_project(project, package, now=T0)
    import_package(col, package)
    card = note_by_id(col, "softmax").cards()[0]
    answer_card(col, card)
    reviewed = col.get_card(card.id)
    assert reviewed.reps == 1

    replace_in_card_file(
        project / "cards/01-basics.yaml", "Probabilities:", "Probabilities (edited):"
    )
    summary = export_project(project, package, now=T0 + 60)
    assert (summary.updated, summary.new, summary.unchanged) == (("softmax",), (), 5)
    log = import_package(col, package)

    assert [n.fields[-1] for n in log.updated] == ["softmax"]
    assert not log.new and not log.conflicting
    assert col.note_count() == 6
    note = note_by_id(col, "softmax")
    assert "Probabilities (edited):" in note["Back"]
    after = col.get_card(card.id)
    assert (after.reps, after.ivl, after.type, after.due) == (
        reviewed.reps,
        reviewed.ivl,
        reviewed.type,
        reviewed.due,
    )
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1


def test_unchanged_reexport_updates_nothing(col, project, tmp_path):
    package = tmp_path / "deck.apkg"
    export_project(project, package, now=T0)
    import_package(col, package)
    export_project(project, package, now=T0 + 3600)
    log = import_package(col, package)
    assert not log.updated and not log.new
    assert col.note_count() == 6


def test_switching_basic_reversed_typed_keeps_the_note_and_history(col, project, tmp_path):
    package = tmp_path / "deck.apkg"
    cards = project / "cards/01-basics.yaml"
    export_project(project, package, now=T0)
    import_package(col, package)
    first = note_by_id(col, "ordereddict").cards()[0]
    answer_card(col, first)

    replace_in_card_file(cards, "type: reversed", "type: basic")
    export_project(project, package, now=T0 + 60)
    log = import_package(col, package)
    assert len(log.updated) == 1 and not log.new and not log.conflicting

    replace_in_card_file(cards, "- id: softmax\n", "- id: softmax\n    type: reversed\n")
    export_project(project, package, now=T0 + 120)
    log = import_package(col, package)
    assert len(log.updated) == 1 and not log.new and not log.conflicting
    assert len(note_by_id(col, "softmax").cards()) == 2  # Anki added the back→front card

    replace_in_card_file(cards, "type: basic", 'type: typed\n    answer: "OrderedDict"')
    export_project(project, package, now=T0 + 180)
    log = import_package(col, package)
    assert len(log.updated) == 1 and not log.conflicting
    assert col.note_count() == 6
    kept = col.get_card(first.id)
    assert kept.reps == 1 and "[[type:Answer]]" in kept.question()


def test_stylesheet_change_updates_the_note_type_in_place(col, project, tmp_path, monkeypatch):
    package = tmp_path / "deck.apkg"
    export_project(project, package, now=T0)
    import_package(col, package)
    types_before = sorted(m["name"] for m in col.models.all())

    original = apkg.note_types()
    changed = {
        kind: apkg.NoteType(
            kind, {**note_type.definition, "css": note_type.definition["css"] + "\n/* v2 */"}
        )
        for kind, note_type in original.items()
    }
    monkeypatch.setattr(apkg, "note_types", lambda: changed)
    export_project(project, package, now=T0 + 60)
    log = import_package(col, package)

    assert not log.new and not log.conflicting
    col.models._clear_cache()  # pylib caches note types; the import ran in the backend
    assert sorted(m["name"] for m in col.models.all()) == types_before
    for model_id in (apkg.NOTE_MODEL_ID, apkg.CLOZE_MODEL_ID):
        assert col.models.get(model_id)["css"].endswith("/* v2 */")
    assert col.note_count() == 6


def test_two_namespaces_with_the_same_ids_both_survive(col, tmp_path):
    first = everything_project(tmp_path / "a", settings="deck: Deck A\nnamespace: project-a\n")
    second = everything_project(tmp_path / "b", settings="deck: Deck B\nnamespace: project-b\n")
    export_project(first, tmp_path / "a.apkg", now=T0)
    export_project(second, tmp_path / "b.apkg", now=T0)
    import_package(col, tmp_path / "a.apkg")
    log = import_package(col, tmp_path / "b.apkg")
    assert len(log.new) == 6
    assert col.note_count() == 12
    assert len(col.find_notes('"deck:Deck A" Id:softmax')) == 1
    assert len(col.find_notes('"deck:Deck B" Id:softmax')) == 1


def answer_card(col, card) -> None:
    """Review a card in Anki ("Good"), as a learner would."""
    col.decks.select(card.did)
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    answer = col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
    col.sched.answer_card(answer)
