"""Cards drawn as Anki's reviewer draws them, in headless Chromium, measured at a phone's width.

Each card side comes from a real Anki collection (`card.question()`, `card.answer()`, the
typing box and answer comparison as the reviewer fills them in), inside the reviewer's own
page: its stylesheets and the MathJax that the `aqt` package ships, loaded the way its
reviewer.js loads it. Chromium opens one page per mode with every side stacked in a
`#qa`-like box, typesets the math, and writes what overflows into the page, which
`--dump-dom` hands back. One browser start per mode keeps this to a few seconds.
"""

from __future__ import annotations

import base64
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

TYPE_PATTERN = re.compile(r"\[\[type:(.+?)\]\]")
WIDTH = 390


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def anki_web_folder() -> Path | None:
    """The reviewer's web files (css/, js/, MathJax) from the `aqt` package, if installed."""
    import importlib.util

    spec = importlib.util.find_spec("_aqt")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "web"
    return folder if (folder / "js" / "vendor" / "mathjax").is_dir() else None


@dataclass(frozen=True)
class Side:
    label: str  # "card-id q1", "card-id a2": which card and side
    html: str


def card_sides(col) -> list[Side]:
    """Both sides of every card, typing box and answer comparison filled in as Anki does.

    The typed answer given is the expected one with its first character dropped and an
    "x" added, so the comparison shows right, wrong and missed characters at once.
    """
    sides = []
    for card_id in sorted(col.find_cards("")):
        card = col.get_card(card_id)
        note = card.note()
        name = f"{note['Id']} {card.ord + 1}"
        expected = dict(note.items()).get("Answer", "")
        question = TYPE_PATTERN.sub(_typing_box, card.question())
        comparison = col.compare_answer(expected, expected[1:] + "x", True) if expected else ""
        answer = TYPE_PATTERN.sub(lambda _m, c=comparison: _compared(c), card.answer())
        sides.append(Side(f"{name} q", question))
        sides.append(Side(f"{name} a", answer))
    return sides


def _typing_box(_match: re.Match[str]) -> str:
    # aqt/reviewer.py typeAnsQuestionFilter, with the field's default font and size.
    return (
        '<center><input type=text id=typeans style="font-family: \'Arial\'; '
        'font-size: 20px;"></center>'
    )


def _compared(comparison: str) -> str:
    # aqt/reviewer.py typeAnsAnswerFilter.
    return f"<div style=\"font-family: 'Arial'; font-size: 20px\">{comparison}</div>"


_MEASURE = r"""
async function fnMeasure() {
  function load(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src; script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  // As reviewer.js loads it: Anki's configuration, then MathJax itself.
  await load("/_anki/js/mathjax.js");
  await load("/_anki/js/vendor/mathjax/tex-chtml-full.js");
  await MathJax.startup.promise;
  await MathJax.typesetPromise();
  await document.fonts.ready;
  for (const img of document.images) await img.decode().catch(() => {});
  const wide = [];
  for (const box of document.querySelectorAll(".fn-probe")) {
    if (box.scrollWidth > box.clientWidth) {
      wide.push([box.dataset.label, box.scrollWidth - box.clientWidth]);
    }
  }
  const page = document.documentElement.scrollWidth;
  // A scroll box must not cut off the top or bottom of what it holds (tall formulas).
  // MathJax's hidden copy for screen readers is clipped on purpose: out of the way.
  const hide = document.createElement("style");
  hide.textContent = "mjx-assistive-mml { display: none !important; }";
  document.head.appendChild(hide);
  const clipped = [];
  for (const box of document.querySelectorAll(
    ".fn-probe :is(p, ul, ol, dd, table, pre, .math, .fn-typed)")) {
    const style = getComputedStyle(box);
    if (style.overflowY !== "visible" && box.scrollHeight > box.clientHeight + 1) {
      clipped.push([box.closest(".fn-probe").dataset.label, box.tagName.toLowerCase(),
                    box.scrollHeight - box.clientHeight]);
    }
  }
  // What scrolls sideways inside its own box.
  const scrolling = [];
  for (const box of document.querySelectorAll(".fn-probe *")) {
    if (box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto") {
      scrolling.push([box.closest(".fn-probe").dataset.label, box.tagName.toLowerCase()]);
    }
  }
  // Formula and punctuation kept together (render.py): one box, not split over lines.
  const split = [];
  for (const span of document.querySelectorAll(".fn-probe .fn-nobreak")) {
    const rects = [...span.getClientRects()];
    if (rects.some(rect => rect.top >= rects[0].bottom)) {
      split.push(span.closest(".fn-probe").dataset.label);
    }
  }
  // The typed-answer comparison: its lines start at the same x, and every marked
  // letter is readable (WCAG contrast of its colour on its background).
  function rgb(colour) { return colour.match(/[\d.]+/g).slice(0, 3).map(Number); }
  function luminance(colour) {
    const [r, g, b] = rgb(colour).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  const typed = [];
  for (const code of document.querySelectorAll(".fn-probe code#typeans")) {
    const lineStarts = [code.firstElementChild, ...[...code.querySelectorAll("br")].map(
      br => br.nextElementSibling)].filter(Boolean).map(el => el.getBoundingClientRect().left);
    typed.push({
      label: code.closest(".fn-probe").dataset.label,
      lineStarts: lineStarts,
      contrast: Math.min(...[...code.querySelectorAll(".typeGood, .typeBad, .typeMissed")].map(
        span => {
        const style = getComputedStyle(span);
        return contrast(style.color, style.backgroundColor);
      })),
    });
  }
  const rules = [...document.querySelectorAll(".fn-probe hr")].map(hr => hr.offsetHeight);
  return {
    clipped: clipped,
    scrolling: scrolling,
    split: split,
    typed: typed,
    rules: rules,
    viewport: document.documentElement.clientWidth,
    page: page,
    mathErrors: document.querySelectorAll("mjx-merror").length,
    wide: wide,
  };
}
fnMeasure()
"""


