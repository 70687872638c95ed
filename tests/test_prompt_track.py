"""The live video track: each frame goes back with its own overlay when the callback is quick, and
with the last finished one (never a wait longer than the cap) when it is not."""

from __future__ import annotations

import asyncio
import threading
from fractions import Fraction

import av
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamTrack

from posecheck.webui import prompt_track
from posecheck.webui.prompt_track import PromptVideoProcessTrack


class _Camera(MediaStreamTrack):
    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self.pts = 0

    async def recv(self) -> av.VideoFrame:
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        frame.pts, frame.time_base = self.pts, Fraction(1, 30)
        self.pts += 1
        await asyncio.sleep(0)
        return frame


class _Overlay:
    """Draws nothing, but remembers which camera frame each output was made from."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.hold = hold
        self.made_from: dict[int, int] = {}

    def recv(self, frame: av.VideoFrame) -> av.VideoFrame:
        if self.hold is not None:
            self.hold.wait(5)
        out = av.VideoFrame.from_ndarray(np.ones((16, 16, 3), np.uint8), format="rgb24")
        self.made_from[id(out)] = frame.pts
        return out


async def _send(track: PromptVideoProcessTrack, n: int) -> list[av.VideoFrame]:
    return [await track.recv() for _ in range(n)]


def test_a_quick_callback_sends_each_frame_with_its_own_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompt_track, "WAIT_S", 2.0)  # generous: the worker thread may start slowly
    overlay = _Overlay()
    track = PromptVideoProcessTrack(track=_Camera(), processor=overlay)
    try:
        sent = asyncio.run(_send(track, 6))
    finally:
        track.stop()
    assert [overlay.made_from[id(f)] for f in sent] == [0, 1, 2, 3, 4, 5]
    assert [f.pts for f in sent] == [0, 1, 2, 3, 4, 5]


def test_a_slow_callback_never_holds_the_video_longer_than_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompt_track, "WAIT_S", 0.05)
    hold = threading.Event()
    overlay = _Overlay(hold)
    track = PromptVideoProcessTrack(track=_Camera(), processor=overlay)
    try:
        sent = asyncio.run(_send(track, 3))  # nothing finished: the camera frames go out as they are
        assert all(id(f) not in overlay.made_from for f in sent)
        hold.set()
        monkeypatch.setattr(prompt_track, "WAIT_S", 2.0)  # now let a loaded machine catch up
        later = asyncio.run(_send(track, 3))
    finally:
        hold.set()
        track.stop()
    assert all(id(f) in overlay.made_from for f in later)  # drawn frames again, once it catches up
    assert [f.pts for f in later] == [3, 4, 5]  # always stamped with the frame being sent


def test_install_swaps_the_track_class_once() -> None:
    from streamlit_webrtc import webrtc

    assert prompt_track.install()
    assert webrtc.AsyncVideoProcessTrack is PromptVideoProcessTrack
    assert prompt_track.install()


def _frame(pts: int) -> av.VideoFrame:
    frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
    frame.pts, frame.time_base = pts, Fraction(1, 30)
    return frame


class _Backlog(MediaStreamTrack):
    """A camera track shaped like aiortc's remote and relay tracks: decoded frames wait in `_queue`."""

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._queue: asyncio.Queue[av.VideoFrame | None] = asyncio.Queue()

    async def recv(self) -> av.VideoFrame:
        frame = await self._queue.get()
        assert frame is not None
        return frame


def test_frames_queued_behind_a_slow_loop_are_dropped_for_the_newest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompt_track, "WAIT_S", 2.0)
    overlay = _Overlay()
    camera = _Backlog()
    track = PromptVideoProcessTrack(track=camera, processor=overlay)

    async def run() -> list[av.VideoFrame]:
        for pts in range(5):  # the loop fell behind: five frames decoded while it was busy
            camera._queue.put_nowait(_frame(pts))
        first = await track.recv()
        camera._queue.put_nowait(_frame(5))
        return [first, await track.recv()]

    try:
        sent = asyncio.run(run())
    finally:
        track.stop()
    assert [f.pts for f in sent] == [4, 5]  # 0 to 3 were stale: never judged, never sent
    assert [overlay.made_from[id(f)] for f in sent] == [4, 5]
    assert camera._queue.empty()


def test_skipping_stale_frames_keeps_the_end_of_the_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    camera = _Backlog()
    for item in (_frame(0), _frame(1), None):
        camera._queue.put_nowait(item)
    assert prompt_track.skip_stale(camera, _frame(-1)).pts == 1
    assert camera._queue.qsize() == 1 and camera._queue.get_nowait() is None  # left for the next recv
    assert prompt_track.skip_stale(_Camera(), _frame(7)).pts == 7  # a track without a queue: untouched
    camera._queue.put_nowait(_frame(8))
    monkeypatch.setattr(prompt_track, "SKIP_STALE", False)  # POSECHECK_LIVE_KEEP_STALE=1, for the bench
    assert prompt_track.skip_stale(camera, _frame(7)).pts == 7 and camera._queue.qsize() == 1
