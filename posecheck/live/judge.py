"""Judge the newest camera frame on a thread of its own, so the video never waits for the pose model.

The camera callback offers every frame and returns at once. The judge takes whichever frame is newest
when it is free: a frame that arrives while another waits replaces it (the queue is one deep), so
delay cannot build up however slow the machine is. After `idle_stop_s` without a frame the thread
ends and calls `on_idle` (the session frees its model); the next frame starts it again.

`max_fps` caps how often a frame is judged, by the frames' own timestamps: a frame that comes
sooner than 1/max_fps after the last one taken is not judged at all. The rules were measured on
15 fps clips, so judging a 30 fps camera more often than that adds load, not accuracy, and the
load it saves goes to the video itself.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from posecheck.frames import ImageFrame

log = logging.getLogger(__name__)


JUDGE_NICENESS = 10  # how much lower than the video the judge (and the model's threads) runs


def _lower_priority() -> None:
    """Give this thread, and the threads it starts (MediaPipe's graph and TFLite workers are started
    by the first frame judged), a lower CPU priority than the video path. On a machine short of
    cores the video then keeps its pace and the judging takes what is left; with cores to spare
    nothing changes. Linux only; elsewhere, or when not allowed, it is skipped."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + JUDGE_NICENESS)
    except (AttributeError, OSError):
        pass


class LatestFrameJudge:
    """Runs `judge(frame)` on the newest offered frame, one at a time, on a background thread."""

    def __init__(self, judge: Callable[[ImageFrame], None], on_idle: Callable[[], None] | None = None,
                 idle_stop_s: float = 30.0, max_fps: float | None = None,
                 name: str = "posecheck-judge") -> None:
        self._judge = judge
        self._min_gap_s = 1.0 / max_fps if max_fps else 0.0
        self._last_taken_t: float | None = None
        self._on_idle = on_idle
        self._idle_stop_s = idle_stop_s
        self._name = name
        self._cond = threading.Condition()
        self._pending: ImageFrame | None = None
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.replaced = 0  # frames that were replaced by a newer one before they could be judged
        self.skipped = 0  # frames that came sooner than 1/max_fps after the last one taken

    def offer(self, frame: ImageFrame) -> None:
        """Hand over the newest frame; never blocks on the judging."""
        with self._cond:
            last = self._last_taken_t
            if last is not None and last <= frame.timestamp < last + self._min_gap_s:
                self.skipped += 1
                return
            if self._pending is not None:
                self.replaced += 1
            self._pending = frame
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify_all()  # the judge, and anyone waiting for it to be idle

    def _run(self) -> None:
        _lower_priority()
        while True:
            with self._cond:
                if self._pending is None and not self._stopping:
                    self._cond.wait(self._idle_stop_s)
                if self._stopping or self._pending is None:  # stopped, or idle for too long
                    self._end()
                    return
                frame, self._pending = self._pending, None
                self._last_taken_t = frame.timestamp
                self._busy = True
            try:
                self._judge(frame)
            except Exception:  # one bad frame must not end live coaching; it goes to the server log
                log.exception("judging a live frame failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _end(self) -> None:
        """Free what the judge holds, with the lock held: a frame offered meanwhile waits for this
        and then starts a fresh thread (and a fresh model), never one being closed."""
        if self._on_idle is not None:
            try:
                self._on_idle()
            except Exception:
                log.exception("freeing the live model failed")
        if self._thread is threading.current_thread():
            self._thread = None
        self._cond.notify_all()

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Block until every offered frame has been judged (tests and recordings); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def stop(self, wait_s: float = 0.0) -> None:
        """Drop the waiting frame and end the thread once the frame being judged is done; the thread
        then calls `on_idle`. Returns at once unless `wait_s` asks to wait for that (it is called from
        the WebRTC event loop, which must not block on a model)."""
        with self._cond:
            thread = self._thread
            self._stopping = True
            self._pending = None
            self._last_taken_t = None
            self._cond.notify_all()
        if wait_s > 0 and thread is not None and thread is not threading.current_thread():
            thread.join(wait_s)
