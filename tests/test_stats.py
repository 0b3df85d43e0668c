import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from quizkit import make_project

from flashnotes.cli import cli
from flashnotes.project.loader import load_project
from flashnotes.project.model import QuizSettings
from flashnotes.review.scheduler import make_scheduler, review
from flashnotes.review.stats import bar_chart, collect, render
from flashnotes.review.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SCHEDULER = make_scheduler(QuizSettings(), fuzzing=False)


def rate(store, key, rating, now):
    store.record(key, now, rating, 1000, "s", lambda b: review(SCHEDULER, b, rating, now))


def test_numbers_match_the_database(tmp_path):
    project = load_project(make_project(tmp_path / "p"))
    with Store.open(tmp_path / "r.db") as store:
        start = NOW - timedelta(days=10)
        rate(store, "gru-gates", 4, start)  # review, due in 8 days: due now (day 10)
        rate(store, "gru-gates", 3, NOW - timedelta(hours=1))  # recalled → review
        rate(store, "sigmoid", 4, start)
        rate(store, "sigmoid", 1, NOW - timedelta(hours=2))  # forgotten → relearning
        rate(store, "dropout:c1", 3, NOW)  # learning, due in 10 minutes
        rate(store, "old-card", 3, start)  # no longer in the project
        data = collect(project, store, NOW, UTC)
    assert {k: data[k] for k in ("cards", "new", "learning", "review", "relearning")} == {
        "cards": 6,
        "new": 3,
        "learning": 1,
        "review": 1,
        "relearning": 1,
    }
    assert data["due"] == 1  # sigmoid: relearning, due 07:10
    assert data["reviews"] == 6
    assert data["retention_30d"] == 0.5 and data["retention_reviews_30d"] == 2
    assert data["orphaned"] == ["old-card"]
    per_day = {day["date"]: day["reviews"] for day in data["reviews_per_day"]}
    assert len(per_day) == 28 and per_day["2026-11-30"] == 3 and per_day["2026-11-20"] == 3
    assert data["forecast"][0]["due"] == 2  # dropout:c1 and sigmoid today
    assert data["decks"]["Demo::06 RNN"]["new"] == 3


def test_stats_json_without_a_database_creates_none(tmp_path):
    root = make_project(tmp_path / "p")
    result = CliRunner().invoke(cli, ["stats", "-C", str(root), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in ("cards", "new", "learning", "review", "relearning", "due", "reviews"):
        assert isinstance(data[key], int)
    assert data["cards"] == data["new"] == 6 and data["reviews"] == 0
    assert not (root / ".flashnotes").exists()


def test_human_view_has_table_chart_and_forecast(tmp_path):
    root = make_project(tmp_path / "p")
    CliRunner().invoke(
        cli, ["quiz", "-C", str(root)], input="\n3\n", env={"FLASHNOTES_NOW": NOW.isoformat()}
    )
    result = CliRunner().invoke(
        cli, ["stats", "-C", str(root)], env={"FLASHNOTES_NOW": NOW.isoformat()}
    )
    out = result.stdout
    assert result.exit_code == 0
    assert "due this week" in out and "Demo " in out and "06 RNN" in out
    assert "reviews per day" in out and "next 7 days" in out
    assert "orphaned history: none" in out


def test_bar_chart_and_an_empty_view(tmp_path):
    assert bar_chart([0, 0]) == "··"
    assert bar_chart([0, 1, 8]) == "·▁█"
    data = collect(load_project(make_project(tmp_path / "p")), None, NOW)
    assert any("orphaned history: none" in str(part) for part in render(data))


def test_a_db_that_does_not_exist_is_named_not_shown_as_all_new(tmp_path):
    root = make_project(tmp_path / "p")
    for command in ("stats", "optimize"):
        result = CliRunner().invoke(
            cli, [command, "-C", str(root), "--db", str(tmp_path / "typo.sqlite3")]
        )
        assert result.exit_code == 1, result.output
        (line,) = result.output.strip().splitlines()
        assert line.endswith(
            "typo.sqlite3: no such review database (`flashnotes quiz --db` creates one)"
        )
        assert not (tmp_path / "typo.sqlite3").exists()
