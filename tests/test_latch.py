"""Hysteresis and smoothing over timestamps: Latch, TimeEMA, SideLatch, CameraSide, ViewKind.

The timestamps are deliberately irregular (dropped frames), so every duration below can only come
out right if it is measured from timestamps, not by counting frames.
"""

from __future__ import annotations

import itertools
import math

import pytest
from builders import irregular_times, regular_times

from posecheck.checker.latch import Latch
from posecheck.checker.sides import CameraSide, SideLatch, ViewKind, working_leg_score
from posecheck.checker.smoothing import SmoothedFeatures, TimeEMA

NAN = math.nan


def feed(latch: Latch, samples: list[tuple[float, float]]) -> list[tuple[float, str | None, bool]]:
    """(t, transition, is_on after the update) for each sample."""
    out = []
    for t, v in samples:
        change = latch.update(t, v)
        out.append((t, change, latch.is_on))
    return out


def rising() -> Latch:
    # on above 10 for 0.5 s; off below 5 for 0.3 s; in between it keeps its state
    return Latch(rising=True, on_level=10.0, off_level=5.0, on_after_s=0.5, off_after_s=0.3)


# --------------------------------------------------------------------------------------------
def test_latch_turns_on_after_on_after_s_of_timestamps_not_frames() -> None:
    latch = rising()
    log = feed(latch, [(0.0, 12.0), (0.07, 12.0), (0.31, 12.0), (0.33, 12.0), (0.49, 12.0)])
    assert [c for _, c, _ in log] == [None] * 5  # 0.49 s past the level: not yet
    assert latch.pending and latch.onset_t == 0.0
    # a dropped-frame gap: the fifth past frame at 0.9 is 0.9 s after the first crossing
    assert latch.update(0.9, 12.0) == "on"
    assert latch.is_on and latch.started_at == 0.0 and not latch.pending


def test_same_frame_count_at_30fps_is_not_long_enough() -> None:
    latch = rising()
    log = feed(latch, [(k / 30, 12.0) for k in range(6)])  # six frames = 0.167 s
    assert not any(on for *_, on in log)
    assert latch.update(15 / 30, 12.0) == "on"  # 0.5 s after the first crossing


def test_latch_on_time_boundary_tolerates_float_rounding() -> None:
    latch = rising()
    latch.update(0.1, 11.0)
    # 0.6 - 0.1 = 0.49999999999999994 in floating point: still counts as 0.5 s
    assert latch.update(0.6, 11.0) == "on"
    assert latch.started_at == 0.1


def test_latch_crossing_interrupted_restarts_the_count() -> None:
    latch = rising()
    feed(latch, [(0.0, 12.0), (0.31, 12.0), (0.33, 9.0)])  # back under on_level: count forgotten
    assert not latch.pending
    log = feed(latch, [(0.4, 12.0), (0.85, 12.0), (0.9, 12.0)])
    assert [c for _, c, _ in log] == [None, None, "on"]
    assert latch.started_at == 0.4


def test_latch_hysteresis_stays_on_between_levels_and_clears_after_off_after_s() -> None:
    latch = rising()
    feed(latch, [(0.0, 12.0), (0.6, 12.0)])
    assert latch.is_on
    # anywhere between the two levels, for as long as you like: still on
    log = feed(latch, [(0.7, 9.0), (1.5, 6.0), (2.9, 5.0), (3.0, 7.5)])
    assert all(on for *_, on in log) and all(c is None for _, c, _ in log)
    # past off_level, but back between the levels before 0.3 s: still on, the count restarts
    log = feed(latch, [(3.1, 4.0), (3.35, 4.0), (3.38, 6.0)])
    assert all(on for *_, on in log)
    assert latch.offset_t is None
    # past off_level for 0.3 s of timestamps (with a dropped frame in the middle)
    log = feed(latch, [(3.5, 4.0), (3.75, 2.0), (3.81, 4.9)])
    assert [c for _, c, _ in log] == [None, None, "off"]
    assert not latch.is_on
    assert latch.offset_t == 3.5  # when it first went back past off_level
    assert latch.started_at == 0.0


def test_latch_levels_are_strict() -> None:
    latch = Latch(rising=True, on_level=10.0, off_level=5.0)
    assert latch.update(0.0, 10.0) is None  # exactly at on_level is not past it
    assert latch.update(0.1, 10.001) == "on"  # on_after_s = 0: at once
    assert latch.update(0.2, 5.0) is None  # exactly at off_level is not past it
    assert latch.update(0.3, 4.999) == "off"


