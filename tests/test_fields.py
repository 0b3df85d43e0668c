"""Rendered fields: cached while a card is unchanged, the same on one core or several."""

from __future__ import annotations

import pytest

from flashnotes.deck import fields as fields_module
from flashnotes.deck.fields import render_fields
from flashnotes.project.loader import load_project
from flashnotes.project.media import anki_media_names

CARDS = """
cards:
  - id: math
    front: 什么是 $\\sigma(x)$？
    back: |
      ```python
      torch.sigmoid(x)
      ```
  - id: cloze
    type: cloze
    text: 困惑度最好是 {{c1::1}}
  - id: picture
    front: GRU?
    back: "![cell](My_img/gru.png)"
"""


@pytest.fixture
def loaded(project):
    project.image("My_img/gru.png")
    project.cards("a.yaml", CARDS * 1)
    loaded = load_project(project.root)
    names = anki_media_names(image.relpath for image in loaded.images)
    return loaded, names


def test_unchanged_cards_are_not_rendered_again(loaded, monkeypatch):
    project, names = loaded
    first = render_fields(project.cards, names, project.root)
    rendered = []
    real = fields_module.card_fields
    monkeypatch.setattr(
        fields_module, "card_fields", lambda card, r: rendered.append(card.id) or real(card, r)
    )
    assert render_fields(project.cards, names, project.root) == first
    assert rendered == []


def test_an_edited_card_alone_is_rendered_again(loaded, monkeypatch):
    project, names = loaded
    render_fields(project.cards, names, project.root)
    (project.root / "cards" / "a.yaml").write_text(
        CARDS.replace("困惑度最好是", "困惑度最小是"), encoding="utf-8"
    )
    edited = load_project(project.root)
    rendered = []
    real = fields_module.card_fields
    monkeypatch.setattr(
        fields_module, "card_fields", lambda card, r: rendered.append(card.id) or real(card, r)
    )
    result = render_fields(edited.cards, names, edited.root)
    assert rendered == ["cloze"]
    assert "困惑度最小是" in result[1][0]


def test_several_cores_render_exactly_what_one_does(loaded, monkeypatch):
    project, names = loaded
    cards = project.cards * 20
    single = render_fields(cards, names, project.root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project.root / "other-cache"))
    monkeypatch.setattr(fields_module, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(fields_module, "_CHUNK", 7)
    advanced = []
    parallel = render_fields(cards, names, project.root, lambda: advanced.append(1))
    assert parallel == single
    assert len(advanced) == len(cards)


def test_a_damaged_cache_is_ignored(loaded):
    project, names = loaded
    first = render_fields(project.cards, names, project.root)
    path = fields_module.project_cache_file(project.root, fields_module.CACHE_NAME)
    path.write_text('["x", [1, 2]]\n', encoding="utf-8")
    assert render_fields(project.cards, names, project.root) == first
