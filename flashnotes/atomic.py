"""Replacing a file in one step: readers see the old file or the new one, never half."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def replace_file(path: Path, write: Callable[[IO[Any]], None], *, binary: bool = False) -> None:
    """Write `path` through a temporary file beside it, then rename it into place.

    Raises OSError as the file system does; the temporary file is gone either way.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if binary:
            with temporary.open("wb") as handle:
                write(handle)
        else:
            with temporary.open("w", encoding="utf-8") as handle:
                write(handle)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
