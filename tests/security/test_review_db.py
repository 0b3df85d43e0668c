"""A review database from a shared repository is untrusted: foreign files, hostile triggers,
impossible rows, read-only files and a full disk are each one line, and nothing we do not
own is written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from quizkit import make_project

from flashnotes.cli import cli
from flashnotes.errors import FlashnotesError, display_path
from flashnotes.project.model import QuizSettings
from flashnotes.review.scheduler import make_scheduler, review
from flashnotes.review.store import Store

NOW = "2026-11-30T09:00:00+00:00"
SCHEDULER = make_scheduler(QuizSettings(), fuzzing=False)
FLASHNOTES = str(Path(sys.executable).parent / "flashnotes")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, keys: str = "") -> object:
    return CliRunner().invoke(cli, list(args), input=keys, env={"FLASHNOTES_NOW": NOW})


def ours(path: Path, ratings: int = 1) -> Path:
    """A real flashnotes database with `ratings` ratings of one card, back in rollback mode."""
    now = datetime.fromisoformat(NOW)
    with Store.open(path) as store:
        for _ in range(ratings):
            store.record("gru-gates", now, 3, 1000, "s", lambda b: review(SCHEDULER, b, 3, now))
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")  # one file: its bytes say everything
    connection.close()
    return path


def assert_one_line_refusal(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "internal error" not in lines[0] and "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def foreign_notes_app(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
        "INSERT INTO notes (body) VALUES ('my diary');"
        "PRAGMA user_version = 1;"
    )
    connection.close()


def ours_plus(statement: str):
    """A maker of our own database with one more statement run on it."""

    def make(path: Path) -> None:
        ours(path)
        connection = sqlite3.connect(path)
        connection.execute(statement)
        connection.commit()
        connection.close()

    make.__name__ = statement.split(" (")[0].lower().replace(" ", "_")
    return make


trigger_wipes_ratings = ours_plus(
    "CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM review_log; END"
)
view_over_ours = ours_plus("CREATE VIEW everything AS SELECT * FROM review_log")
extra_table = ours_plus("CREATE TABLE passwords (site TEXT, secret TEXT)")
column_missing = ours_plus("ALTER TABLE review_log DROP COLUMN duration_ms")


def negative_version(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = -3")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    "make",
    [
        foreign_notes_app,
        trigger_wipes_ratings,
        view_over_ours,
        extra_table,
        column_missing,
        negative_version,
    ],
)
@pytest.mark.parametrize("command", ["quiz", "stats"])
def test_a_database_that_is_not_exactly_ours_is_refused_untouched(project, make, command):
    db = project / "shared.sqlite3"
    make(db)
    before = digest(db)
    result = run(command, "-C", str(project), "--db", str(db), keys="\n3\n" * 3)
    assert_one_line_refusal(result, "not a flashnotes one", "left untouched")
    assert digest(db) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("shared")) == [
        "shared.sqlite3"
    ]  # no -wal, no -shm: not even switched to WAL
    assert "GRU" not in result.stdout  # refused before the first card


def test_the_trigger_names_itself_in_the_refusal(project):
    db = project / "shared.sqlite3"
    trigger_wipes_ratings(db)
    result = run("quiz", "-C", str(project), "--db", str(db), keys="\n3\n")
    assert "trigger `wipe`" in result.stderr


def test_an_untouched_database_of_ours_still_opens(project):
    db = ours(project / "mine.sqlite3")
    result = run("stats", "-C", str(project), "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    assert '"reviews": 1' in result.stdout


CORRUPT_ROWS = [
    ("UPDATE card_state SET state = 7", "state 7 is not 1, 2 or 3"),
    ("UPDATE card_state SET due = 'next tuesday'", "due"),
    ("UPDATE card_state SET due = '2026-12-01T09:00:00'", "no time zone"),
    ("UPDATE card_state SET stability = 'abc'", "stability"),
    ("UPDATE card_state SET stability = -1.5", "stability -1.5 is not positive"),
    ("UPDATE card_state SET difficulty = 1e308 * 10", "difficulty"),
    ("UPDATE card_state SET step = -4, state = 1", "step -4 is negative"),
    ("UPDATE card_state SET stability = NULL", "stability and difficulty"),
    ("UPDATE card_state SET due = '0001-01-01T00:00:00+05:00'", "due"),
    ("UPDATE review_log SET state_after = 'not json'", "review_log row 1"),
    ("UPDATE review_log SET state_after = '[1, 2]'", "review_log row 1"),
    ("UPDATE review_log SET reviewed_at = 'yesterday'", "reviewed_at"),
    ("UPDATE review_log SET reviewed_at = '2026-11-30T09:00:00'", "no time zone"),
    ("UPDATE review_log SET state_before = '{\"state\": 2}'", "state_before"),
    ("INSERT INTO card_hold VALUES ('gru-gates', 0, 'after lunch')", "buried_until"),
    ("INSERT INTO card_hold VALUES ('gru-gates', 0, '2026-12-01T04:00:00')", "no time zone"),
]


@pytest.mark.parametrize(("update", "detail"), CORRUPT_ROWS)
@pytest.mark.parametrize("command", ["quiz", "stats"])
def test_impossible_values_are_a_corrupt_database_in_one_line(project, update, detail, command):
    db = ours(project / "mine.sqlite3")
    connection = sqlite3.connect(db)
    connection.execute(update)
    connection.commit()
    connection.close()
    result = run(*command.split(), "-C", str(project), "--db", str(db), keys="\n3\n" * 3)
    assert_one_line_refusal(result, "the review database is corrupt: ", detail)


@pytest.mark.parametrize(
    ("table", "command"),
    [
        ("card_state", "quiz"),
        ("card_state", "stats"),
        ("card_state", "unsuspend gru-gates"),
        # the quiz reads only today's log; stats and unsuspend list every side key
        ("review_log", "stats"),
        ("review_log", "unsuspend gru-gates"),
    ],
)
def test_a_side_key_that_is_not_text_is_a_corrupt_database(project, table, command):
    db = project / "mine.sqlite3"
    ours(db)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE review_log SET reviewed_at = '2026-11-01T09:00:00.000000+00:00'")
    connection.execute(f"UPDATE {table} SET side_key = X'6869'")  # bytes, even in a TEXT column
    connection.commit()
    connection.close()
    result = run(*command.split(), "-C", str(project), "--db", str(db), keys="\n3\n" * 3)
    assert_one_line_refusal(result, "the review database is corrupt: ", "b'hi' is not text")


def test_a_corrupt_row_is_found_before_any_rating_is_taken(project):
    db = ours(project / "mine.sqlite3")
    connection = sqlite3.connect(db)
    connection.execute("UPDATE card_state SET state = 9")
    connection.commit()
    connection.close()
    result = run("quiz", "-C", str(project), "--db", str(db), keys="\n3\n" * 3)
    assert result.exit_code == 1
    assert "GRU" not in result.stdout
    assert sqlite3.connect(db).execute("SELECT count(*) FROM review_log").fetchone() == (1,)


# -- read-only files and full disks ---------------------------------------------------------


def as_unprivileged(command: list[str]) -> list[str]:
    """Run `command` so that file permissions apply to it, even when the tests run as root
    (root ignores them unless it gives up CAP_DAC_OVERRIDE)."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) is needed to test read-only files as root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_database_is_reported_before_the_first_card(project, read_only):
    folder = project / "state"
    folder.mkdir()
    db = ours(folder / "reviews.sqlite3")
    sqlite3.connect(db).execute("PRAGMA journal_mode = WAL").fetchone()  # as the quiz left it
    target = db if read_only == "file" else folder
    mode = target.stat().st_mode
    target.chmod(0o444 if read_only == "file" else 0o555)
    before = digest(db)
    try:
        result = subprocess.run(
            as_unprivileged([FLASHNOTES, "quiz", "-C", str(project), "--db", str(db)]),
            input="\n3\n" * 3,
            capture_output=True,
            text=True,
            env={**os.environ, "FLASHNOTES_NOW": NOW},
            timeout=60,
        )
    finally:
        target.chmod(mode)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"{display_path(db)}: the review database is read-only, so ratings cannot be saved "
        "(the file and its folder must be writable)"
    ]
    assert "GRU" not in result.stdout  # no card shown, so no rating taken and lost
    assert digest(db) == before


