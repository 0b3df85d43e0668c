"""Reviews both ways between `flashnotes quiz` and a real Anki collection (issue 13)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from synckit import new_collection, opened, small_project, sync

from flashnotes.cli import cli
from flashnotes.review import store as store_module
from flashnotes.review.days import study_day_start

anki_collection = pytest.importorskip("anki.collection")

DAY1 = "2026-12-01T09:00:00+00:00"


@pytest.fixture(autouse=True)
def utc_days(utc):
    """Study days in UTC for the quiz and for Anki alike (conftest's `utc`)."""


@pytest.fixture
def root(tmp_path):
    return small_project(tmp_path / "project")


@pytest.fixture
def collection(tmp_path, root):
    path = new_collection(tmp_path / "anki")
    assert sync(root, path).exit_code == 0
    return path


def quiz_easy(root: Path, count: int = 3) -> None:
    """Rate the first `count` cards Easy in the quiz, through a pipe, at a pinned time."""
    keys = "".join("\n4\n" for _ in range(count)) + "q\n"
    result = CliRunner().invoke(
        cli, ["quiz", "-C", str(root), "--new", str(count)], input=keys,
        env={"FLASHNOTES_NOW": DAY1},
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def store_rows(root: Path) -> list[tuple]:
    connection = sqlite3.connect(root / ".flashnotes" / "reviews.sqlite3")
    try:
        return connection.execute(
            "SELECT side_key, reviewed_at, rating, origin FROM review_log ORDER BY reviewed_at"
        ).fetchall()
    finally:
        connection.close()


def card_of(col, card_id: str, ord_: int = 0):
    (note_id,) = col.find_notes(f"Id:{card_id}")
    return next(card for card in col.get_note(note_id).cards() if card.ord == ord_)


def answer_in_anki(col, card_id: str, ord_: int = 0, ease: int = 3) -> int:
    card = card_of(col, card_id, ord_)
    card.start_timer()
    col.sched.answerCard(card, ease)
    return card.id


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    # Anki's collation for names, so that SQLite can check the indexes that use it.
    connection.create_collation(
        "unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower())
    )
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_quiz_ratings_become_ankis_review_log_and_schedule(root, collection):
    quiz_easy(root)
    rows = store_rows(root)
    assert len(rows) == 3
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "3 reviews from the quiz into Anki" in result.output
    stored = json.loads(
        CliRunner()
        .invoke(cli, ["stats", "-C", str(root), "--json"], env={"FLASHNOTES_NOW": DAY1})
        .stdout
    )
    assert stored["reviews"] == 3 and stored["review"] == 3
    with opened(collection) as col:
        revlog = col.db.all("select id, cid, ease, type from revlog order by id")
        assert [row[2] for row in revlog] == [4, 4, 4] and {row[3] for row in revlog} == {0}
        reviewed_at = datetime.fromisoformat(DAY1)
        for revlog_id, *_ in revlog:  # the quiz's time, to the millisecond (unique ids)
            assert abs(revlog_id - reviewed_at.timestamp() * 1000) < 10
        connection = sqlite3.connect(root / ".flashnotes" / "reviews.sqlite3")
        states = dict(connection.execute("SELECT side_key, due FROM card_state").fetchall())
        connection.close()
        today = study_day_start(datetime.now(UTC))
        for side, due in states.items():
            card_id, _, rest = side.partition(":")
            ord_ = int(rest[1:]) - 1 if rest.startswith("c") else (1 if rest else 0)
            card = card_of(col, card_id, ord_)
            assert (card.type, card.queue) == (2, 2)  # no longer new: review cards
            assert (card.reps, card.lapses) == (1, 0)
            due_day = study_day_start(datetime.fromisoformat(due))
            assert card.due - col.sched.today == (due_day - today).days
            assert card.memory_state is not None and card.memory_state.stability > 0
        assert col.fix_integrity()[1]
    assert integrity(collection) == "ok"
    result = sync(root, collection)
    assert "nothing to do" in result.output
    with opened(collection) as col:
        assert col.db.scalar("select count() from revlog") == 3


def test_a_restored_backup_gets_back_the_reviews_it_lacks(root, collection, tmp_path):
    before = tmp_path / "before-sync.anki2"
    shutil.copy(collection, before)
    quiz_easy(root)
    assert "3 reviews from the quiz into Anki" in sync(root, collection).output
    shutil.copy(before, collection)  # the learner restores the backup from before that sync
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "3 reviews from the quiz into Anki" in result.output
    with opened(collection) as col:
        assert col.db.scalar("select count() from revlog") == 3
        assert col.fix_integrity()[1]
    assert len(store_rows(root)) == 3  # nothing doubled on the quiz's side either
    assert "nothing to do" in sync(root, collection).output
    # A second profile's collection gets the whole history too.
    other = new_collection(tmp_path / "other-profile")
    assert "3 reviews from the quiz into Anki" in sync(root, other).output
    with opened(other) as col:
        assert col.db.scalar("select count() from revlog") == 3


def test_anki_answers_join_the_quiz_log_and_schedule(root, collection):
    with opened(collection) as col:
        answer_in_anki(col, "softmax", ease=3)
        answer_in_anki(col, "ordereddict", 1, ease=4)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "2 reviews from Anki into the quiz" in result.output
    result = CliRunner().invoke(cli, ["stats", "-C", str(root), "--json"])
    data = json.loads(result.stdout)
    assert data["reviews"] == 2 and data["new"] == data["cards"] - 2
    assert data["learning"] == 1 and data["review"] == 1
    assert {row[3] for row in store_rows(root)} == {"anki"}


def test_reviews_on_both_sides_are_merged_once(root, collection):
    quiz_easy(root)
    with opened(collection) as col:
        answer_in_anki(col, "ordereddict", 1)
        answer_in_anki(col, "dropout-rates", 1)
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "3 reviews from the quiz into Anki, 2 reviews from Anki" in result.output
    for _ in range(2):
        sync(root, collection)
        with opened(collection) as col:
            assert col.db.scalar("select count() from revlog") == 5
        assert len(store_rows(root)) == 5
    with opened(collection) as col:
        answer_in_anki(col, "ordereddict", 1)
    result = sync(root, collection)
    assert "0 reviews from the quiz into Anki, 1 review from Anki" in result.output
    assert len(store_rows(root)) == 6


KILL_AFTER_ANKI = """
import os, signal, sys
from flashnotes.review.store import Store
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
Store.merge_synced = killed
from flashnotes.cli import main
sys.argv = ["flashnotes", *sys.argv[1:]]
main()
"""


def test_a_sync_killed_between_the_two_commits_duplicates_nothing(root, collection):
    quiz_easy(root)
    with opened(collection) as col:
        answer_in_anki(col, "ordereddict", 1)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_ANKI, "sync", "-C", str(root),
         "--collection", str(collection)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert killed.returncode == -9
    with opened(collection) as col:
        assert col.db.scalar("select count() from revlog") == 4  # Anki committed
    assert len(store_rows(root)) == 3  # the store did not
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "0 reviews from the quiz into Anki, 1 review from Anki" in result.output
    with opened(collection) as col:
        assert col.db.scalar("select count() from revlog") == 4
        assert col.fix_integrity()[1]
    assert len(store_rows(root)) == 4
    assert integrity(collection) == "ok"
    assert integrity(root / ".flashnotes" / "reviews.sqlite3") == "ok"


def test_an_old_store_upgrades_in_place_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    for step in range(3):
        connection.executescript(store_module.MIGRATIONS[step]())
    connection.execute("PRAGMA user_version = 3")
    connection.execute(
        "INSERT INTO review_log (side_key, reviewed_at, rating, duration_ms, state_before,"
        " state_after, session) VALUES ('a', '2026-12-01T09:00:00.000000+00:00', 3, 1200,"
        " NULL, ?, 's')",
        (json.dumps({"state": 2, "step": None, "stability": 3.0, "difficulty": 5.0,
                     "due": "2026-12-04T09:00:00.000000+00:00",
                     "last_review": "2026-12-01T09:00:00.000000+00:00"}),),
    )  # fmt: skip
    connection.commit()
    connection.close()
    with store_module.Store.open(path) as store:
        (row,) = store.reviews()
        assert (row.side_key, row.rating, row.duration_ms, row.origin) == ("a", 3, 1200, "quiz")
        assert row.anki_revlog_id is None
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    connection.close()


def test_dry_run_counts_reviews_each_way_and_changes_nothing(root, collection):
    quiz_easy(root)
    with opened(collection) as col:
        answer_in_anki(col, "ordereddict", 1)
    before = (collection.read_bytes(), store_rows(root))
    result = sync(root, collection, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 reviews from the quiz into Anki, 1 review from Anki into the quiz" in result.output
    assert (collection.read_bytes(), store_rows(root)) == before


def test_a_switch_to_cloze_keeps_the_quiz_history_of_the_continuing_card(root, collection):
    quiz_easy(root)
    assert "3 reviews from the quiz" in sync(root, collection).output
    cards = root / "cards" / "01-basics.yaml"
    text = cards.read_text(encoding="utf-8")
    text = text.replace(
        '    type: reversed\n    front: "`collections.OrderedDict`"\n'
        "    back: A dict that remembers insertion order\n",
        '    type: cloze\n    text: "`OrderedDict` is a {{c1::dict that keeps insertion order}}"\n',
    )
    cards.write_text(text, encoding="utf-8")
    result = sync(root, collection)
    assert result.exit_code == 0, result.output
    assert "1 retyped" in result.output
    assert ("ordereddict:c1", 4) in [(side, rating) for side, _, rating, _ in store_rows(root)]
    with opened(collection) as col:
        card = card_of(col, "ordereddict", 0)
        assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    assert "nothing to do" in sync(root, collection).output


def test_a_quiz_session_after_a_quiet_sync_is_seen(root, collection):
    quiz_easy(root, 1)
    assert "1 review from the quiz" in sync(root, collection).output
    assert "nothing to do" in sync(root, collection).output
    result = CliRunner().invoke(
        cli, ["quiz", "-C", str(root), "--new", "1"], input="\n3\nq\n",
        env={"FLASHNOTES_NOW": "2026-12-01T10:00:00+00:00"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = sync(root, collection)
    assert "1 review from the quiz into Anki" in result.output
    with opened(collection) as col:
        assert col.db.scalar("select count() from revlog") == 2


def test_alternating_quiz_and_anki_sessions_end_in_one_history_and_one_schedule(root, collection):
    """Three rounds of a quiz session, a sync, an Anki session (driven through the
    library, as Anki's reviewer does), a sync: both logs hold the same reviews per card,
    and both sides agree on when each card is due."""
    for _ in range(3):
        result = CliRunner().invoke(cli, ["quiz", "-C", str(root)], input="\n3\n" * 4 + "q\n")
        assert result.exit_code == 0, result.output
        assert sync(root, collection).exit_code == 0
        with opened(collection) as col:
            col.decks.select(col.decks.id_for_name("Test Deck"))  # study the project's deck
            for _ in range(3):
                card = col.sched.getCard()
                if card is None:
                    break
                col.sched.answerCard(card, 3)
        assert sync(root, collection).exit_code == 0
    connection = sqlite3.connect(root / ".flashnotes" / "reviews.sqlite3")
    per_side = dict(
        connection.execute("SELECT side_key, count(*) FROM review_log GROUP BY side_key")
    )
    dues = dict(connection.execute("SELECT side_key, due FROM card_state"))
    connection.close()
    with opened(collection) as col:
        today, now = col.sched.today, datetime.now(UTC)
        for side, count in per_side.items():
            card_id, _, rest = side.partition(":")
            ord_ = int(rest[1:]) - 1 if rest.startswith("c") else (1 if rest else 0)
            card = card_of(col, card_id, ord_)
            assert col.db.scalar("select count() from revlog where cid = ?", card.id) == count
            due = datetime.fromisoformat(dues[side])
            if card.queue == 2:  # a review card: the same study day
                expected = (study_day_start(due) - study_day_start(now)).days
                assert card.due - today == max(0, expected), side
            else:  # a learning step: the same moment
                assert abs(card.due - due.timestamp()) <= 1, side
        assert col.fix_integrity()[1]
    assert len(per_side) == 5  # every side was reviewed, some in the quiz, some in Anki
    assert {row[3] for row in store_rows(root)} == {"quiz", "anki"}


def test_dry_run_counts_the_reviews_of_cards_the_sync_adds(root, tmp_path):
    quiz_easy(root)  # reviewed in the quiz before the notes were ever in Anki
    fresh = new_collection(tmp_path / "fresh")
    result = sync(root, fresh, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output
    assert "3 reviews from the quiz into Anki" in result.output
    result = sync(root, fresh)
    assert "3 reviews from the quiz into Anki" in result.output


def test_a_learning_card_reaches_anki_at_its_step(root, collection):
    result = CliRunner().invoke(
        cli, ["quiz", "-C", str(root), "--new", "1"], input="\n3\nq\n",
        env={"FLASHNOTES_NOW": DAY1},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 review from the quiz" in sync(root, collection).output
    with opened(collection) as col:
        card = card_of(col, "softmax")
        assert (card.type, card.queue) == (1, 1)  # learning, due at a moment
        ten_minutes_later = datetime.fromisoformat(DAY1).timestamp() + 600
        assert card.due == int(ten_minutes_later)  # Good on a new card: the 10-minute step
        assert card.left == 1  # one learning step to go
        assert col.fix_integrity()[1]
