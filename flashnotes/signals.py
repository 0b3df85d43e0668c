"""SIGTERM and SIGHUP end flashnotes the way Ctrl-C does: cleanup code runs first.

By default those signals kill the process on the spot, leaving an export's temporary
package beside OUT and its scratch folder in $TMPDIR. Raised as an exception instead, they
unwind through every `finally` and `with`; then the process ends by the same signal, so
whoever sent it sees the usual status.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

HANDLED = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """The process was asked to end (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    for handled in HANDLED:  # a second signal must not interrupt the cleanup
        signal.signal(handled, signal.SIG_IGN)
    raise Terminated(signum)


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
