"""The quiz's SQLite database: the current state of each side plus an append-only review log.

Every rating is one `BEGIN IMMEDIATE` transaction that writes the log row and the new state
together, so a killed quiz loses nothing already rated and two quizzes on one database lose
no review. A database that is corrupt, locked, from a newer flashnotes or not ours at all is
reported in one line and never written to.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import State

from ..errors import FlashnotesError, display_path
from ..safepath import state_file
from .dbshape import foreign_objects
from .scheduler import (
    DEFAULT_PARAMETERS,
    format_time,
    parse_time,
    state_from_dict,
    state_to_dict,
)

DEFAULT_DB = Path(".flashnotes") / "reviews.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
FSRS_PARAMETER_COUNT = 21  # FSRS-6, as fsrs and fsrs-rs use it

# MIGRATIONS[n] brings a database from user_version n to n + 1. Append; never edit one that
# has shipped.
MIGRATIONS: list[Callable[[], str]] = [
    lambda: _script("schema.sql"),
    lambda: _script("fsrs_parameters.sql"),
    lambda: _script("card_hold.sql"),
    lambda: _script("review_origin.sql"),
]
SCHEMA_VERSION = len(MIGRATIONS)


def _script(name: str) -> str:
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def default_db_path(root: Path) -> Path:
    """Where a project keeps its reviews unless `--db` says otherwise (checked: see safepath)."""
    return state_file(root, DEFAULT_DB.name, SQLITE_SIDE_FILES)


@dataclass(frozen=True)
class Hold:
    """A card set aside: suspended, or buried until a time (the next study day)."""

    suspended: bool = False
    buried_until: datetime | None = None

    def hides(self, now: datetime) -> bool:
        return self.suspended or (self.buried_until is not None and now < self.buried_until)


@dataclass(frozen=True)
class LoggedReview:
    """One row of the review log."""

    id: int
    side_key: str
    reviewed_at: datetime
    rating: int
    duration_ms: int | None
    before: FsrsCard | None  # None: the side was new
    after: FsrsCard
    origin: str = "quiz"  # "anki": pulled from an Anki collection by sync
    anki_revlog_id: int | None = None  # its row in Anki's review log, once synced


@dataclass(frozen=True)
class PulledReview:
    """A rating given in Anki, as sync brings it into the log."""

    side_key: str
    reviewed_at: datetime
    rating: int
    duration_ms: int | None
    anki_revlog_id: int


@dataclass(frozen=True)
class ReplayedReview:
    """A logged review with the states a replay of its side's log gives it."""

    id: int
    side_key: str
    before: FsrsCard | None
    after: FsrsCard


@dataclass(frozen=True)
class StoredParameters:
    """A set of FSRS parameters fitted by `flashnotes optimize`, with how well it predicted."""

    parameters: tuple[float, ...]
    fitted_at: datetime
    review_count: int
    log_loss: float
    rmse: float
    default_log_loss: float
    default_rmse: float


def parameters_of(fitted: StoredParameters | None) -> tuple[float, ...]:
    """What a stored set means to the scheduler: its parameters, or FSRS's defaults."""
    return DEFAULT_PARAMETERS if fitted is None else fitted.parameters


