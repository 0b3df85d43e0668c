"""What Anki makes of a note depends on its rendered fields (issue 9): `check` names a
front that renders to nothing and a deletion lost in rendering, and text that only looks
like a deletion after rendering (entities, private-use placeholders) never becomes one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki_helpers import exported_into_anki, write_project
from click.testing import CliRunner

from flashnotes.cli import cli

pytest.importorskip("anki.collection")


def project_with(tmp_path: Path, card: dict, settings: str = "deck: D\n") -> Path:
    cards = {"a.yaml": json.dumps({"cards": [{"id": "c", **card}]})}
    return write_project(tmp_path / "p", cards, settings=settings)


def run(root: Path, *args: str):
    os.chdir(root)
    return CliRunner().invoke(cli, list(args))


def anki_cards(tmp_path: Path, root: Path) -> list[int]:
    """The card numbers (1-based ords) real Anki makes of the exported note."""
    with exported_into_anki(root, tmp_path) as col:
        return sorted(col.get_card(card_id).ord + 1 for card_id in col.find_cards(""))


@pytest.mark.parametrize(
    "card, field",
    [
        ({"front": "<!-- only a comment -->", "back": "b"}, "front"),
        ({"front": "<script>x()</script>", "back": "b"}, "front"),
        ({"front": "[x]: https://example.com", "back": "b"}, "front"),
        ({"type": "reversed", "front": "f", "back": "<style>p {}</style>"}, "back"),
    ],
)
def test_a_prompt_that_renders_to_nothing_is_refused(tmp_path, card, field):
    root = project_with(tmp_path, card)
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cards/a.yaml:1: card c: `{field}` shows nothing once rendered for Anki (HTML "
        "comments, scripts and styles are removed; a line `[x]: ...` defines a link), so "
        "Anki would make no card of it",
        "1 problem found",
    ]
    export = run(root, "export", str(tmp_path / "deck.apkg"))
    assert export.exit_code == 1 and not (tmp_path / "deck.apkg").exists()


@pytest.mark.parametrize(
    "text",
    [
        "{{c1::a}} <!-- {{c2::b}} -->",
        "{{c1::a}} <script>{{c2::b}}</script>",
        "{{c1::a}} [link]({{c2::b}})",
        "{{c1::a}} {{c2::b<script>}}",  # the script swallows the deletion's end
        "{{c1::a}}\n\n```python\nx = {{c2::1}}\n```",
    ],
)
def test_a_deletion_lost_in_rendering_is_refused(tmp_path, text):
    root = project_with(tmp_path, {"type": "cloze", "text": text})
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "cards/a.yaml:1: card c: cloze deletion c2 is lost when rendered for Anki (inside a "
        "link, an HTML comment, script or style, or highlighted code)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{c1::a}} &#123;&#123;c70000::x}}",  # entities Markdown decodes
        "{{c1::a}} {&#123;c600::x}}",
        "{{c1::a}} \ue00070000\ue000x\ue002",  # the renderer's own placeholders, forged
        "{{c1::a}} &#xe000;9&#xe000;x&#xe002;",
    ],
)
def test_text_that_only_looks_like_a_deletion_never_becomes_one(tmp_path, text):
    root = project_with(tmp_path, {"type": "cloze", "text": text})
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "(1 review card)" in result.stdout
    assert anki_cards(tmp_path, root) == [1]


def test_deletions_in_code_stay_deletions(tmp_path):
    root = project_with(tmp_path, {"type": "cloze", "text": "{{c1::a}} `{{c2::b}}` $x{{c3::y}}$"})
    assert run(root, "check").exit_code == 0
    assert anki_cards(tmp_path, root) == [1, 2, 3]


def test_deck_names_are_what_anki_stores(tmp_path):
    card_file = {"deck": " 06 RNN :: 门控\u3000", "cards": [{"id": "c", "front": "f", "back": "b"}]}
    root = write_project(
        tmp_path / "p", {"a.yaml": json.dumps(card_file)}, settings="deck: ' Root\u00a0:: A '\n"
    )
    with exported_into_anki(root, tmp_path) as col:
        (card_id,) = col.find_cards("")
        assert col.decks.name(col.get_card(card_id).did) == "Root::A::06 RNN::门控"


@pytest.mark.parametrize("deck", ["Root:", ":Root", "a:::b", "a::b:"])
def test_deck_name_parts_ending_in_a_colon_are_refused(tmp_path, deck):
    root = project_with(tmp_path, {"front": "f", "back": "b"}, settings=json.dumps({"deck": deck}))
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        f"flashnotes.yaml:1: deck name `{deck}` has a part that starts or ends with `:`, "
        "which Anki drops",
        "1 problem found",
    ]


def test_text_deck_names_and_tags_ship_in_nfc_as_anki_stores_them(tmp_path):
    """Anki normalises to NFC on import: shipping NFC keeps its note equal to ours."""
    decomposed, compatibility = "e\u0301", "\uf9a8"  # é written as two characters; 令
    card_file = {
        "deck": f"Sub{compatibility}",
        "cards": [
            {
                "id": "c",
                "front": f"caf{decomposed}",
                "back": compatibility,
                "tags": [f"t{decomposed}"],
            }
        ],
    }
    root = write_project(tmp_path / "p", {"a.yaml": json.dumps(card_file)})
    with exported_into_anki(root, tmp_path) as col:
        (note_id,) = col.find_notes("")
        note = col.get_note(note_id)
        assert note["Front"] == "<p>caf\u00e9</p>" and note["Back"] == "<p>\u4ee4</p>"
        assert note.tags == ["t\u00e9"]
        assert col.decks.name(note.cards()[0].did) == "Test Deck::Sub\u4ee4"


def test_deck_names_differing_only_in_case_are_refused(tmp_path):
    def cards(deck: str, first: int) -> str:
        entries = [{"id": f"c{n}", "front": "f", "back": "b"} for n in (first, first + 1)]
        return json.dumps({"deck": deck, "cards": entries})

    files = {"a.yaml": cards("Intro::Part", 1), "b.yaml": cards("intro::Other", 3)}
    root = write_project(tmp_path / "p", files, settings="deck: Root\n")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        "cards/b.yaml:1: deck `Root::intro` differs from `Root::Intro` (at cards/a.yaml:1) "
        "only in letter case; Anki takes them for one deck: write it the same way",
        "1 problem found",
    ]