class FullDisk:
    """Store.open, with the database capped at its current size: the disk is full."""

    def __init__(self, free_pages: int = 0) -> None:
        self.free_pages = free_pages
        self.open = Store.open

    def __call__(self, path: Path, **options: object) -> Store:
        store = self.open(path, **options)
        connection = store._db
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + self.free_pages}")
        return store


def test_a_full_disk_stops_the_quiz_in_one_line_and_says_the_rating_was_not_saved(
    project, monkeypatch
):
    db = project / "reviews.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA page_size = 512")  # small pages: the first rating needs one more
    connection.execute("VACUUM")
    connection.close()
    Store.open(db).close()
    monkeypatch.setattr(Store, "open", FullDisk())
    result = run("quiz", "-C", str(project), "--db", str(db), keys="\n3\n" * 6)
    assert_one_line_refusal(result, "the review database cannot be written: the disk is full")
    assert result.stderr.endswith(
        "; this rating of dropout:c1 was NOT saved (earlier ratings saved this session: 1)\n"
    )
    assert "reviewed" not in result.stdout  # no summary that counts the lost rating
    monkeypatch.undo()
    with Store.open(db) as store:
        assert [row.side_key for row in store.reviews()] == ["gru-gates"]
        assert set(store.states()) == {"gru-gates"}


def test_ratings_saved_before_the_disk_filled_stay_saved(tmp_path):
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    path = tmp_path / "r.db"
    with FullDisk(free_pages=2)(path) as store:
        saved = 0
        with pytest.raises(FlashnotesError) as raised:
            for number in range(10_000):
                store.record(
                    f"card-{number}-" + "x" * 200,
                    now,
                    3,
                    1000,
                    "s",
                    lambda b: review(SCHEDULER, b, 3, now),
                )
                saved += 1
        assert isinstance(raised.value, FlashnotesError)
        assert raised.value.lines() == [
            f"{display_path(path)}: the review database cannot be written: the disk is full"
        ]
        assert not store._db.in_transaction
        assert saved > 0 and store.review_count() == saved
        assert len(store.states()) == saved


def test_stats_reads_a_read_only_database_without_writing_to_it(project):
    db = ours(project / "mine.sqlite3", ratings=2)
    before = digest(db)
    db.chmod(0o444)
    try:
        result = subprocess.run(
            as_unprivileged([FLASHNOTES, "stats", "--json", "-C", str(project), "--db", str(db)]),
            capture_output=True,
            text=True,
            env={**os.environ, "FLASHNOTES_NOW": NOW},
            timeout=60,
        )
    finally:
        db.chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert '"reviews": 2' in result.stdout
    assert digest(db) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("mine")) == [
        "mine.sqlite3"
    ]


def test_stats_on_damaged_pages_is_one_line(project):
    db = ours(project / "mine.sqlite3", ratings=1)
    data = bytearray(db.read_bytes())
    page = 4096
    data[page:] = b"\xa5" * (len(data) - page)  # every page after the schema
    db.write_bytes(bytes(data))
    result = run("stats", "-C", str(project), "--db", str(db), "--json")
    assert_one_line_refusal(result, "the review database is corrupt")