class Store:
    """An open review database. Use `Store.open(path)`; close it when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, writable: bool = True
    ) -> Store:
        """Open (creating if absent) the database at `path`, checking it before any write.

        `writable`: make sure now that ratings can be saved (the quiz), so that a read-only
        file or folder is reported before the first card rather than after the first rating.
        """
        if path.exists():
            _check_existing(path, busy_timeout_ms)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise FlashnotesError(
                    f"{display_path(path)}: cannot create the review database: {error.strerror}"
                ) from None
        try:
            connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.Error as error:
            raise _database_error(path, error) from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # The schema came from a file we do not trust: it may not call our functions.
            connection.execute("PRAGMA trusted_schema = OFF")
            connection.execute("PRAGMA journal_mode = WAL")
            # A rating is saved the moment it is given, even across a power cut.
            connection.execute("PRAGMA synchronous = FULL")
            store = cls(connection, path)
            store._migrate()
            if writable:
                store._check_writable()
        except BaseException as error:
            connection.close()
            if isinstance(error, sqlite3.Error):
                raise _database_error(path, error) from None
            raise
        return store

    @classmethod
    def open_existing(cls, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store | None:
        """Open the database if it exists (for reading, as `stats` does); None if it does not."""
        if not path.exists():
            return None
        return cls.open(path, busy_timeout_ms=busy_timeout_ms, writable=False)

    @classmethod
    def open_for_reading(
        cls, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> Store | None:
        """Open the database read-only if it exists (`stats`); None if it does not.

        The schema is checked as for any open, but not every page: that scan takes 1.3 s of
        a 730,000-review log. A damaged page met while reading is one line (`reading()`).
        An older schema is migrated first, as `open` does.
        """
        if not path.exists():
            return None
        if _check_existing(path, busy_timeout_ms, integrity=False) != SCHEMA_VERSION:
            return cls.open(path, busy_timeout_ms=busy_timeout_ms, writable=False)
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,
            )
            connection.execute("PRAGMA trusted_schema = OFF")
        except sqlite3.Error as error:
            raise _database_error(path, error) from None
        return cls(connection, path)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Around a command's reads: any SQLite error (a damaged page) becomes one line."""
        try:
            yield
        except sqlite3.Error as error:
            raise _database_error(self.path, error) from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # nothing to write: no lock taken
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]()):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step + 1}")

    def _check_writable(self) -> None:
        """Write the schema version back unchanged and roll back: fails as a rating would.

        SQLite opens a file it may not write read-only without a word and takes the write
        lock all the same; only a write to a page tells.
        """
        with self._transaction(commit=False):
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            self._db.execute(f"PRAGMA user_version = {int(version)}")

    @contextmanager
    def _transaction(self, *, commit: bool = True) -> Iterator[None]:
        """One write transaction, taken at once (no deadlock between two quizzes).

        Any SQLite error inside it (read-only file, full disk, I/O error) becomes one line;
        nothing of the transaction is kept.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _database_error(self.path, error) from None
        try:
            yield
            self._db.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.Error as error:
            self._rollback()
            raise _database_error(self.path, error) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite ends the transaction by itself after some errors (a full disk, an I/O
        # error); a ROLLBACK then would fail and hide the error that matters.
        # If the ROLLBACK itself fails, closing the connection rolls back all the same.
        if self._db.in_transaction:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    # -- reading -------------------------------------------------------------------------

    def states(self) -> dict[str, FsrsCard]:
        """The current state of every side with history, by side key."""
        rows = self._db.execute(
            "SELECT side_key, state, step, stability, difficulty, due, last_review FROM card_state"
        )
        with self._decoding():
            return {row[0]: _state_from_row(row) for row in rows}

    def state(self, side_key: str) -> FsrsCard | None:
        row = self._db.execute(
            "SELECT side_key, state, step, stability, difficulty, due, last_review"
            " FROM card_state WHERE side_key = ?",
            (side_key,),
        ).fetchone()
        with self._decoding():
            return None if row is None else _state_from_row(row)

    def reviews(self, since: datetime | None = None) -> list[LoggedReview]:
        """Review log rows in the order they were written, optionally from `since` on."""
        query = (
            "SELECT id, side_key, reviewed_at, rating, duration_ms, state_before, state_after,"
            " origin, anki_revlog_id FROM review_log"
        )
        parameters: tuple[str, ...] = ()
        order = " ORDER BY id"
        if since is not None:
            query += " WHERE reviewed_at >= ?"
            parameters = (format_time(since),)
            # `+id`: find the few recent rows by the time index and sort them, rather than
            # walk the whole log in id order (0.13 s of 730,000 reviews, for a handful)
            order = " ORDER BY +id"
        rows = self._db.execute(query + order, parameters)
        with self._decoding():
            return [_logged(row) for row in rows]

    def review_count(self) -> int:
        return self._read("SELECT count(*) FROM review_log")[0][0]

    def recall_counts(self, since: datetime) -> tuple[int, int]:
        """Reviews since `since` of sides that were in review, and how many were recalled
        (rated above Again): retention, counted in SQL rather than by decoding the log."""
        ((reviews, recalled),) = self._read(
            "SELECT count(*), coalesce(sum(rating > 1), 0) FROM review_log"
            " WHERE reviewed_at >= ? AND json_extract(state_before, '$.state') = ?",
            (format_time(since), State.Review.value),
        )
        return reviews, recalled

    def review_times(self, since: datetime) -> list[datetime]:
        """When each review since `since` was given (only that column is read)."""
        rows = self._read(
            "SELECT id, reviewed_at FROM review_log WHERE reviewed_at >= ?", (format_time(since),)
        )
        with self._decoding():
            return [_checked_time(log_id, text) for log_id, text in rows]

    def _read(self, query: str, parameters: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error as error:  # e.g. malformed JSON in a row
            raise _database_error(self.path, error) from None

    def keys_with_history(self) -> set[str]:
        """Every side key the database knows, whether or not the project still has it."""
        # Two queries: DISTINCT walks the (side_key, id) index; a UNION would sort the log.
        keys = {row[0] for row in self._read("SELECT side_key FROM card_state")}
        keys |= {row[0] for row in self._read("SELECT DISTINCT side_key FROM review_log")}
        with self._decoding():
            for key in keys:
                _check_side_key(key, "a side key")
        return keys

    def parameters_in_use(self) -> tuple[float, ...]:
        """The FSRS parameters to schedule with: the fitted set, else the defaults."""
        return parameters_of(self.fitted_parameters())

    def fitted_parameters(self) -> StoredParameters | None:
        """The fitted FSRS parameters in use, or None for the defaults.

        Checked on the way out (the file may have been edited): a malformed set is reported
        as corruption, never handed to the scheduler.
        """
        if not self._has_table("fsrs_parameters"):
            return None  # an older database opened without migrating: defaults
        row = self._db.execute(
            "SELECT parameters, fitted_at, review_count, log_loss, rmse,"
            " default_log_loss, default_rmse FROM fsrs_parameters WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        try:
            values = json.loads(row[0])
            parameters = tuple(float(value) for value in values)
            if len(parameters) != FSRS_PARAMETER_COUNT or not all(map(math.isfinite, parameters)):
                raise ValueError("not 21 finite numbers")
            return StoredParameters(
                parameters,
                datetime.fromisoformat(row[1]),
                int(row[2]),
                *(float(value) for value in row[3:]),
            )
        except (TypeError, ValueError) as error:
            raise FlashnotesError(
                f"{display_path(self.path)}: the review database is corrupt (fitted FSRS "
                f"parameters: {error}); `flashnotes optimize --reset` goes back to the defaults"
            ) from None

    def _has_table(self, name: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def holds(self) -> dict[str, Hold]:
        """Every suspended or buried side, by side key (burials that ended included)."""
        if not self._has_table("card_hold"):
            return {}  # an older database opened without migrating: nothing held
        rows = self._db.execute("SELECT side_key, suspended, buried_until FROM card_hold")
        with self._decoding():
            return {row[0]: _hold_from_row(row) for row in rows}

    # -- writing -------------------------------------------------------------------------

    def set_hold(self, side_key: str, hold: Hold | None) -> None:
        """Suspend or bury a side (None: neither), replacing what it had."""
        with self._transaction():
            if hold is None or (not hold.suspended and hold.buried_until is None):
                self._db.execute("DELETE FROM card_hold WHERE side_key = ?", (side_key,))
                return
            until = None if hold.buried_until is None else format_time(hold.buried_until)
            self._db.execute(
                "INSERT OR REPLACE INTO card_hold (side_key, suspended, buried_until)"
                " VALUES (?, ?, ?)",
                (side_key, int(hold.suspended), until),
            )

    def unsuspend(self, side_keys: Iterable[str]) -> list[str]:
        """Lift the suspension of these sides; returns those that were suspended."""
        with self._transaction():
            lifted = []
            for side_key in side_keys:
                cursor = self._db.execute(
                    "UPDATE card_hold SET suspended = 0 WHERE side_key = ? AND suspended = 1",
                    (side_key,),
                )
                if cursor.rowcount:
                    lifted.append(side_key)
            self._db.execute("DELETE FROM card_hold WHERE suspended = 0 AND buried_until IS NULL")
            return lifted

    def record(
        self,
        side_key: str,
        reviewed_at: datetime,
        rating: int,
        duration_ms: int | None,
        session: str,
        review: Callable[[FsrsCard | None], FsrsCard],
    ) -> LoggedReview:
        """Log one rating and store the state `review(current state)` returns, atomically.

        The state is read inside the transaction, so a rating given in another quiz on the
        same database a moment ago is built upon, not overwritten.
        """
        with self._transaction():
            before = self.state(side_key)
            after = review(before)
            cursor = self._db.execute(
                "INSERT INTO review_log (side_key, reviewed_at, rating, duration_ms,"
                " state_before, state_after, session) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    side_key,
                    format_time(reviewed_at),
                    rating,
                    duration_ms,
                    None if before is None else _json(before),
                    _json(after),
                    session,
                ),
            )
            self._put_state(side_key, after)
        assert cursor.lastrowid is not None
        return LoggedReview(
            cursor.lastrowid, side_key, reviewed_at, rating, duration_ms, before, after
        )

    def undo(self, log_id: int, session: str) -> FsrsCard | None:
        """Remove one rating of this session; the side's state becomes what it was before it.

        Returns that state (None: new again). Another quiz's later rating of the same side,
        if any, stays in force.
        """
        with self._transaction():
            row = self._db.execute(
                "SELECT side_key FROM review_log WHERE id = ? AND session = ?", (log_id, session)
            ).fetchone()
            if row is None:
                raise FlashnotesError(f"{display_path(self.path)}: no such rating to undo")
            self._db.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
            self._refresh_state(row[0])
            return self.state(row[0])

    def rebuild_state(self) -> None:
        """Recompute every side's current state from the review log (the log is the truth)."""
        with self._transaction():
            self._db.execute("DELETE FROM card_state")
            keys = self._db.execute("SELECT DISTINCT side_key FROM review_log").fetchall()
            for (side_key,) in keys:
                self._refresh_state(side_key)

    def save_fitted_parameters(self, fitted: StoredParameters) -> None:
        """Use `fitted` from now on (replacing any earlier fitted set)."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO fsrs_parameters (id, parameters, fitted_at, review_count,"
                " log_loss, rmse, default_log_loss, default_rmse)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                (
                    json.dumps(list(fitted.parameters)),
                    format_time(fitted.fitted_at),
                    fitted.review_count,
                    fitted.log_loss,
                    fitted.rmse,
                    fitted.default_log_loss,
                    fitted.default_rmse,
                ),
            )

    def clear_fitted_parameters(self) -> bool:
        """Go back to the default parameters; False when they were already in use."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM fsrs_parameters")
        return cursor.rowcount > 0

    def rewrite_states(self, replayed: Iterable[ReplayedReview]) -> None:
        """Store the states a replay of the log gave, in the log and as each side's state.

        One transaction: a rescheduling either happens for every card or for none.
        """
        with self._transaction():
            touched: set[str] = set()
            for row in replayed:
                self._db.execute(
                    "UPDATE review_log SET state_before = ?, state_after = ? WHERE id = ?",
                    (None if row.before is None else _json(row.before), _json(row.after), row.id),
                )
                touched.add(row.side_key)
            for side_key in touched:
                self._refresh_state(side_key)

    def merge_synced(
        self,
        marks: Iterable[tuple[int, int]],
        pulled: Iterable[PulledReview],
        replay: Callable[[list[LoggedReview]], Iterable[ReplayedReview]],
        renamed: Iterable[tuple[str, str]] = (),
        sides: Iterable[str] = (),
    ) -> None:
        """What one sync brings, in one transaction: `marks` (log id, Anki revlog id) of
        reviews now in Anki too; `pulled` reviews from Anki, added to the log; the log of
        every side they touch, and of `sides`, replayed by `replay` (in time order) and
        stored; `renamed` sides (old key, new key) whose card switched to or from cloze."""
        with self._transaction():
            for old, new in renamed:
                for table in ("review_log", "card_state", "card_hold"):
                    self._db.execute(
                        f"UPDATE OR IGNORE {table} SET side_key = ? WHERE side_key = ?", (new, old)
                    )
            for log_id, revlog_id in marks:
                self._db.execute(
                    "UPDATE review_log SET anki_revlog_id = ? WHERE id = ?", (revlog_id, log_id)
                )
            touched: set[str] = set(sides)
            for review in pulled:
                self._db.execute(
                    "INSERT INTO review_log (side_key, reviewed_at, rating, duration_ms,"
                    " state_before, state_after, session, origin, anki_revlog_id)"
                    " VALUES (?, ?, ?, ?, NULL, '{}', 'anki', 'anki', ?)",
                    (
                        review.side_key,
                        format_time(review.reviewed_at),
                        review.rating,
                        review.duration_ms,
                        review.anki_revlog_id,
                    ),
                )
                touched.add(review.side_key)
            if not touched:
                return
            marks_ = ",".join("?" * len(touched))
            rows = self._db.execute(
                "SELECT id, side_key, reviewed_at, rating, duration_ms, NULL, NULL, origin,"
                f" anki_revlog_id FROM review_log WHERE side_key IN ({marks_})",
                tuple(sorted(touched)),
            ).fetchall()
            with self._decoding():
                logged = [_logged_for_replay(row) for row in rows]
            for row in replay(logged):
                self._db.execute(
                    "UPDATE review_log SET state_before = ?, state_after = ? WHERE id = ?",
                    (None if row.before is None else _json(row.before), _json(row.after), row.id),
                )
            for side_key in touched:
                self._refresh_state(side_key)

    def _refresh_state(self, side_key: str) -> None:
        row = self._db.execute(
            # Time order, not row order: reviews pulled from Anki can be older than rows
            # already in the log.
            "SELECT state_after FROM review_log WHERE side_key = ?"
            " ORDER BY reviewed_at DESC, id DESC LIMIT 1",
            (side_key,),
        ).fetchone()
        if row is None:
            self._db.execute("DELETE FROM card_state WHERE side_key = ?", (side_key,))
        else:
            self._put_state(side_key, self._saved_state(row[0], side_key))

    def _saved_state(self, text: object, side_key: str) -> FsrsCard:
        with self._decoding():
            return _state_from_json(text, f"review_log state of {side_key!r:.80}")

    @contextmanager
    def _decoding(self) -> Iterator[None]:
        """Rows are read back from a file anyone may have edited: an impossible value is
        reported as a corrupt database, in one line, not as an internal error."""
        try:
            yield
        except _CorruptRow as error:
            raise FlashnotesError(
                f"{display_path(self.path)}: the review database is corrupt: {error}; "
                "left untouched"
            ) from None

    def _put_state(self, side_key: str, state: FsrsCard) -> None:
        saved = state_to_dict(state)
        self._db.execute(
            "INSERT OR REPLACE INTO card_state"
            " (side_key, state, step, stability, difficulty, due, last_review)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                side_key,
                saved["state"],
                saved["step"],
                saved["stability"],
                saved["difficulty"],
                saved["due"],
                saved["last_review"],
            ),
        )


