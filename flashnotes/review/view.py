"""What the quiz draws: a card's header, front and back, the rating line, hints, images.

No keys are read here and no state changes; the screen drawn last is kept so that it can
be drawn again after a resize or a suspend.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fsrs import Card as FsrsCard
from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..project.model import Project, Side
from .answers import answer_diff, answer_matches
from .scheduler import RATING_NAMES, STATE_NAMES, format_interval

RATING_STYLES = {1: "red", 2: "yellow", 3: "green", 4: "blue"}


@dataclass(frozen=True)
class Header:
    """The line above a card: where it is, how far the session is, Anki's three counts."""

    position: int
    total: int
    counts: tuple[int, int, int]  # new, learning, review left
    cram: bool = False


class CardView:
    """Draws cards on a console; on a terminal each card gets a fresh screen."""

    def __init__(
        self,
        project: Project,
        console: Console,
        *,
        interactive: bool,
        more: Callable[[], str] | None = None,
    ) -> None:
        self.project = project
        self.console = console
        self.interactive = interactive
        self.more = more  # reads the key that turns a page; None: never page
        self.images: list[Path] = []  # the shown card's images, for `o`
        self._screen: list[RenderableType] = []
        self._flash: str | None = None
        self._inline = False  # whether images were drawn on this screen

    # -- the screen ------------------------------------------------------------------------

    def print(self, *renderables: RenderableType) -> None:
        """Print below what is shown, and remember it for a redraw."""
        from .terminal import emit

        self._screen.extend(renderables)
        emit(self.console, *renderables)

    def note(self, text: str, style: str = "yellow") -> None:
        from .terminal import clean

        self.print(Text(clean(text), style))

    def flash(self, text: str) -> None:
        """What the last key did (undone, buried…): printed now, and on a terminal shown
        again at the top of the next card, whose fresh screen would otherwise hide it."""
        self.note(text)
        if self.interactive:
            self._flash = text

    def _new_screen(self) -> None:
        self._screen = []
        if self.interactive:
            self.console.clear()

    def redraw(self) -> None:
        """Draw the current screen again (after a resize, or coming back from Ctrl-Z)."""
        if not self.interactive:
            return
        screen = self._screen
        self._new_screen()
        self.print(*screen)
        if self._inline:
            self._draw_images()

    def _fresh(self, parts: list[RenderableType]) -> None:
        """Show `parts` on a fresh screen; page by page if they are taller than it, ending on
        the last page, above which the keys' hint goes."""
        from . import pager
        from .keys import QUIT, REDRAW, REVEAL

        if not self.interactive or self.more is None:
            self._new_screen()
            self.print(*parts)
            return
        top = 0
        while True:
            self._new_screen()
            lines, size = pager.layout(self.console, parts), pager.room(self.console)
            if len(lines) <= size + 1:  # fits, the hint line included
                self.print(*parts)
                return
            top = min(top, len(lines) - size)
            self.print(pager.page(lines, top, size))
            if top + size >= len(lines):
                return
            self.print(pager.more_line(top, size, len(lines)))
            while (key := self.more()) not in ("b", REVEAL, QUIT, REDRAW):
                pass  # not a paging key: the page stays
            if key == "b":
                top = max(0, top - size)
            elif key != REDRAW:
                top += size

    # -- a card ----------------------------------------------------------------------------

    def front(self, side: Side, state: FsrsCard | None, header: Header) -> None:
        self.images = []
        self._inline = False
        parts = self._front_parts(side, state, header)
        if self._flash is not None:
            from .terminal import clean

            parts.insert(0, Text(clean(self._flash), "yellow"))
            self._flash = None
        self._fresh(parts)
        self._draw_images()

    def ask_typed(self) -> None:
        self.print(Text("type the answer, then Enter   (Esc: keys, u undo, q quit)", "dim"))

    def front_hint(self) -> None:
        self._hint("Enter/space: show answer   o: open image   -: bury   @: suspend   "
                   "u: undo   q: quit")  # fmt: skip

    def back(
        self,
        side: Side,
        state: FsrsCard | None,
        header: Header,
        previews: dict[int, timedelta],
        typed: str | None,
    ) -> None:
        parts: list[RenderableType] = []
        if self.interactive:
            self.images = []
            parts += self._front_parts(side, state, header)
        parts.append(Rule(style="dim"))
        card = side.card
        if typed is not None:
            parts.append(self._typed_feedback(typed, card.answer or ""))
        back_text = _back_text(side)
        if back_text:
            parts.append(self._markdown(back_text))
        if card.source:
            from .terminal import clean

            parts.append(Text(f"source: {clean(card.source)}", "dim"))
        parts.append(Text())
        parts.append(_ratings(previews))
        if self.interactive:
            self._fresh(parts)
        else:
            self.print(*parts)
        self._draw_images()  # the screen was cleared: front's images and back's
        self._hint("1-4: rate (Enter/space: Good)   o: open image   -: bury   @: suspend   "
                   "u: undo   q: quit")  # fmt: skip

    def _front_parts(
        self, side: Side, state: FsrsCard | None, header: Header
    ) -> list[RenderableType]:
        return [_header(side, state, header), Rule(style="dim"), self._markdown(_front_text(side))]

    def _markdown(self, text: str) -> RenderableType:
        from .terminal import markdown

        return markdown(text, self._label)

    def _label(self, reference: str) -> str:
        path = self._image_path(reference)
        if path is not None and path not in self.images:
            self.images.append(path)
        return f"[image: {reference} — press o to open]"

    def _hint(self, text: str) -> None:
        if not self.images:
            text = text.replace("   o: open image", "")
        self.print(Text(text, "dim"))

    def _typed_feedback(self, typed: str, expected: str) -> Text:
        from .terminal import clean

        typed, expected = clean(typed), clean(expected)
        if answer_matches(typed, expected):
            return Text.assemble(("✓ correct: ", "bold green"), expected)
        markers = self.console.no_color or self.console.color_system is None
        return Text.assemble(
            ("✗ you typed: ", "bold red"),
            typed or "(nothing)",
            "\n  the answer: ",
            (expected, "bold"),
            "\n  difference: ",
            answer_diff(typed, expected, markers=markers),
        )

    # -- images ----------------------------------------------------------------------------

    def _image_path(self, reference: str) -> Path | None:
        from ..project.media import reference_key

        key = reference_key(reference)
        for card in self.project.cards:
            for image in card.images:
                if image.relpath == key:
                    return image.path
        return None

    def _draw_images(self) -> None:
        """Draw images inline where the terminal can; elsewhere their labels stand."""
        if not self.interactive or not self.images:
            return
        from .termimage import inline_image, inline_protocol

        protocol = inline_protocol(os.environ)
        if protocol is None:
            return
        columns = max(10, min(self.console.width - 2, 60))
        for path in self.images:
            sequence = inline_image(path, protocol, columns)
            if sequence is not None:
                self.console.file.write(sequence)
                self._inline = True
        self.console.file.flush()

    def open_images(self, opener: Callable[[Path], tuple[bool, str]]) -> None:
        """`o`: open the card's images in the system viewer, saying whether that worked."""
        if not self.images:
            self.note("this card shows no image", "dim")
            return
        from ..project.media import VIEWER_KINDS

        kinds = {image.path: image.kind for card in self.project.cards for image in card.images}
        for path in self.images:
            if kinds.get(path) not in VIEWER_KINDS:
                # The system's viewer for SVG is often a web browser, which runs its scripts.
                self.note(f"not opened: {path.name} is an SVG image; the image is {path}", "yellow")
                continue
            ok, message = opener(path)
            self.note(message, "green" if ok else "yellow")


