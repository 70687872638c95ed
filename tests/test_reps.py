"""The rep counter on made-up signals: both ends must be reached, partial swings are named,
noise does not count twice, time comes from timestamps, circles get a direction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from posecheck.checker.checker import reps_summary
from posecheck.checker.reps import RepCounter
from posecheck.poses.schema import Reps

CAT_COW = Reps.model_validate({
    "target": 5, "feature": "back_curve",
    "ends": [{"name": "cat", "above": 10, "until_below": 5, "cue": "Round your back more."},
             {"name": "cow", "below": -30, "until_above": -25, "cue": "Let your belly sink more."}],
})


def run(counter: RepCounter, times: np.ndarray, values: np.ndarray,
        direction: np.ndarray | None = None, blocked_at: tuple[float, float] | None = None) -> list:
    events = []
    for i, (t, v) in enumerate(zip(times, values, strict=True)):
        d = math.nan if direction is None else float(direction[i])
        blocked = "wrists not under shoulders" if blocked_at and blocked_at[0] <= t <= blocked_at[1] else None
        events += counter.update(float(t), float(v), d, blocked)
    return events


def swings(amplitudes: list[tuple[float, float]], period: float = 3.0, fps: float = 15.0,
           neutral: float = -10.0) -> tuple[np.ndarray, np.ndarray]:
    """A cycle per (up, down) pair: neutral -> up -> neutral -> down -> neutral, as sine halves."""
    t = np.arange(0.0, period * len(amplitudes), 1.0 / fps)
    v = np.full_like(t, neutral)
    for k, (up, down) in enumerate(amplitudes):
        for i, ti in enumerate(t):
            ph = (ti - k * period) / period
            if 0 <= ph < 0.5:
                v[i] = neutral + (up - neutral) * math.sin(2 * math.pi * ph)
            elif 0.5 <= ph < 1.0:
                v[i] = neutral + (neutral - down) * math.sin(2 * math.pi * ph)
    return t, v


def test_full_cycles_are_counted_once_each() -> None:
    t, v = swings([(20.0, -40.0)] * 4)
    c = RepCounter(CAT_COW)
    events = run(c, t, v)
    assert c.counted == 4
    assert [e.kind for e in events].count("rep_counted") == 4
    assert c.partials == []
    assert c.reps[0].ends == {"cat": pytest.approx(20.0, abs=0.1), "cow": pytest.approx(-40.0, abs=0.1)}
    assert events[-1].message == "Rep 4 of 5."


def test_a_half_hearted_cycle_is_not_a_rep_and_says_which_end_fell_short() -> None:
    # full, then cat reached but the cow only to -24 (well towards -30, short of it), then full again
    t, v = swings([(20.0, -40.0), (20.0, -24.0), (20.0, -40.0)])
    c = RepCounter(CAT_COW)
    run(c, t, v)
    # cat1+cow1 = rep 1; cat2 then cat3 (cow skipped) then cow3 = rep 2
    assert c.counted == 2
    assert [p.end for p in c.partials] == ["cow"]
    assert c.partials[0].message == "Let your belly sink more."


def test_small_swings_never_count() -> None:
    t, v = swings([(2.0, -22.0)] * 5)
    c = RepCounter(CAT_COW)
    run(c, t, v)
    assert c.counted == 0
    assert c.reps == []


def test_noise_at_an_end_does_not_count_twice() -> None:
    t, v = swings([(20.0, -40.0)] * 3)
    rng = np.random.default_rng(3)
    v = v + rng.normal(0.0, 1.5, v.shape)  # jitter around each level, smaller than the hysteresis
    c = RepCounter(CAT_COW)
    run(c, t, v)
    assert c.counted == 3


def test_counting_follows_timestamps_not_frames() -> None:
    # the baseline window (8 s) and the swing dwell (0.4 s) are times: at 30 fps with 60% of the
    # frames dropped unevenly, the same movement counts the same and its partial swing is named
    t, v = swings([(-5.0, -35.0)] * 3 + [(-12.0, -28.0)] * 2, fps=30.0, neutral=-20.0)
    keep = np.random.default_rng(1).random(t.shape) > 0.6
    c = RepCounter(CAT_COW_OWN_RANGE)
    run(c, t[keep], v[keep])
    assert c.counted == 3
    assert [p.end for p in c.partials] == ["cat", "cow", "cat"]
    assert c.reps[1].start_s == pytest.approx(c.reps[0].end_s)


def test_a_rep_finished_during_a_mistake_is_booked_but_not_counted() -> None:
    t, v = swings([(20.0, -40.0)] * 3)
    c = RepCounter(CAT_COW)
    events = run(c, t, v, blocked_at=(3.1, 5.9))
    # reps run from one completion to the next (about 1.9-4.9 and 4.9-7.9 s): both overlap it
    assert c.counted == 1
    assert [r.counted for r in c.reps] == [True, False, False]
    assert "Not counted: wrists not under shoulders" in [e.message for e in events]
    summary = reps_summary(c)
    assert summary["counted"] == 1 and summary["not_counted"] == 2 and summary["target"] == 5


def test_a_mistake_in_the_middle_of_a_rep_spoils_it_even_when_gone_by_its_end() -> None:
    t, v = swings([(20.0, -40.0)] * 3)
    c = RepCounter(CAT_COW)
    run(c, t, v, blocked_at=(0.6, 0.9))  # during the first cat only
    assert [r.counted for r in c.reps] == [False, True, True]


def test_reset_forgets_a_half_done_cycle() -> None:
    c = RepCounter(CAT_COW)
    t, v = swings([(20.0, -40.0)])
    half = t < 1.5  # only the cat half
    run(c, t[half], v[half])
    c.reset()
    run(c, t[~half] + 10.0, v[~half])  # only the cow half, after the reset
    assert c.counted == 0


def test_target_reached_marks_complete() -> None:
    t, v = swings([(20.0, -40.0)] * 5)
    c = RepCounter(CAT_COW)
    run(c, t, v)
    assert c.counted == 5 and c.complete


ROLL = Reps.model_validate({
    "target": 10, "feature": "shoulder_to_ear", "direction_feature": "shoulders_forward_world",
    "per_direction_s": 6.0, "baseline": {"window_s": 5.0},
    "ends": [{"name": "down", "above": 0.02, "until_below": 0.005, "cue": "Let the shoulders drop."},
             {"name": "up", "below": -0.02, "until_above": -0.005, "cue": "Lift the shoulders higher."}],
})


def circles(direction: str, n: int, lift: float = 0.06, reach: float = 0.05, period: float = 3.0,
            fps: float = 15.0, rest: float = 0.33) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shoulder circles: shoulder_to_ear dips as the shoulders rise; forward leads or lags."""
    t = np.arange(0.0, period * n, 1.0 / fps)
    ph = 2 * math.pi * t / period
    up = np.sin(ph)  # shoulders' height
    sign = 1.0 if direction == "forward" else -1.0
    # forward roll: up at the back, forward at the top, down at the front, back at the bottom
    fwd = sign * -np.cos(ph)
    return t, rest - lift / 2 * up, reach / 2 * fwd


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_circles_are_counted_with_their_direction(direction: str) -> None:
    t, ear, fwd = circles(direction, 4)
    c = RepCounter(ROLL)
    run(c, t, ear, fwd)
    assert c.counted == 4  # the first 5 s are held back, then judged against the range they showed
    assert {r.direction for r in c.reps if r.counted} == {direction}
    assert reps_summary(c)["directions"][direction]["counted"] == c.counted