def require_named_db(db: Path | None) -> None:
    """A `--db` the user typed must exist for commands that only read it: a typo would
    otherwise show every card as new. (The quiz creates the file instead.)"""
    if db is not None and not db.exists():
        raise FlashnotesError(
            f"{display_path(db)}: no such review database (`flashnotes quiz --db` creates one)"
        )


def read_head(path: Path, noun: str) -> bytes:
    """The first bytes of an SQLite file (to tell one); one line when it cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise FlashnotesError(
            f"{display_path(path)}: cannot read the {noun}: {error.strerror}"
        ) from None


def _check_existing(path: Path, busy_timeout_ms: int, *, integrity: bool = True) -> int:
    """Refuse, in one line and without writing a byte, a file we must not touch; return its
    schema version (0: an empty file). `integrity`: also read every page (quick_check)."""
    where = display_path(path)
    if not path.is_file():
        raise FlashnotesError(f"{where}: not a file; --db needs a database file")
    head = read_head(path, "review database")
    if head and head != SQLITE_HEADER:
        raise FlashnotesError(
            f"{where}: not an SQLite database; left untouched (choose another file with --db)"
        )
    if not head:
        return 0  # an empty file is an empty database: we may create our tables in it
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000
        )
    except sqlite3.Error as error:
        raise _database_error(path, error) from None
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version < 0:
            raise FlashnotesError(
                f"{where}: an SQLite database, but not a flashnotes one (schema version "
                f"{version}); left untouched"
            )
        if version > SCHEMA_VERSION:
            raise FlashnotesError(
                f"{where}: written by a newer flashnotes (schema version {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade flashnotes to use it"
            )
        result = connection.execute("PRAGMA quick_check").fetchall() if integrity else [("ok",)]
        if result != [("ok",)]:
            raise FlashnotesError(
                f"{where}: the review database is corrupt ({result[0][0]}); left untouched"
            )
        foreign = foreign_objects(connection, (MIGRATIONS[step]() for step in range(version)))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
            raise FlashnotesError(
                f"{where}: an SQLite database, but not a flashnotes one (schema differs: "
                f"{shown}); left untouched"
            )
    except sqlite3.Error as error:
        raise _database_error(path, error) from None
    finally:
        connection.close()
    return version


def _database_error(path: Path, error: sqlite3.Error) -> FlashnotesError:
    where = display_path(path)
    message = str(error)
    if "locked" in message or "busy" in message:
        return FlashnotesError(
            f"{where}: the review database is locked by another program; try again"
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return FlashnotesError(
            f"{where}: the review database is corrupt ({message}); left untouched"
        )
    if "readonly" in message or "read-only" in message:
        return FlashnotesError(
            f"{where}: the review database is read-only, so ratings cannot be saved (the file "
            "and its folder must be writable)"
        )
    if "disk is full" in message:
        return FlashnotesError(f"{where}: the review database cannot be written: the disk is full")
    return FlashnotesError(f"{where}: cannot use the review database ({message})")


def _statements(script: str) -> Iterable[str]:
    """The SQL statements of a script, for running inside our own transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""
    if statement.strip() and not statement.strip().startswith("--"):
        yield statement.strip()


