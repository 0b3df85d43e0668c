"""Image references in card fields: finding them and resolving them safely."""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from ..safetext import control_characters
from .model import Image

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

ACCEPTED_FORMATS = "PNG, JPEG, GIF, SVG or WebP"
# Each accepted format, as `Image.kind`, and the extensions a file of it may have: a file
# is shipped into Anki's media folder and handed to viewers by its name, so the name must
# say what the bytes are.
EXTENSIONS = {
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "gif": (".gif",),
    "webp": (".webp",),
    "svg": (".svg",),
}
# What a system viewer may open (the quiz's `o` key): never SVG, which the default viewer
# is often a web browser for, and which can carry scripts.
VIEWER_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
_ALL_EXTENSIONS = ", ".join(extension for group in EXTENSIONS.values() for extension in group)
# A path longer than this is no image path a person wrote; the file system would refuse it.
PATH_MAX_BYTES = 1024
_NAME_MAX_BYTES = 255
_HEAD_BYTES = 8192  # enough for an SVG's XML declaration, comments and DOCTYPE

# An SVG document: optional XML declaration, comments, processing instructions and an SVG
# DOCTYPE, then the `<svg` root element. HTML that merely contains `<svg` is not one.
_SVG_START = re.compile(
    rb"(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE\s+svg\b(?:[^>\[]|\[[^\]]*\])*>)*<svg[\s>/]",
    re.DOTALL,
)


def reference_key(reference: str) -> str:
    """The project-relative POSIX path a reference names: `./a%20b.png` → `a b.png`."""
    return posixpath.normpath(unquote(reference.strip()))


def image_format(head: bytes) -> str | None:
    """The accepted image format (a key of EXTENSIONS) these leading bytes start, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if _SVG_START.match(head.removeprefix(b"\xef\xbb\xbf")):
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
            shown = _shown(reference)
            return f"image `{shown}` is a link; only image files inside the project are shown"
        key = reference_key(reference)
        if key not in self._checked:
            self._checked[key] = self._check(_shown(reference), key)
        return self._checked[key]

    def _check(self, reference: str, key: str) -> Image | str:
        if key.startswith("/") or reference.startswith("\\"):
            return f"image `{reference}` is an absolute path; write it relative to the project root"
        if found := control_characters(key, layout=False):
            return f"image path `{reference}` contains the control character {found[1][0]}"
        if len(key.encode("utf-8", "surrogatepass")) > PATH_MAX_BYTES or any(
            len(part.encode("utf-8", "surrogatepass")) > _NAME_MAX_BYTES for part in key.split("/")
        ):
            return f"image path `{reference}` is too long"
        try:
            return self._check_file(reference, key)
        except (OSError, ValueError) as error:  # ValueError: a name the OS cannot encode
            reason = error.strerror if isinstance(error, OSError) else str(error)
            return f"image `{reference}` cannot be read: {reason}"

    def _check_file(self, reference: str, key: str) -> Image | str:
        candidate = self.root / key
        try:
            resolved = candidate.resolve()
        except RuntimeError:  # a symlink loop
            return f"image `{reference}` cannot be resolved (a symbolic link loop?)"
        if key == ".." or key.startswith("../") or not resolved.is_relative_to(self.root):
            return f"image `{reference}` leaves the project root"
        if not resolved.exists():
            return f"image `{reference}` not found"
        if not resolved.is_file():
            return f"image `{reference}` is not a file"
        extension = posixpath.splitext(key)[1].lower()
        if not any(extension in group for group in EXTENSIONS.values()):
            return f"image `{reference}` does not end in an image extension ({_ALL_EXTENSIONS})"
        with resolved.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        kind = image_format(head)
        if kind is None:
            return f"`{reference}` is not an image ({ACCEPTED_FORMATS})"
        if extension not in EXTENSIONS[kind]:
            return (
                f"image `{reference}` holds {kind.upper()} data but ends in {extension}; "
                f"rename it to end in {EXTENSIONS[kind][0]}"
            )
        return Image(relpath=key, path=resolved, kind=kind)


def _shown(reference: str) -> str:
    """A reference as quoted in a message: a path of many kilobytes is cut short."""
    return reference if len(reference) <= 200 else f"{reference[:200]}…"


# Anki's media-name rules (rslib/src/media/files.rs, `normalize_filename`): NFC, none of
# []<>:"/?*^\| or control characters, no Windows device name, at most 120 bytes. We keep
# a stricter set (letters, digits, `-`, `_`, `.`) so a name is also a plain URL in `src`.
_MEDIA_UNSAFE = re.compile(r"[^\w.-]")
_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)", re.IGNORECASE)
MEDIA_NAME_MAX_BYTES = 120


def anki_media_names(relpaths: Iterable[str]) -> dict[str, str]:
    """A flat, collision-free Anki media name for each project-relative image path.

    `My_img/sub/fig.png` → `my_img_sub_fig.png`. Names are lowercase because Anki (since
    26.05) lowercases the names of media files written into a collection, and export and
    sync must point at the same names. A name that had to be changed beyond that (unsafe
    characters, too long, a device name) or that two paths would share (`a/b_c.png`,
    `a_b/c.png`; also differing only in case) gets a short hash of its path, so names are
    deterministic and stay the same while the path does.
    """
    flat: dict[str, str] = {}
    for relpath in sorted(set(relpaths)):
        plain = relpath.replace("/", "_")
        safe = _MEDIA_UNSAFE.sub("_", unicodedata.normalize("NFC", plain)).lstrip("._")
        fits = len(safe.encode("utf-8")) <= MEDIA_NAME_MAX_BYTES
        if safe != plain or not fits or _WINDOWS_DEVICE.match(safe):
            safe = _with_hash(safe or "image", relpath)
        flat[relpath] = safe.lower()
    taken: dict[str, list[str]] = {}
    for relpath, name in flat.items():
        taken.setdefault(name.casefold(), []).append(relpath)
    for relpaths_sharing in taken.values():
        if len(relpaths_sharing) > 1:
            for relpath in relpaths_sharing:
                flat[relpath] = _with_hash(flat[relpath], relpath).lower()
    return flat


def _with_hash(name: str, relpath: str) -> str:
    digest = hashlib.sha1(relpath.encode("utf-8")).hexdigest()[:8]
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    suffix = f"-{digest}" + (f".{extension}" if extension else "")
    budget = MEDIA_NAME_MAX_BYTES - len(suffix.encode("utf-8"))
    stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore") or "image"
    return stem + suffix
