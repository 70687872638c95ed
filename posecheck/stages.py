"""Run the cheap ends of a pipeline on their own threads, so that they hide behind pose inference.

`Prefetch` reads an iterator (the video decoder) a few items ahead on a background thread;
`Background` hands items to a function (drawing and encoding the annotated video) on another one.
Both queues are short, so memory stays flat however long the video is, and both carry a worker's
exception back to the caller's thread, where it is raised as if the work had been done there.
PyAV, OpenCV and MediaPipe release the GIL while they work, so on two cores the stages overlap.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()
_POLL_S = 0.1


class Prefetch(Generic[T]):
    """Iterate over `items` on a background thread, keeping up to `depth` items ready."""

    def __init__(self, items: Iterable[T], depth: int = 4, name: str = "prefetch") -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._done = False
        self._thread = threading.Thread(target=self._run, args=(items,), name=name, daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, items: Iterable[T]) -> None:
        it = iter(items)
        try:
            for item in it:
                if not self._put(item):
                    break
        except BaseException as exc:  # carried to the consumer's thread
            self._error = exc
        finally:
            try:
                close = getattr(it, "close", None)
                if close is not None:
                    close()  # let a generator release its file on this thread
            except BaseException as exc:
                self._error = self._error or exc
            finally:
                self._put(_END)

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if item is _END:
            self._done = True
            self._thread.join()
            if self._error is not None:
                raise self._error
            raise StopIteration
        return item  # type: ignore[return-value]

    def close(self) -> None:
        """Stop reading ahead (the consumer gave up early) and wait for the thread to end."""
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=_POLL_S)
        self._done = True

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Background(Generic[T]):
    """Call `work(item)` for each submitted item, in order, on a background thread, then `finish()`
    (if given) on the same thread when closed: always, also after `work` failed.

    `submit` waits while `depth` items are queued (the caller never runs far ahead), and raises
    the worker's error, if it had one, at the next `submit` or at `close`."""

    def __init__(self, work: Callable[[T], None], depth: int = 4, name: str = "background",
                 finish: Callable[[], None] | None = None) -> None:
        self._work = work
        self._finish = finish
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _END:
                if self._finish is not None:
                    try:
                        self._finish()
                    except BaseException as exc:
                        self._error = self._error or exc
                return
            if self._error is None:
                try:
                    self._work(item)  # type: ignore[arg-type]
                except BaseException as exc:  # carried to the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, item: T) -> None:
        self._raise()
        self._queue.put(item)

    def close(self) -> None:
        """Finish the queued work, stop the thread and raise the worker's error, if any."""
        if not self._closed:
            self._closed = True
            self._queue.put(_END)
            self._thread.join()
        self._raise()