def test_falling_latch() -> None:
    # "below 35 until above 45", as a pose's `below`/`until_above` condition
    latch = Latch(rising=False, on_level=35.0, off_level=45.0, on_after_s=0.2, off_after_s=0.2)
    log = feed(latch, [(0.0, 50.0), (0.05, 30.0), (0.2, 30.0), (0.26, 34.0), (0.5, 44.0), (0.9, 46.0),
                       (1.0, 40.0), (1.3, 46.0), (1.51, 47.0)])
    assert [c for _, c, _ in log] == [None, None, None, "on", None, None, None, None, "off"]
    assert latch.started_at == 0.05 and latch.offset_t == 1.3


def test_nan_switches_off_with_lost_and_forgets_half_counts() -> None:
    latch = rising()
    assert latch.update(0.0, NAN) is None  # off already: nothing to lose
    feed(latch, [(0.1, 12.0), (0.35, 12.0)])
    assert latch.pending
    assert latch.update(0.4, NAN) is None
    assert not latch.pending  # the 0.25 s already counted are forgotten
    log = feed(latch, [(0.5, 12.0), (0.95, 12.0), (1.0, 12.0)])
    assert [c for _, c, _ in log] == [None, None, "on"]
    assert latch.started_at == 0.5
    # while on: NaN is "lost" immediately, and a half-counted clearing is forgotten too
    latch.update(1.1, 4.0)
    assert latch.offset_t == 1.1
    assert latch.update(1.2, NAN) == "lost"
    assert not latch.is_on and latch.offset_t is None and latch.onset_t is None


def test_reset() -> None:
    latch = rising()
    feed(latch, [(0.0, 12.0), (0.5, 12.0)])
    latch.reset()
    assert (latch.is_on, latch.onset_t, latch.offset_t, latch.started_at) == (False, None, None, None)


# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("tau", [0.15, 0.5, 1.0])
def test_time_ema_step_matches_closed_form_at_any_sampling(tau: float) -> None:
    # a step from 0 to 1 just after t = 0: the filter must follow 1 - exp(-t / tau) at every sample,
    # whatever the spacing of the samples (10 Hz, or 7-20 fps with dropped frames)
    regular = regular_times(0.0, 3.0, 10.0)
    irregular = irregular_times(0.0, 3.0, include=(1.0, 2.0), seed=3)
    assert len(irregular) != len(regular)
    assert max(b - a for a, b in itertools.pairwise(irregular)) > 0.3  # dropped frames
    at_common: dict[str, dict[float, float]] = {}
    for name, times in (("regular", regular), ("irregular", irregular)):
        ema = TimeEMA(tau)
        assert ema.update(0.0, 0.0) == 0.0
        seen = {}
        for t in times[1:]:
            seen[t] = ema.update(t, 1.0)
            assert seen[t] == pytest.approx(1.0 - math.exp(-t / tau), abs=1e-12)
        at_common[name] = {t: seen[t] for t in (1.0, 2.0, 3.0)}
    assert at_common["regular"] == pytest.approx(at_common["irregular"], abs=1e-12)


def test_time_ema_lag_is_tau() -> None:
    ema = TimeEMA(0.5)
    ema.update(0.0, 0.0)
    assert ema.update(0.5, 1.0) == pytest.approx(1 - math.exp(-1))  # 63 % in tau
    ema = TimeEMA(0.5)
    ema.update(0.0, 0.0)
    assert ema.update(1.5, 1.0) == pytest.approx(1 - math.exp(-3))  # 95 % in 3 tau


def test_time_ema_nan_resets_and_edge_cases() -> None:
    ema = TimeEMA(0.5)
    assert ema.update(0.0, 4.0) == 4.0  # the first value passes straight through
    assert math.isnan(ema.update(0.1, NAN))
    assert ema.update(0.2, 10.0) == 10.0  # starts fresh after a gap, no blending with 4.0
    assert ema.update(0.2, 0.0) == 10.0  # no time passed: no movement
    assert ema.update(0.1, 0.0) == 10.0  # time going backwards: no movement either
    passthrough = TimeEMA(0.0)
    passthrough.update(0.0, 1.0)
    assert passthrough.update(0.01, 7.0) == 7.0


def test_smoothed_features_keep_one_filter_per_name() -> None:
    sf = SmoothedFeatures(0.5)
    sf.update(0.0, {"a": 0.0, "b": 10.0})
    out = sf.update(0.5, {"a": 1.0, "b": NAN})
    assert out["a"] == pytest.approx(1 - math.exp(-1))
    assert math.isnan(out["b"])
    assert sf.update(0.6, {"b": 3.0})["b"] == 3.0


