"""`flashnotes optimize`: a simulated learner's two months, fitted, kept, used, reset."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs_rs_python import FSRSReview
from learner import TRUE_PARAMETERS, simulate, write_project

from flashnotes.cli import cli
from flashnotes.project.model import QuizSettings
from flashnotes.review.fitting import MIN_TRAINING_REVIEWS, training_items
from flashnotes.review.scheduler import DEFAULT_PARAMETERS, make_scheduler, review
from flashnotes.review.store import LoggedReview, Store

AFTER = "2026-11-01T09:00:00+00:00"  # the morning after two months of study
CARDS = 150


pytestmark = pytest.mark.usefixtures("utc")  # study days in UTC, whatever the zone


@pytest.fixture(scope="module")
def two_months(tmp_path_factory) -> Path:
    """A review database holding two simulated months of daily sessions (built once)."""
    db = tmp_path_factory.mktemp("history") / "reviews.sqlite3"
    simulate(db, cards=CARDS, days=60)
    return db


@pytest.fixture
def project(tmp_path, two_months) -> Path:
    root = write_project(tmp_path / "proj", CARDS)
    (root / ".flashnotes").mkdir()
    shutil.copy(two_months, root / ".flashnotes" / "reviews.sqlite3")
    return root


def run(root: Path, *args: str, now: str = AFTER, command: str = "optimize"):
    return CliRunner().invoke(cli, [command, "-C", str(root), *args], env={"FLASHNOTES_NOW": now})


def stats(root: Path) -> dict:
    result = run(root, "--json", command="stats")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def db_of(root: Path) -> Path:
    return root / ".flashnotes" / "reviews.sqlite3"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_months_of_reviews_fit_better_than_the_defaults_and_the_quiz_uses_them(project):
    assert stats(project)["fsrs_parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    result = run(project)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "kept: the quiz schedules with the fitted parameters from now on" in out
    assert "cards keep their due dates until their next review" in out
    assert "desired retention: 0.90 (flashnotes.yaml)" in out
    default_line = next(line for line in out.splitlines() if "default parameters" in line)
    fitted_line = next(line for line in out.splitlines() if "  fitted parameters" in line)
    default_loss, fitted_loss = (float(line.split()[-2]) for line in (default_line, fitted_line))
    assert fitted_loss < default_loss

    data = stats(project)
    fitted = data["fsrs_parameters"]
    assert len(fitted) == 21 and fitted != pytest.approx(list(DEFAULT_PARAMETERS))
    assert data["fsrs_parameters_fitted"]["log_loss"] == pytest.approx(fitted_loss, abs=1e-4)
    # This learner forgets faster than the defaults assume: the fit finds shorter first-day
    # stabilities after a Good, closer to the true memory than the defaults.
    assert abs(fitted[2] - TRUE_PARAMETERS[2]) < abs(DEFAULT_PARAMETERS[2] - TRUE_PARAMETERS[2])
    human = run(project, command="stats").output
    assert "FSRS parameters: fitted 2026-11-01 on" in human


def test_the_quiz_previews_intervals_with_the_fitted_parameters(project):
    def first_card_labels() -> str:
        # One line reveals the first card; the end of input then ends the session unrated.
        result = CliRunner().invoke(
            cli, ["quiz", "-C", str(project)], input="\n", env={"FLASHNOTES_NOW": AFTER}
        )
        assert result.exit_code == 0, result.output
        return next(line for line in result.output.splitlines() if "3 Good" in line)

    before = first_card_labels()
    assert run(project).exit_code == 0
    after = first_card_labels()
    assert before != after


def test_too_little_history_says_how_much_more_and_changes_nothing(tmp_path):
    root = write_project(tmp_path / "proj", 20)
    db = root / "reviews.sqlite3"
    simulate(db, cards=20, days=4)
    before = digest(db)
    result = run(root, "--db", str(db))
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        used = len(training_items(store.reviews()))
    assert (
        f"too little history to fit: {used} reviews on a later day than the card's previous "
        f"review, {MIN_TRAINING_REVIEWS} needed ({MIN_TRAINING_REVIEWS - used:,} more)"
    ) in result.output
    assert digest(db) == before


def test_no_database_yet_creates_none(tmp_path):
    root = write_project(tmp_path / "proj", 3)
    result = run(root)
    assert result.exit_code == 0
    assert "no reviews yet" in result.output and f"{MIN_TRAINING_REVIEWS} needed" in result.output
    assert not (root / ".flashnotes").exists()


def test_reset_without_a_database_says_the_defaults_are_in_use(tmp_path):
    root = write_project(tmp_path / "proj", 3)
    result = run(root, "--reset")
    assert result.exit_code == 0
    assert result.output == "the quiz already schedules with FSRS's default parameters\n"
    assert not (root / ".flashnotes").exists()


def test_reset_goes_back_to_the_defaults(project):
    assert run(project).exit_code == 0
    result = run(project, "--reset")
    assert result.exit_code == 0
    assert "the quiz schedules with FSRS's default parameters again" in result.output
    assert stats(project)["fsrs_parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    assert stats(project)["fsrs_parameters_fitted"] is None
    again = run(project, "--reset")
    assert "already schedules with FSRS's default parameters" in again.output


def test_reschedule_sets_every_due_date_to_what_a_replay_gives(project):
    with Store.open(db_of(project)) as store:
        due_before = {key: state.due for key, state in store.states().items()}
        rows = store.reviews()
    result = run(project, "--reschedule")
    assert result.exit_code == 0, result.output
    assert f"rescheduled {CARDS} cards by replaying {len(rows)} reviews" in result.output
    with Store.open(db_of(project)) as store:
        fitted = store.fitted_parameters()
        assert fitted is not None
        due_after = {key: state.due for key, state in store.states().items()}
        rewritten = store.reviews()
    scheduler = make_scheduler(QuizSettings(), fuzzing=False, parameters=fitted.parameters)
    expected: dict[str, datetime] = {}
    state_of: dict[str, object] = {}
    for row in sorted(rows, key=lambda r: (r.reviewed_at, r.id)):
        state_of[row.side_key] = review(
            scheduler, state_of.get(row.side_key), row.rating, row.reviewed_at
        )
        expected[row.side_key] = state_of[row.side_key].due
    assert due_after == expected
    assert sum(due_after[key] != due_before[key] for key in due_after) > CARDS // 2
    # The ratings themselves are untouched: same rows, same times, same ratings.
    assert [(r.id, r.side_key, r.reviewed_at, r.rating) for r in rewritten] == [
        (r.id, r.side_key, r.reviewed_at, r.rating) for r in rows
    ]


def test_a_fit_that_predicts_worse_is_not_kept(project, monkeypatch):
    import flashnotes.review.fitting as fitting

    monkeypatch.setattr(fitting, "_evaluation", _worse_for_fitted())
    result = run(project)
    assert result.exit_code == 0
    assert "not kept" in result.output and "the defaults stay in use" in result.output
    assert stats(project)["fsrs_parameters_fitted"] is None


def _worse_for_fitted():
    """Scores for fit()'s evaluations in its order: unseen split, defaults, then fitted worse."""
    calls = iter(range(10))
    from flashnotes.review.fitting import Evaluation

    return lambda result: Evaluation(0.3 + 0.1 * (next(calls) > 1), 0.05)


