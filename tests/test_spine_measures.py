"""The second-measure study (tools/spine_measures.py): its outline profile and its fits."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.poses.schema import OwnNeutral  # noqa: E402
from tools.spine_measures import (  # noqa: E402
    EXTRAS,
    _check_scores,
    _learned_changes,
    _zero_changes,
    collect,
    model_rows,
)

CLIP = "hamstring_stretch__lumbar_rounding_35deg_ramp__rr"


def test_the_profile_reads_back_curve_exactly_on_the_shipped_stretches(tmp_path: Path) -> None:
    for suffix in (".labels.json", ".landmarks.npz"):
        shutil.copy(ROOT / "samples" / "synth" / f"{CLIP}{suffix}", tmp_path / f"{CLIP}{suffix}")
    rows = collect(tmp_path)
    assert len(rows) >= 40
    for r in rows:
        assert math.isfinite(r["back_curve"])
        assert r["seg 0..0.3"] - r["seg 0.6..1"] == r["back_curve"]
        assert r["pelvis_turn"] >= 0.0 and math.isfinite(r["trunk_lean"])
    t = np.array([r["truth"] for r in rows])
    assert np.ptp(t) == 35.0  # the ramp's whole range is in the study
    assert np.corrcoef(t, [r["back_curve"] for r in rows])[0, 1] > 0.9


def _rows(n: int, seed: int, bodies: tuple[str, ...]) -> list[dict]:
    """Frames whose arch (negative truth) is 2 x the bend + 30 x the pelvis turn exactly."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        bend, turn = rng.uniform(-15, 0), rng.uniform(0, 0.3)
        row = {k: rng.normal() for k in EXTRAS}
        row.update({"seg 0..0.3": bend, "seg 0.6..1": 0.0, "pelvis_turn": turn,
                    "truth": 2.0 * bend + 30.0 * turn, "pose": "hip_flexor_stretch",
                    "body": bodies[i % len(bodies)], "compensated": i % 3 == 0, "in_position": True})
        rows.append(row)
    return rows


def test_a_fit_that_holds_scores_perfectly_in_sample_left_out_and_held_out() -> None:
    rows, held = _rows(300, 1, ("a", "b", "c", "d")), _rows(100, 2, ("e",))
    results = {r[0]: r for r in model_rows(rows, held, "hip_flexor_stretch", max_extra=1)}
    exact = results[("back_curve", "pelvis_turn")]
    assert min(exact[1:4]) > 0.999  # r in-sample, leaving a body out, held out
    alone = results[("back_curve",)]
    assert max(alone[1:4]) < 0.99
    assert len(results) == 1 + len(EXTRAS)


def test_an_arch_is_caught_below_the_flag_level() -> None:
    truth = np.array([-20.0, -16.0, -2.0, 0.0, -10.0])
    pred = np.array([-21.0, -9.0, -12.0, 1.0, -30.0])
    caught, false = _check_scores(pred, truth, -10.0, sign=-1)
    assert caught == 0.5  # -21 crosses, -9 does not; -10 is in the grey zone
    assert false == 0.5  # -12 crosses at 2 deg of arch, +1 does not


def _session(offset: float, gain: float, compensated: bool = False) -> list[dict]:
    """A hamstring clip at 15 fps: 1.8 s of neutral back, then the lumbar angle ramps to 30 deg; the
    lower-minus-upper bend reads `offset` + `gain` x the angle, everywhere the same."""
    rows = []
    for i in range(60):
        t = i / 15
        truth = 0.0 if t < 1.8 else min(30.0, (t - 1.8) * 20.0)
        rows.append({"seg -0.1..0.2": offset + gain * truth, "seg 0.5..0.9": 0.0, "t": t, "truth": truth,
                     "in_position": t >= 0.2, "clear": truth < 10.0, "compensated": compensated,
                     "pose": "hamstring_stretch"})
    return rows


def test_the_change_from_a_learned_neutral_takes_each_persons_offset_off() -> None:
    key = ((-0.1, 0.2), (0.5, 0.9))
    free = OwnNeutral(flag_past=1.0, clear_within=0.0, neutral_range=(-math.inf, math.inf))
    for offset in (-35.0, -12.0):
        pairs = _learned_changes(_session(offset, 0.5), key, 0.15, free)
        assert len(pairs) > 30  # learned within the neutral lead-in: from about 1.2 s
        flat = [c for c, a in pairs if a == 0.0]
        assert max(abs(c) for c in flat) < 1e-6
        assert max(c for c, _ in pairs) > 0.5 * 30.0 - 2.0  # the smoothed change reaches the ramp
    kept = OwnNeutral(flag_past=1.0, clear_within=0.0, neutral_range=(-30.0, -10.0))
    pairs = _learned_changes(_session(-35.0, 0.5), key, 0.15, kept)
    assert min(c for c, a in pairs if a == 0.0) == -5.0  # a neutral kept in range reads 5 deg low


def test_the_change_from_the_clips_own_zero_reading() -> None:
    key = ((-0.1, 0.2), (0.5, 0.9))
    changes = _zero_changes(_session(-20.0, 0.4, compensated=True), key)
    assert changes and all(k for _, _, k in changes)
    assert all(abs(c - 0.4 * a) < 1e-9 for c, a, _ in changes)
    still = [dict(r, truth=0.0) for r in _session(-20.0, 0.4)]
    assert _zero_changes(still, key) == []  # a clip whose angle never moves says nothing about gain
