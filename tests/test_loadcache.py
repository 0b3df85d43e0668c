"""The load cache: unchanged files come from it; any change to a file, an image it shows
or the settings is seen at once."""

from __future__ import annotations

import os

import pytest

from flashnotes.cachedir import project_cache_file
from flashnotes.project import loader
from flashnotes.project.loadcache import CACHE_NAME
from flashnotes.project.loader import read_project

CARDS = """
deck: RNN
cards:
  - id: gru
    front: GRU?
    back: |
      gates
      ![cell](My_img/gru.png)
  - id: lstm
    front: LSTM?
    back: three gates
"""


@pytest.fixture
def cached(project, monkeypatch):
    """A project the loader treats as large, so it uses the cache."""
    monkeypatch.setattr(loader, "_CACHE_THRESHOLD_BYTES", 0)
    project.image("My_img/gru.png")
    project.cards("rnn.yaml", CARDS)
    project.cards("other.yaml", "cards:\n  - id: other\n    front: q\n    back: a\n")
    return project


def cache_file(root):
    return project_cache_file(root, CACHE_NAME)


def bump(path) -> None:
    """Make sure a rewrite is seen even on file systems with coarse timestamps."""
    status = os.stat(path)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def test_second_load_comes_from_the_cache_and_is_identical(cached, monkeypatch):
    first = read_project(cached.root)
    assert cache_file(cached.root).is_file()
    parsed = []
    monkeypatch.setattr(loader, "compose", lambda text: parsed.append(text))
    second = read_project(cached.root)
    assert parsed == []  # nothing was parsed again
    assert second.project == first.project


def test_an_edited_file_is_read_again(cached):
    read_project(cached.root)
    path = cached.cards("rnn.yaml", CARDS.replace("three gates", "3 gates"))
    bump(path)
    project = read_project(cached.root).project
    assert {card.id: card.back for card in project.cards}["lstm"] == "3 gates"


def test_a_removed_image_is_reported_although_the_file_is_unchanged(cached):
    read_project(cached.root)
    (cached.root / "My_img" / "gru.png").unlink()
    result = read_project(cached.root)
    assert [problem.message for problem in result.problems] == ["image `My_img/gru.png` not found"]


def test_changed_settings_invalidate_the_cache(cached):
    read_project(cached.root)
    cached.settings("deck: Other root\n")
    project = read_project(cached.root).project
    assert {card.deck for card in project.cards} == {"Other root::RNN", "Other root"}


def test_files_with_problems_are_never_cached(cached):
    cached.cards("bad.yaml", "cards:\n  - id: bad\n    front: q\n")
    first = read_project(cached.root)
    second = read_project(cached.root)
    assert first.problems == second.problems
    assert "cards/bad.yaml" not in cache_file(cached.root).read_text()


def test_the_cache_lives_outside_the_project(cached, tmp_path):
    read_project(cached.root)
    assert cache_file(cached.root).is_file()
    assert not cache_file(cached.root).is_relative_to(cached.root)
    assert not (cached.root / ".flashnotes").exists()


def test_duplicate_ids_across_cached_files_are_still_found(cached):
    read_project(cached.root)
    cached.cards("zz.yaml", "cards:\n  - id: gru\n    front: q\n    back: a\n")
    messages = [problem.message for problem in read_project(cached.root).problems]
    assert messages == ["duplicate id `gru` (also used at cards/rnn.yaml:3)"]


def test_a_corrupt_cache_is_ignored_and_rewritten(cached):
    expected = read_project(cached.root).project
    cache_file(cached.root).write_bytes(b"\x80garbage{")
    assert read_project(cached.root).project == expected
    assert cache_file(cached.root).read_text(encoding="utf-8").startswith('{"key"')


def test_a_cache_with_wrong_shapes_is_ignored(cached):
    expected = read_project(cached.root).project
    text = cache_file(cached.root).read_text(encoding="utf-8")
    assert '\t[["gru", ' in text
    for damaged in ('\t[[1, "gru", ', "\t{}", "\t[[]]", '\t[["gru"'):
        cache_file(cached.root).write_text(text.replace('\t[["gru", ', damaged))
        assert read_project(cached.root).project == expected


def test_small_projects_write_no_cache(project):
    project.cards("a.yaml", "cards:\n  - id: a\n    front: q\n    back: a\n")
    assert read_project(project.root).project is not None
    assert not cache_file(project.root).exists()


def test_a_tampered_cache_cannot_smuggle_in_an_image_outside_the_project(cached, tmp_path):
    (tmp_path / "secret.png").write_bytes((cached.root / "My_img" / "gru.png").read_bytes())
    expected = read_project(cached.root).project
    text = cache_file(cached.root).read_text(encoding="utf-8")
    assert "My_img/gru.png" in text
    cache_file(cached.root).write_text(text.replace("My_img/gru.png", "../secret.png"))
    project = read_project(cached.root).project
    assert project == expected
    assert [image.relpath for image in project.images] == ["My_img/gru.png"]
