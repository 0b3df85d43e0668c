"""Whatever text a card holds, a project `check` passes imports whole into real Anki
(issue 9): every note with exactly the fields, tags and deck flashnotes shipped, and
every card flashnotes counts. Hypothesis feeds arbitrary text into every card field."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from anki_helpers import RED, exported_into_anki
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashnotes.deck.fields import card_fields
from flashnotes.deck.render import Renderer
from flashnotes.deck.rendercheck import check_rendering
from flashnotes.project.loader import read_project
from flashnotes.project.media import anki_media_names

pytest.importorskip("anki.collection")

# Pieces of markup that matter to Markdown, HTML, Anki's cloze and field syntax, mixed
# into arbitrary text so the search reaches them often.
SNIPPETS = [
    *("{{c1::", "{{c2::", "{{c500::", "{{c501::", "::", "}}", "{{", "c1", "{{c0::"),
    *("![x](My_img/a.png)", "![x](", "](", "[r]: My_img/a.png", "![y][r]", "![]()"),
    *("<img src=My_img/a.png>", "<img ", "src=", "<", ">", "&", "&#31;", "&#123;", "&amp;"),
    *("`", "```", "```python\n", "$", "$$", "\\", "*", "_", "|", "---", "#", "> ", "- "),
    *("\n", "\n\n", "\t", " ", "\u2028", "\ue000", "\ue001", "\ue002", "\u00a0", "\r\n"),
    *("<script>", "</textarea>", "<!--", "-->", "\ufeff", "\u202e", "图", "::b"),
]
# Mostly text without control characters, which check refuses (tests of their own).
printable = st.characters(blacklist_categories=("Cs", "Cc"))
words = st.text(printable, max_size=6)
pieces = st.lists(st.one_of(words, st.sampled_from(SNIPPETS)), max_size=8)
# Mostly after a letter, so that most fields are not empty.
field_text = st.tuples(st.sampled_from(["", "q", "q"]), pieces).map(lambda p: p[0] + "".join(p[1]))
tag_text = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=6
    ),
    st.sampled_from(["a::b", "标签", "A", "a", "x::", "ÿ"]),
)
card_types = st.sampled_from(["basic", "reversed", "typed", "cloze"])


@st.composite
def card_entries(draw, number: int) -> dict:
    kind = draw(card_types)
    card: dict = {"id": f"c{number}", "type": kind}
    if kind == "cloze":
        card["text"] = draw(field_text) + "{{c1::a" + draw(field_text) + "}}" + draw(field_text)
    else:
        card["front"] = draw(field_text)
    if kind != "cloze" or draw(st.booleans()):
        card["back"] = draw(field_text)
    if kind == "typed":
        card["answer"] = "1" + draw(field_text)
    if draw(st.booleans()):
        card["source"] = "s" + draw(field_text)
    if draw(st.booleans()):
        card["tags"] = draw(st.lists(tag_text, max_size=3))
    return card


@st.composite
def card_files(draw, first: int) -> dict:
    count = draw(st.integers(1, 3))
    card_file: dict = {"cards": [draw(card_entries(first + n)) for n in range(count)]}
    if draw(st.booleans()):
        subdeck = st.one_of(st.text(printable, max_size=5), st.sampled_from(["::B", "a", "A"]))
        card_file["deck"] = "Sub" + draw(subdeck)
    return card_file


@st.composite
def projects(draw) -> tuple[dict, list[dict]]:
    files = [draw(card_files(10 * number)) for number in range(draw(st.integers(1, 2)))]
    settings_file = {"namespace": "fuzz", "deck": "Root" + draw(st.text(printable, max_size=5))}
    return settings_file, files


def write(root: Path, settings_file: dict, files: list[dict]) -> None:
    (root / "cards").mkdir(parents=True)
    (root / "My_img").mkdir()
    (root / "My_img" / "a.png").write_bytes(RED)
    dump = {"allow_unicode": True, "sort_keys": False}
    (root / "flashnotes.yaml").write_text(yaml.safe_dump(settings_file, **dump), "utf-8")
    for number, card_file in enumerate(files):
        path = root / "cards" / f"{number}.yaml"
        path.write_text(yaml.safe_dump(card_file, **dump), "utf-8")


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(projects())
def test_what_check_passes_imports_whole_into_anki(monkeypatch, project):
    settings_file, files = project
    work = Path(tempfile.mkdtemp())
    monkeypatch.setenv("XDG_CACHE_HOME", str(work / "cache"))
    try:
        root = work / "p"
        write(root, settings_file, files)
        result = read_project(root)  # what `flashnotes check` runs
        if result.problems or check_rendering(result.project):
            return  # check refuses it: nothing to import
        loaded = result.project
        assert loaded is not None
        with exported_into_anki(root, work) as col:
            assert col.note_count() == len(loaded.cards)
            assert col.card_count() == len(loaded.sides)
            renderer = Renderer(anki_media_names(image.relpath for image in loaded.images))
            for card in loaded.cards:
                (note_id,) = col.find_notes(f'"Id:{card.id}"')
                note = col.get_note(note_id)
                assert list(note.fields) == list(card_fields(card, renderer))
                # Anki's tags are case-insensitive; it unifies the case of a shared parent
                # (`A` and `a::0` become `A` and `A::0`).
                assert sorted(tag.lower() for tag in note.tags) == sorted(
                    tag.lower() for tag in card.tags
                )
                decks = {col.decks.name(anki_card.did) for anki_card in note.cards()}
                assert decks == {card.deck}
                assert len(note.cards()) == len(card.sides)
    finally:
        shutil.rmtree(work, ignore_errors=True)
