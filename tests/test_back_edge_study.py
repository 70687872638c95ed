"""tools/back_edge_study.py: three readings of the traced back edge, each checked on a drawn case."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.features.silhouette import STATIONS, TrunkOutline, trace  # noqa: E402
from tools import back_edge_study as study  # noqa: E402

# a torso lying along x: hip at x=60, shoulder at x=160 (100 px); the back faces up (-y)
HIP, SHOULDER, ANTERIOR = np.array([60.0, 100.0]), np.array([160.0, 100.0]), np.array([0.0, 1.0])


def _torso(blur_px: float) -> np.ndarray:
    """A filled rectangle with its back edge at y=80 (0.2 torso lengths above the chord), blurred."""
    mask = np.zeros((200, 220), np.float32)
    mask[80:130, 40:180] = 1.0
    return cv2.GaussianBlur(mask, (0, 0), blur_px) if blur_px else mask


def test_a_blurred_edge_reads_softer_by_the_width_of_its_fall() -> None:
    widths = []
    for blur in (0.8, 3.0):
        mask = _torso(blur)
        outline = trace(mask, HIP, SHOULDER, ANTERIOR)
        assert outline is not None
        assert np.nanmedian(outline.back[STATIONS >= 0]) == pytest.approx(0.2, abs=0.01)
        widths.append(study.soft_edge(mask, outline, HIP, SHOULDER, -ANTERIOR))
    # a Gaussian falls from 0.85 to 0.15 over 2 x 1.036 sigma: 1.66 px and 6.2 px of a 100 px torso
    assert widths[0] == pytest.approx(2 * 1.036 * 0.8 / 100, abs=0.006)
    assert widths[1] == pytest.approx(2 * 1.036 * 3.0 / 100, abs=0.006)


def test_an_edge_between_like_colours_is_dull_and_one_between_unlike_colours_is_not() -> None:
    image = np.zeros((200, 220, 3), np.uint8)
    image[:80] = (200, 200, 190)  # the wall above the back
    image[80:] = (40, 40, 120)  # the top
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    points = np.array([[x, 80.0] for x in range(70, 160, 10)])
    assert study.dull_edge(lab, points, ANTERIOR) == 0.0
    image[:80, 110:] = (45, 42, 118)  # a sofa of the top's colour behind the right half of the back
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    assert study.dull_edge(lab, points, ANTERIOR) == pytest.approx(5 / 9)


def test_a_step_in_the_outline_is_a_bump_and_a_smooth_curve_is_not() -> None:
    t = STATIONS
    curve = 0.15 + 0.1 * (t - 0.5) ** 2  # a gently rounded back
    assert study.bump(TrunkOutline(t, curve, curve)) < 1e-6
    stepped = curve.copy()
    stepped[(t >= 0.15) & (t <= 0.35)] += 0.2  # the outline follows a sofa's top for a stretch
    assert study.bump(TrunkOutline(t, stepped, curve)) == pytest.approx(0.2, abs=0.02)
    few = np.full(len(t), np.nan)
    few[:5] = 0.1
    assert math.isnan(study.bump(TrunkOutline(t, few, few)))


def _clip(median: tuple[float, float, float], right: bool) -> study.ClipReadings:
    return study.ClipReadings(median, tuple(m + 0.01 for m in median), right)


def test_separation_counts_wrong_room_clips_past_every_wall_twin() -> None:
    wall = _clip((0.03, 0.0, 0.05), True)
    pairs = [("a", True, _clip((0.05, 0.5, 0.04), False), wall),  # went wrong: soft and dull past the wall
             ("b", False, _clip((0.02, 0.0, 0.06), True), wall),  # stayed right: bump past the wall
             ("c", False, _clip((0.02, 0.0, 0.04), False), _clip((0.03, 0.0, 0.05), False))]  # wrong by both
    rows = {line.split(" | ")[0].lstrip("| "): line for line in study.separation(pairs, False)[2:]}
    assert rows["soft edge"] == "| soft edge | 0.030 | **0.050** | 0 of 1 |"
    assert rows["dull edge"] == "| dull edge | 0.00 | **0.50** | 0 of 1 |"
    assert rows["bump"] == "| bump | 0.050 | 0.040 | 1 of 1 |"
    worst = {line.split(" | ")[0].lstrip("| "): line for line in study.separation(pairs, True)[2:]}
    assert worst["soft edge"] == "| soft edge | 0.040 | **0.060** | 0 of 1 |"
