"""An export ended by SIGTERM or SIGHUP leaves nothing behind: no temporary package beside
OUT, no scratch folder in $TMPDIR, and an existing OUT as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anki_helpers import png_bytes

BIG_IMAGE_BYTES = 24 * 1024 * 1024  # random bytes: zipping them takes a while


def _slow_project(root: Path) -> None:
    (root / "cards").mkdir(parents=True)
    (root / "My_img").mkdir()
    image = png_bytes((1, 2, 3), size=2)
    (root / "My_img" / "big.png").write_bytes(image + os.urandom(BIG_IMAGE_BYTES))
    (root / "cards" / "a.yaml").write_text(
        "cards:\n  - id: big\n    front: 大图\n    back: '![大图](My_img/big.png)'\n",
        encoding="utf-8",
    )


def _writing(out_dir: Path) -> bool:
    """Whether the temporary package beside OUT holds more than a megabyte yet."""
    sizes = [os.lstat(path).st_size for path in out_dir.iterdir() if path.name != "deck.apkg"]
    return any(size > 1024 * 1024 for size in sizes)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_export_leaves_no_temporary_files(tmp_path, signum):
    project = tmp_path / "project"
    _slow_project(project)
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "deck.apkg"
    out.write_bytes(b"the previous package")
    environment = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from flashnotes.cli import main; main()", "export", str(out)],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        # Wait until the package is being written: the images go into the temporary file
        # beside OUT while the scratch folder holds the collection.
        while not _writing(out_dir):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert len(list(scratch.iterdir())) == 1
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -signum, stderr
    assert stdout == b""
    assert b"Traceback" not in stderr
    assert list(scratch.iterdir()) == []
    assert [path.name for path in out_dir.iterdir()] == ["deck.apkg"]
    assert out.read_bytes() == b"the previous package"
    assert not (project / ".flashnotes" / "export-record.json").exists()


def test_a_signal_while_held_is_raised_at_release():
    from flashnotes import signals

    previous = {signum: signal.signal(signum, signals._raise) for signum in signals.HANDLED}
    steps = []
    try:
        with pytest.raises(signals.Terminated) as raised, signals.held() as release:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.01)  # the handler runs here, and only records the signal
            steps.append("held")
            release()
            steps.append("released")
        assert steps == ["held"]
        assert raised.value.signum == signal.SIGHUP
        assert signals._held == 0 and signals._pending is None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
