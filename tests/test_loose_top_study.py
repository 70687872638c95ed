"""tools/loose_top_study.py: the cloth line spans hollows and leaves bulges, the drape fills a
hollow back towards flat and leaves a rounded one, and regress's `alter` hook sees every frame."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from builders import heel_on_step

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.features.catalogue import measure  # noqa: E402
from posecheck.features.skeleton import Skeleton  # noqa: E402
from posecheck.frames import PoseFrame  # noqa: E402
from posecheck.labels import load_labels  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.regress import run_clip  # noqa: E402
from tools import loose_top_study as study  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"
ROUNDING = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr.labels.json"


def test_the_cloth_line_spans_a_hollow_straight_and_follows_a_bulge() -> None:
    s = np.linspace(0.0, 1.0, 11)
    hollow = 0.3 - 0.1 * (1.0 - np.abs(2.0 * s - 1.0))  # a V: 0.3 at both ends, 0.2 in the middle
    assert study.cloth_line(s, hollow) == pytest.approx(np.full(11, 0.3))
    bulge = 0.3 + 0.1 * (1.0 - np.abs(2.0 * s - 1.0))  # already convex: the cloth lies on it
    assert study.cloth_line(s, bulge) == pytest.approx(bulge)
    gappy = hollow.copy()
    gappy[[0, 4]] = np.nan  # stations with no edge stay without one; the rest span the ends seen
    line = study.cloth_line(s, gappy)
    assert np.isnan(line[[0, 4]]).all()
    assert line[1:4] == pytest.approx(np.interp(s[1:4], [s[1], s[10]], [gappy[1], 0.3]))


def _frame(bend: float, camera_side: str) -> PoseFrame:
    fig = heel_on_step("left", lean=45.0).facing(camera_side).with_back(bend)  # type: ignore[arg-type]
    return fig.frame(0.0)


def _curve(frame: PoseFrame, camera_side: str, mask: np.ndarray) -> float:
    sk = Skeleton(frame.landmarks, frame.width, frame.height, camera_side, mask)  # type: ignore[arg-type]
    return measure("back_curve", sk)[0]


@pytest.mark.parametrize("camera_side", ["left", "right"])
def test_the_drape_fills_a_hollow_towards_flat_in_proportion(camera_side: str) -> None:
    frame = _frame(-30.0, camera_side)
    assert frame.mask is not None
    assert np.array_equal(study.draped_mask(frame, camera_side, 0.0), frame.mask)  # reach 0: as recorded
    as_drawn = _curve(frame, camera_side, frame.mask)
    half = _curve(frame, camera_side, study.draped_mask(frame, camera_side, 0.5))  # type: ignore[arg-type]
    full = _curve(frame, camera_side, study.draped_mask(frame, camera_side, 1.0))  # type: ignore[arg-type]
    assert as_drawn == pytest.approx(-30.0, abs=1.5)
    assert full == pytest.approx(0.0, abs=2.0)  # the hollow spanned straight: reads flat
    assert as_drawn + 10.0 < half < full - 10.0  # half way, roughly


@pytest.mark.parametrize("camera_side", ["left", "right"])
def test_the_drape_leaves_a_rounded_back_as_it_is(camera_side: str) -> None:
    frame = _frame(20.0, camera_side)
    assert frame.mask is not None
    draped = study.draped_mask(frame, camera_side, 1.0)
    assert draped is not None
    # the cloth still bridges the mask's pixel steps (a third of a pixel deep at most here), which
    # moves the reading by about a degree: far less than the 20 deg a hollow back moves (above)
    as_drawn = _curve(frame, camera_side, frame.mask)
    assert _curve(frame, camera_side, draped) == pytest.approx(as_drawn, abs=1.5)


def test_a_frame_without_a_mask_or_a_person_is_left_alone() -> None:
    frame = _frame(-30.0, "left")
    assert study.draped_mask(replace(frame, mask=None), "left", 1.0) is None
    assert study.draped_mask(replace(frame, landmarks=None), "left", 1.0) is None
    alter = study.draping("left", 1.0)
    bare = replace(frame, mask=None)
    assert alter(bare) is bare


def test_regress_judges_the_altered_frames() -> None:
    """A rounding caught as recorded goes unseen once `alter` takes every frame's mask away."""
    labels = load_labels(SESSIONS / ROUNDING)
    pose = load_catalogue()[labels.pose]
    seen = run_clip(labels, pose)
    blind = run_clip(labels, pose, alter=lambda f: replace(f, mask=None))
    (lumbar,) = [c for c in seen.checks if c.check == "lumbar_rounding"]
    (lumbar_blind,) = [c for c in blind.checks if c.check == "lumbar_rounding"]
    assert lumbar.expected == "flag" and lumbar.flagged
    assert not lumbar_blind.flagged


def test_the_summary_counts_flat_holds_and_mistakes_per_reach() -> None:
    def run(reach: float, group: str, clip: str, expected: str, flagged: bool, bc: float,
            onset: float | None = None) -> study.Run:
        return study.Run("hamstring_stretch", reach, group, clip, expected, flagged, 2.0 if flagged else 0.0,
                         onset, bc, bc - 3.0)

    runs = [run(0.0, "flat", "a", "silent", False, -20.0), run(1.0, "flat", "a", "silent", True, -4.0),
            run(0.0, "flat", "b", "silent", False, -10.0), run(1.0, "flat", "b", "silent", False, -9.0),
            run(0.0, "neutral", "m", "flag", True, -20.0, 0.5), run(1.0, "neutral", "m", "flag", False, -5.0),
            run(0.0, "bent", "n", "flag", False, -20.0), run(1.0, "bent", "n", "flag", True, -5.0, -0.2)]
    assert study.shifts(runs, "hamstring_stretch", 1.0) == pytest.approx((8.5, 8.5))  # median of 16 and 1
    text = study.table(runs)
    assert "| hamstring_stretch | 0 | +0.0 / +0.0 | 0 of 2 (0.0 s) | 1 of 1 | 0 of 1 | +0.50 |" in text
    assert "| hamstring_stretch | 1 | +8.5 / +8.5 | 1 of 2 (2.0 s) | 0 of 1 | 1 of 1 | - |" in text
    flagged = study.flagged_table(runs)
    assert "| hamstring_stretch | a | -20.0 | 1: 2.0 |" in flagged and "| b |" not in flagged
    assert math.isnan(study.shifts(runs, "glute_stretch", 1.0)[0])
