"""Ctrl-C reaches the main thread, whatever threads the checker starts.

Python runs signal handlers in the main thread, but the kernel hands a signal sent to
the process to any thread that does not block it. When Ctrl-C lands on a helper thread
(a worker pool's, a connection pool's), Python only notes it: the main thread, blocked
in a read (a named pipe given to ``index add``, a slow network file) or a wait, is not
woken and the command does not stop (a test that interrupts an add blocked on a named
pipe hung this way, now and then). Threads started inside :func:`sparing_interrupts`
block SIGINT (a thread starts with its creator's signal mask), so it goes to the main
thread, which stops as it should.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sparing_interrupts() -> Iterator[None]:
    """Block SIGINT in the calling thread while the block runs, so that the threads it
    starts never take it; the mask is restored after. Only from the main thread (another
    thread never takes handlers' signals anyway) and where POSIX thread masks exist."""
    if not hasattr(signal, "pthread_sigmask") \
            or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        # A Ctrl-C that came meanwhile is delivered (and raised) when unblocked.
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
