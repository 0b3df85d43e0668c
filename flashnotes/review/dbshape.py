"""Is an SQLite file one of our review databases? Compare its schema with the one our own
migrations build.

A database shared in a repository is untrusted: a trigger can delete every rating we
write, a view or an extra table is another program's data that we must not touch. So a
database is ours only if its tables, columns and indexes are exactly those that the
migrations up to its `user_version` create, and it has no trigger or view at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# SQLite's own bookkeeping tables: ANALYZE or `PRAGMA optimize` may add them to any database.
_SQLITE_INTERNAL = ("sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4")

Shape = dict[tuple[str, str], tuple]


def shape_of(connection: sqlite3.Connection) -> Shape:
    """Every schema object by (type, name): a table's columns, an index's table and keys."""
    shape: Shape = {}
    objects = connection.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    for kind, name, table in objects:
        if kind == "table" and name in _SQLITE_INTERNAL:
            continue
        if kind == "table":
            # table-valued pragmas take the name as a parameter: a hostile name stays data
            details: tuple = tuple(
                connection.execute("SELECT * FROM pragma_table_xinfo(?)", (name,))
            )
        elif kind == "index":
            keys = tuple(connection.execute("SELECT * FROM pragma_index_xinfo(?)", (name,)))
            details = (table, keys)
        else:  # trigger, view: never ours
            details = (table,)
        shape[(kind, name)] = details
    return shape


def expected_shape(scripts: Iterable[str]) -> Shape:
    """The shape that running `scripts` (our migrations, in order) on an empty database gives."""
    connection = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            connection.executescript(script)
        return shape_of(connection)
    finally:
        connection.close()


def foreign_objects(connection: sqlite3.Connection, scripts: Iterable[str]) -> list[str]:
    """What differs from our schema, e.g. ["trigger `wipe`", "table `review_log`"]; [] if ours."""
    have = shape_of(connection)
    want = expected_shape(scripts)
    differences = [
        f"{kind} `{name}`"
        for (kind, name) in sorted(have.keys() | want.keys())
        if have.get((kind, name)) != want.get((kind, name))
    ]
    return differences
