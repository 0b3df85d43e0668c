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