def _json(state: FsrsCard) -> str:
    return json.dumps(state_to_dict(state), sort_keys=True)


class _CorruptRow(Exception):
    """A row with a value no flashnotes writes; the message says which row and value."""


_DECODING_ERRORS = (ValueError, TypeError, KeyError, OverflowError)


def _check_side_key(side_key: object, where: str) -> None:
    if not isinstance(side_key, str):
        raise _CorruptRow(f"{where}: side key {side_key!r:.40} is not text")


def _state_from_row(row: tuple) -> FsrsCard:
    side_key, *values = row
    _check_side_key(side_key, "card_state")
    keys = ("state", "step", "stability", "difficulty", "due", "last_review")
    try:
        return state_from_dict(dict(zip(keys, values, strict=True)))
    except _DECODING_ERRORS as error:
        raise _CorruptRow(f"card_state of {side_key!r:.80}: {error}") from None


def _state_from_json(text: object, where: str) -> FsrsCard:
    try:
        if not isinstance(text, str):
            raise ValueError(f"{text!r:.40} is not JSON text")
        return state_from_dict(json.loads(text))
    except _DECODING_ERRORS as error:  # json.JSONDecodeError is a ValueError
        raise _CorruptRow(f"{where}: {error}") from None


def _hold_from_row(row: tuple) -> Hold:
    side_key, suspended, buried_until = row
    _check_side_key(side_key, "card_hold")
    try:
        if suspended not in (0, 1) or isinstance(suspended, float):
            raise ValueError(f"suspended {suspended!r:.40} is not 0 or 1")
        until = None if buried_until is None else parse_time(buried_until, "buried_until")
    except _DECODING_ERRORS as error:
        raise _CorruptRow(f"card_hold of {side_key!r:.80}: {error}") from None
    return Hold(bool(suspended), until)


