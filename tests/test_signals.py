"""Threads the checker starts leave Ctrl-C to the main thread (checker.signals)."""

from __future__ import annotations

import signal
import threading

import pytest

from checker.signals import sparing_interrupts

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"),
                                reason="no POSIX thread signal masks here")


def _blocked() -> set[signal.Signals]:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_threads_started_inside_block_sigint_and_the_main_thread_does_not() -> None:
    seen: dict[str, set[signal.Signals]] = {}
    with sparing_interrupts():
        inside = threading.Thread(target=lambda: seen.setdefault("inside", _blocked()))
        inside.start()
    inside.join()
    after = threading.Thread(target=lambda: seen.setdefault("after", _blocked()))
    after.start()
    after.join()
    assert signal.SIGINT in seen["inside"]
    assert signal.SIGINT not in seen["after"]
    assert signal.SIGINT not in _blocked()


def test_a_ctrl_c_during_the_block_is_raised_after_it() -> None:
    with pytest.raises(KeyboardInterrupt):
        with sparing_interrupts():
            signal.raise_signal(signal.SIGINT)
            reached = True  # blocked: nothing raised yet
        pytest.fail("not raised")  # pragma: no cover
    assert reached


def test_from_another_thread_it_changes_nothing() -> None:
    out: list[set[signal.Signals]] = []

    def run() -> None:
        before = _blocked()
        with sparing_interrupts():
            out.append(_blocked() ^ before)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert out == [set()]
