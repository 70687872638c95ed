"""tools/gain_bound.py: the change from each clip's labelled neutral, traced three ways, and its gain."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.sources.recording import RecordingSource  # noqa: E402
from tools.gain_bound import clip_trace, own_neutral_feature, pooled_r  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"
PLAIN = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"
COMPENSATED = "hamstring_stretch__lumbar_rounding_comp_30deg_session_female_slim__lr"


def _own_masks_as_truth(tmp_path: Path, clip: str) -> Path:
    """A truth folder whose 'true silhouette' is the recording's own MediaPipe mask."""
    masks = np.stack([np.rint(f.mask * 255).astype(np.uint8)  # type: ignore[operator]
                      for f in RecordingSource(SESSIONS / f"{clip}.landmarks.npz")])
    np.savez_compressed(tmp_path / f"{clip}.silhouette.npz", mask=masks)
    return tmp_path


def test_the_mask_as_truth_reads_as_the_true_chord_and_follows_the_rounding(tmp_path: Path) -> None:
    c = clip_trace(SESSIONS / f"{PLAIN}.landmarks.npz", _own_masks_as_truth(tmp_path, PLAIN), 1.5)
    assert c is not None and c.pose == "hamstring_stretch" and not c.compensated
    assert c.angle.min() == 0.0 and c.angle.max() == pytest.approx(30.0)
    ok = np.isfinite(c.change[:, 1])
    assert ok.mean() > 0.9
    np.testing.assert_array_equal(c.change[ok, 1], c.change[ok, 2])  # the same mask, the same chord
    for way in range(3):
        assert 0.3 < c.gain(way) < 1.2  # the outline turns with the rounding, less than the skeleton
        assert pooled_r([c], way) > 0.9
        # one clip: dividing out its own gain only rescales it
        assert pooled_r([c], way, evened=True) == pytest.approx(pooled_r([c], way))
    # towards the mistake is positive: the held 30 deg reads well past the neutral
    assert np.nanmedian(c.change[c.angle == c.angle.max(), 0]) > 8.0


def test_a_way_not_traced_for_every_clip_gets_no_pooled_r(tmp_path: Path) -> None:
    with_truth = clip_trace(SESSIONS / f"{PLAIN}.landmarks.npz", _own_masks_as_truth(tmp_path, PLAIN), 1.5)
    without = clip_trace(SESSIONS / f"{COMPENSATED}.landmarks.npz", tmp_path, 1.5)
    assert with_truth is not None and without is not None and without.compensated
    assert math.isnan(without.gain(2)) and math.isnan(pooled_r([with_truth, without], 2))
    assert math.isfinite(pooled_r([with_truth, without], 0))


def test_clips_without_one_lumbar_mistake_are_skipped(tmp_path: Path) -> None:
    clip = "hip_flexor_stretch__correct_1__ll"
    for suffix in (".labels.json", ".landmarks.npz"):
        shutil.copy(ROOT / "samples" / "synth" / f"{clip}{suffix}", tmp_path / f"{clip}{suffix}")
    assert clip_trace(tmp_path / f"{clip}.landmarks.npz", None, 1.5) is None


def test_the_feature_and_its_direction_come_from_the_pose_files() -> None:
    assert own_neutral_feature("hamstring_stretch", "lumbar_rounding") == ("lower_back_bend", 1)
    assert own_neutral_feature("hip_flexor_stretch", "arched_lower_back") == ("lower_back_bend", -1)
    assert own_neutral_feature("hip_flexor_stretch", "knee_past_toes") is None  # no own-neutral level
