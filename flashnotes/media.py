"""Image references in card fields: finding them and resolving them safely."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from .model import Image

# Inline Markdown images `![alt](path "title")` and `<img src=...>` in raw HTML.
_MARKDOWN_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_HTML_IMAGE = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

ACCEPTED_FORMATS = "PNG, JPEG, GIF, SVG or WebP"


def image_references(text: str) -> list[tuple[int, str]]:
    """(offset, reference as written) for every image in a Markdown field, in order."""
    if "![" not in text and "<img" not in text.lower():
        return []
    found = [
        (m.start(), m.group(1).removeprefix("<").removesuffix(">"))
        for m in _MARKDOWN_IMAGE.finditer(text)
    ]
    found += [
        (m.start(), next(group for group in m.groups() if group is not None))
        for m in _HTML_IMAGE.finditer(text)
    ]
    return sorted(found)


def reference_key(reference: str) -> str:
    """The project-relative POSIX path a reference names: `./a%20b.png` → `a b.png`."""
    return posixpath.normpath(unquote(reference.strip()))


def image_format(head: bytes) -> str | None:
    """The accepted image format these leading bytes start, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head.lower():
        return "svg"
    return None


class ImageResolver:
    """Resolves references against one project root, checking each file once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._checked: dict[str, Image | str] = {}

    def resolve(self, reference: str) -> Image | str:
        """The image a reference names, or a message saying why it is refused."""
        reference = reference.strip()
        if not reference:
            return "empty image path"
        if _SCHEME.match(reference) or reference.startswith("//"):
            return f"image `{reference}` is a link; only image files inside the project are shown"
        key = reference_key(reference)
        if key not in self._checked:
            self._checked[key] = self._check(reference, key)
        return self._checked[key]

    def _check(self, reference: str, key: str) -> Image | str:
        if key.startswith("/") or reference.startswith("\\"):
            return f"image `{reference}` is an absolute path; write it relative to the project root"
        candidate = self.root / key
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return f"image `{reference}` cannot be resolved (a symbolic link loop?)"
        if key == ".." or key.startswith("../") or not resolved.is_relative_to(self.root):
            return f"image `{reference}` leaves the project root"
        if not resolved.exists():
            return f"image `{reference}` not found"
        if not resolved.is_file():
            return f"image `{reference}` is not a file"
        try:
            with resolved.open("rb") as handle:
                head = handle.read(1024)
        except OSError as error:
            return f"image `{reference}` cannot be read: {error.strerror}"
        if image_format(head) is None:
            return f"`{reference}` is not an image ({ACCEPTED_FORMATS})"
        return Image(relpath=key, path=resolved)
