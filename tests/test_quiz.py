"""Scripted quiz sessions through a pipe: the line protocol, the schedule, the database."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from quizkit import CARDS, log_rows, make_project

from flashnotes.cli import cli
from flashnotes.review.answers import answer_diff, answer_matches
from flashnotes.review.days import study_day_start

DAY1 = "2026-11-30T09:00:00+00:00"
FLASHNOTES = [str(Path(sys.executable).parent / "flashnotes")]


pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def quiz(root: Path, keys: list[str], *args: str, now: str = DAY1):
    result = CliRunner().invoke(
        cli,
        ["quiz", "-C", str(root), *args],
        input="".join(f"{key}\n" for key in keys),
        env={"FLASHNOTES_NOW": now},
    )
    return result


def stats(root: Path, *args: str, now: str = DAY1) -> dict:
    result = CliRunner().invoke(
        cli, ["stats", "-C", str(root), "--json", *args], env={"FLASHNOTES_NOW": now}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def day(n: int, hour: int = 9) -> str:
    return (datetime(2026, 11, 30, hour, tzinfo=UTC) + timedelta(days=n)).isoformat()


def test_a_card_shows_deck_position_and_the_interval_of_each_rating(project):
    result = quiz(project, ["", "3", "q"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Demo › 06 RNN  ·  1/4  ·  new" in out
    assert "GRU 的重置门和更新门分别有助于捕捉什么？" in out
    assert "• 重置门：短期依赖" in out
    assert "[image: My_img/gru.png — press o to open]" in out
    assert "1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy 8d" in out
    assert "\x1b" not in out  # plain on a pipe
    assert "reviewed 1 card" in out and "again 0% (0 of 1)" in out
    assert log_rows(project) == [("gru-gates", 3)]
    assert (project / ".flashnotes" / "reviews.sqlite3").exists()


def test_siblings_are_never_shown_on_the_same_day(project):
    # day 1: one side of each note; learning cards come back (10m) within the session
    result = quiz(project, ["", "3"] * 2 + ["1", "3"] + ["", "3"] * 5)
    first_day = [key for key, _ in log_rows(project)]
    notes = {key.split(":")[0] for key in first_day}
    for note in notes:
        assert len({key for key in first_day if key.split(":")[0] == note}) == 1
    assert "dropout:c2" not in first_day and "sigmoid:reverse" not in first_day
    # a second session the same day shows no sibling either
    again = quiz(project, ["", "3"] * 5, now=day(0, 20))
    assert "dropout:c2" not in [key for key, _ in log_rows(project)]
    assert "nothing due" in again.stdout and "a sibling was shown today" in again.stdout
    # the next day the other sides get their turn
    quiz(project, ["", "3"] * 6, now=day(1))
    next_day = [key for key, _ in log_rows(project)][len(first_day) :]
    assert {"dropout:c2", "sigmoid:reverse"} <= set(next_day)
    assert result.exit_code == 0


def test_cloze_shows_the_gap_or_the_hint(project):
    out = quiz(project, ["", "3", "", "4", "q"]).stdout
    assert "丢弃概率通常设得[...]，第一个隐藏层 0.2。" in out
    assert "丢弃概率通常设得小一些，第一个隐藏层 0.2。" in out
    # c2 (with its hint) comes on another day, c1 being days away
    out = quiz(project, ["", "3"] * 6, now=day(1)).stdout
    assert "丢弃概率通常设得小一些，第一个隐藏层 [一个小数]。" in out


def test_typed_answers_are_lenient_and_q_is_an_answer(project):
    only_typed = ["--tag", "rnn", "--limit", "1"]
    cards = CARDS.replace("  - id: gru-gates", "  - id: gru-gates\n    tags: [gru]")
    make_project(project, cards)
    out = quiz(project, ["１ ", "3"], *only_typed, "--new", "1", "--deck", "*").stdout
    assert "GRU" in out  # the first card is the basic one; typed cards follow below
    result = CliRunner().invoke(
        cli,
        ["quiz", "-C", str(project), "--cram"],
        input="\n1\n\n1\n\n1\n１ \n1\nq\n",
        env={"FLASHNOTES_NOW": DAY1},
    )
    assert "✓ correct: 1" in result.stdout
    result = CliRunner().invoke(
        cli,
        ["quiz", "-C", str(project), "--cram"],
        input="\n1\n\n1\n\n1\nq\nu\nq\n",
        env={"FLASHNOTES_NOW": DAY1},
    )
    out = result.stdout
    assert "✗ you typed: q" in out and "the answer: 1" in out
    assert "difference: [-q-]{+1+}" in out
    assert "undone" in out  # `u` after the typed card is a key again


def test_lenient_comparison():
    assert answer_matches("  ＧＲＵ  Cell ", "gru cell")
    assert answer_matches("Straße", "STRASSE")
    assert not answer_matches("0.5", "0.2")
    assert answer_diff("0.5", "0.2", markers=True).plain == "0.[-5-]{+2+}"


def test_undo_restores_the_card_exactly(project):
    quiz(project, ["", "3"])
    db = project / ".flashnotes" / "reviews.sqlite3"

    def snapshot():
        connection = sqlite3.connect(db)
        try:
            return (
                connection.execute("SELECT * FROM card_state ORDER BY side_key").fetchall(),
                connection.execute("SELECT * FROM review_log ORDER BY id").fetchall(),
            )
        finally:
            connection.close()

    before = snapshot()
    # the cards come as: dropout:c1, then the typed card, whose first line is the answer
    result = quiz(project, ["", "4", "my answer", "u", "q"])
    assert "undone" in result.stdout
    assert snapshot() == before
    # undo reaches back through several ratings; `u` as a typed answer is an answer
    result = quiz(project, ["", "3", "x", "3", "u", "u", "u", "u", "q"])
    assert result.stdout.count("undone") == 2
    assert snapshot() == before


def test_quit_and_end_of_input_keep_every_rating(project):
    quiz(project, ["", "3", "", "2", "typed", "q", "", "4"])
    assert log_rows(project) == [("gru-gates", 3), ("dropout:c1", 2)]
    quiz(project, ["", "4"], now=day(0, 10))  # ends at end of input
    assert len(log_rows(project)) == 3


def test_daily_new_limit_and_the_new_option(project):
    make_project(project, settings="deck: Demo\nquiz:\n  new_per_day: 2\n")
    out = quiz(project, ["", "4"] * 10).stdout
    assert len(log_rows(project)) == 2
    out12 = " ".join(quiz(project, ["", "4"], now=day(0, 12)).stdout.split())
    assert "3 new cards over the daily limit (new_per_day: 2)" in out12
    quiz(project, ["", "4"] * 10, "--new", "1", now=day(1))
    assert len(log_rows(project)) == 3
    assert "reviewed 2 cards" in out
    out = quiz(project, [], "--new", "0", now=day(1, 10)).stdout
    assert out.startswith("nothing due")


def test_limit_caps_the_session(project):
    out = quiz(project, ["", "4"] * 10, "--limit", "2").stdout
    assert len(log_rows(project)) == 2
    assert "1/2" in out and "2/2" in out


def test_cram_changes_nothing(project):
    out = quiz(project, ["", "1", "", "3", "q"], "--cram").stdout
    assert "nothing is saved" in out
    assert "1 Again   2 Hard" in out  # no intervals: nothing is scheduled
    assert not (project / ".flashnotes").exists()


def test_nothing_due_says_when_the_next_card_is(project):
    quiz(project, ["", "4"] * 4)  # every new card of day 1, Easy: all due in days
    out = " ".join(quiz(project, [], now=day(0, 12)).stdout.split())
    assert out.startswith("nothing due (2 cards wait for tomorrow: a sibling was shown today)")
    assert "next card due in 16h (2026-12-01 04:00)" in out  # siblings' turn, next day


def test_tag_and_deck_select_cards(project):
    out = quiz(project, ["", "4", "", "4"], "--deck", "nope*").stdout
    result = quiz(project, [], "--deck", "nope*")
    assert result.exit_code == 1 and "no cards to quiz" in result.stderr
    out = quiz(project, ["", "4"], "--deck", "06*").stdout
    assert "1/4" in out


def test_ids_that_disappear_keep_their_history_and_come_back(project):
    quiz(project, ["", "4"] * 4)
    without = CARDS.split("  - id: sigmoid")[0]
    make_project(project, without)
    data = stats(project)
    assert data["orphaned"] == ["sigmoid"]
    make_project(project, CARDS)
    data = stats(project)
    assert data["orphaned"] == [] and data["review"] == 4 and data["new"] == 2


def test_a_week_of_days_and_stats_tell_the_truth(project):
    given = 0
    for n in range(7):
        result = quiz(project, ["", "3", "1 "] * 3 + ["", "3"] * 20, now=day(n))
        assert result.exit_code == 0, result.output
        given += result.stdout.count("\n1 Again")
    rows = log_rows(project)
    assert len(rows) == given
    data = stats(project, now=day(7))
    assert data["reviews"] == given
    assert data["cards"] == 6
    assert data["new"] + data["learning"] + data["review"] + data["relearning"] == 6
    assert data["new"] == 0
    assert sum(day["reviews"] for day in data["reviews_per_day"]) == given
    assert all(isinstance(data[key], int) for key in ("cards", "new", "due", "reviews"))


def test_corrupt_database_is_one_line_and_untouched(project):
    db = project / "broken.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for command in (["quiz"], ["stats"]):
        result = CliRunner().invoke(
            cli, [*command, "-C", str(project), "--db", str(db)], input="\n3\n"
        )
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "not an SQLite database" in result.stderr
        assert "Traceback" not in result.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_bad_flashnotes_now_is_one_line(project):
    result = quiz(project, [], now="yesterday")
    assert result.exit_code == 1 and "FLASHNOTES_NOW" in result.stderr


def test_study_days_start_at_4am_local():
    now = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    assert study_day_start(now, UTC) == datetime(2026, 11, 30, 4, tzinfo=UTC)
    beijing = timezone(timedelta(hours=8))
    assert study_day_start(now, beijing) == datetime(2026, 11, 30, 20, tzinfo=UTC)


# -- real processes ------------------------------------------------------------------------


def start_quiz(root: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "FLASHNOTES_NOW": DAY1, "TZ": "UTC", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*FLASHNOTES, "quiz", "-C", str(root), "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def wait_for_rows(db: Path, count: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                connection = sqlite3.connect(db, timeout=1)
                found = connection.execute("SELECT count(*) FROM review_log").fetchone()[0]
                connection.close()
                if found >= count:
                    return found
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"{count} ratings never reached {db}")


def test_sigkill_loses_no_rating_and_leaves_an_intact_database(project, tmp_path):
    db = tmp_path / "r.sqlite3"
    process = start_quiz(project, db)
    assert process.stdin is not None
    process.stdin.write("\n3\n\n1\n\n4\n")
    process.stdin.flush()
    wait_for_rows(db, 3)
    process.stdin.write("\n")  # mid-card: revealed, not rated
    process.stdin.flush()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT side_key, rating FROM review_log").fetchall() == [
        ("gru-gates", 3),
        ("dropout:c1", 1),
        ("perplexity-best", 4),  # the typed card: its answer was the empty line
    ]
    assert connection.execute("SELECT count(*) FROM card_state").fetchone()[0] == 3
    connection.close()
    result = quiz(project, ["q"], "--db", str(db))  # and it opens again
    assert result.exit_code == 0


def test_two_quizzes_at_once_lose_no_review(project, tmp_path):
    db = tmp_path / "r.sqlite3"
    quiz(project, [], "--db", str(db))  # create it
    first, second = start_quiz(project, db), start_quiz(project, db)
    script = "\n3\n" * 4 + "\n3\n" * 20
    outputs = []
    for process in (first, second):
        assert process.stdin is not None
        process.stdin.write(script)
        process.stdin.close()
    for process in (first, second):
        outputs.append(process.stdout.read())
        assert process.wait(timeout=60) == 0, process.stderr.read()
    given = sum(out.count("\n1 Again") for out in outputs)
    assert given > 0
    assert wait_for_rows(db, given) == given


def test_db_in_a_missing_folder_is_refused_not_created(project, tmp_path):
    result = quiz(project, ["", "3"], "--db", str(tmp_path / "typo" / "reviews.sqlite3"))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("does not exist")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "typo").exists()
