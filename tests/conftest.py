"""Shared fixtures: small projects written as real files, as a user would write them."""

from __future__ import annotations

import struct
import textwrap
import zlib
from pathlib import Path

import pytest


def tiny_png(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A valid PNG whose pixels depend on `seed`, so two images differ byte for byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((seed + i) % 256 for i in range(width * 3))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


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
def private_cache_dir(tmp_path_factory, monkeypatch):
    """Every test, and every flashnotes process it starts, gets its own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def project(tmp_path: Path) -> ProjectBuilder:
    return ProjectBuilder(tmp_path / "proj")
