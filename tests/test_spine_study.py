"""The spine study's perfect-mask comparison: tracing the same frames on a second set of masks.

tools/spine_study.py --true-silhouettes reads one <clip>.silhouette.npz per clip (rendered by
tools/synth/silhouette_truth.py) and traces back_curve on it with the recording's own landmarks.
"""

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
from tools.spine_study import collect, truth_table  # noqa: E402

CLIP = "hamstring_stretch__lumbar_rounding_35deg_ramp__rr"


def _one_clip(tmp_path: Path) -> Path:
    clips = tmp_path / "clips"
    clips.mkdir()
    for suffix in (".labels.json", ".landmarks.npz"):
        shutil.copy(ROOT / "samples" / "synth" / f"{CLIP}{suffix}", clips / f"{CLIP}{suffix}")
    return clips


def test_the_recordings_own_masks_as_truth_read_exactly_what_the_mask_reads(tmp_path: Path) -> None:
    clips = _one_clip(tmp_path)
    masks = np.stack([np.rint(f.mask * 255).astype(np.uint8)  # type: ignore[operator]
                      for f in RecordingSource(clips / f"{CLIP}.landmarks.npz")])
    truth = tmp_path / "truth"
    truth.mkdir()
    np.savez_compressed(truth / f"{CLIP}.silhouette.npz", mask=masks)
    rows = collect(clips, truth)
    assert len(rows) >= 40
    assert all(math.isfinite(r["raw"]) and r["raw"] == r["true"] for r in rows)
    # the ramp rounds the back from 0 to 35 deg: the unsmoothed reading follows it
    t = np.array([r["truth"] for r in rows])
    raw = np.array([r["raw"] for r in rows])
    assert np.corrcoef(t, raw)[0, 1] > 0.9
    table = truth_table(rows)
    line = next(x for x in table.splitlines() if x.startswith("| hamstring_stretch"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[1] == str(len(rows)) and cells[2] == cells[3]  # the same r on both
    assert cells[4] == "0.0"  # no gap between the readings
    assert cells[6] == f"{np.corrcoef(t, raw)[0, 1]:+.2f}" and cells[7] == "-"  # a plain ramp


def test_a_clip_without_its_true_silhouette_is_named(tmp_path: Path) -> None:
    clips = _one_clip(tmp_path)
    with pytest.raises(SystemExit, match=f"No true silhouette for {CLIP}"):
        collect(clips, tmp_path)
