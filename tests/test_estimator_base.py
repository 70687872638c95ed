"""Hiding native libraries' stderr chatter: safe when several model threads do it at once."""

from __future__ import annotations

import os
import threading

from posecheck.estimators.base import native_stderr_silenced


def test_overlapping_silences_from_several_threads_put_stderr_back() -> None:
    before = os.fstat(2)
    inside = threading.Barrier(3)
    leave = threading.Event()

    def hide() -> None:
        with native_stderr_silenced():
            inside.wait(5)
            leave.wait(5)

    threads = [threading.Thread(target=hide) for _ in range(3)]
    for t in threads:
        t.start()
    leave.set()
    for t in threads:
        t.join(5)
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    with native_stderr_silenced():  # and it still works afterwards
        hidden = os.fstat(2)
    assert (hidden.st_dev, hidden.st_ino) != (before.st_dev, before.st_ino)
    assert (os.fstat(2).st_dev, os.fstat(2).st_ino) == (before.st_dev, before.st_ino)