def _header(side: Side, state: FsrsCard | None, header: Header) -> Text:
    from .terminal import clean

    new, learning, reviews = header.counts
    status = "cram" if header.cram else ("new" if state is None else STATE_NAMES[state.state])
    text = Text.assemble(
        (clean(side.card.deck).replace("::", " › "), "bold cyan"),
        ("  ·  ", "dim"),
        (f"{header.position}/{header.total}", "bold"),
        ("  ·  ", "dim"),
        (status, "magenta"),
        ("  ·  ", "dim"),
    )
    if header.cram:
        text.append("practice only: nothing is saved", "yellow")
    else:
        text.append_text(
            Text.assemble(
                (f"{new} new", "blue"),
                " ",
                (f"{learning} learning", "red"),
                " ",
                (f"{reviews} review", "green"),
                (" left", "dim"),
            )
        )
    return text


def _ratings(previews: dict[int, timedelta]) -> Text:
    out = Text()
    for rating, name in RATING_NAMES.items():
        if rating > 1:
            out.append("   ")
        out.append(f"{rating} ", "bold")
        out.append(name, RATING_STYLES[rating])
        interval = previews.get(rating)
        if interval is not None:
            out.append(f" {format_interval(interval)}")
    return out


def _front_text(side: Side) -> str:
    from .terminal import cloze_markdown

    card = side.card
    if side.kind == "cloze":
        return cloze_markdown(card.text or "", side.number, revealed=False)
    return (card.back if side.kind == "reverse" else card.front) or ""


def _back_text(side: Side) -> str:
    from .terminal import cloze_markdown

    card = side.card
    if side.kind == "cloze":
        answer = cloze_markdown(card.text or "", side.number, revealed=True)
        return answer + (f"\n\n{card.back}" if card.back else "")
    if side.kind == "reverse":
        return card.front or ""
    return card.back or ""
