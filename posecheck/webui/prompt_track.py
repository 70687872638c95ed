"""Send each camera frame back with its own overlay, not with the one drawn on the frame before.

streamlit-webrtc 0.79's asynchronous track passes each incoming frame to the callback on a worker
thread and at once returns whatever that thread finished last: the previous frame's output, one
camera interval (33 ms at 30 fps) behind. posecheck's callback is short because the pose model runs
on a thread of its own (posecheck/live/judge.py), so this track waits a little for the frame's
own output and falls back to the last one only when that takes longer than `WAIT_S`. The wait
never blocks the event loop (it sleeps in asyncio), and the worker still drops stale frames.
Measured in the real browser with bench/live_latency.py: the median camera-to-screen latency falls
by about the camera interval (docs/performance.md).

When the machine is short of CPU, the event loop that runs this track can fall behind the decoder,
and aiortc queues every decoded camera frame for it without limit: on a loaded 2-core machine that
queue was seen 10 frames deep (a third of a second of delay before the coach saw a frame). So each
`recv` takes the newest decoded frame and drops the ones queued before it (`skip_stale`): the
video goes back less smoothly, but never late. `bench/live_latency.py --busy-core --ab-stale`
measures both ways side by side (POSECHECK_LIVE_KEEP_STALE=1 turns the skipping off).

`install()` swaps the track class streamlit-webrtc builds for asynchronous processing. It checks
that the class still looks the way this code expects and does nothing otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

import av
from aiortc.mediastreams import MediaStreamError
from streamlit_webrtc import process

log = logging.getLogger(__name__)
WAIT_S = 0.020  # longest wait for the frame's own output before sending the last one
POLL_S = 0.001
SKIP_STALE = os.environ.get("POSECHECK_LIVE_KEEP_STALE") != "1"  # off only to measure the difference
_EXPECTED = ("_start", "_in_queue", "_out_lock", "_out_deque", "_last_out_frame", "_worker_exception",
             "_worker_exception_lock")


class PromptVideoProcessTrack(process.AsyncVideoProcessTrack):
    """streamlit-webrtc's asynchronous video track, returning the current frame's own output when
    the callback finishes within `WAIT_S`."""

    async def recv(self) -> av.VideoFrame:  # type: ignore[override]
        if self.readyState != "live":
            raise MediaStreamError
        with self._worker_exception_lock:
            if self._worker_exception:
                raise self._worker_exception
        self._start()
        frame = skip_stale(self.track, await self.track.recv())
        self._in_queue.put(frame)
        deadline = time.monotonic() + WAIT_S
        new_frame = None
        while True:
            with self._out_lock:
                if self._out_deque:
                    new_frame = self._out_deque.popleft()
                    while self._out_deque:  # anything older than the newest output is stale
                        new_frame = self._out_deque.popleft()
            if new_frame is not None or time.monotonic() >= deadline:
                break
            await asyncio.sleep(POLL_S)
        new_frame = new_frame or self._last_out_frame
        if new_frame is None:
            return frame
        self._last_out_frame = new_frame
        new_frame.pts, new_frame.time_base = frame.pts, frame.time_base
        return new_frame


def skip_stale(track: object, frame: av.VideoFrame) -> av.VideoFrame:
    """The newest frame already decoded for `track`, dropping `frame` and any queued before it.
    aiortc's remote track keeps decoded frames in an asyncio queue (`_queue`, ended by None); a
    track without one is left alone."""
    queue = getattr(track, "_queue", None) if SKIP_STALE else None
    if not isinstance(queue, asyncio.Queue):
        return frame
    while not queue.empty():
        newer = queue.get_nowait()
        if newer is None:  # the stream ended: leave the marker for the next recv to find
            queue.put_nowait(None)
            break
        frame = newer
    return frame


def install() -> bool:
    """Make streamlit-webrtc build `PromptVideoProcessTrack` for asynchronous video processing.
    Returns False (and changes nothing) if streamlit-webrtc is not shaped as expected."""
    from streamlit_webrtc import webrtc

    current = getattr(webrtc, "AsyncVideoProcessTrack", None)
    if current is PromptVideoProcessTrack:
        return True
    if current is not process.AsyncVideoProcessTrack:
        log.warning("streamlit-webrtc's video track is not the expected one; frames go back one late")
        return False
    used: set[str] = set()  # attribute names the library's own methods touch
    for method in ("recv", "_start", "__init__"):
        code = getattr(getattr(process.AsyncMediaProcessTrack, method, None), "__code__", None)
        used.update(code.co_names if code is not None else ())
    if not set(_EXPECTED) <= used:
        log.warning("streamlit-webrtc's asynchronous track has changed; frames go back one late")
        return False
    webrtc.AsyncVideoProcessTrack = PromptVideoProcessTrack  # type: ignore[misc]
    return True
