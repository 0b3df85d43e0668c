"""Values past what Anki or the quiz can take are refused by `check`, one line each
(issue 9, item 10): cloze numbers, scheduling settings, a pinned clock far from now."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki_helpers import fresh_collection, import_package, write_project
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.deck.export import export_project

pytest.importorskip("anki.collection")

NOW = "2026-11-30T09:00:00+00:00"


pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def col(tmp_path):
    with fresh_collection(tmp_path / "anki") as collection:
        yield collection


def cloze_project(root: Path, text: str, settings: str = "deck: D\n") -> Path:
    card = {"id": "c", "type": "cloze", "text": text}
    return write_project(root, {"a.yaml": json.dumps({"cards": [card]})}, settings=settings)


def run(root: Path, *args: str, now: str = NOW, keys: str = ""):
    os.chdir(root)
    return CliRunner().invoke(cli, list(args), input=keys, env={"FLASHNOTES_NOW": now})


def test_anki_itself_makes_cards_only_up_to_c500(col):
    """Why the limit is 500: Anki puts every higher number on card 500."""
    note = col.new_note(col.models.by_name("Cloze"))
    note["Text"] = "{{c1::a}} {{c500::b}} {{c501::c}} {{c65535::d}}"
    col.add_note(note, col.decks.id("Default"))
    assert {card.ord + 1 for card in note.cards()} == {1, 500}


def test_c500_is_exported_and_imported_as_card_500(tmp_path, col):
    root = cloze_project(tmp_path / "p", "{{c1::a}} and {{c500::b}}")
    assert run(root, "check").exit_code == 0
    export_project(root, tmp_path / "deck.apkg", now=1_750_000_000.0)
    import_package(col, tmp_path / "deck.apkg")
    cards = [col.get_card(card_id) for card_id in col.find_cards("")]
    assert sorted(card.ord + 1 for card in cards) == [1, 500]
    assert all("[...]" in card.question() for card in cards)


@pytest.mark.parametrize(
    "number, shown",
    [("501", "501"), ("65536", "65536"), ("99999999999999999999", "999999999999…")],
)
def test_cloze_numbers_over_500_are_refused(tmp_path, number, shown):
    root = cloze_project(tmp_path / "p", f"{{{{c1::a}}}} {{{{c{number}::b}}}}")
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cards/a.yaml:1: cloze number c{shown} is over c500: Anki makes cards only up to "
        "c500 and puts higher numbers on that card; renumber the deletions",
        "1 problem found",
    ]
    export = run(root, "export", str(tmp_path / "deck.apkg"))
    assert export.exit_code == 1 and "internal error" not in export.output


def test_a_cloze_number_of_ten_thousand_digits_is_one_line(tmp_path):
    root = cloze_project(tmp_path / "p", "{{c" + "9" * 10_000 + "::b}}")
    result = run(root, "check")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 2
    assert "is over c500" in result.stderr


def test_non_ascii_digits_are_no_cloze_number(tmp_path):
    root = cloze_project(tmp_path / "p", "{{c1::a}} {{c١::b}}")
    result = run(root, "check")
    assert result.exit_code == 1
    assert "malformed cloze `{{c١::`" in result.stderr


@pytest.mark.parametrize(
    "setting, message",
    [
        ("desired_retention: 0.5", "`desired_retention` must be a number from 0.7 to 0.99"),
        ("desired_retention: 0.9999", "`desired_retention` must be a number from 0.7 to 0.99"),
        ("desired_retention: .nan", "`desired_retention` must be a number from 0.7 to 0.99"),
        ("maximum_interval: 36501", "`maximum_interval` must be a whole number from 1 to 36500"),
        ("maximum_interval: 1e9", "`maximum_interval` must be a whole number from 1 to 36500"),
        (
            "new_per_day: 99999999999999999999999",
            "`new_per_day` must be a whole number from 0 to 1000000",
        ),
        ("reviews_per_day: true", "`reviews_per_day` must be a whole number from 0 to 1000000"),
        ("learning_steps: [99999999999999999999d]", "`learning_steps`: a step is at most 36500d"),
        ("learning_steps: [1m, 36501d]", "`learning_steps`: a step is at most 36500d"),
        ("relearning_steps: [" + "9" * 5000 + "s]", "`relearning_steps`: a step is at most 36500d"),
    ],
)
def test_extreme_settings_are_refused_by_check_and_quiz(tmp_path, setting, message):
    root = cloze_project(tmp_path / "p", "{{c1::a}}", settings=f"quiz:\n  {setting}\n")
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"flashnotes.yaml:2: {message}", "1 problem found"]
    quiz = run(root, "quiz", keys="\n4\n")
    assert quiz.exit_code == 1
    assert quiz.stderr.splitlines() == [f"flashnotes.yaml:2: {message}"]


def test_the_widest_settings_check_accepts_run_for_a_century_of_easy_ratings(tmp_path):
    settings = """\
quiz:
  desired_retention: 0.7
  maximum_interval: 36500
  learning_steps: [36500d]
  relearning_steps: [36500d]
  new_per_day: 1000000
  reviews_per_day: 1000000
"""
    root = cloze_project(tmp_path / "p", "{{c1::a}}", settings=settings)
    assert run(root, "check").exit_code == 0
    for year in (2026, 2126, 2226, 8900):
        now = f"{year}-11-30T09:00:00+00:00"
        result = run(root, "quiz", now=now, keys="\n4\n")
        assert result.exit_code == 0, result.output
        assert run(root, "stats", "--json", now=now).exit_code == 0


@pytest.mark.parametrize("now", ["0001-01-01T00:00", "9999-12-31T23:59", "1969-06-01T00:00"])
@pytest.mark.parametrize("command", ["quiz", "stats"])
def test_a_clock_pinned_far_away_is_one_line(tmp_path, now, command):
    root = cloze_project(tmp_path / "p", "{{c1::a}}")
    result = run(root, command, now=now, keys="\n3\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"FLASHNOTES_NOW='{now}' is out of range: pin a time between the years 1970 and 9000"
    ]


@pytest.mark.parametrize("now", ["1970-01-01T00:00", "9000-12-31T23:59"])
def test_the_ends_of_the_clock_range_work(tmp_path, now):
    root = cloze_project(tmp_path / "p", "{{c1::a}}")
    assert run(root, "quiz", now=now, keys="\n4\n").exit_code == 0
    assert run(root, "stats", now=now).exit_code == 0
