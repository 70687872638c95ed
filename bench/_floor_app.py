"""The live page's video path with no coach in it, for bench/live_latency.py --floor.

Same WebRTC settings and the same returned-frame track as the live page (posecheck/webui), and a
callback that only copies the frame and draws one bar on it: what is left is the cost of the
camera, the two video encoders, the network stack and the browser. The driver's steps are kept
(a safety button, START, a line of text once frames flow), so the same driver times it.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np
import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from posecheck.live.loopback import allow_loopback_ice
from posecheck.webui import prompt_track
from posecheck.webui.safety import CONTINUE_LABEL
from posecheck.webui.stream import MEDIA_CONSTRAINTS, RTC_CONFIGURATION, video_callback

allow_loopback_ice()
prompt_track.install()


class Counter:
    def __init__(self) -> None:
        self.lock, self.frames = threading.Lock(), 0


if "counter" not in st.session_state:
    st.session_state.counter = Counter()
counter: Counter = st.session_state.counter

if not st.session_state.get("ok"):
    if st.button(CONTINUE_LABEL):
        st.session_state.ok = True
        st.rerun()
    st.stop()


def draw_bar(rgb: np.ndarray, _t: float) -> np.ndarray:
    out = rgb.copy()
    cv2.rectangle(out, (0, 0), (out.shape[1], 40), (120, 120, 120), -1)
    with counter.lock:
        counter.frames += 1
    return out


# the live page's own callback wrapper (frame conversion, timestamps), around a trivial step
webrtc_streamer(key="floor", mode=WebRtcMode.SENDRECV, rtc_configuration=RTC_CONFIGURATION,
                media_stream_constraints=MEDIA_CONSTRAINTS, video_frame_callback=video_callback(draw_bar),
                async_processing=True)


@st.fragment(run_every=0.5)
def status() -> None:
    with counter.lock:
        n = counter.frames
    st.write(f"Frames returned: {n}")
    if n:
        st.write("Frames are flowing")


status()
