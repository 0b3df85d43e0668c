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
    """`$XDG_CACHE_HOME/flashnotes`, by default `~/.cache/flashnotes`.

    The XDG spec calls a relative `XDG_CACHE_HOME` invalid and says to ignore it; taken
    as is, it would put the cache inside whatever folder flashnotes runs in (a project).
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(_home(), ".cache")
    return Path(base) / "flashnotes"


def _home() -> str:
    home = os.path.expanduser("~")
    if os.path.isabs(home):
        return home
    import pwd  # a relative $HOME is no home either: ask the system

    return pwd.getpwuid(os.getuid()).pw_dir


def project_cache_file(root: Path, name: str) -> Path:
    """The cache file `name` of the project at `root` (one per project folder)."""
    # fsencode: a folder name need not be UTF-8 (it comes back with surrogate escapes).
    digest = hashlib.sha1(os.fsencode(root.resolve())).hexdigest()[:16]
    return cache_dir() / f"{root.name[:40]}-{digest}" / name
