"""Where flashnotes keeps caches: the user's cache folder, never the project.

Caches hold data that later reaches Anki or the terminal without being validated again
(rendered HTML, parsed cards). Kept outside the project, a shared or downloaded project
cannot bring a poisoned cache along; deleting the folder only costs speed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/flashnotes`, by default `~/.cache/flashnotes`."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "flashnotes"


def project_cache_file(root: Path, name: str) -> Path:
    """The cache file `name` of the project at `root` (one per project folder)."""
    digest = hashlib.sha1(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"{root.name[:40]}-{digest}" / name
