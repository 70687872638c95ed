"""The drawn overlay: the back outline the lumbar checks read, coloured by their state."""

from __future__ import annotations

import numpy as np
import pytest
from builders import frames, heel_on_step, regular_times

from posecheck.checker import PoseChecker
from posecheck.poses import pose_by_id
from posecheck.sinks.overlay import GREEN, RED, draw_overlay

SIDES = ("left", "right")


def _last(bend: float, camera_side: str, with_mask: bool = True) -> np.ndarray:
    pose = pose_by_id("hamstring_stretch")
    fig = heel_on_step("left", lean=40.0).with_back(bend).facing(camera_side)  # type: ignore[arg-type]
    fig = fig if with_mask else fig.without_mask()
    checker = PoseChecker(pose)
    fs = frames(regular_times(0.0, 2.0, 20.0), lambda t: fig)
    verdict = [checker.update(f) for f in fs][-1]
    blank = np.zeros((fig.height, fig.width, 3), np.uint8)
    return draw_overlay(blank, fs[-1], verdict, pose)


def _dots(img: np.ndarray, colour: tuple[int, int, int], camera_side: str) -> int:
    """Pixels of a colour behind the figure (more than 10 px behind the hip at x = 600, towards the
    back): only the back outline is drawn there."""
    body = img[100:800, 610:] if camera_side == "left" else img[100:800, :590]
    return int(np.all(body == colour, axis=-1).sum())


@pytest.mark.parametrize("camera_side", SIDES)
def test_rounded_back_outline_is_drawn_red(camera_side: str) -> None:
    img = _last(5.0, camera_side)  # bowed out: past the rounding check's flag level
    assert _dots(img, RED, camera_side) > 100 and _dots(img, GREEN, camera_side) == 0


@pytest.mark.parametrize("camera_side", SIDES)
def test_neutral_back_outline_is_drawn_green(camera_side: str) -> None:
    img = _last(-20.0, camera_side)
    assert _dots(img, GREEN, camera_side) > 100 and _dots(img, RED, camera_side) == 0


@pytest.mark.parametrize("camera_side", SIDES)
def test_no_outline_without_a_mask(camera_side: str) -> None:
    img = _last(-20.0, camera_side, with_mask=False)
    assert _dots(img, GREEN, camera_side) == 0 and _dots(img, RED, camera_side) == 0


def test_the_live_overlay_reuses_its_banner_and_outline_and_draws_the_same_pictures() -> None:
    """LiveOverlay keeps the cue banner and the traced back outline between camera frames; what it
    draws must be exactly what the plain drawing function draws."""
    from live_helpers import frames_of

    from posecheck.live.cues import CueCandidate, CuePicker
    from posecheck.live.programme import StretchProgramme
    from posecheck.sinks.live_overlay import LiveOverlay, draw_live, draw_starting

    programme = StretchProgramme(pose_by_id("hip_flexor_stretch"))  # reads the back outline
    picker = CuePicker()
    overlay = LiveOverlay()
    frames = frames_of("hip_flexor_stretch__arched_lower_back_comp_25deg_hold__rr")
    rng = np.random.default_rng(3)
    cameras = [rng.integers(0, 255, (frames[0].height, frames[0].width, 3), dtype=np.uint8)
               for _ in range(3)]
    assert np.array_equal(overlay.starting(cameras[0]), draw_starting(cameras[0]))
    with_outline = 0
    for n, frame in enumerate(frames):
        view = programme.update(frame)
        cue = picker.update(frame.timestamp, view.cue or CueCandidate("x", "guidance", "Step in"))
        for camera in cameras[: 1 + n % 3]:  # each judged frame drawn on one to three camera frames
            assert np.array_equal(overlay.draw(camera, frame, view, cue, 14.0),
                                  draw_live(camera, frame, view, cue, 14.0))
        with_outline += overlay._dots is not None
    assert with_outline > len(frames) // 2  # the back outline was in the pictures compared
