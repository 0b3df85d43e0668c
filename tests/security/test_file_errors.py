"""Files and folders that are not what flashnotes expects: one line, nothing overwritten,
nothing written where it should not be, caches never trusted."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from anki_helpers import everything_project
from click.testing import CliRunner

from flashnotes.cachedir import project_cache_file
from flashnotes.cli import cli
from flashnotes.deck import fields as fields_module
from flashnotes.errors import display_path
from flashnotes.project import loader
from flashnotes.project.loadcache import CACHE_NAME
from flashnotes.project.loader import load_project, read_project

CARD = "cards:\n  - id: a\n    front: 问\n    back: 答\n"
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_root_powers() -> None:
    """In the child: as root, drop the powers that ignore file modes (as a user has none)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def flashnotes_as_a_user(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run flashnotes in a new process, where file modes hold even for root."""
    try:
        return subprocess.run(
            [sys.executable, "-c", "from flashnotes.cli import main; main()", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            preexec_fn=_without_root_powers,
            timeout=120,
        )
    except subprocess.SubprocessError as error:  # no CAP_SETPCAP in this container
        pytest.skip(f"cannot run without root's file powers: {error}")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "cards").mkdir(parents=True)
    (root / "cards" / "a.yaml").write_text(CARD, encoding="utf-8")
    return root


def test_an_unreadable_cards_folder_is_an_error_not_zero_cards(small):
    (small / "cards" / "locked").mkdir()
    (small / "cards" / "locked" / "b.yaml").write_text(CARD, encoding="utf-8")
    (small / "cards" / "locked").chmod(0)
    try:
        result = flashnotes_as_a_user("check", cwd=small)
        whole = (small / "cards").chmod(0) or flashnotes_as_a_user("check", cwd=small)
    finally:
        (small / "cards").chmod(0o755)
        (small / "cards" / "locked").chmod(0o755)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "cards/locked: cannot read this folder: Permission denied\n1 problem found\n",
    )
    assert (whole.returncode, whole.stdout, whole.stderr) == (
        1,
        "",
        "cards: cannot read this folder: Permission denied\n1 problem found\n",
    )


def test_a_read_only_output_folder_is_one_line(small, tmp_path):
    out_dir = tmp_path / "read-only"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    try:
        result = flashnotes_as_a_user("export", str(out_dir / "deck.apkg"), cwd=small)
    finally:
        out_dir.chmod(0o755)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"cannot write {out_dir / 'deck.apkg'}: Permission denied\n",
    )
    assert list(out_dir.iterdir()) == []


def test_folders_whose_names_are_not_utf8(tmp_path):
    base = os.fsencode(tmp_path)
    project = Path(os.fsdecode(base + b"/proj\xff"))
    out_dir = Path(os.fsdecode(base + b"/out\xfe"))
    out_dir.mkdir()
    result = CliRunner().invoke(cli, ["init", str(project)])
    assert result.exit_code == 0, result.output
    shown = display_path(project).replace("\udcff", "\\udcff")
    assert result.output.splitlines()[0] == f"created a flashnotes project in {shown}"
    assert load_project(project).settings.deck == "proj\ufffd"
    out = out_dir / "d.apkg"
    result = CliRunner().invoke(cli, ["export", str(out), "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    shown = str(out).replace("\udcfe", "\\udcfe")
    assert result.output.startswith(f"wrote {shown}: 4 notes")
    missing = Path(os.fsdecode(base + b"/missing\xfd/d.apkg"))
    result = CliRunner().invoke(cli, ["export", str(missing), "-C", str(project)])
    shown = str(missing).replace("\udcfd", "\\udcfd")
    assert (result.exit_code, result.output) == (
        1,
        f"cannot write {shown}: folder {shown.removesuffix('/d.apkg')} does not exist\n",
    )


def test_init_never_overwrites_a_file(tmp_path):
    target = tmp_path / "notes"
    (target / "My_img").mkdir(parents=True)
    mine = {
        "My_img/sigmoid.svg": b"<svg xmlns='http://www.w3.org/2000/svg'>mine</svg>",
        "card-file.schema.json": b'{"mine": true}',
        ".gitignore": b"mine\n",
    }
    for relpath, data in mine.items():
        (target / relpath).write_bytes(data)
    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for relpath, data in mine.items():
        assert (target / relpath).read_bytes() == data
    assert sorted(result.output.splitlines()[:3]) == [
        f"kept the existing {display_path(target / relpath)}"
        for relpath in (".gitignore", "My_img/sigmoid.svg", "card-file.schema.json")
    ]
    assert (target / "flashnotes.yaml").is_file()
    assert (target / "cards" / "example.yaml").is_file()


def test_init_never_writes_through_a_link(tmp_path):
    target = tmp_path / "notes"
    target.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    (target / "card-file.schema.json").symlink_to(victim)
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == b"victim"
    assert (target / "card-file.schema.json").is_symlink()


def test_a_relative_cache_home_is_ignored(small, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    os.chdir(small)
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "deck.apkg")])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in small.iterdir()) == [".flashnotes", "cards"]
    assert (tmp_path / "home" / ".cache" / "flashnotes").is_dir()


@pytest.fixture
def cached(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(loader, "_CACHE_THRESHOLD_BYTES", 0)
    return everything_project(tmp_path / "everything")


DAMAGED_ROWS = [
    '"not a list"',
    "[[]]",
    '[["x", "evil-type", "d", [], 1, 1, "q", "a", null, null, null, [], []]]',
    '[["x", "basic", "d", "tags-as-text", 1, 1, "q", "a", null, null, null, [], []]]',
    '[["x", "basic", "d", [], true, 1, "q", "a", null, null, null, [], []]]',
    '[["x", "basic", "d", [], 0, 1, "q", "a", null, null, null, [], []]]',
    '[["x", "basic", "d", [], 1, 1, null, "a", null, null, null, [], []]]',
    '[["x", "cloze", "d", [], 1, 1, "q", "a", null, null, null, [], []]]',
    '[["x", "basic", "d", [], 1, 1, "q", {"a": 1}, null, null, null, [], []]]',
    '[["x", "basic", "d", [], 1, 1, "q", "a", null, null, null, [7], []]]',
    '[["x", "basic", "d", [], 1, 1, "q", "a", null, null, null, [], [["rule"]]]]',
    "[" * 100_000 + "]" * 100_000,
]


@pytest.mark.parametrize("damaged", DAMAGED_ROWS, ids=range(len(DAMAGED_ROWS)))
def test_damaged_load_cache_entries_are_read_again(cached, damaged):
    expected = read_project(cached).project
    path = project_cache_file(cached, CACHE_NAME)
    head, *entries = path.read_bytes().split(b"\n")
    entries = [entry for entry in entries if entry]
    file_head = entries[0].partition(b"\t")[0]
    path.write_bytes(b"\n".join([head, file_head + b"\t" + damaged.encode(), *entries[1:]]))
    result = read_project(cached)
    assert result.problems == []
    assert result.project == expected


def test_damaged_render_cache_entries_are_rendered_again(cached, tmp_path):
    out = tmp_path / "first.apkg"
    assert CliRunner().invoke(cli, ["export", str(out), "-C", str(cached)]).exit_code == 0
    path = project_cache_file(cached, fields_module.CACHE_NAME)
    lines = path.read_text(encoding="utf-8").splitlines()
    damaged = []
    for number, line in enumerate(lines):
        key, fields = json.loads(line)
        broken = [fields[:-1], "a string", [1] * len(fields), [*fields, "extra"]][number % 4]
        damaged.append(json.dumps([key, broken]))
    path.write_text("\n".join(damaged) + "\n", encoding="utf-8")
    project = load_project(cached)
    from flashnotes.project.media import anki_media_names

    names = anki_media_names(image.relpath for image in project.images)
    rendered = fields_module.render_fields(project.cards, names, project.root)
    path.unlink()
    assert rendered == fields_module.render_fields(project.cards, names, project.root)
