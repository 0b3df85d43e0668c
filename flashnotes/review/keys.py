"""What the learner presses: single keys on a terminal, one line per key on a pipe.

Both readers answer `key()` with a word the quiz understands: "reveal", "1"…"4", "u", "q",
"o", or "" for a key that means nothing; and `answer()` with a typed answer (None at the
end of input).
"""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager
from typing import TextIO

REVEAL = "reveal"
QUIT = "q"


class LineKeys:
    """The pipe protocol: one line per key; an empty line reveals; end of input quits."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __enter__(self) -> LineKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def key(self) -> str:
        line = self.stream.readline()
        if not line:
            return QUIT
        word = line.strip().lower()
        return REVEAL if word == "" else word

    def answer(self) -> str | None:
        """The typed answer: the whole line, `q` and `u` included; None at end of input."""
        line = self.stream.readline()
        if not line:
            return None
        return line.rstrip("\r\n")


class TerminalKeys(AbstractContextManager["TerminalKeys"]):
    """Single keypresses on a terminal, no Enter needed.

    The terminal is put in cbreak mode (no echo, no line editing, but Ctrl-C still raises
    KeyboardInterrupt) for the session and restored on the way out, whatever the way out.
    """

    def __init__(self, fd: int | None = None) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list | None = None

    def __enter__(self) -> TerminalKeys:
        import termios
        import tty

        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)
        return self

    def __exit__(self, *exc: object) -> None:
        self._restore()

    def _restore(self) -> None:
        import termios

        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def key(self) -> str:
        data = os.read(self.fd, 1)
        if not data or data == b"\x04":  # end of file, Ctrl-D
            return QUIT
        if data == b"\x1b":  # an escape sequence (arrow keys…): swallow it
            self._drain()
            return ""
        if data in (b"\r", b"\n", b" "):
            return REVEAL
        if data[0] >= 0x80:
            self._drain()  # the rest of a UTF-8 character: not a key of ours
            return ""
        return data.decode("ascii", "replace").lower()

    def _drain(self) -> None:
        import select

        while select.select([self.fd], [], [], 0.02)[0]:
            if not os.read(self.fd, 64):
                break

    def answer(self) -> str | None:
        """A typed answer, with echo and line editing for the time of one line."""
        import termios

        current = termios.tcgetattr(self.fd)
        self._restore()
        try:
            return input()
        except EOFError:
            return None
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, current)