def _logged_for_replay(row: tuple) -> LoggedReview:
    """A log row whose states are about to be recomputed (a pulled row has none yet)."""
    moment = _checked_log_row(row)
    return _log_entry(row, moment, None, state_from_dict({"state": 1, "due": format_time(moment)}))


def _logged(row: tuple) -> LoggedReview:
    where = f"review_log row {row[0]}"
    moment = _checked_log_row(row)
    before, after = row[5], row[6]
    return _log_entry(
        row,
        moment,
        None if before is None else _state_from_json(before, f"{where}: state_before"),
        _state_from_json(after, f"{where}: state_after"),
    )


def _log_entry(
    row: tuple, moment: datetime, before: FsrsCard | None, after: FsrsCard
) -> LoggedReview:
    log_id, side_key, _, rating, duration_ms, _, _, origin, revlog_id = row
    return LoggedReview(
        log_id, side_key, moment, rating, duration_ms, before, after, origin, revlog_id
    )


def _checked_time(log_id: int, text: object) -> datetime:
    try:
        return parse_time(text, "reviewed_at")
    except _DECODING_ERRORS as error:
        raise _CorruptRow(f"review_log row {log_id}: {error}") from None


def _checked_log_row(row: tuple) -> datetime:
    """The review time of a log row, once its plain columns are checked; _CorruptRow if not."""
    log_id, side_key, reviewed_at, rating, duration_ms = row[:5]
    _check_side_key(side_key, f"review_log row {log_id}")
    try:
        if not isinstance(rating, int) or not 1 <= rating <= 4:
            raise ValueError(f"rating {rating!r:.40} is not 1, 2, 3 or 4")
        if duration_ms is not None and (not isinstance(duration_ms, int) or duration_ms < 0):
            raise ValueError(f"duration {duration_ms!r:.40} is not a number of milliseconds")
        return parse_time(reviewed_at, "reviewed_at")
    except _DECODING_ERRORS as error:
        raise _CorruptRow(f"review_log row {log_id}: {error}") from None
