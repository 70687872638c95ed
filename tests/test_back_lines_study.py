"""The back-lines study (tools/back_lines_study.py): its held rise and its clip grouping."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.back_lines_study import NAMES, SACRUM_BACK_BEND, _clips, held_max  # noqa: E402


def test_the_held_rise_is_the_level_kept_for_the_whole_hold() -> None:
    t = np.arange(0.0, 2.0, 0.1)
    x = np.zeros_like(t)
    x[5:8] = 9.0  # 9 deg from 0.5 to 0.7 s: 0.2 s, too short for a 0.5 s hold
    x[10:18] = [4.0, 6.0, 6.5, 6.0, 7.0, 6.0, 6.0, 5.0]  # 6 deg or more from 1.1 to 1.6 s
    assert held_max(t, x, 0.5) == 6.0
    assert held_max(t, x, 0.2) == 9.0
    assert held_max(t[:3], x[:3], 0.5) == -math.inf  # the clip is shorter than the hold


def test_clips_of_the_same_name_in_two_sets_stay_apart() -> None:
    rows = [{"set": s, "clip": "a", "t": t} for s in ("restless-c", "restless-c-long") for t in (0.0, 0.1)]
    clips = _clips(rows)
    assert len(clips) == 2 and all([r["t"] for r in c] == [0.0, 0.1] for c in clips)


def test_the_shipped_pair_is_the_feature_the_glute_stretch_reads() -> None:
    from posecheck.poses import load_catalogue

    check = load_catalogue()["glute_stretch"].check("forward_bend")
    assert check.from_own_neutral is not None
    assert NAMES[SACRUM_BACK_BEND] == check.from_own_neutral.feature == "sacrum_back_bend"
