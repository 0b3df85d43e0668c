"""Images drawn inline, in terminals that can: kitty's graphics protocol and iTerm2's.

Other terminals (and tmux or screen, which do not pass these sequences on) get the
image's path as a label instead, with a key that opens it in the system viewer.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

Protocol = Literal["kitty", "iterm"]

_KITTY_CHUNK = 4096  # base64 characters per escape sequence, as kitty asks
_ITERM_FORMATS = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def inline_protocol(environ: Mapping[str, str]) -> Protocol | None:
    """Which inline image protocol the terminal speaks, from its environment; None if none."""
    if environ.get("TMUX") or environ.get("TERM", "").startswith(("screen", "tmux")):
        return None
    if environ.get("KITTY_WINDOW_ID") or environ.get("TERM") in ("xterm-kitty", "xterm-ghostty"):
        return "kitty"
    if environ.get("TERM_PROGRAM") in ("iTerm.app", "WezTerm") or environ.get("LC_TERMINAL") in (
        "iTerm2",
    ):
        return "iterm"
    return None


def inline_image(path: Path, protocol: Protocol, columns: int) -> str | None:
    """The escape sequence that draws `path` `columns` cells wide, or None if it cannot."""
    suffix = path.suffix.lower()
    if (protocol == "kitty" and suffix != ".png") or suffix not in _ITERM_FORMATS:
        return None  # kitty takes PNG directly; SVG needs a renderer we do not ship
    try:
        data = path.read_bytes()
    except OSError:
        return None
    encoded = base64.standard_b64encode(data).decode("ascii")
    if protocol == "iterm":
        options = f"inline=1;size={len(data)};width={columns};preserveAspectRatio=1"
        return f"\x1b]1337;File={options}:{encoded}\x07\n"
    chunks = [encoded[i : i + _KITTY_CHUNK] for i in range(0, len(encoded), _KITTY_CHUNK)]
    sequences = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        control = f"a=T,f=100,c={columns},m={more}" if index == 0 else f"m={more}"
        sequences.append(f"\x1b_G{control};{chunk}\x1b\\")
    return "".join(sequences) + "\n"
