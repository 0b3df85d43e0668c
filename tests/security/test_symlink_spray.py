"""A cloned project cannot make flashnotes write outside it through symbolic links.

The attack: a repository ships links named like flashnotes' temporary files
(`.flashnotes/.export-record.json.<pid>.tmp -> ../../victim`, one per pid), or its state
folder, state files or card files as links out of the project. Each test clones such a
repository with git, as a learner would, runs a command, and checks that the victim file
outside the clone is byte for byte unchanged.

The commands run in this process (CliRunner), so the pid a writer would have used is
known: the spray covers it and the pids around it, for every name flashnotes writes.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashnotes.cli import cli

VICTIM_BYTES = b"# the learner's ~/.bashrc\nexport PATH=$HOME/bin:$PATH\n"
PID_WINDOW = 512
SETTINGS = "deck: 共享的牌组\nnamespace: shared-deck\n"
CARDS = """\
    cards:
      - id: relu
        front: ReLU 的定义是什么？
        back: $\\max(0, x)$
      - front: 没有 id 的卡片
        back: add-ids 会写入一个 id
    """
# Every name the old writer derived from a pid, relative to the project root.
SPRAYED_NAMES = (
    ".flashnotes/.export-record.json.{pid}.tmp",
    "cards/.a.yaml.{pid}.tmp",
)
SQLITE_SIDE_FILES = (
    ".flashnotes/reviews.sqlite3-wal",
    ".flashnotes/reviews.sqlite3-shm",
    ".flashnotes/reviews.sqlite3-journal",
)


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=a", "-c", "user.email=a@example.com", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def _hostile_clone(tmp_path: Path, links: dict[str, Path], *, with_cards: bool = True) -> Path:
    """A repository holding `links` (name → target), cloned as a learner would clone it."""
    source = tmp_path / "upstream"
    source.mkdir()
    (source / "flashnotes.yaml").write_text(SETTINGS, encoding="utf-8")
    if with_cards:
        (source / "cards").mkdir()
        (source / "cards" / "a.yaml").write_text(textwrap.dedent(CARDS), encoding="utf-8")
    # Relative links, as a repository carries them, written to resolve from the clone.
    clone = tmp_path / "clone"
    for name, target in links.items():
        link = source / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(target, (clone / name).parent))
    _git("init", "-q", cwd=source)
    _git("add", "-A", cwd=source)
    _git("commit", "-q", "-m", "a deck to share", cwd=source)
    _git("clone", "-q", str(source), str(clone), cwd=tmp_path)
    assert all((clone / name).is_symlink() for name in links)
    return clone


def _spray(victim: Path) -> dict[str, Path]:
    pids = range(max(1, os.getpid() - PID_WINDOW), os.getpid() + PID_WINDOW)
    return {name.format(pid=pid): victim for name in SPRAYED_NAMES for pid in pids}


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim"
    path.write_bytes(VICTIM_BYTES)
    return path


def run(*args: str, input: str | None = None):
    env = {"FLASHNOTES_NOW": "2026-03-01T09:00:00+00:00"}
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def test_export_through_a_spray_of_temporary_file_links_leaves_the_victim(tmp_path, victim):
    clone = _hostile_clone(tmp_path, _spray(victim))
    out = tmp_path / "deck.apkg"
    assert run("add-ids", "-C", str(clone)).exit_code == 0
    result = run("export", str(out), "-C", str(clone))
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == VICTIM_BYTES
    assert (clone / ".flashnotes" / "export-record.json").is_file()
    assert not (clone / ".flashnotes" / "export-record.json").is_symlink()


def test_add_ids_through_a_spray_of_temporary_file_links_leaves_the_victim(tmp_path, victim):
    clone = _hostile_clone(tmp_path, _spray(victim))
    result = run("add-ids", "-C", str(clone))
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == VICTIM_BYTES
    assert "id: " in (clone / "cards" / "a.yaml").read_text(encoding="utf-8").split("没有")[0]


def test_quiz_with_linked_database_side_files_leaves_the_victim(tmp_path, victim):
    clone = _hostile_clone(tmp_path, {name: victim for name in SQLITE_SIDE_FILES})
    run("add-ids", "-C", str(clone))
    result = run("quiz", "-C", str(clone), input="\n3\nq\n")
    assert victim.read_bytes() == VICTIM_BYTES
    assert (result.exit_code, result.output) == (
        1,
        f"{_shown(clone)}/.flashnotes/reviews.sqlite3-wal is a symbolic link; flashnotes "
        "writes this file itself (remove the link)\n",
    )
    assert not (clone / ".flashnotes" / "reviews.sqlite3").exists()


def test_a_state_folder_linked_out_of_the_project_is_refused(tmp_path, victim):
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    clone = _hostile_clone(tmp_path, {".flashnotes": elsewhere})
    run("add-ids", "-C", str(clone))
    out = tmp_path / "deck.apkg"
    for command in (["export", str(out)], ["quiz"], ["stats"]):
        result = run(*command, "-C", str(clone), input="\n3\nq\n")
        assert (result.exit_code, result.output) == (
            1,
            f"{_shown(clone)}/.flashnotes is a symbolic link; flashnotes keeps its state only "
            "in a real folder inside the project (remove the link)\n",
        ), command
    assert list(elsewhere.iterdir()) == []
    assert not out.exists()


def test_state_files_linked_out_of_the_project_are_refused(tmp_path, victim):
    empty = tmp_path / "empty-victim"
    empty.write_bytes(b"")  # SQLite would happily make an empty file its database
    clone = _hostile_clone(
        tmp_path,
        {".flashnotes/export-record.json": victim, ".flashnotes/reviews.sqlite3": empty},
    )
    run("add-ids", "-C", str(clone))
    out = tmp_path / "deck.apkg"
    result = run("export", str(out), "-C", str(clone))
    assert (result.exit_code, result.output) == (
        1,
        f"{_shown(clone)}/.flashnotes/export-record.json is a symbolic link that leaves the "
        "project; remove it\n",
    )
    result = run("quiz", "-C", str(clone), input="\n3\nq\n")
    assert (result.exit_code, result.output) == (
        1,
        f"{_shown(clone)}/.flashnotes/reviews.sqlite3 is a symbolic link that leaves the "
        "project; remove it\n",
    )
    assert victim.read_bytes() == VICTIM_BYTES
    assert empty.read_bytes() == b""
    assert not out.exists()


def test_card_files_linked_out_of_the_project_are_refused_unread(tmp_path, victim):
    secret = tmp_path / "secret.yaml"
    secret.write_text("cards:\n  - front: 密码 hunter2\n", encoding="utf-8")
    clone = _hostile_clone(tmp_path, {"cards/stolen.yaml": secret, "cards/loop.yaml": victim})
    (clone / "cards" / "loop.yaml").unlink()
    (clone / "cards" / "loop.yaml").symlink_to("loop.yaml")
    result = run("check", "-C", str(clone))
    assert result.exit_code == 1
    assert f"{_shown(clone)}/cards/stolen.yaml: is a symbolic link that leaves the " in (
        result.output
    )
    assert "hunter2" not in result.output
    result = run("add-ids", "-C", str(clone))
    assert "hunter2" not in result.output
    assert secret.read_text(encoding="utf-8") == "cards:\n  - front: 密码 hunter2\n"


def test_a_cards_folder_linked_out_of_the_project_is_refused(tmp_path, victim):
    outside = tmp_path / "notes-of-someone-else"
    outside.mkdir()
    (outside / "private.yaml").write_text("cards:\n  - front: 私人\n", encoding="utf-8")
    clone = _hostile_clone(tmp_path, {"cards": outside}, with_cards=False)
    result = run("check", "-C", str(clone))
    assert (result.exit_code, result.output) == (
        1,
        f"{_shown(clone)}/cards: is a symbolic link that leaves the project\n1 problem found\n",
    )


def test_card_files_linked_inside_the_project_are_read(tmp_path, victim):
    clone = _hostile_clone(tmp_path, {})
    (clone / "notes").mkdir()
    (clone / "cards" / "a.yaml").rename(clone / "notes" / "a.yaml")
    (clone / "cards" / "a.yaml").symlink_to("../notes/a.yaml")
    assert run("add-ids", "-C", str(clone)).exit_code == 0
    assert (clone / "cards" / "a.yaml").is_symlink()
    result = run("check", "-C", str(clone))
    assert (result.exit_code, result.output) == (
        0,
        "ok: 2 cards (2 review cards) in 1 deck, 0 images\n",
    )


def _shown(path: Path) -> str:
    from flashnotes.errors import display_path

    return display_path(path)


def test_a_settings_file_linked_out_of_the_project_is_refused_unread(tmp_path, victim):
    secret = tmp_path / "secret.yaml"
    secret.write_text("hunter2: 密码\n", encoding="utf-8")
    clone = _hostile_clone(tmp_path, {})
    (clone / "flashnotes.yaml").unlink()
    (clone / "flashnotes.yaml").symlink_to(os.path.relpath(secret, clone))
    run("add-ids", "-C", str(clone))
    result = run("check", "-C", str(clone))
    assert (result.exit_code, result.output) == (
        1,
        f"{_shown(clone)}/flashnotes.yaml: is a symbolic link that leaves the project; not read\n"
        "1 problem found\n",
    )