def test_circles_without_a_direction_signal_count_but_have_no_direction() -> None:
    t, ear, _ = circles("forward", 4)
    c = RepCounter(ROLL)
    run(c, t, ear, None)
    assert c.counted == 4
    assert all(r.direction is None for r in c.reps)
    assert reps_summary(c)["direction_unknown"] == c.counted


def test_tiny_circles_are_not_counted() -> None:
    t, ear, fwd = circles("forward", 4, lift=0.02)
    c = RepCounter(ROLL)
    run(c, t, ear, fwd)
    assert c.counted == 0


def test_per_direction_time_completes_the_set() -> None:
    c = RepCounter(ROLL)
    t, ear, fwd = circles("forward", 4)
    run(c, t, ear, fwd)
    assert not c.complete
    t2, ear2, fwd2 = circles("backward", 4)
    run(c, t2 + t[-1] + 1 / 15, ear2, fwd2)
    assert c.seconds_in("forward") >= 6.0 and c.seconds_in("backward") >= 6.0
    assert c.complete


@pytest.mark.parametrize(("ends", "message"), [
    ([{"name": "a", "above": 1, "until_below": 0, "cue": "go on"},
      {"name": "b", "above": 3, "until_below": 2, "cue": "go on"}], "one end must be reached going up"),
    ([{"name": "a", "above": 1, "until_below": 0, "cue": "go on"},
      {"name": "b", "below": 2, "until_above": 3, "cue": "go on"}], "must be above the lower end's exit"),
    ([{"name": "a", "above": 1, "until_below": 0, "cue": "go on"},
      {"name": "a", "below": -2, "until_above": -1, "cue": "go on"}], "different names"),
])
def test_bad_rep_definitions_are_refused(ends: list[dict], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Reps.model_validate({"target": 3, "feature": "back_curve", "ends": ends})


def test_reps_must_count_a_whole_body_feature() -> None:
    with pytest.raises(ValidationError, match="not a whole-body feature"):
        Reps.model_validate({"target": 3, "feature": "hip_flexion", "ends": CAT_COW.model_dump()["ends"]})


CAT_COW_OWN_RANGE = Reps.model_validate({
    "target": 5, "feature": "back_curve", "baseline": {"kind": "mid", "window_s": 8.0},
    "ends": [{"name": "cat", "above": 10, "until_below": 6, "cue": "Round your back more."},
             {"name": "cow", "below": -10, "until_above": -6, "cue": "Let your belly sink more."}],
})


@pytest.mark.parametrize("neutral", [-30.0, -20.0, -8.0])
def test_measured_from_the_persons_own_range_every_back_counts_the_same(neutral: float) -> None:
    # three full cycles (+-15 around each body's own neutral), then two half-depth ones (+-6)
    t, v = swings([(neutral + 15, neutral - 15)] * 3 + [(neutral + 6, neutral - 6)] * 2, neutral=neutral)
    c = RepCounter(CAT_COW_OWN_RANGE)
    run(c, t, v)
    assert c.counted == 3  # the first 8 s were held back, then judged: no rep lost
    assert [p.end for p in c.partials] == ["cat", "cow", "cat"]


CAT_COW_RESTING = CAT_COW_OWN_RANGE.model_copy(update={"rests_between_ends": True})


def _still_then(t: np.ndarray, v: np.ndarray, neutral: float, still_s: float = 1.5) -> tuple[np.ndarray,
                                                                                             np.ndarray]:
    lead = np.arange(0.0, still_s, 1 / 15)
    return np.concatenate([lead, t + still_s]), np.concatenate([np.full_like(lead, neutral), v])


@pytest.mark.parametrize("side", ["cat", "cow"])
def test_swinging_to_one_side_only_is_not_a_rep(side: str) -> None:
    # still on all fours first, then six swings to one side and back, never past neutral
    swing = [(-5.0, -20.0)] if side == "cat" else [(-20.0, -35.0)]
    t, v = _still_then(*swings(swing * 6, neutral=-20.0), neutral=-20.0)
    c = RepCounter(CAT_COW_RESTING)
    run(c, t, v)
    assert c.counted == 0


def test_both_sides_after_a_rest_still_count() -> None:
    t, v = _still_then(*swings([(-5.0, -35.0)] * 4, neutral=-20.0), neutral=-20.0)
    c = RepCounter(CAT_COW_RESTING)
    run(c, t, v)
    assert c.counted == 4


def test_a_dropped_frame_loses_nothing_but_a_long_gap_starts_afresh() -> None:
    t, v = swings([(-5.0, -35.0)] * 4, neutral=-20.0)
    drop = (t > 3.0) & (t < 3.2)  # three frames missing: 0.27 s
    c = RepCounter(CAT_COW_OWN_RANGE)
    run(c, t[~drop], v[~drop])
    assert c.counted == 4
    gap = (t > 5.0) & (t < 7.5)  # 2.5 s without the person: the half-done cycle is dropped
    c = RepCounter(CAT_COW_OWN_RANGE)
    run(c, t[~gap], v[~gap])
    c.finish()  # the end of the input judges what the new window still held back
    assert c.counted == 3 and c.reps[-1].end_s > 7.5


def test_a_still_person_hears_no_partial_swings() -> None:
    squeeze = Reps.model_validate({
        "target": 10, "feature": "elbows_apart", "baseline": {"window_s": 6.0},
        "ends": [{"name": "released", "above": 0.02, "until_below": 0.008, "cue": "Relax fully."},
                 {"name": "squeezed", "below": -0.02, "until_above": -0.008, "cue": "Squeeze more."}],
    })
    t = np.arange(0.0, 19.0, 1 / 15)
    jitter = np.random.default_rng(7).normal(0.0, 0.005, t.shape)
    v = 0.7 + np.convolve(jitter, np.ones(3) / 3, mode="same")  # smoothed like the checker's features
    c = RepCounter(squeeze)
    events = run(c, t, v)
    assert c.counted == 0 and c.partials == [] and events == []
