"""The minimal app page, driven as a user would: pick a stretch, upload a clip, press Analyse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "samples" / "synth" / "hip_flexor_stretch__knee_past_toes_15deg_hold__ll.mp4"
pytestmark = pytest.mark.slow


def _analyse(pose: str, name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    at.selectbox[0].set_value(pose).run()
    at.file_uploader[0].upload(name, data, "video/mp4").run()
    at.button[0].click().run()
    return at


def test_page_lists_every_stretch_with_safety_text() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.selectbox[0].options) == 9
    assert "not medical advice" in at.caption[0].value


def test_upload_analyses_and_offers_the_outputs() -> None:
    at = _analyse("hip_flexor_stretch", CLIP.name, CLIP.read_bytes())
    assert not at.exception and not at.error
    (summary,) = [c.value for c in at.code]
    # The labelled mistake in this clip: the front shin tilted 15 deg forward, held throughout.
    assert "person found in 36/36 frames" in summary
    assert "left side: in position" in summary
    assert "Front knee far past the toes" in summary
    assert len(at.get("video")) == 1
    assert len(at.get("download_button")) == 2


def test_unreadable_upload_gets_a_plain_message() -> None:
    at = _analyse("hamstring_stretch", "broken.mp4", b"not a video at all")
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "Cannot open broken.mp4 as a video" in error
    assert "Traceback" not in error
    assert not at.code and not at.get("video")
