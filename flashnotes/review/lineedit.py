"""One line of text being edited, as in a shell: the buffer, the cursor and the keys that
move them. Pure: the terminal reads keys and draws `render()`; tests drive it directly.

Widths are terminal cells (a Chinese character takes two), so the cursor lands where
the character is drawn, and backspace removes a whole character, never half of one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

ACCEPT = "accept"

# Keys as terminals send them (xterm, VT100, Linux console), by what they do.
_LEFT = {b"\x1b[D", b"\x1bOD", b"\x02"}  # ←, Ctrl-B
_RIGHT = {b"\x1b[C", b"\x1bOC", b"\x06"}  # →, Ctrl-F
_HOME = {b"\x1b[H", b"\x1bOH", b"\x1b[1~", b"\x1b[7~", b"\x01"}  # Home, Ctrl-A
_END = {b"\x1b[F", b"\x1bOF", b"\x1b[4~", b"\x1b[8~", b"\x05"}  # End, Ctrl-E
_BACKSPACE = {b"\x7f", b"\x08"}
_DELETE = {b"\x1b[3~"}
_KILL_BEFORE = {b"\x15"}  # Ctrl-U
_KILL_AFTER = {b"\x0b"}  # Ctrl-K
_KILL_WORD = {b"\x17"}  # Ctrl-W
_ENTER = {b"\r", b"\n"}


@dataclass
class LineBuffer:
    text: str = ""
    cursor: int = 0  # index into text: the cursor stands before text[cursor]

    def press(self, key: bytes) -> str | None:
        """Apply one key (a character, or a whole escape sequence); ACCEPT on Enter."""
        if key in _ENTER:
            return ACCEPT
        if key in _LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key in _RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key in _HOME:
            self.cursor = 0
        elif key in _END:
            self.cursor = len(self.text)
        elif key in _BACKSPACE:
            if self.cursor:
                self._cut(self.cursor - 1, self.cursor)
        elif key in _DELETE or key == b"\x04":
            self._cut(self.cursor, self.cursor + 1)
        elif key in _KILL_BEFORE:
            self._cut(0, self.cursor)
        elif key in _KILL_AFTER:
            self._cut(self.cursor, len(self.text))
        elif key in _KILL_WORD:
            start = len(self.text[: self.cursor].rstrip().rpartition(" ")[0])
            start = start + 1 if start else 0
            self._cut(start, self.cursor)
        elif not key.startswith(b"\x1b"):
            self.insert(key.decode("utf-8", "replace"))
        return None

    def insert(self, text: str) -> None:
        text = "".join(char for char in text if char.isprintable())
        self.text = self.text[: self.cursor] + text + self.text[self.cursor :]
        self.cursor += len(text)

    def _cut(self, start: int, end: int) -> None:
        end = min(end, len(self.text))
        self.text = self.text[:start] + self.text[end:]
        self.cursor = start if self.cursor >= start else self.cursor
        self.cursor = min(self.cursor, len(self.text))

    def render(self, prompt: str, width: int | None = None) -> str:
        """The bytes-to-be that redraw the line: to its start, prompt and text, clear the
        rest, then back to the cursor. Given the terminal's `width`, a longer text scrolls
        sideways so that the cursor stays on the one screen line."""
        before, after = self.text[: self.cursor], self.text[self.cursor :]
        if width is not None:
            room = max(2, width - cell_len(prompt) - 1)
            while before and cell_len(before) >= room:
                before = before[1:]
            shown = ""
            for char in after:
                if cell_len(before + shown + char) > room:
                    break
                shown += char
            after = shown
        back = cell_len(after)
        move = f"\x1b[{back}D" if back else ""
        return f"\r{prompt}{before}{after}\x1b[K{move}"