def test_an_old_database_without_the_parameters_table_still_works(tmp_path):
    root = write_project(tmp_path / "proj", 3)
    db = root / ".flashnotes" / "reviews.sqlite3"
    db.parent.mkdir()
    schema = (Path(__file__).parent.parent / "flashnotes" / "review" / "schema.sql").read_text()
    connection = sqlite3.connect(db)
    connection.executescript(schema + "PRAGMA user_version = 1;")
    connection.execute(
        "INSERT INTO review_log (side_key, reviewed_at, rating, state_after, session)"
        " VALUES ('fact-000', '2026-10-31T09:00:00.000000+00:00', 3, ?, 's')",
        (
            json.dumps(
                {
                    "state": 1,
                    "step": 1,
                    "stability": 2.3,
                    "difficulty": 2.1,
                    "due": "2026-10-31T09:10:00.000000+00:00",
                    "last_review": "2026-10-31T09:00:00.000000+00:00",
                }
            ),
        ),
    )
    connection.commit()
    connection.close()
    data = stats(root)
    assert data["reviews"] == 1
    assert data["fsrs_parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    assert run(root).exit_code == 0  # upgrades in place, then: too little history
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] >= 2
    assert connection.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    connection.close()


def test_a_damaged_parameter_row_is_one_line_not_a_crash(project):
    assert run(project).exit_code == 0
    connection = sqlite3.connect(db_of(project))
    connection.execute("UPDATE fsrs_parameters SET parameters = '[1, 2, \"x\"]'")
    connection.commit()
    connection.close()
    result = run(project, command="stats")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "the review database is corrupt (fitted FSRS parameters:" in lines[0]
    assert "`flashnotes optimize --reset` goes back to the defaults" in lines[0]
    assert "Traceback" not in result.output
    assert run(project, "--reset").exit_code == 0
    assert run(project, command="stats").exit_code == 0


def _row(side: str, when: datetime, rating: int, log_id: int) -> LoggedReview:
    state = review(make_scheduler(QuizSettings(), fuzzing=False), None, rating, when)
    return LoggedReview(log_id, side, when, rating, None, None, state)


def test_training_days_start_at_4_am():
    day = datetime(2026, 11, 2, tzinfo=UTC)
    rows = [
        _row("a", day + timedelta(hours=23), 3, 1),  # Monday evening
        _row("a", day + timedelta(hours=27), 3, 2),  # 03:00 Tuesday: still Monday's study day
        _row("a", day + timedelta(hours=29), 3, 3),  # 05:00 Tuesday: a new study day
        _row("b", day + timedelta(hours=3), 1, 4),  # 03:00 Monday: Sunday's study day
        _row("b", day + timedelta(hours=5), 3, 5),  # 05:00 Monday
    ]
    items = training_items(rows)
    # fsrs-rs's review objects expose their fields only through repr
    histories = [[repr(review) for review in item.reviews] for item in items]
    assert histories == [
        [repr(FSRSReview(*pair)) for pair in history]
        for history in [
            [(1, 0), (3, 1)],  # b: predicted review at Monday 05:00
            [(3, 0), (3, 0), (3, 1)],  # a: the 03:00 review is same-day history
        ]
    ]


def test_training_days_follow_the_day_start_setting():
    from flashnotes.review.days import StudyDays

    evening = datetime(2026, 11, 2, 23, tzinfo=UTC)
    rows = [_row("a", evening, 3, 1), _row("a", evening + timedelta(hours=4), 3, 2)]
    assert training_items(rows, StudyDays(hour=4)) == []  # 03:00: the same study day
    (item,) = training_items(rows, StudyDays(hour=0))  # days start at midnight: a new day
    assert repr(item.reviews[-1]) == repr(FSRSReview(3, 1))
