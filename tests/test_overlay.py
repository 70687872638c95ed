"""The drawn overlay: the back outline the lumbar checks read, coloured by their state."""

from __future__ import annotations

import numpy as np
from builders import frames, heel_on_step, regular_times

from posecheck.checker import PoseChecker
from posecheck.poses import pose_by_id
from posecheck.sinks.overlay import GREEN, RED, draw_overlay


def _last(bend: float, with_mask: bool = True) -> np.ndarray:
    pose = pose_by_id("hamstring_stretch")
    fig = heel_on_step("left", lean=40.0).with_back(bend)
    fig = fig if with_mask else fig.without_mask()
    checker = PoseChecker(pose)
    fs = frames(regular_times(0.0, 2.0, 20.0), lambda t: fig)
    verdict = [checker.update(f) for f in fs][-1]
    blank = np.zeros((fig.height, fig.width, 3), np.uint8)
    return draw_overlay(blank, fs[-1], verdict, pose)


def _dots(img: np.ndarray, colour: tuple[int, int, int]) -> int:
    """Pixels of a colour behind the figure (image-right of the hip, x > 610): the back outline."""
    body = img[100:800, 610:]
    return int(np.all(body == colour, axis=-1).sum())


def test_rounded_back_outline_is_drawn_red() -> None:
    img = _last(-5.0)
    assert _dots(img, RED) > 100 and _dots(img, GREEN) == 0


def test_neutral_back_outline_is_drawn_green() -> None:
    img = _last(-20.0)
    assert _dots(img, GREEN) > 100 and _dots(img, RED) == 0


def test_no_outline_without_a_mask() -> None:
    img = _last(-20.0, with_mask=False)
    assert _dots(img, GREEN) == 0 and _dots(img, RED) == 0
