"""Every file flashnotes writes is replaced in one step, keeps its mode, and never leaks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from anki_helpers import everything_project
from click.testing import CliRunner

from flashnotes.cli import cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return everything_project(tmp_path / "project")


def test_an_existing_private_package_stays_private(project, tmp_path):
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"old")
    out.chmod(0o600)
    result = CliRunner().invoke(cli, ["export", str(out), "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes()[:2] == b"PK"


def test_a_new_package_and_record_get_the_umask_default(project, tmp_path):
    out = tmp_path / "deck.apkg"
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(cli, ["export", str(out), "-C", str(project)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    record = project / ".flashnotes" / "export-record.json"
    assert stat.S_IMODE(record.stat().st_mode) == 0o640


def test_export_leaves_no_temporary_file_beside_the_package_or_the_record(project, tmp_path):
    out = tmp_path / "deck.apkg"
    for _ in range(2):
        assert CliRunner().invoke(cli, ["export", str(out), "-C", str(project)]).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg", "project"]
    assert sorted(path.name for path in (project / ".flashnotes").iterdir()) == [
        "export-record.json"
    ]


def test_create_file_never_replaces_a_file_or_a_link(tmp_path):
    from flashnotes.atomic import create_file

    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    (tmp_path / "link").symlink_to(victim)
    (tmp_path / "file").write_bytes(b"mine")
    for name in ("link", "file"):
        with pytest.raises(FileExistsError):
            create_file(tmp_path / name, b"new")
    assert victim.read_bytes() == b"victim"
    assert (tmp_path / "file").read_bytes() == b"mine"
    create_file(tmp_path / "new", b"new")
    assert (tmp_path / "new").read_bytes() == b"new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file", "link", "new", "victim"]


def test_create_file_without_hard_links_still_creates_exclusively(tmp_path, monkeypatch):
    from flashnotes import atomic

    def no_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    atomic.create_file(tmp_path / "new", b"new")
    assert (tmp_path / "new").read_bytes() == b"new"
    (tmp_path / "link").symlink_to(tmp_path / "victim")
    with pytest.raises(FileExistsError):
        atomic.create_file(tmp_path / "link", b"new")
    assert not (tmp_path / "victim").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link", "new"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    from flashnotes.atomic import replace_file

    target = tmp_path / "record.json"
    target.write_text("old", encoding="utf-8")

    def fail(stream):
        stream.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_file(target, fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]


def test_a_file_system_without_fsync_still_gets_its_file_but_a_failing_disk_does_not(
    tmp_path, monkeypatch
):
    import errno

    from flashnotes import atomic

    target = tmp_path / "record.json"
    target.write_text("old", encoding="utf-8")

    def unsupported(descriptor):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(atomic.os, "fsync", unsupported)
    atomic.replace_file(target, lambda stream: stream.write("new"))
    assert target.read_text(encoding="utf-8") == "new"

    def broken(descriptor):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", broken)
    with pytest.raises(OSError):
        atomic.replace_file(target, lambda stream: stream.write("newer"))
    assert target.read_text(encoding="utf-8") == "new"
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]
