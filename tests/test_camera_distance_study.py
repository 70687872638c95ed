"""tools/camera_distance_study.py: the far-camera conditions, and the study's tables over them (that
each condition keeps the frame's size and repeats: tests/test_camera_quality_study.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import camera_distance_study as distance  # noqa: E402
from tools import camera_quality_study as quality  # noqa: E402


def _picture() -> np.ndarray:
    """A 640x480 test picture: a light wall over a darker floor, and a black figure in the middle
    whose box is 100x300 pixels."""
    rgb = np.full((480, 640, 3), 200, np.uint8)
    rgb[300:] = 120
    rgb[100:400, 270:370] = 0
    return rgb


@pytest.mark.parametrize("share", [0.6, 0.45, 0.35])
def test_far_shrinks_the_person_about_the_centre_and_fills_the_border_with_the_scene(share: float) -> None:
    rgb = _picture()
    out = distance.far(share)(rgb, np.random.default_rng(0))[:, :, 0]
    rows, cols = np.nonzero(out < 60)  # the figure, shrunk
    assert rows.max() - rows.min() + 1 == pytest.approx(300 * share, abs=2)
    assert cols.max() - cols.min() + 1 == pytest.approx(100 * share, abs=2)
    # the figure's centre (row 249.5, column 319.5) moves towards the picture's by the same share
    centre = ((rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2)
    assert centre[0] == pytest.approx(240 + (249.5 - 240) * share, abs=1.5)
    assert centre[1] == pytest.approx(320 + (319.5 - 320) * share, abs=1.5)
    # nothing of the figure is copied into the border: the top rows are wall, the bottom rows floor
    assert set(np.unique(out[:5])) == {200} and set(np.unique(out[-5:])) == {120}
    assert (out < 60).sum() == pytest.approx(300 * 100 * share * share, rel=0.1)


def test_far_and_dim_is_the_far_picture_made_grainy() -> None:
    rgb = _picture()
    out = distance.far_and_dim(rgb, np.random.default_rng(0)).astype(float)
    far = distance.far(0.6)(rgb, np.random.default_rng(0)).astype(float)
    wall = (far == 200)
    assert out[wall].mean() == pytest.approx(200.0, abs=1.0)  # the gain restores the brightness
    assert out[wall].std() == pytest.approx(12.5, rel=0.1)  # and lifts the sensor noise with it


def test_the_flagged_clips_table_has_a_column_per_far_condition() -> None:
    runs = [quality.Run("a.mp4", "glute_stretch", "as rendered", False, 0.0, None, 8.0),
            quality.Run("a.mp4", "glute_stretch", "far (45%)", True, 2.5, None, 8.0)]
    lines = quality.flagged_clips(runs, distance.CONDITIONS)
    assert lines[0] == "| clip | as rendered | far (60%) | far (45%) | far (35%) | far (60%), dim |"
    assert lines[2] == "| a | 0.0 | - | 2.5 | - | - |"
    row = "| glute_stretch | far (45%) | 100% | - | - | 1 of 1 | 2.5 / 8 |"
    assert row in "\n".join(quality.flat_rows(runs))