# --------------------------------------------------------------------------------------------
def test_side_latch_first_decision_is_immediate_even_when_close() -> None:
    for score, side in ((0.1, "left"), (-0.1, "right"), (0.0, "left")):
        sl = SideLatch(switch_after_s=1.0, margin=8.0)
        assert sl.update(0.0, NAN) is False and sl.side is None
        assert sl.update(0.1, score) is False  # a first decision is not a switch
        assert sl.side == side


def test_side_latch_switches_after_switch_after_s_of_timestamps() -> None:
    sl = SideLatch(switch_after_s=1.0, margin=8.0)
    sl.update(0.0, 30.0)
    assert sl.side == "left"
    # the right side wins by more than the margin from 2.0 s, frames dropped at random
    log = [(t, sl.update(t, -30.0)) for t in (2.0, 2.07, 2.6, 2.95, 2.999)]
    assert not any(s for _, s in log) and sl.side == "left"
    assert sl.update(3.0, -30.0) is True
    assert sl.side == "right"
    assert sl.update(3.1, -30.0) is False  # no repeat


def test_side_latch_challenge_is_reset_by_small_scores_and_nan() -> None:
    sl = SideLatch(switch_after_s=1.0, margin=8.0)
    sl.update(0.0, 30.0)
    sl.update(1.0, -30.0)
    sl.update(1.5, -5.0)  # inside the margin: the challenge is dropped
    assert sl.update(2.1, -30.0) is False  # 1.1 s after 1.0, but the count restarted at 2.1
    sl.update(2.5, NAN)  # unmeasurable: dropped again
    assert sl.update(3.2, -30.0) is False
    assert sl.update(3.9, 20.0) is False  # the current side wins again: dropped
    assert sl.update(4.0, -30.0) is False
    assert sl.update(5.0, -30.0) is True and sl.side == "right"


def test_camera_side_switches_after_smoothing_and_one_second() -> None:
    cs = CameraSide()
    for t in regular_times(0.0, 2.0, 10.0):
        assert cs.update(t, 0.2) == "left"
    # the other side turns to the camera at 2.0 (score -0.2 from the first frame after 2.0).
    # Smoothed (tau 0.5 s) score = -0.2 + 0.4 exp(-dt / 0.5) passes -0.03 (the margin) once
    # exp(-dt / 0.5) < 0.425, i.e. dt > 0.43 s: at the 2.5 s frame; the side changes 1 s later.
    sides = {t: cs.update(t, -0.2) for t in regular_times(2.1, 4.0, 10.0)}
    switched = min(t for t, s in sides.items() if s == "right")
    assert switched == pytest.approx(3.5)
    assert all(s == "right" for t, s in sides.items() if t >= 3.5)


@pytest.mark.parametrize(("yaws", "kinds"), [
    # side-on entered at <= 45, left above 55; frontal entered at >= 65, left below 55
    ([40, 50, 54.9, 56], ["side", "side", "side", "diagonal"]),
    ([70, 60, 55, 54], ["front", "front", "front", "diagonal"]),
    ([50, 45, 60, 65, 46, 44], ["diagonal", "side", "diagonal", "front", "diagonal", "side"]),
])
def test_view_kind_dead_band(yaws: list[float], kinds: list[str]) -> None:
    vk = ViewKind()
    assert [vk.update(y) for y in yaws] == kinds
    assert vk.update(NAN) == kinds[-1]  # unmeasurable: keep what it was


def test_working_leg_scores() -> None:
    values = {"left_hip_flexion": 80.0, "right_hip_flexion": 20.0, "left_leg_raise": 10.0,
              "right_leg_raise": 90.0, "left_ankle_to_other_knee": 0.1, "right_ankle_to_other_knee": 1.5,
              "left_knees_towards": -0.4, "right_knees_towards": 0.4}
    assert working_leg_score("most_flexed_hip", values) == pytest.approx(60.0)
    assert working_leg_score("least_flexed_hip", values) == pytest.approx(-60.0)
    assert working_leg_score("highest_leg", values) == pytest.approx(-80.0)
    assert working_leg_score("ankle_over_other_knee", values) == pytest.approx(1.4)
    assert working_leg_score("knees_fall_side", values) == pytest.approx(-0.4)
    assert math.isnan(working_leg_score("most_flexed_hip", {"left_hip_flexion": 3.0}))
