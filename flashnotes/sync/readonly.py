"""Read-only SQL on a collection, without Anki's library and without writing a byte."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import FlashnotesError, display_path

Query = Callable[..., list]  # query(sql, *args) -> rows


def anki_open_error(path: Path) -> FlashnotesError:
    return FlashnotesError(
        f"{display_path(path)}: the collection is open in Anki (or Anki is syncing it); "
        "close Anki and run sync again. Nothing was changed"
    )


@contextmanager
def read_only(path: Path) -> Iterator[Query]:
    """Queries on the collection that write nothing, not even a `-wal` or `-shm` file.

    A non-empty `-wal` (Anki crashed, or holds the file open) needs `mode=ro`: `mode=rw`
    would check the log into the collection when the connection closes.
    """
    wal = path.with_name(path.name + "-wal")
    mode = "ro" if wal.exists() and wal.stat().st_size > 0 else "rw"
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error as error:
        raise FlashnotesError(
            f"{display_path(path)}: cannot open the collection ({error})"
        ) from None
    try:
        connection.execute("PRAGMA query_only = 1")

        def query(sql: str, *args: object) -> list:
            return connection.execute(sql, args).fetchall()

        yield query
    except sqlite3.Error as error:
        if "locked" in str(error) or "busy" in str(error):
            raise anki_open_error(path) from None
        raise FlashnotesError(
            f"{display_path(path)}: not a readable Anki collection ({error})"
        ) from None
    finally:
        connection.close()
