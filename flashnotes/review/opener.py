"""`o` in the quiz: open an image in the system's viewer, and say truly whether it opened."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# xdg-open hands the file to a viewer and exits; if it is still running after this long,
# it is the viewer itself (some desktops run it in the foreground) and the image is open.
WAIT_SECONDS = 2.0


def open_in_viewer(path: Path) -> tuple[bool, str]:
    """Open a file in the system's viewer; (whether it opened, what to tell the learner)."""
    if sys.platform == "win32":
        import os

        try:
            os.startfile(path)  # type: ignore[attr-defined]
        except OSError as error:
            return False, f"could not open {path.name}: {error.strerror}; the image is {path}"
        return True, f"opened {path.name} in the image viewer"
    command = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(command) is None:
        return False, f"cannot open images here (no `{command}`); the image is {path}"
    # Its messages go to a file, not a pipe: a viewer left running must never block on one.
    with tempfile.TemporaryFile() as messages:
        try:
            process = subprocess.Popen(
                [command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=messages,
                start_new_session=True,
            )
        except OSError as error:
            return False, f"could not run {command}: {error.strerror}; the image is {path}"
        try:
            process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            return True, f"opened {path.name} in the image viewer"
        messages.seek(0)
        error_output = messages.read()
    if process.returncode != 0:
        reason = error_output.decode("utf-8", "replace").strip().splitlines()
        detail = f": {reason[-1]}" if reason else ""
        return False, (
            f"could not open {path.name}: {command} exited with {process.returncode}{detail}; "
            f"the image is {path}"
        )
    return True, f"opened {path.name} in the image viewer"
