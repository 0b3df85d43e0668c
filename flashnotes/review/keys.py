"""What the learner presses: single keys on a terminal, one line per key on a pipe.

Both readers answer `key()` with a word the quiz understands: "reveal", "1"…"4", "u", "q",
"o", "-", "@", "escape", "redraw" (the terminal was resized or came back from Ctrl-Z), or
"" for a key that means nothing; and `answer()` with a typed answer, None at the end of
input, or ESCAPE / REDRAW.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from contextlib import AbstractContextManager
from typing import TextIO

from .lineedit import ACCEPT, LineBuffer

REVEAL = "reveal"
QUIT = "q"
UNDO = "u"
ESCAPE = "escape"
REDRAW = "redraw"
ANSWER_PROMPT = "› "


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
        """The typed answer: the whole line, `q` and `u` included; None at end of input.

        A line that is only an Esc character leaves the answer, as Esc does on a terminal.
        """
        line = self.stream.readline()
        if not line:
            return None
        line = line.rstrip("\r\n")
        return ESCAPE if line == "\x1b" else line


class TerminalKeys(AbstractContextManager["TerminalKeys"]):
    """Single keypresses on a terminal, no Enter needed; typed answers with line editing.

    The terminal is in cbreak mode (no echo, no line editing, but Ctrl-C still raises
    KeyboardInterrupt and Ctrl-Z still suspends) for the session and restored on the way
    out, whatever the way out. On Ctrl-Z the terminal is restored before the process stops
    and cbreak mode comes back when it continues; that, and a resize, make the next read
    return REDRAW so the screen is drawn again.
    """

    def __init__(self, fd: int | None = None, out: TextIO | None = None) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self.out = out or sys.stdout
        self._saved: list | None = None
        self._pending = b""
        self._wake_r, self._wake_w = -1, -1
        self._previous: dict[int, object] = {}
        self._line: LineBuffer | None = None  # a typed answer being edited

    def __enter__(self) -> TerminalKeys:
        import termios

        self._saved = termios.tcgetattr(self.fd)
        self._cbreak()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        handlers = {
            signal.SIGTSTP: self._on_stop,
            signal.SIGCONT: self._on_continue,
            signal.SIGWINCH: self._on_resize,
        }
        for number, handler in handlers.items():
            self._previous[number] = signal.signal(number, handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._restore()
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)

    def _cbreak(self) -> None:
        import termios
        import tty

        tty.setcbreak(self.fd, termios.TCSANOW)

    def _restore(self) -> None:
        import termios

        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    # -- signals ---------------------------------------------------------------------------

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # a wake-up is already waiting
            os.write(self._wake_w, b"!")

    def _on_stop(self, signum: int, frame: object) -> None:
        """Ctrl-Z: give the shell a normal terminal, stop, and take cbreak back on `fg`."""
        self._restore()
        self.out.write("\r\n")
        self.out.flush()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until continued
        signal.signal(signal.SIGTSTP, self._on_stop)
        self._on_continue(signal.SIGCONT, frame)

    def _on_continue(self, signum: int, frame: object) -> None:
        self._cbreak()
        self._wake()

    def _on_resize(self, signum: int, frame: object) -> None:
        self._wake()

    # -- reading ---------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Wait for input; False if a wake-up (redraw) came first."""
        import select

        readable = select.select([self.fd, self._wake_r], [], [])[0]
        if self._wake_r in readable:
            while True:
                try:
                    if not os.read(self._wake_r, 64):
                        break
                except BlockingIOError:
                    break
                if not select.select([self._wake_r], [], [], 0)[0]:
                    break
            return False
        data = os.read(self.fd, 1024)
        self._pending += data if data else b"\x04"  # end of file reads as Ctrl-D
        return True

    def _more(self) -> bool:
        """Whether more bytes arrive soon (the rest of an escape sequence or character)."""
        import select

        if select.select([self.fd], [], [], 0.03)[0]:
            data = os.read(self.fd, 1024)
            self._pending += data
            return bool(data)
        return False

    def _token(self) -> bytes | None:
        """One key: a byte, a whole UTF-8 character or a whole escape sequence; None for a
        redraw."""
        while not self._pending:
            if not self._fill():
                return None
        first = self._pending[0]
        if first == 0x1B:
            size = self._escape_size()
        elif first >= 0xC0:
            size = 2 if first < 0xE0 else 3 if first < 0xF0 else 4
            while len(self._pending) < size and self._more():
                pass
        else:
            size = 1
        token, self._pending = self._pending[:size], self._pending[size:]
        return token

    def _escape_size(self) -> int:
        if len(self._pending) == 1 and not self._more():
            return 1  # Esc alone
        if self._pending[1:2] not in (b"[", b"O"):
            return 1  # Esc then another key: Esc alone, the key after it
        index = 2
        while True:
            while index >= len(self._pending):
                if not self._more():
                    return len(self._pending)
            if 0x40 <= self._pending[index] <= 0x7E:
                return index + 1
            index += 1

    def key(self) -> str:
        token = self._token()
        if token is None:
            return REDRAW
        if token == b"\x04":  # Ctrl-D
            return QUIT
        if token == b"\x1b":
            return ESCAPE
        if token in (b"\r", b"\n", b" "):
            return REVEAL
        if len(token) == 1 and 0x20 < token[0] < 0x7F:
            return token.decode("ascii").lower()
        return ""  # arrows, function keys, letters of other scripts: not keys of ours

    def answer(self) -> str | None:
        """A typed answer, edited on its line; ESCAPE leaves it, REDRAW asks for the screen
        to be drawn again (the text typed so far is kept for the next call)."""
        line = self._line = self._line or LineBuffer()
        self._draw(line)
        while True:
            token = self._token()
            if token is None:
                return REDRAW
            if token == b"\x1b":
                self._line = None
                self._write("\r\n")
                return ESCAPE
            if token == b"\x04" and not line.text:
                self._line = None
                return None
            if line.press(token) == ACCEPT:
                self._line = None
                self._write("\r\n")
                return line.text
            self._draw(line)

    def _draw(self, line: LineBuffer) -> None:
        try:
            width: int | None = os.get_terminal_size(self.fd).columns or None
        except OSError:
            width = None
        self._write(line.render(ANSWER_PROMPT, width))

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
