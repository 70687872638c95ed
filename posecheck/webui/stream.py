"""The bridge between streamlit-webrtc's camera thread and a `LiveSession`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import av
import numpy as np

from posecheck.live.session import LiveSession

log = logging.getLogger(__name__)
RTC_CONFIGURATION: dict[str, list[object]] = {"iceServers": []}  # localhost only: no STUN/TURN hosts
# 640x480 at no more than 30 fps: the returned-frame track waits up to 20 ms per frame for its
# overlay, which a faster camera would turn into a growing queue (posecheck/webui/prompt_track.py)
MEDIA_CONSTRAINTS = {"video": {"width": {"ideal": 640}, "height": {"ideal": 480},
                               "frameRate": {"ideal": 30, "max": 30}}, "audio": False}


def frame_callback(session: LiveSession) -> Callable[[av.VideoFrame], av.VideoFrame]:
    """A video callback bound to one session (no shared state)."""
    return video_callback(session.process)


def video_callback(process: Callable[[np.ndarray, float], np.ndarray]
                   ) -> Callable[[av.VideoFrame], av.VideoFrame]:
    """A streamlit-webrtc video callback around `process(rgb, seconds) -> rgb`. Frame time comes
    from the frame's own timestamp; a frame without one gets the wall clock. A failing frame goes
    back as it came and the error goes to the server log, so the video keeps flowing."""

    def on_frame(frame: av.VideoFrame) -> av.VideoFrame:
        rgb = frame.to_ndarray(format="rgb24")
        t = frame.time if frame.time is not None else time.monotonic()
        try:
            out = process(rgb, t)
        except Exception:
            log.exception("live frame processing failed")
            return frame
        new = av.VideoFrame.from_ndarray(out, format="rgb24")
        new.pts, new.time_base = frame.pts, frame.time_base
        return new

    return on_frame