def page(sides: list[Side], *, night: bool) -> str:
    """The reviewer's page (aqt/webview.py stdHtml, aqt/reviewer.py) holding every side.

    The viewport tag is AnkiDroid's: a phone lays the card out at its own width.
    """
    body_class = "card card1 isLin" + (" nightMode night_mode" if night else "")
    boxes = "\n".join(
        f'<div class="fn-probe" data-label="{html.escape(side.label)}">{side.html}</div>'
        for side in sides
    )
    theme = "dark" if night else "light"
    return f"""<!doctype html>
<html class="{"night-mode" if night else ""}" dir="ltr" data-bs-theme="{theme}">
<head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/_anki/css/webview.css">
<link rel="stylesheet" href="/_anki/css/reviewer.css">
<style>.fn-probe {{ display: flow-root; }}</style>
</head>
<body class="{body_class}">
{boxes}
</body></html>"""


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """An HTTP server for `folder` on a free local port, as Anki's media server serves."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def measure(
    folder: Path,
    sides: list[Side],
    *,
    night: bool,
    width: int = WIDTH,
    screenshot: Path | None = None,
) -> dict:
    """Open the sides at `width` CSS pixels on a phone; what overflows, from the page itself.

    `folder` must hold the media files and an `_anki` link to Anki's web folder.
    """
    name = "night.html" if night else "light.html"
    (folder / name).write_text(page(sides, night=night), encoding="utf-8")
    with serving(folder) as url, Browser() as browser:
        session = browser.open_page(width)
        browser.navigate(session, f"{url}/{name}")
        result = browser.evaluate(session, _MEASURE)
        if screenshot is not None:
            shot = browser.call("Page.captureScreenshot", {"captureBeyondViewport": True}, session)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
    return result


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe).

    A pipe needs no port and no client library; the protocol is what lets the page be a
    phone's width (a headless window is never narrower than 500 px).
    """

    def __init__(self) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="flashnotes-chromium-")
        command_read, self._command = os.pipe()
        self._reply, reply_write = os.pipe()
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
            "--no-first-run", f"--user-data-dir={self._profile.name}",
            "--remote-debugging-pipe", "about:blank",
        ]
        # Chromium reads commands on fd 3 and writes replies on fd 4 (bash, as dash cannot
        # redirect from fds above 9).
        script = f'exec "$0" "$@" 3<&{command_read} 4>&{reply_write}'
        self._process = subprocess.Popen(
            ["bash", "-c", script, chromium() or "chromium", *flags],
            pass_fds=(command_read, reply_write),
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self._profile.name, "stderr"), "wb"),  # noqa: SIM115
        )
        os.close(command_read)
        os.close(reply_write)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        with suppress(OSError, RuntimeError):
            self.call("Browser.close")
        os.close(self._command)
        os.close(self._reply)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._profile.cleanup()

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._command, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            self._read()  # raises, with Chromium's last words
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def wait_for(self, method: str, deadline: float = 120) -> dict:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            for index, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(index)
            self._events.append(self._read())
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._reply, 1 << 16)
            if not chunk:
                log = Path(self._profile.name, "stderr").read_text(errors="replace")
                raise RuntimeError(f"Chromium closed its DevTools pipe:\n{log[-3000:]}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def open_page(self, width: int, height: int = 800) -> str:
        """A session on a fresh page the size of a phone's screen."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        session_id = session["sessionId"]
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session_id)
        self.call("Page.enable", None, session_id)
        return session_id

    def navigate(self, session: str, url: str) -> None:
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, session: str, expression: str):
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        reply = self.call("Runtime.evaluate", params, session)
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise RuntimeError(details.get("exception", details))
        return reply["result"]["value"]
