"""Drive the app's pages with AppTest: a stub for the webrtc component and camera frames from a clip."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import av
import pytest
import streamlit_webrtc
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
LIVE = "app_pages/live.py"
VIDEO = "app_pages/video.py"


class WebRtcStub:
    """Stands in for `webrtc_streamer` (AppTest cannot run it) and keeps what the page passed in."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> SimpleNamespace:
        self.calls.append(kwargs)
        return SimpleNamespace(state=SimpleNamespace(playing=True, signalling=False))

    @property
    def callback(self) -> Callable[[av.VideoFrame], av.VideoFrame]:
        return self.calls[-1]["video_frame_callback"]


def install_webrtc_stub(monkeypatch: pytest.MonkeyPatch) -> WebRtcStub:
    """Replace the component for the pages run in this test (they import it at run time)."""
    stub = WebRtcStub()
    monkeypatch.setattr(streamlit_webrtc, "webrtc_streamer", stub)
    return stub


def camera_frames(clip: Path) -> Iterator[av.VideoFrame]:
    """The clip decoded into `av.VideoFrame`s, as the browser's camera would deliver them."""
    with av.open(str(clip)) as container:
        yield from container.decode(video=0)


def open_page(page: str, timeout: float = 120) -> AppTest:
    """Start the app, confirm the safety notice, and go to `page`."""
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    assert not at.exception
    at.switch_page(page).run()
    if at.button and at.button[0].label.startswith("None of these apply"):
        at.button[0].click().run()
    assert not at.exception, at.exception
    return at
