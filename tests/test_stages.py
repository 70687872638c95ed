"""The threaded pipeline stages: order kept, errors carried to the caller, bounded read-ahead."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from posecheck.stages import Background, Prefetch


def test_prefetch_yields_every_item_in_order() -> None:
    assert list(Prefetch(range(50), depth=3)) == list(range(50))


def test_prefetch_carries_the_producers_error_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("damaged file")

    got = []
    with pytest.raises(ValueError, match="damaged file"):
        for x in Prefetch(items()):
            got.append(x)
    assert got == [1, 2]


def test_prefetch_reads_no_further_ahead_than_its_depth() -> None:
    produced = []

    def items() -> Iterator[int]:
        for i in range(100):
            produced.append(i)
            yield i

    stream = Prefetch(items(), depth=2)
    assert next(stream) == 0
    time.sleep(0.3)  # give the thread every chance to run ahead
    # one taken, two queued, one waiting to be queued
    assert len(produced) <= 4
    stream.close()


def test_closing_early_stops_the_thread_and_closes_the_generator() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    with Prefetch(items(), depth=2) as stream:
        assert [next(stream) for _ in range(3)] == [0, 1, 2]
    assert closed.is_set()
    assert list(stream) == []


def test_background_does_the_work_in_order_on_another_thread() -> None:
    seen: list[tuple[int, str]] = []
    worker = Background(lambda x: seen.append((x, threading.current_thread().name)), depth=2, name="drawer")
    for i in range(20):
        worker.submit(i)
    worker.close()
    assert [x for x, _ in seen] == list(range(20))
    assert {name for _, name in seen} == {"drawer"}


def test_background_raises_the_workers_error_in_the_caller() -> None:
    def work(x: int) -> None:
        if x == 3:
            raise OSError("disk full")

    worker = Background(work, depth=1)
    with pytest.raises(OSError, match="disk full"):
        for i in range(50):
            worker.submit(i)
        worker.close()
    worker.close()  # the error is raised once; closing again is quiet


def test_background_submit_waits_while_the_queue_is_full() -> None:
    release = threading.Event()
    done: list[int] = []

    def work(x: int) -> None:
        release.wait(5)
        done.append(x)

    worker = Background(work, depth=1)
    worker.submit(0)  # taken by the thread, which then waits
    worker.submit(1)  # fills the queue
    blocked = threading.Thread(target=worker.submit, args=(2,))
    blocked.start()
    blocked.join(0.3)
    assert blocked.is_alive()  # the caller cannot run ahead of the work
    release.set()
    blocked.join(5)
    worker.close()
    assert done == [0, 1, 2]


def test_background_finishes_on_its_thread_even_after_the_work_failed() -> None:
    """The annotated video's file is finished (its trailer written) whatever happened to a frame."""
    finished: list[str] = []

    def work(x: int) -> None:
        if x == 1:
            raise OSError("encoder failed")

    worker = Background(work, depth=1, name="drawer",
                        finish=lambda: finished.append(threading.current_thread().name))
    worker.submit(0)
    worker.submit(1)
    with pytest.raises(OSError, match="encoder failed"):
        for i in range(2, 50):
            worker.submit(i)
    worker.close()
    assert finished == ["drawer"]
