"""Shared fixtures: small projects written as real files, as a user would write them."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest
from anki_helpers import png_bytes


def tiny_png(seed: int = 0) -> bytes:
    """A valid PNG whose colour depends on `seed`, so two images differ byte for byte."""
    return png_bytes((seed % 256, (seed * 7) % 256, (seed * 13) % 256), size=2)


class ProjectBuilder:
    """Writes a flashnotes project under a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "cards").mkdir(parents=True, exist_ok=True)
        (root / "My_img").mkdir(exist_ok=True)

    def settings(self, text: str) -> Path:
        return self.write("flashnotes.yaml", text)

    def cards(self, name: str, text: str) -> Path:
        return self.write(f"cards/{name}", text)

    def write(self, relpath: str, text: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def image(self, relpath: str, seed: int = 0) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(tiny_png(seed=seed))
        return path


@pytest.fixture(autouse=True)
def restore_cwd():
    """Tests that chdir into a project, as a user would, leave the cwd as they found it."""
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path_factory, monkeypatch):
    """Every test, and every flashnotes process it starts, gets its own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def project(tmp_path: Path) -> ProjectBuilder:
    return ProjectBuilder(tmp_path / "proj")


@pytest.fixture
def utc(monkeypatch):
    """Study days in UTC, whatever the machine's zone (use with `usefixtures("utc")`)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
