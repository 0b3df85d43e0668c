import hashlib
import itertools
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from flashnotes.errors import FlashnotesError
from flashnotes.project.model import QuizSettings
from flashnotes.review.scheduler import make_scheduler, review, state_to_dict
from flashnotes.review.store import SCHEMA_VERSION, Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SCHEDULER = make_scheduler(QuizSettings(), fuzzing=False)


def rate(store, key, rating, now=NOW, session="s"):
    return store.record(
        key, now, rating, 1200, session, lambda before: review(SCHEDULER, before, rating, now)
    )


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_schema_version_and_wal(tmp_path):
    path = tmp_path / "deep" / "reviews.sqlite3"
    Store.open(path).close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"card_state", "review_log"} <= tables


def test_a_rating_writes_log_and_state_together(tmp_path):
    with Store.open(tmp_path / "r.db") as store:
        first = rate(store, "a", 3)
        second = rate(store, "a", 3, NOW + timedelta(minutes=10))
        assert first.before is None and second.before == first.after
        assert store.states() == {"a": second.after}
        rows = store.reviews()
        assert [(r.side_key, r.rating, r.duration_ms) for r in rows] == [
            ("a", 3, 1200),
            ("a", 3, 1200),
        ]
        assert store.reviews(since=NOW + timedelta(minutes=5)) == rows[1:]


def test_undo_restores_the_previous_state_exactly(tmp_path):
    with Store.open(tmp_path / "r.db") as store:
        first = rate(store, "a", 3)
        before = state_to_dict(store.state("a"))
        last = rate(store, "a", 1, NOW + timedelta(minutes=10))
        assert store.undo(last.id, "s") == first.after
        assert state_to_dict(store.state("a")) == before
        assert [r.id for r in store.reviews()] == [first.id]
        assert store.undo(first.id, "s") is None  # new again
        assert store.states() == {} and store.review_count() == 0
        again = rate(store, "a", 3)
        assert again.id > last.id  # log ids are never reused


def test_undo_only_takes_back_this_sessions_ratings(tmp_path):
    with Store.open(tmp_path / "r.db") as store:
        other = rate(store, "a", 3, session="other")
        with pytest.raises(FlashnotesError):
            store.undo(other.id, "mine")
        assert store.review_count() == 1


def test_state_is_rebuilt_from_the_log(tmp_path):
    with Store.open(tmp_path / "r.db") as store:
        for minutes, (key, rating) in enumerate([("a", 3), ("b", 1), ("a", 3), ("b", 4)]):
            rate(store, key, rating, NOW + timedelta(minutes=10 * minutes))
        expected = store.states()
        store._db.execute("DELETE FROM card_state")
        store.rebuild_state()
        assert store.states() == expected


def test_history_of_vanished_ids_is_kept(tmp_path):
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        rate(store, "gone", 3)
    with Store.open(path) as store:
        assert store.keys_with_history() == {"gone"}
        assert "gone" in store.states()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all\n" * 100,
        b"SQLite format 3\x00" + b"\xff" * 4080,
    ],
)
def test_corrupt_file_is_reported_and_left_untouched(tmp_path, content):
    path = tmp_path / "r.db"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(FlashnotesError) as raised:
        Store.open(path)
    assert len(raised.value.lines()) == 1 and "\n" not in raised.value.lines()[0]
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.db"]


def test_damaged_page_in_a_real_database_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        for minute in range(300):
            rate(store, f"card-{minute}", 3, NOW + timedelta(minutes=minute))
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 200] = os.urandom(200)
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(FlashnotesError, match="corrupt"):
        Store.open(path)
    assert digest(path) == before


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "r.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(FlashnotesError, match="newer flashnotes"):
        Store.open(path)
    assert digest(path) == before


def test_someone_elses_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (x)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(FlashnotesError, match="not a flashnotes one"):
        Store.open(path)
    assert digest(path) == before


def test_locked_database_is_one_line(tmp_path):
    path = tmp_path / "r.db"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing for a long time
    try:
        with pytest.raises(FlashnotesError, match="locked") as raised:
            Store.open(path, busy_timeout_ms=100)  # the quiz: told before the first card
        assert len(raised.value.lines()) == 1
        with Store.open(path, busy_timeout_ms=100, writable=False) as store:
            with pytest.raises(FlashnotesError, match="locked") as raised:
                rate(store, "a", 3)
            assert len(raised.value.lines()) == 1
            assert store.review_count() == 0
    finally:
        holder.execute("ROLLBACK")


def test_two_writers_lose_no_review(tmp_path):
    path = tmp_path / "r.db"
    Store.open(path).close()
    errors = []

    def writer(name):
        try:
            with Store.open(path) as store:
                for i in range(40):
                    rate(store, "shared" if i % 2 else f"{name}-{i}", 3, session=name)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(path) as store:
        rows = store.reviews()
        assert len(rows) == 80
        shared = [row for row in rows if row.side_key == "shared"]
        # each rating built on the state the previous one left, whichever quiz gave it
        for earlier, later in itertools.pairwise(shared):
            assert later.before == earlier.after
        assert store.state("shared") == shared[-1].after
