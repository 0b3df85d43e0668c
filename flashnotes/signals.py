"""SIGTERM and SIGHUP end flashnotes the way Ctrl-C does: cleanup code runs first.

By default those signals kill the process on the spot, leaving an export's temporary
package beside OUT and its scratch folder in $TMPDIR. Raised as an exception instead, they
unwind through every `finally` and `with`; then the process ends by the same signal, so
whoever sent it sees the usual status.

Between creating a temporary file and entering the `try` that removes it there are a few
bytecodes where an exception would leave the file behind; `held()` defers the signal
across them.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator

HANDLED = (signal.SIGTERM, signal.SIGHUP)
_held = 0  # how many held() sections are open
_pending: int | None = None  # a signal that arrived while held


class Terminated(BaseException):
    """The process was asked to end (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    global _pending
    for handled in HANDLED:  # a second signal must not interrupt the cleanup
        signal.signal(handled, signal.SIG_IGN)
    if _held:
        _pending = signum
        return
    raise Terminated(signum)


@contextlib.contextmanager
def held() -> Iterator[Callable[[], None]]:
    """Defer SIGTERM and SIGHUP until the `release()` this yields is called.

    Create the temporary thing inside the section, enter the `try` (or `with`) that cleans
    it up, then call `release()` there: a signal that came in between is raised at that
    point, where the cleanup is in place.
    """
    global _held
    _held += 1
    section = {"open": True}

    def release() -> None:
        global _held, _pending
        if not section["open"]:
            return
        section["open"] = False
        _held -= 1
        if not _held and _pending is not None:
            signum, _pending = _pending, None
            raise Terminated(signum)

    try:
        yield release
    finally:
        release()


@contextlib.contextmanager
def cleanup_on_termination() -> Iterator[None]:
    """Run the body; on SIGTERM or SIGHUP unwind it, then die of that signal."""
    previous = {handled: signal.signal(handled, _raise) for handled in HANDLED}
    try:
        yield
    except Terminated as terminated:
        signal.signal(terminated.signum, signal.SIG_DFL)
        os.kill(os.getpid(), terminated.signum)
        raise  # not reached: the signal ends the process
    finally:
        for handled, handler in previous.items():
            signal.signal(handled, handler)
