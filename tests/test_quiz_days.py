"""Issue 11 on a pipe with a pinned clock: study days, learn-ahead, exact undo, the one
meaning of "due" that `quiz` and `stats` share, bury and suspend, end-of-session words."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from quizkit import log_rows as log
from quizkit import make_project

from flashnotes.cli import cli
from flashnotes.review.days import study_day_end, study_day_start

pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


def at(text: str) -> str:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()


def quiz(root: Path, keys: list[str], *args: str, now: str, env: dict | None = None):
    result = CliRunner().invoke(
        cli,
        ["quiz", "-C", str(root), *args],
        input="".join(f"{key}\n" for key in keys),
        env={"FLASHNOTES_NOW": now, **(env or {})},
    )
    assert result.exit_code == 0, result.output
    return result


def stats(root: Path, now: str) -> dict:
    result = CliRunner().invoke(
        cli, ["stats", "-C", str(root), "--json"], env={"FLASHNOTES_NOW": now}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def db_rows(root: Path, query: str) -> list[tuple]:
    connection = sqlite3.connect(root / ".flashnotes" / "reviews.sqlite3")
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_review_is_due_for_its_whole_study_day(project):
    quiz(project, ["", "3", "", "3", "q"], "--limit", "1", now=at("2026-12-01T21:00"))
    assert log(project) == [("gru-gates", 3), ("gru-gates", 3)]
    (due_text,) = db_rows(project, "SELECT due FROM card_state")[0]
    due = datetime.fromisoformat(due_text)
    assert due.hour == 21  # FSRS counts from the time of the rating
    day_start = study_day_start(due, UTC)
    # 04:30 on its due day: shown, and stats said so before
    early = (day_start + timedelta(minutes=30)).isoformat()
    assert stats(project, early)["due"] == 1
    out = quiz(project, ["", "3"], "--new", "0", now=early).stdout
    assert "Demo › 06 RNN  ·  1/1  ·  review" in out
    assert len(log(project)) == 3


def test_the_4am_boundary(project):
    quiz(project, ["", "3", "", "3", "q"], "--limit", "1", now=at("2026-12-01T21:00"))
    (due_text,) = db_rows(project, "SELECT due FROM card_state")[0]
    day_start = study_day_start(datetime.fromisoformat(due_text), UTC)
    before = (day_start - timedelta(minutes=1)).isoformat()  # 03:59: still the day before
    assert stats(project, before)["due"] == 0
    out = flat(quiz(project, [], "--new", "0", now=before).stdout)
    assert out.startswith("nothing due")
    assert f"next card due in 1m ({day_start:%Y-%m-%d %H:%M})" in out


def test_the_issue_reproduction_stats_and_quiz_agree(project):
    quiz(project, ["", "3", "", "3", "q"], "--limit", "1", now=at("2026-12-01T21:00"))
    (due_text,) = db_rows(project, "SELECT due FROM card_state")[0]
    morning = study_day_start(datetime.fromisoformat(due_text), UTC) + timedelta(hours=4)
    data = stats(project, morning.isoformat())
    assert data["due"] == 1 and data["due_today"] == 1
    out = quiz(project, ["", "3"], "--new", "0", now=morning.isoformat()).stdout
    assert "GRU" in out and "nothing due" not in out


def test_a_learning_card_from_an_earlier_session_comes_when_due(project):
    quiz(project, ["", "1", "q"], now=at("2026-11-30T09:00"))  # due 09:01
    out = quiz(project, ["", "1", "", "3", "q"], "--new", "1", now=at("2026-11-30T09:00:30")).stdout
    # the new card first; then, within learn-ahead, the learning card due first (09:01)
    assert log(project) == [("gru-gates", 1), ("dropout:c1", 1), ("gru-gates", 3)]
    assert "1 new 1 learning 0 review left" in out  # Anki's counts, the shown card included


def test_undo_twice_from_a_learning_repeat_restores_the_queue(project):
    out = quiz(
        project,
        ["", "1", "", "3", "u", "u"] + ["", "3"] * 6,
        "--new",
        "2",
        now=at("2026-11-30T09:00"),
    ).stdout
    assert "undone: rating Good of dropout:c1" in out
    assert "undone: rating Again of gru-gates" in out
    # the session's --new 2 is spent: nothing is "still due", the rest waits for --new
    assert "still due" not in out and "3 new cards left out by --new 2" in flat(out)
    # each card twice (learning step, then graduation), no duplicate, no review not due
    assert log(project) == [
        ("gru-gates", 3),
        ("dropout:c1", 3),
        ("gru-gates", 3),
        ("dropout:c1", 3),
    ]
    assert db_rows(
        project, "SELECT count(*) FROM review_log WHERE state_before LIKE '%\"state\": 2%'"
    ) == [(0,)]


def test_undo_with_nothing_to_undo_says_so(project):
    out = quiz(project, ["u", "", "u", "", "3", "q"], now=at("2026-11-30T09:00")).stdout
    assert out.count("nothing to undo") == 2
    assert log(project) == [("gru-gates", 3)]


def test_enter_on_the_answer_side_rates_good(project):
    out = quiz(project, ["", "", "q"], now=at("2026-11-30T09:00")).stdout
    assert log(project) == [("gru-gates", 3)]
    assert "1-4: rate (Enter/space: Good)" in out


def test_bury_hides_a_card_until_the_next_study_day(project):
    out = quiz(project, ["-", "q"], now=at("2026-11-30T09:00")).stdout
    assert "buried gru-gates until tomorrow" in out
    later = quiz(project, ["q"], now=at("2026-11-30T23:00")).stdout
    assert "GRU" not in later and "丢弃" in later  # a restart: still buried
    assert stats(project, at("2026-11-30T23:00"))["due"] == 0
    after_midnight = quiz(project, ["q"], now=at("2026-12-01T03:00")).stdout
    assert "GRU" not in after_midnight  # 3 am is still the same study day
    next_day = quiz(project, ["q"], now=at("2026-12-01T04:00")).stdout
    assert "GRU" in next_day
    assert log(project) == []


def test_undo_takes_back_a_bury(project):
    out = quiz(project, ["-", "u", "q"], now=at("2026-11-30T09:00")).stdout
    assert "undone: burying of gru-gates" in out
    assert out.count("GRU 的重置门") == 2
    assert db_rows(project, "SELECT * FROM card_hold") == []


def test_suspend_until_unsuspended(project):
    quiz(project, ["", "3", "", "@", "q"], now=at("2026-11-30T09:00"))
    assert db_rows(project, "SELECT side_key, suspended FROM card_hold") == [("dropout:c1", 1)]
    day3 = at("2026-12-03T09:00")
    data = stats(project, day3)
    assert data["suspended"] == 1
    human = CliRunner().invoke(cli, ["stats", "-C", str(project)], env={"FLASHNOTES_NOW": day3})
    assert "suspended: 1 card (`flashnotes unsuspend ID` brings one back)" in human.stdout
    out = quiz(project, ["", "4"] * 8, now=day3).stdout
    assert "[...]" not in out.split("\n1/")[0]
    assert "dropout:c1" not in [key for key, _ in log(project)]
    result = CliRunner().invoke(cli, ["unsuspend", "-C", str(project), "dropout"])
    assert result.exit_code == 0, result.output
    assert "unsuspended dropout:c1" in result.stdout
    assert stats(project, day3)["suspended"] == 0
    out = quiz(project, ["", "4"] * 8, now=at("2026-12-04T09:00")).stdout
    assert "丢弃概率通常设得[...]" in out


def test_unsuspend_reports_what_it_cannot_do(project):
    result = CliRunner().invoke(cli, ["unsuspend", "-C", str(project), "nope", "gru-gates"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "nope: no card with this id in the project or the review database",
    ]
    result = CliRunner().invoke(cli, ["unsuspend", "-C", str(project), "gru-gates"])
    assert result.exit_code == 0
    assert result.stdout == "gru-gates: not suspended\n"
    assert not (project / ".flashnotes").exists()  # nothing was created for nothing


def test_the_end_names_the_limit_that_held_cards_back(project):
    out = flat(quiz(project, ["", "4"], "--limit", "1", now=at("2026-11-30T09:00")).stdout)
    assert "3 cards still due today (--limit 1 ended the session)" in out
    assert "2 cards wait for tomorrow: a sibling was shown today" in out
    out = flat(quiz(project, [], "--new", "0", now=at("2026-11-30T09:05")).stdout)
    assert "5 new cards left out by --new 0" in out
    assert "limits" not in out


def test_quitting_says_what_is_left_without_blaming_a_limit(project):
    out = flat(quiz(project, ["", "4", "q"], "--limit", "2", now=at("2026-11-30T09:00")).stdout)
    assert "3 cards still due today (run `flashnotes quiz` again to go on)" in out


def test_o_reports_a_viewer_that_fails(project, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "xdg-open"
    fake.write_text("#!/bin/sh\necho 'no method available for opening' >&2\nexit 3\n")
    fake.chmod(0o755)
    import os

    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    out = flat(quiz(project, ["", "o", "3", "q"], now=at("2026-11-30T09:00"), env=env).stdout)
    assert "could not open gru.png: xdg-open exited with 3: no method available" in out
    assert "opened gru.png" not in out


def test_escape_leaves_a_typed_answer_for_keys(project):
    out = quiz(project, ["", "3", "", "3", "\x1b", "u", "q"], now=at("2026-11-30T09:00")).stdout
    assert "undone: rating Good of dropout:c1" in out
    assert log(project) == [("gru-gates", 3)]


def test_cram_says_cram_on_every_card(project):
    out = quiz(project, ["", "1", "", "3", "q"], "--cram", now=at("2026-11-30T09:00")).stdout
    assert out.count("cram  ·  practice only: nothing is saved") == 3  # the Again came back
    assert "·  new" not in out


def test_cram_bury_and_suspend_do_not_claim_to_be_kept(project):
    out = flat(quiz(project, ["-", "@", "q"], "--cram", now=at("2026-11-30T09:00")).stdout)
    assert "gru-gates set aside for this practice only (nothing is saved; u: undo)" in out
    assert "dropout:c1 set aside for this practice only (nothing is saved; u: undo)" in out
    assert "until tomorrow" not in out and "unsuspend" not in out
    assert not (project / ".flashnotes").exists()


def test_a_week_at_different_hours_stats_due_is_what_the_quiz_shows(project):
    """Every card `stats` calls due appears in that day's first session, siblings and all."""
    start = datetime(2026, 11, 30, tzinfo=UTC)
    hours = [9, 21, 4.5, 13, 2, 23, 10, 6]
    pattern = ["", "3", "", "1", "", "4", "", "2"]
    for n, hour in enumerate(hours):
        now = start + timedelta(days=n, hours=hour)
        expected = stats(project, now.isoformat())["due"]
        before = len(log(project))
        quiz(project, pattern * 20, "--new", "0", now=now.isoformat())
        shown = {key for key, _ in log(project)[before:]}
        assert len(shown) == expected, (n, hour)
        assert stats(project, now.isoformat())["due"] == 0
        # then new cards, as a learner would
        quiz(project, pattern * 20, now=(now + timedelta(minutes=30)).isoformat())
    assert len(log(project)) > 20


def test_study_day_end_is_the_next_4am():
    now = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    assert study_day_end(now, UTC) == datetime(2026, 12, 1, 4, tzinfo=UTC)
    assert study_day_end(now.replace(hour=4), UTC) == datetime(2026, 12, 2, 4, tzinfo=UTC)


def test_day_start_moves_the_study_day(project):
    make_project(project, settings="deck: Demo\nquiz:\n  day_start: 0\n")
    quiz(project, ["", "3", "", "3", "q"], "--limit", "1", now=at("2026-12-01T21:00"))
    (due_text,) = db_rows(project, "SELECT due FROM card_state")[0]
    midnight = datetime.fromisoformat(due_text).replace(hour=0, minute=30)
    assert stats(project, midnight.isoformat())["due"] == 1  # with 4 am it would be 0
    out = quiz(project, ["", "3"], "--new", "0", now=midnight.isoformat()).stdout
    assert "1/1  ·  review" in out


def test_day_start_must_be_an_hour(project):
    make_project(project, settings="deck: Demo\nquiz:\n  day_start: 24\n")
    result = CliRunner().invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert "flashnotes.yaml:3: `day_start` must be a whole number from 0 to 23" in result.stderr
