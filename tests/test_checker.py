"""PoseChecker fed hand-built frame sequences: position gate, mistakes, hold timer, sides, guidance.

Most timing tests use small custom poses with `smoothing_s: 0`, so each feature is exactly the
figure's geometry and every expected time can be read off the schedule. Timestamps are irregular
(dropped frames) wherever a duration is checked. The real `poses/*.yaml` are used for end-to-end
verdicts, in both camera sides.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from builders import (
    LYING_HIP,
    NEUTRAL_BACK,
    THIGH,
    Figure,
    frames,
    frontal,
    heel_on_step,
    irregular_times,
    leg_forward,
    lunge,
    lying_dir,
    lying_knee_to_chest,
    painted_lower_back_bend,
    regular_times,
    standing,
)

from posecheck.checker import PoseChecker, Verdict
from posecheck.checker import guidance as g
from posecheck.checker.checker import (
    ADOPTED_NEUTRAL,
    ADOPTED_SHOW_S,
    LEARNING_NEUTRAL,
    MAX_CREDIT_GAP_S,
    NEUTRAL_PATIENCE_S,
    STILL_LEARNING_NEUTRAL,
)
from posecheck.features import silhouette
from posecheck.features.catalogue import MASK_FEATURES
from posecheck.frames import PoseFrame
from posecheck.live.programme import verdict_cue
from posecheck.poses import PoseDefinition, pose_by_id
from posecheck.sinks.timeline import fixed_level_rows, key_measures

SIDES = ("left", "right")
FEET = ("left_ankle", "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index")

UPRIGHT: dict[str, Any] = {
    "id": "upright_test",
    "name": "Upright test",
    "summary": "Stand tall without leaning back.",
    "camera": {"views": ["side"], "placement": "Side on, at hip height."},
    "hold": {"seconds": 3},
    "smoothing_s": 0.0,
    "position": {
        "cue": "Stand up straight.",
        "settle_s": 0.5,
        "leave_s": 0.8,
        "needs_in_view": ["shoulders", "hips"],
        "when": [{"feature": "trunk_inclination", "below": 35, "until_above": 45}],
    },
    "checks": [{
        "id": "leaning_back", "title": "Leaning back", "feature": "trunk_lean",
        "flag_below": -12, "clear_above": -8, "min_duration_s": 0.5, "clear_duration_s": 0.3,
        "severity": "major", "cue": "Stop leaning back.",
    }],
}

LEG_LIFT: dict[str, Any] = {
    "id": "leg_lift_test",
    "name": "Leg lift test",
    "summary": "Stand on one leg and lift the other knee to hip height.",
    "camera": {"views": ["side"], "placement": "Side on, at hip height."},
    "sides": {"working_leg": "most_flexed_hip", "switch_after_s": 1.0},
    "hold": {"seconds": 2},
    "smoothing_s": 0.0,
    "position": {
        "cue": "Lift one knee to hip height.",
        "settle_s": 0.5,
        "leave_s": 0.8,
        "when": [{"feature": "hip_flexion", "limb": "working", "above": 45, "until_below": 35}],
    },
    "checks": [{
        "id": "knee_bent", "title": "Knee bent", "feature": "knee_flexion", "limb": "working",
        "flag_above": 30, "clear_below": 20, "min_duration_s": 0.5, "clear_duration_s": 0.3,
        "cue": "Straighten the lifted leg.",
    }],
}


def make_pose(base: dict[str, Any], **changes: Any) -> PoseDefinition:
    data = copy.deepcopy(base)
    data.update(copy.deepcopy(changes))
    return PoseDefinition.model_validate(data)


def run(pose: PoseDefinition, frame_list: Sequence[PoseFrame], side: str | None = None
        ) -> tuple[PoseChecker, list[Verdict]]:
    checker = PoseChecker(pose, side=side)  # type: ignore[arg-type]
    verdicts = [checker.update(f) for f in frame_list]
    return checker, verdicts


def events(checker: PoseChecker, kind: str | None = None) -> list[tuple[float, str]]:
    return [(round(e.timestamp, 9), e.kind) for e in checker.events if kind is None or e.kind == kind]


def by_time(verdicts: list[Verdict]) -> dict[float, Verdict]:
    return {round(v.timestamp, 9): v for v in verdicts}


def check_state(v: Verdict, check_id: str) -> str:
    return next(c.state for c in v.checks if c.id == check_id)


def leaning(schedule: Callable[[float], float], camera_side: str = "left") -> Callable[[float], Figure]:
    """Upright figure whose trunk lean (degrees, + forward) follows `schedule(t)`."""
    return lambda t: standing(lean=schedule(t)).facing(camera_side)  # type: ignore[arg-type]


def feet_cut(fig: Figure) -> Figure:
    """The figure with both feet below the bottom edge of the picture."""
    return fig.moved(**{n: (fig.points[n][0], fig.height + 50.0) for n in FEET})


# --------------------------------------------------------------------------------------------
# Position gate
@pytest.mark.parametrize("camera_side", SIDES)
def test_position_gate_enters_after_settle_s_of_timestamps(camera_side: str) -> None:
    pose = make_pose(UPRIGHT)
    times = [0.0, 0.07, 0.31, 0.33, 0.62, 0.79, 0.81, 0.9, 1.4]
    # bent forward 60 deg (out of position: trunk_inclination above 35) until 0.3, then upright
    checker, verdicts = run(pose, frames(times, leaning(lambda t: 60.0 if t < 0.3 else 0.0, camera_side)))
    status = {round(v.timestamp, 2): v.status for v in verdicts}
    # upright from the 0.31 frame: 0.48 s later (0.79) still settling, 0.50 s later (0.81) in
    assert status == {0.0: "not_in_position", 0.07: "not_in_position", 0.31: "not_in_position",
                      0.33: "not_in_position", 0.62: "not_in_position", 0.79: "not_in_position",
                      0.81: "good", 0.9: "good", 1.4: "good"}
    assert events(checker) == [(0.81, "position_entered")]
    v = by_time(verdicts)
    assert v[0.79].message == "Stand up straight." and not v[0.79].in_position
    assert v[0.81].in_position and v[0.81].hold_s == 0.0
    assert v[1.4].hold_s == pytest.approx(1.4 - 0.81, abs=1e-9)
    assert v[1.4].camera_side == camera_side and v[1.4].side == "both"


def test_position_gate_leaves_after_leave_s_and_re_settles() -> None:
    pose = make_pose(UPRIGHT)
    # in position from 0.5; bent forward 60 deg from 2.0 to 3.2; upright again after
    times = [0.0, 0.5, 1.0, 2.0, 2.3, 2.79, 2.81, 3.0, 3.2, 3.5, 3.69, 3.7, 4.0]
    checker, verdicts = run(pose, frames(times, leaning(lambda t: 60.0 if 2.0 <= t < 3.2 else 0.0)))
    v = by_time(verdicts)
    # leaving is debounced by leave_s = 0.8: still "in position" at 2.79, out at 2.81
    assert v[2.79].in_position and not v[2.81].in_position
    assert v[3.69].status == "not_in_position" and v[3.7].status == "good"  # 0.5 s settle from 3.2
    assert events(checker) == [(0.5, "position_entered"), (2.81, "position_left"), (3.7, "position_entered")]
    # the hold counts only while every position condition holds: it stops at the 2.0 frame that
    # shows the bend (not at the end of the leave_s debounce), then runs again from 3.7
    assert v[2.79].hold_s == pytest.approx(2.0 - 0.5, abs=1e-9)
    assert v[4.0].hold_s == pytest.approx((2.0 - 0.5) + (4.0 - 3.7), abs=1e-9)


# --------------------------------------------------------------------------------------------
# Mistakes: start, hysteresis, clear, minimum duration
MISTAKE_TIMES = [0.0, 0.07, 0.31, 0.33, 0.5, 0.9, 1.04, 1.2, 1.31, 1.55, 1.8, 2.05, 2.3, 2.45, 2.7,
                 2.95, 3.02, 3.2, 3.4, 3.6, 4.0]


def mistake_schedule(t: float) -> float:
    if t < 1.0:
        return 0.0
    if t < 2.0:
        return -15.0  # leaning back past flag_below -12
    if t < 2.6:
        return -10.0  # a dip between the thresholds (-12 flag, -8 clear): still a mistake
    if t < 3.0:
        return -15.0
    return 0.0  # past clear_above -8


@pytest.mark.parametrize("camera_side", SIDES)
def test_mistake_starts_stays_through_dip_and_clears(camera_side: str) -> None:
    pose = make_pose(UPRIGHT)
    checker, verdicts = run(pose, frames(MISTAKE_TIMES, leaning(mistake_schedule, camera_side)))
    v = by_time(verdicts)
    # first crossing at the 1.04 frame; confirmed once 0.5 s have passed (1.55, not 1.31)
    assert [check_state(v[t], "leaning_back") for t in (0.9, 1.04, 1.2, 1.31, 1.55)] == [
        "ok", "pending", "pending", "pending", "mistake"]
    assert [v[t].status for t in (1.04, 1.31, 1.55)] == ["good", "good", "mistake"]
    assert v[1.55].message == "Stop leaning back." and v[1.55].active_mistakes == ("leaning_back",)
    # -10 (between the thresholds) from 2.05 to 2.45: still a mistake
    assert all(v[t].status == "mistake" for t in (1.8, 2.05, 2.3, 2.45, 2.7, 2.95))
    # back past -8 at 3.02; cleared once 0.3 s have passed (3.4, not 3.2)
    assert v[3.02].status == "mistake" and v[3.2].status == "mistake"
    assert v[3.4].status == "good" and check_state(v[3.4], "leaning_back") == "ok"
    assert v[3.4].checks[0].value == pytest.approx(0.0, abs=1e-9)
    assert v[2.3].checks[0].value == pytest.approx(-10.0, abs=1e-9)
    # events carry the span's own times: first crossing and first clearing
    assert events(checker) == [(0.5, "position_entered"), (1.04, "mistake_started"),
                               (3.02, "mistake_ended")]
    started = next(e for e in checker.events if e.kind == "mistake_started")
    assert (started.check, started.message, started.side) == ("leaning_back", "Stop leaning back.", "both")
    (span,) = checker.books.mistakes
    assert (span.check, span.start_s, span.end_s) == ("leaning_back", 1.04, 3.02)
    assert span.duration_s == pytest.approx(1.98)
    assert span.worst_value == pytest.approx(-15.0, abs=1e-9)
    assert span.side == "both" and span.severity == "major"
    # the hold ran 0.5 -> 1.55 (pending frames still count, up to the frame that confirms the
    # mistake), paused 1.55 -> 3.4, ran 3.4 -> 4.0
    assert v[1.31].hold_s == pytest.approx(0.81, abs=1e-9)
    assert {round(v[t].hold_s, 9) for t in (1.55, 1.8, 2.3, 3.02, 3.2, 3.4)} == {1.05}
    assert v[4.0].hold_s == pytest.approx(1.05 + 0.6, abs=1e-9)


@pytest.mark.parametrize("times", [
    # 0.3 s past the flag level at 30 fps (frames 1.0 ... 1.2667), back at 1.3: not a mistake
    regular_times(0.0, 2.0, 30.0),
    # the same 0.3 s with only two frames inside it: not a mistake either
    [0.0, 0.5, 0.8, 1.0, 1.29, 1.35, 2.0],
], ids=["30fps", "irregular"])
def test_short_excursion_is_not_flagged(times: list[float]) -> None:
    pose = make_pose(UPRIGHT)  # min_duration_s 0.5
    checker, verdicts = run(pose, frames(times, leaning(lambda t: -15.0 if 1.0 <= t < 1.3 else 0.0)))
    assert checker.books.mistakes == []
    assert events(checker) == [(0.5, "position_entered")]
    assert all(v.status == "good" for v in verdicts if v.timestamp >= 0.5)
    assert any(check_state(v, "leaning_back") == "pending" for v in verdicts)
    assert verdicts[-1].hold_s == pytest.approx(1.5, abs=1e-9)  # never paused


def test_excursion_of_min_duration_is_flagged_even_across_a_drop() -> None:
    pose = make_pose(UPRIGHT)
    # leaning back from 1.0; the next frame arrives 0.6 s later: that is 0.6 s past the level
    times = [0.0, 0.5, 0.9, 1.0, 1.6, 1.7, 2.5]
    checker, verdicts = run(pose, frames(times, leaning(lambda t: -15.0 if 1.0 <= t < 1.7 else 0.0)))
    v = by_time(verdicts)
    assert v[1.0].status == "good" and v[1.6].status == "mistake"
    assert [(s.start_s, s.end_s) for s in checker.books.mistakes] == [(1.0, 1.7)]


def test_min_duration_and_clear_duration_come_from_the_pose() -> None:
    check = {**UPRIGHT["checks"][0], "min_duration_s": 1.0, "clear_duration_s": 0.0}
    pose = make_pose(UPRIGHT, checks=[check])
    times = regular_times(0.0, 3.0, 10.0)
    checker, verdicts = run(pose, frames(times, leaning(lambda t: -15.0 if 1.0 <= t < 2.5 else 0.0)))
    v = by_time(verdicts)
    assert v[1.9].status == "good" and v[2.0].status == "mistake"
    assert v[2.4].status == "mistake" and v[2.5].status == "good"  # clears at once
    assert [(s.start_s, s.end_s) for s in checker.books.mistakes] == [(1.0, 2.5)]


def test_minor_mistake_is_reported_but_does_not_pause_the_hold() -> None:
    check = {**UPRIGHT["checks"][0], "severity": "minor"}
    pose = make_pose(UPRIGHT, checks=[check])
    times = regular_times(0.0, 3.0, 10.0)
    checker, verdicts = run(pose, frames(times, leaning(lambda t: -15.0 if t >= 1.0 else 0.0)))
    v = by_time(verdicts)
    assert v[2.0].status == "mistake" and v[2.0].message == "Stop leaning back."
    assert v[3.0].hold_s == pytest.approx(2.5, abs=1e-9)
    assert checker.books.mistakes[0].severity == "minor"


# --------------------------------------------------------------------------------------------
# Hold timer
def test_hold_completes_once_and_is_the_same_at_30fps_and_irregular_rates() -> None:
    pose = make_pose(UPRIGHT)  # hold 3 s, gate settles 0.5 s after the first upright frame (t = 0)
    upright = leaning(lambda t: 0.0)
    regular = regular_times(0.0, 5.0, 30.0)
    irregular = irregular_times(0.0, 5.0, include=(0.5, 3.5), seed=7)
    gaps = [b - a for a, b in itertools.pairwise(irregular)]
    assert max(gaps) > 0.3 and len(irregular) < len(regular) / 2  # 7-20 fps with drops
    results = {}
    for name, times in (("30fps", regular), ("irregular", irregular)):
        checker, verdicts = run(pose, frames(times, upright))
        results[name] = (verdicts[-1].hold_s, events(checker))
        assert verdicts[-1].hold_s == pytest.approx(4.5, abs=1e-6)  # 0.5 -> 5.0
        assert events(checker) == [(0.5, "position_entered"), (3.5, "hold_complete")]
        assert checker.books.sides["both"].hold_complete_at == pytest.approx(3.5)
        assert verdicts[-1].message == "Hold complete. Well done."
        book = checker.summary()["sides"]["both"]  # type: ignore[index]
        assert book["hold_achieved"] is True and book["in_position_s"] >= book["hold_s"]
    assert results["30fps"][0] == pytest.approx(results["irregular"][0], abs=1e-6)


def _mistake_at_2_to_3(t: float) -> float:
    return -15.0 if 2.0 <= t < 3.0 else 0.0


# A mistake leaning back from 2.0 to 3.0: confirmed at 2.5 (min 0.5 s), cleared from 3.0, over at
# 3.3 (clear 0.3 s). Good form in position: 0.5 -> 2.5 and 3.3 -> 6.0, i.e. 4.7 s.
HOLD_KEY_TIMES = (0.5, 2.0, 2.5, 3.0, 3.3)


def test_hold_pauses_during_a_mistake() -> None:
    pose = make_pose(UPRIGHT)
    for times in (regular_times(0.0, 6.0, 30.0), irregular_times(0.0, 6.0, include=HOLD_KEY_TIMES, seed=11)):
        checker, verdicts = run(pose, frames(times, leaning(_mistake_at_2_to_3)))
        v = by_time(verdicts)
        assert v[2.5].status == "mistake" and v[3.3].status == "good"
        paused = {round(x.hold_s, 9) for x in verdicts if 2.5 <= x.timestamp <= 3.3}
        assert len(paused) == 1  # not a tick while the mistake is on
        # 4.7 s of good form, exactly, whatever the frame rate
        assert verdicts[-1].hold_s == pytest.approx(4.7, abs=1e-9)
        assert events(checker)[:3] == [(0.5, "position_entered"), (2.0, "mistake_started"),
                                       (3.0, "mistake_ended")]
        # 3 s of hold: 2.0 s banked before the mistake, the rest from 3.3
        (done,) = events(checker, "hold_complete")
        assert done[0] == pytest.approx(min(t for t in times if t >= 4.3 - 1e-6))


def test_hold_across_a_mistake_is_the_same_at_30fps_and_irregular_rates() -> None:
    pose = make_pose(UPRIGHT)
    holds = []
    for times in (regular_times(0.0, 6.0, 30.0), irregular_times(0.0, 6.0, include=HOLD_KEY_TIMES, seed=11)):
        _, verdicts = run(pose, frames(times, leaning(_mistake_at_2_to_3)))
        holds.append(verdicts[-1].hold_s)
    assert holds[0] == pytest.approx(holds[1], abs=1e-6)
    assert holds[0] == pytest.approx(4.7, abs=1e-6)


def test_hold_credit_per_gap_is_capped() -> None:
    pose = make_pose(UPRIGHT)
    # a 2 s gap between two good frames counts as MAX_CREDIT_GAP_S (1 s) only
    assert MAX_CREDIT_GAP_S == 1.0
    _, verdicts = run(pose, frames([0.0, 0.5, 1.0, 3.0, 3.5], leaning(lambda t: 0.0)))
    assert [round(v.hold_s, 9) for v in verdicts] == [0.0, 0.0, 0.5, 1.5, 2.0]


# --------------------------------------------------------------------------------------------
# Working side, per-side books, hold_complete once per side
def leg_schedule(t: float) -> Figure:
    # left knee lifted to hip height until 4.0; both feet down until 4.5; right knee lifted until
    # 9.0; the left again after
    if t < 4.0:
        return leg_forward("left", 90.0)
    if t < 4.5:
        return standing()
    if t < 9.0:
        return leg_forward("right", 90.0)
    return leg_forward("left", 90.0)


@pytest.mark.parametrize("camera_side", SIDES)
def test_side_switch_books_and_hold_complete_once_per_side(camera_side: str) -> None:
    pose = make_pose(LEG_LIFT)  # hold 2 s, switch after 1 s, settle 0.5 s, leave 0.8 s
    times = regular_times(0.0, 11.5, 20.0)
    checker, verdicts = run(pose, frames(times, lambda t: leg_schedule(t).facing(camera_side)))  # type: ignore[arg-type]
    assert events(checker) == [
        (0.5, "position_entered"),
        (2.5, "hold_complete"),  # left: 2 s of hold from 0.5
        (4.8, "position_left"),  # the left knee dropped at 4.0; leave_s 0.8
        (5.5, "side_switched"),  # the right knee up from 4.5 and winning for 1 s
        (6.0, "position_entered"),
        (8.0, "hold_complete"),  # right: 2 s of hold from 6.0
        (9.8, "position_left"),
        (10.0, "side_switched"),  # the left knee up again from 9.0: no second left hold_complete
        (10.5, "position_entered"),
    ]
    sides = [e.side for e in checker.events]
    assert sides == ["left", "left", "left", "right", "right", "right", "right", "left", "left"]
    assert [e.message for e in checker.events if e.kind == "side_switched"] == [
        "Now working the right side.", "Now working the left side."]
    books = checker.summary()["sides"]  # type: ignore[index]
    assert set(books) == {"left", "right"}
    # the hold stops at the frame where the knee drops (the gate's leave_s debounce does not count):
    # left 0.5 -> 4.0 and 10.5 -> 11.5; right 6.0 -> 9.0
    assert books["left"]["hold_s"] == pytest.approx(3.5 + 1.0, abs=1e-6)
    assert books["right"]["hold_s"] == pytest.approx(3.0, abs=1e-6)
    assert books["left"]["hold_complete_at_s"] == 2.5 and books["right"]["hold_complete_at_s"] == 8.0
    v = by_time(verdicts)
    assert v[5.45].side == "left" and v[5.5].side == "right" and v[10.0].side == "left"
    assert v[7.0].hold_s == pytest.approx(1.0, abs=1e-6)  # the right side's own clock
    assert v[11.5].hold_s == pytest.approx(4.5, abs=1e-6)


def test_mistakes_are_booked_to_the_working_side() -> None:
    pose = make_pose(LEG_LIFT)
    # forced to the right side; the right knee lifted, bent 45 deg from 1.0 to 2.0
    fig = lambda t: leg_forward("right", 90.0, knee_bend=45.0 if 1.0 <= t < 2.0 else 0.0)  # noqa: E731
    checker, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), fig), side="right")
    assert set(checker.books.sides) == {"right"}
    assert [(m.check, m.side, m.start_s, m.end_s) for m in checker.books.mistakes] == [
        ("knee_bent", "right", 1.0, 2.0)]
    assert by_time(verdicts)[1.5].message == "Straighten the lifted leg."


def test_forced_side_is_not_switched() -> None:
    pose = make_pose(LEG_LIFT)
    checker, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), lambda t: leg_forward("left", 90.0)),
                            side="right")
    assert events(checker, "side_switched") == []
    assert all(v.side == "right" and v.status == "not_in_position" for v in verdicts)


@pytest.mark.parametrize("camera_side", SIDES)
def test_real_hamstring_stretch_switches_sides(camera_side: str) -> None:
    pose = pose_by_id("hamstring_stretch")  # working leg: most_flexed_hip
    tau, switch_after = pose.smoothing_s, pose.sides.switch_after_s
    hip_gate = next(c for c in pose.position.when if c.feature == "hip_flexion")
    # heel on the step, leaning 20: the working hip at 60 + 20 = 80 deg, the standing one at 20
    # the working hip at 80 deg is in position, and the painted neutral back is not rounded
    assert hip_gate.enter < 80.0 and pose.check("lumbar_rounding").exit > NEUTRAL_BACK
    times = regular_times(0.0, 7.0, 20.0)
    fig = lambda t: heel_on_step("left" if t < 3.0 else "right").facing(camera_side)  # noqa: E731
    checker, verdicts = run(pose, frames(times, fig))
    # the smoothed left-minus-right score goes from +60 to -60 from 3.0; it must pass -8 (the
    # working-side margin) and then stay past it for switch_after_s
    challenge = first_crossing(times, 3.0, 60.0, -60.0, tau, -8.0)
    switched = events(checker, "side_switched")
    assert switched == [(pytest.approx(min(t for t in times if t >= challenge + switch_after - 1e-9)),
                         "side_switched")]
    # the left hip drops below the gate's exit; the gate closes leave_s later
    left_out = first_crossing(times, 3.0, 80.0, 20.0, tau, hip_gate.exit)
    closed = min(t for t in times if t >= left_out + pose.position.leave_s - 1e-9)
    assert events(checker, "position_left") == [(pytest.approx(closed), "position_left")]
    assert set(checker.books.sides) == {"left", "right"}
    # left hold: from 0.5 to the frame where the hip first fell past the gate's exit (the hold
    # does not run through leave_s)
    left_out_frame = min(t for t in times if t >= left_out - 1e-9)
    assert checker.books.sides["left"].hold_s == pytest.approx(left_out_frame - 0.5, abs=1e-6)
    # right: in position settle_s after the switch, holding to the end
    reentered = events(checker, "position_entered")[-1][0]
    assert reentered == pytest.approx(switched[0][0] + pose.position.settle_s)
    assert checker.books.sides["right"].hold_s == pytest.approx(7.0 - reentered, abs=1e-6)
    assert verdicts[-1].side == "right" and verdicts[-1].status == "good"


LYING_TWIST_KNEES = ("right_knee", "right_ankle", "right_heel", "right_foot_index")


def _knees_up() -> Figure:
    # on the back, both thighs 100 deg from the trunk line, knees together
    left, right = lying_knee_to_chest("left", 100.0), lying_knee_to_chest("right", 100.0)
    return left.moved(**{n: right.points[n] for n in LYING_TWIST_KNEES})


def _figure_four(working: str) -> Figure:
    # on the back; the other thigh 80 deg from the trunk line with its foot on the floor, the
    # working ankle resting 20 px above the other knee (ankle_to_other_knee = 0.1)
    other = "right" if working == "left" else "left"
    knee = (LYING_HIP[0] + THIGH * lying_dir(80.0)[0], LYING_HIP[1] + THIGH * lying_dir(80.0)[1])
    return lying_knee_to_chest("left", 0.0).moved(**{
        f"{other}_knee": knee, f"{other}_ankle": (470.0, 700.0),
        f"{working}_knee": (630.0, 480.0), f"{working}_ankle": (knee[0], knee[1] - 20.0)})


@functools.cache
def _knees_fallen(t: float) -> Figure:
    # knees fall 0.4 hip widths (twice the side-switch margin) towards the near side (world
    # z < 0), then as far towards the far side from 3.0; the hips are 0.2 m apart
    z = 0.4 * 0.2 * (-1.0 if t < 3.0 else 1.0)
    return _knees_up().with_depth(left_knee=z, right_knee=z)


SECOND_SIDE_CASES = {
    "lower_back_rotation": _knees_fallen,
    "glute_stretch": lambda t: _figure_four("left" if t < 3.0 else "right"),
}


@pytest.mark.parametrize("pose_id", sorted(SECOND_SIDE_CASES))
def test_first_side_of_unitless_working_leg_rules_is_found(pose_id: str) -> None:
    pose = pose_by_id(pose_id)
    _, verdicts = run(pose, frames(regular_times(0.0, 2.9, 10.0), SECOND_SIDE_CASES[pose_id]))
    assert verdicts[-1].side == "left" and verdicts[-1].status == "good"


@pytest.mark.parametrize("pose_id", sorted(SECOND_SIDE_CASES))
def test_unitless_working_leg_rules_switch_to_the_second_side(pose_id: str) -> None:
    pose = pose_by_id(pose_id)
    checker, verdicts = run(pose, frames(regular_times(0.0, 7.0, 10.0), SECOND_SIDE_CASES[pose_id]))
    assert [e.side for e in checker.events if e.kind == "side_switched"] == ["right"]
    assert verdicts[-1].side == "right" and verdicts[-1].status == "good"


# --------------------------------------------------------------------------------------------
# No verdict: no person, wrong view, out of frame, two people
def test_no_person_guidance_and_return() -> None:
    pose = make_pose(UPRIGHT)
    times = regular_times(0.0, 3.0, 30.0)
    upright = standing()
    checker, verdicts = run(pose, frames(times, lambda t: None if 1.0 <= t < 1.5 else upright))
    v = by_time(verdicts)
    gone = [x for x in verdicts if 1.0 <= x.timestamp < 1.5]
    assert len(gone) == 15
    assert all(x.status == "no_person" and x.message == g.NO_PERSON and not x.in_position for x in gone)
    assert all(x.active_mistakes == () and x.features == {} for x in gone)
    assert v[1.5].status == "not_in_position"  # back, settling again
    assert v[2.0].status == "good"
    assert events(checker) == [(0.5, "position_entered"), (1.0, "position_left"), (1.0, "not_in_view"),
                               (1.5, "back_in_view"), (2.0, "position_entered")]
    assert next(e.message for e in checker.events if e.kind == "not_in_view") == g.NO_PERSON
    # hold: 0.5 -> 1.0 (the frame where the person is gone), then 2.0 -> 3.0
    assert verdicts[-1].hold_s == pytest.approx((1.0 - 0.5) + 1.0, abs=1e-9)
    assert checker.books.guidance_s[g.NO_PERSON] == pytest.approx(0.5, abs=1e-9)
    assert checker.books.frames == len(times) and checker.books.frames_with_person == len(times) - 15


def test_no_person_at_start_has_no_side_yet_and_closes_open_mistakes() -> None:
    pose = make_pose(LEG_LIFT)
    checker, verdicts = run(pose, [frames([0.0], lambda t: None)[0]])
    assert verdicts[0].status == "no_person" and verdicts[0].side is None and verdicts[0].hold_s == 0.0
    # a confirmed mistake, then the person vanishes at 2.0: the span ends there
    pose = make_pose(UPRIGHT)
    fig = lambda t: None if t >= 2.0 else standing(lean=-15.0 if t >= 1.0 else 0.0)  # noqa: E731
    checker, _ = run(pose, frames(regular_times(0.0, 2.5, 10.0), fig))
    assert [(m.start_s, m.end_s) for m in checker.books.mistakes] == [(1.0, 2.0)]
    ended = [e for e in checker.events if e.kind == "mistake_ended"]
    assert [(e.timestamp, e.message) for e in ended] == [(2.0, "Leaning back: no longer judged.")]


@pytest.mark.parametrize("camera_side", SIDES)
def test_wrong_camera_view_asks_to_turn_side_on(camera_side: str) -> None:
    pose = pose_by_id("hamstring_stretch")  # side view only
    assert pose.camera.views == ["side"]
    # facing the camera (view_yaw 90) for the first second, then side-on with a heel on the step
    fig = lambda t: frontal() if t < 1.0 else heel_on_step("left").facing(camera_side)  # noqa: E731
    checker, verdicts = run(pose, frames(regular_times(0.0, 4.0, 10.0), fig))
    v = by_time(verdicts)
    facing = [x for x in verdicts if x.timestamp < 1.0]
    assert all(x.status == "guidance" and x.message == "Turn so your side faces the camera." for x in facing)
    assert all(not x.in_position and x.active_mistakes == () for x in facing)
    # smoothed yaw (0.15 s) falls from 90: 46 at 1.0 (above the side-on exit of 45: still frontal),
    # 24 at 1.1 (side-on)
    assert v[1.0].status == "guidance" and v[1.1].status != "guidance"
    assert events(checker)[:2] == [(0.0, "not_in_view"), (1.1, "back_in_view")]
    assert verdicts[-1].status == "good" and verdicts[-1].camera_side == camera_side
    if camera_side == "left":  # the camera side was right from the start: 0.5 s settle
        assert v[1.5].status == "not_in_position" and v[1.6].status == "good"


def test_front_only_pose_asks_to_face_the_camera() -> None:
    pose = make_pose(UPRIGHT, camera={"views": ["front"], "placement": "Facing you."})
    _, verdicts = run(pose, frames([0.0, 0.1], lambda t: standing()))
    assert [v.message for v in verdicts] == [g.FACE_CAMERA] * 2


def test_diagonal_view_is_not_judged() -> None:
    pose = pose_by_id("hip_flexor_stretch")  # side or front
    # the whole body turned 55 deg from side-on: neither side (<= 45) nor front (>= 65)
    s, c = math.sin(math.radians(55)), math.cos(math.radians(55))
    turned = {f"{side}_{part}": (sign * 0.1 * s, -0.5 if part == "shoulder" else 0.0, sign * 0.1 * c)
              for side, sign in (("left", -1.0), ("right", 1.0)) for part in ("shoulder", "hip")}
    fig = lunge("left").with_world(**turned)
    _, verdicts = run(pose, frames(regular_times(0.0, 1.0, 10.0), lambda t: fig))
    assert all(v.status == "guidance" and v.message == g.TURN_SIDE for v in verdicts)


@pytest.mark.parametrize("camera_side", SIDES)
def test_feet_out_of_frame_gives_framing_guidance_and_no_verdict(camera_side: str) -> None:
    pose = pose_by_id("hamstring_stretch")
    assert "feet" in pose.position.needs_in_view
    rounding = pose.check("lumbar_rounding")
    # folded down with a rounded back the whole time: the back outline bent 5 deg outwards
    assert rounding.feature == "back_curve" and rounding.rising and rounding.enter < 5.0
    # the feet leave the picture at 2.0
    def fig(t: float) -> Figure:
        f = heel_on_step("left", lean=60.0).with_back(5.0).facing(camera_side)  # type: ignore[arg-type]
        return feet_cut(f) if t >= 2.0 else f

    checker, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), fig))
    v = by_time(verdicts)
    assert v[1.9].status == "mistake" and v[1.9].active_mistakes == ("lumbar_rounding",)
    cut = [x for x in verdicts if x.timestamp >= 2.0]
    assert all(x.status == "guidance" for x in cut)
    assert all(x.message == "Step back or tilt the camera down so your feet are in view." for x in cut)
    assert all(x.unseen_regions == ("feet",) and x.active_mistakes == () and not x.in_position for x in cut)
    assert all(c.state == "not_checked" for x in cut for c in x.checks)
    (span,) = checker.books.mistakes
    assert span.end_s == 2.0
    assert (2.0, "mistake_ended") in events(checker) and (2.0, "not_in_view") in events(checker)


def test_blind_major_check_pauses_the_hold_with_guidance() -> None:
    pose = pose_by_id("knee_to_chest")  # head_lifting reads the ears; the head is not a needed region
    head = pose.check("head_lifting")
    assert head.feature == "neck_flexion" and head.severity == "major"
    assert "head" not in pose.position.needs_in_view
    fig = lambda t: lying_knee_to_chest("left", 120.0).hidden(  # noqa: E731
        *(("left_ear", "right_ear") if 1.0 <= t < 2.0 else ()))
    checker, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), fig))
    v = by_time(verdicts)
    assert v[0.9].status == "good"
    blind = [x for x in verdicts if 1.0 <= x.timestamp < 2.0]
    assert all(x.status == "guidance" and x.message == "Move so your head is in the picture." for x in blind)
    assert all(x.unseen_regions == ("head",) and x.in_position for x in blind)
    assert all(check_state(x, "head_lifting") == "unseen" for x in blind)
    # the hold runs to the 1.0 frame that loses the head, then pauses
    assert {round(x.hold_s, 9) for x in blind} == {round(v[0.9].hold_s + 0.1, 9)}
    assert checker.books.mistakes == []


def test_two_people_for_more_than_a_second() -> None:
    pose = make_pose(UPRIGHT)
    times = regular_times(0.0, 4.0, 10.0)
    checker, verdicts = run(pose, frames(times, lambda t: standing(),
                                         extra_people=lambda t: 1 if 0.5 <= t < 2.0 else 0))
    v = by_time(verdicts)
    assert all(v[t].message != g.TWO_PEOPLE for t in (0.5, 1.0, 1.4))
    assert v[1.4].status == "good"
    crowded = [x for x in verdicts if 1.5 <= x.timestamp < 2.5]
    assert all(x.status == "guidance" and x.message == g.TWO_PEOPLE for x in crowded)
    # alone again from 2.0; the guidance clears 0.5 s later, then the gate settles again
    assert v[2.5].status == "not_in_position" and v[3.0].status == "good"
    assert g.TWO_PEOPLE == "Only one person should be in view: ask others to step out of the picture."
    assert (1.5, "not_in_view") in events(checker)


def test_two_people_briefly_is_ignored() -> None:
    pose = make_pose(UPRIGHT)
    _, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), lambda t: standing(),
                                   extra_people=lambda t: 1 if 1.0 <= t < 1.6 else 0))
    assert all(v.message != g.TWO_PEOPLE for v in verdicts)
    assert verdicts[-1].hold_s == pytest.approx(2.5, abs=1e-9)


# --------------------------------------------------------------------------------------------
# Real pose files, both camera sides. Thresholds are read from the pose files (they get
# recalibrated), and each scenario first checks that it is well past them.
def first_crossing(times: Sequence[float], t_step: float, before: float, after: float, tau: float,
                   level: float) -> float:
    """First frame time at which a step from `before` to `after` (the first frame at or after t_step
    shows `after`), smoothed with time constant tau, is past `level`. Closed form of TimeEMA: the
    smoothed value at t is after + (before - after) * exp(-(t - t0) / tau), t0 the last frame before."""
    t0 = max(t for t in times if t < t_step)
    for t in times:
        if t >= t_step:
            x = after + (before - after) * math.exp(-(t - t0) / tau)
            if (x > level) if after > before else (x < level):
                return t
    raise AssertionError("never crosses")


@pytest.mark.parametrize("camera_side", SIDES)
def test_hip_flexor_stretch_arched_back(camera_side: str) -> None:
    """The upright-trunk arch: the landmarks do not move at all, only the back's outline does."""
    pose = pose_by_id("hip_flexor_stretch")
    arch = pose.check("arched_lower_back")
    assert arch.feature == "back_curve" and not arch.rising and arch.exit < NEUTRAL_BACK
    # kneeling on the left knee, trunk upright; the lower back hollows to -45 deg from 2.0
    times = regular_times(0.0, 4.0, 20.0)
    upright = lunge("left").facing(camera_side)  # type: ignore[arg-type]
    fig = lambda t: upright.with_back(-45.0 if t >= 2.0 else NEUTRAL_BACK)  # noqa: E731
    checker, verdicts = run(pose, frames(times, fig))
    v = by_time(verdicts)
    assert v[1.9].status == "good" and v[1.9].side == "left" and v[1.9].camera_side == camera_side
    assert v[4.0].status == "mistake" and v[4.0].active_mistakes == ("arched_lower_back",)
    assert v[4.0].message == arch.cue
    # every landmark feature is the same before and after: the arch is seen in the mask alone
    landmark_features = [k for k in v[1.9].features if k not in MASK_FEATURES]
    assert landmark_features
    assert all(v[4.0].features[k] == pytest.approx(v[1.9].features[k], abs=1e-9) for k in landmark_features)
    (span,) = checker.books.mistakes
    before, after = v[1.9].features["back_curve"], v[4.0].features["back_curve"]
    assert before == pytest.approx(NEUTRAL_BACK, abs=1.0) and after == pytest.approx(-45.0, abs=1.0)
    # The check had learned this person's neutral back on its neutral feature (kept from reading
    # flatter than correct form's range), so it flags flag_past beyond it, before the fixed level.
    own = arch.from_own_neutral
    assert own is not None and arch.neutral_feature == "lower_back_bend"
    own_before, own_after = v[1.9].features["lower_back_bend"], v[4.0].features["lower_back_bend"]
    # (its upper line spans the painted kink: it reads part of the painted hollow, builders.py)
    assert own_before == pytest.approx(painted_lower_back_bend(NEUTRAL_BACK), abs=1.0)
    assert own_after < own_before - 10.0
    neutral = min(max(own_before, own.neutral_range[0]), own.neutral_range[1])
    learned = [e for e in checker.events if e.kind == "neutral_learned"]
    assert len(learned) == 1 and learned[0].timestamp < 2.0
    assert learned[0].message.endswith(f"({neutral:.1f}); from now on it is also judged against it.")
    start = first_crossing(times, 2.0, own_before, own_after, pose.smoothing_s, neutral - own.flag_past)
    assert start < first_crossing(times, 2.0, before, after, pose.smoothing_s, arch.enter)
    assert span.start_s == pytest.approx(start, abs=0.051) and span.side == "left"
    confirmed = min(t for t in times if t >= span.start_s + arch.min_duration_s - 1e-9)
    assert v[round(confirmed, 9)].status == "mistake"
    assert v[round(max(t for t in times if t < confirmed), 9)].status == "good"


@pytest.mark.parametrize("camera_side", SIDES)
def test_rounded_back_and_flat_back_hinge_at_the_same_lean(camera_side: str) -> None:
    """SYNTH.md's compensated case: identical landmarks, only the back's shape differs."""
    pose = pose_by_id("hamstring_stretch")
    times = regular_times(0.0, 3.0, 20.0)
    hinge = heel_on_step("left", lean=40.0).facing(camera_side)  # type: ignore[arg-type]
    # the flat-back hinge keeps the neutral hollow; the rounded back has lost it and bows out
    _, flat = run(pose, frames(times, lambda t: hinge.with_back(NEUTRAL_BACK)))
    assert pose.check("lumbar_rounding").enter < 5.0  # a back bowed out 5 deg is past the flag level
    _, rounded = run(pose, frames(times, lambda t: hinge.with_back(5.0)))
    assert all(v.active_mistakes == () for v in flat)
    assert flat[-1].status == "good" and flat[-1].hold_s > 2.0
    assert rounded[-1].active_mistakes == ("lumbar_rounding",)
    assert rounded[-1].message == pose.check("lumbar_rounding").cue
    assert rounded[-1].hold_s < flat[-1].hold_s
    landmark_features = [k for k in flat[-1].features if k not in MASK_FEATURES]
    assert "left_hip_flexion" in landmark_features
    assert all(rounded[-1].features[k] == pytest.approx(flat[-1].features[k], abs=1e-9)
               for k in landmark_features)


def test_no_person_mask_pauses_the_back_check_with_a_reason() -> None:
    """A recording made without the mask cannot judge the back: say so, do not count the hold."""
    pose = pose_by_id("hamstring_stretch")
    fig = heel_on_step("left", lean=40.0).without_mask()
    _, verdicts = run(pose, frames(regular_times(0.0, 2.0, 20.0), lambda t: fig))
    last = verdicts[-1]
    assert last.status == "guidance" and last.in_position and last.hold_s == 0.0
    assert last.unseen_regions == ("mask",) and "no person mask" in last.message
    (status,) = [c for c in last.checks if c.id == "lumbar_rounding"]
    assert status.state == "unseen"


def test_a_person_too_small_for_the_back_check_is_asked_to_come_closer() -> None:
    """Found, in position, but the torso too short in the mask to trace: no verdict on the back,
    no hold counted, and the hint says what to do about it."""
    pose = pose_by_id("hamstring_stretch")
    fig = heel_on_step("left", lean=40.0)
    small = fig.shrunk(0.8 * silhouette.MIN_CHORD_PX / fig.traced_torso_px())
    _, verdicts = run(pose, frames(regular_times(0.0, 2.0, 20.0), lambda t: small))
    last = verdicts[-1]
    assert last.status == "guidance" and last.in_position and last.hold_s == 0.0
    assert last.unseen_regions == ("closer",) and last.message.startswith("Move closer to the camera")
    (status,) = [c for c in last.checks if c.id == "lumbar_rounding"]
    assert status.state == "unseen"


@pytest.mark.parametrize("camera_side", SIDES)
def test_hip_flexor_stretch_knee_past_toes_is_minor(camera_side: str) -> None:
    pose = pose_by_id("hip_flexor_stretch")
    past = pose.check("knee_past_toes")
    assert past.severity == "minor" and past.rising
    # front (right) toes behind the knee by the threshold plus 0.1 torso lengths (200 px torso)
    dx = 200.0 * (past.enter + 0.1)
    fig = lunge("left", front_toe_dx=dx).facing(camera_side)  # type: ignore[arg-type]
    _, verdicts = run(pose, frames(regular_times(0.0, 2.0, 20.0), lambda t: fig))
    last = verdicts[-1]
    assert last.status == "mistake" and last.active_mistakes == ("knee_past_toes",)
    assert last.message == past.cue
    assert last.features["right_knee_past_toes"] == pytest.approx(past.enter + 0.1, abs=1e-9)
    settle = pose.position.settle_s
    assert last.hold_s == pytest.approx(2.0 - settle, abs=1e-9)  # minor: the hold keeps running


def test_hip_flexor_stretch_front_view_hip_shift() -> None:
    pose = pose_by_id("hip_flexor_stretch")
    shift = pose.check("hip_shift")
    assert shift.views == ["front"] and shift.feature == "hip_tilt"
    # facing the camera, knees 0.5 torso apart (in position above 0.45); hips tilted 3 deg past
    # the threshold: 100 px apart, dy = 100 tan(angle)
    gate = next(c for c in pose.position.when if c.feature == "knee_separation")
    assert gate.enter < 0.5
    angle = shift.enter + 3.0
    dy = 50.0 * math.tan(math.radians(angle))
    tilted = frontal().moved(left_hip=(650.0, 500.0 - dy), right_hip=(550.0, 500.0 + dy))
    times = regular_times(0.0, 3.0, 20.0)
    _, verdicts = run(pose, frames(times, lambda t: tilted))
    v = by_time(verdicts)
    on = pose.position.settle_s + shift.min_duration_s  # constant input: no smoothing lag
    assert v[round(on - 0.05, 9)].status == "good"
    assert v[round(on, 9)].status == "mistake" and v[round(on, 9)].active_mistakes == ("hip_shift",)
    assert v[round(on, 9)].features["hip_tilt"] == pytest.approx(angle, abs=1e-6)


@pytest.mark.parametrize("camera_side", SIDES)
def test_knee_to_chest_hips_lifting(camera_side: str) -> None:
    pose = pose_by_id("knee_to_chest")
    lifting = pose.check("hips_lifting")
    flat = lying_knee_to_chest("left", 120.0)
    # the shipped threshold is parked past correct form (docs/accuracy.md): it takes a full bridge
    lifted = flat.moved(left_hip=(600.0, 420.0), right_hip=(600.0, 420.0))
    height = 292.0 / math.hypot(200.0, 280.0)  # (floor 712 - hip 420) / torso = 0.849
    assert lifting.feature == "hip_height" and height > lifting.enter + 0.05
    fig = lambda t: (lifted if t >= 2.0 else flat).facing(camera_side)  # noqa: E731
    checker, verdicts = run(pose, frames(regular_times(0.0, 4.0, 20.0), fig))
    v = by_time(verdicts)
    assert v[1.9].status == "good" and v[1.9].side == "left"
    # a full bridge also tilts the trunk under the resting head, so head_lifting may join it; the
    # hips come first in the pose file, so theirs is the cue the user hears
    assert "hips_lifting" in v[4.0].active_mistakes and v[4.0].message == lifting.cue
    assert v[4.0].features["hip_height"] == pytest.approx(height, abs=1e-3)
    assert "hips_lifting" in [m.check for m in checker.books.mistakes]


@pytest.mark.parametrize("camera_side", SIDES)
def test_timer_only_pose_books_under_both(camera_side: str) -> None:
    pose = pose_by_id("towel_decompression")  # no checks
    assert pose.checks == [] and pose.sides.working_leg == "none"
    flat = lying_knee_to_chest("left", 0.0, 0.0).facing(camera_side)
    checker, verdicts = run(pose, frames(regular_times(0.0, 3.0, 10.0), lambda t: flat))
    assert verdicts[-1].status == "good" and verdicts[-1].side == "both"
    hold = checker.summary()["sides"]["both"]["hold_s"]  # type: ignore[index]
    assert hold == pytest.approx(3.0 - pose.position.settle_s, abs=1e-3)


def test_guard_features_are_measured_and_switch_a_check_on_and_off() -> None:
    # glute_stretch's forward_bend applies only when seated (front not facing up). Its guard
    # feature must be measured even though no check or gate condition reads it otherwise.
    pose = pose_by_id("glute_stretch")
    check = pose.check("forward_bend")
    assert [g.feature for g in check.applies_if] == ["front_facing_up"]
    checker = PoseChecker(pose)
    assert "front_facing_up" in checker.feature_names


def test_a_back_that_never_reads_steady_is_asked_again_after_the_patience_runs_out() -> None:
    """A reading that never holds within steady_within for a second (a noisy picture, a fidgeting
    person): the coach first asks to hold still, and after NEUTRAL_PATIENCE_S says what may help.
    A steady back is learned in about a second and never hears it."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    hinge = heel_on_step("left", lean=40.0)
    times = regular_times(0.0, 12.0, 10.0)
    # the painted back swings by 8 deg every half second, always clear of the fixed level
    swing = lambda t: hinge.with_back(check.enter - (7.0 if int(t / 0.5) % 2 else 15.0))  # noqa: E731
    checker, verdicts = run(pose, frames(times, swing))
    assert checker.own_neutral("lumbar_rounding") is None and not checker.books.mistakes
    good = [v for v in verdicts if v.status == "good"]
    entered = good[0].timestamp
    early = [v for v in good if v.timestamp < entered + NEUTRAL_PATIENCE_S - 0.15]
    late = [v for v in good if v.timestamp >= entered + NEUTRAL_PATIENCE_S + 0.15]
    assert len(early) > 30 and len(late) > 30
    assert all(v.message == LEARNING_NEUTRAL and v.neutral_note is None for v in early)
    assert all(v.message == STILL_LEARNING_NEUTRAL and v.neutral_note == "still_learning" for v in late)
    # the hold still counts: the back is not wrong, only not learned yet
    assert late[-1].hold_s == pytest.approx(late[-1].timestamp - entered, abs=0.3)
    # and the report gives the advice with how long it applied
    told_s = checker.books.guidance_s[STILL_LEARNING_NEUTRAL]
    assert told_s == pytest.approx(times[-1] - entered - NEUTRAL_PATIENCE_S, abs=0.2)
    # said aloud once, as its own cue
    cue = verdict_cue(late[0])
    assert cue.key == "still_learning" and cue.say == STILL_LEARNING_NEUTRAL
    assert verdict_cue(early[0]).say == "Good form. Hold it there."

    steady_checker, steady = run(pose, frames(times, lambda t: hinge.with_back(check.enter - 11.0)))
    assert steady_checker.own_neutral("lumbar_rounding") is not None
    assert not any(v.neutral_note == "still_learning" for v in steady)


def test_time_spent_flagged_does_not_count_towards_the_patience_with_learning() -> None:
    """A back the fixed level flags for longer than the patience, and which then straightens and holds
    still: the coach is learning it, not asking again why it cannot (nothing was in the way)."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    own = check.from_own_neutral
    assert own is not None and own.adopt_after_s is not None
    bent_s = NEUTRAL_PATIENCE_S + 2.0  # flagged past the patience, not yet long enough to be adopted
    assert bent_s < own.adopt_after_s
    hinge = heel_on_step("left", lean=40.0)
    times = regular_times(0.0, bent_s + 4.0, 10.0)
    checker, verdicts = run(pose, frames(times, lambda t: hinge.with_back(
        check.enter + 10.0 if t < bent_s else check.enter - 11.0)))
    assert [m.check for m in checker.books.mistakes] == ["lumbar_rounding"]
    straight = [v for v in verdicts if v.timestamp > bent_s and v.status == "good"]
    assert straight and straight[0].message == LEARNING_NEUTRAL
    assert not any(v.neutral_note == "still_learning" for v in verdicts)
    assert STILL_LEARNING_NEUTRAL not in checker.books.guidance_s
    assert checker.own_neutral("lumbar_rounding") is not None  # learned from the straight back
    assert straight[-1].message.startswith("Good form, hold it")


def test_a_back_the_fixed_level_flags_from_the_start_and_that_holds_still_is_taken_as_the_neutral() -> None:
    """A body whose correct back reads past the fixed level: told once, then judged against itself."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    own = check.from_own_neutral
    assert own is not None and own.adopt_after_s is not None
    # rounded 10 deg past the fixed flag level from the start and held still; a few seconds after
    # it was taken as the neutral, it rounds by 25 deg more
    start_bend, later_bend, later_t = check.enter + 10.0, check.enter + 35.0, own.adopt_after_s + 4.0
    times = regular_times(0.0, later_t + 3.0, 10.0)
    hinge = heel_on_step("left", lean=40.0)
    checker, verdicts = run(pose, frames(times, lambda t: hinge.with_back(later_bend if t >= later_t
                                                                          else start_bend)))
    v = by_time(verdicts)
    first, *rest = checker.books.mistakes
    assert first.check == "lumbar_rounding" and first.start_s < 1.5
    confirmed = min(t for t in times if t >= first.start_s + check.min_duration_s - 1e-9)
    # the wait starts on the first frame that reads the flag as on (the frame that confirms it
    # still saw it pending)
    waiting = min(t for t in times if t > confirmed)
    adopted_at = min(t for t in times if t >= waiting + own.adopt_after_s - 1e-9)
    assert first.end_s == pytest.approx(adopted_at)
    (taken,) = [e for e in checker.events if e.kind == "neutral_learned"]
    assert taken.timestamp == pytest.approx(adopted_at)
    assert taken.message.startswith(f"{check.title}: took your back since the cue")
    ended = [e for e in checker.events if e.kind == "mistake_ended"]
    assert ended[0].timestamp == pytest.approx(adopted_at)
    assert "still read this way since the cue" in ended[0].message
    # the neutral is the painted back's own reading, and from then on the form is good: the hold counts
    neutral = checker.own_neutral("lumbar_rounding")
    assert neutral == pytest.approx(painted_lower_back_bend(start_bend), abs=1.0)
    quiet = [round(t, 9) for t in times if adopted_at < t < later_t]
    assert all(v[t].status == "good" for t in quiet)
    # the form message says so for ADOPTED_SHOW_S, then counts the hold as usual
    assert v[round(adopted_at, 9)].message == ADOPTED_NEUTRAL
    told = [t for t in quiet if t < adopted_at + ADOPTED_SHOW_S - 1e-9]
    assert all(v[t].message == ADOPTED_NEUTRAL for t in told)
    assert all((v[t].neutral_note == "adopted") == (t in told) for t in quiet)
    assert not any(u.neutral_note == "adopted" for u in verdicts if u.timestamp < adopted_at - 1e-9)
    assert all(v[t].message.startswith("Good form, hold it") for t in quiet if t not in told)
    assert v[quiet[-1]].hold_s - v[quiet[0]].hold_s == pytest.approx(quiet[-1] - quiet[0], abs=1e-6)
    # the frames say when the fixed level stopped judging the check, and the timeline draws its
    # level only up to then
    applies = {round(u.timestamp, 9): next(c for c in u.checks if c.id == check.id).fixed_applies
               for u in verdicts}
    assert all(applies[round(t, 9)] for t in times if t < adopted_at - 1e-9)
    assert not any(applies[round(t, 9)] for t in times if t >= adopted_at - 1e-9)
    (fixed_series,) = [s for s in key_measures(verdicts, pose) if s.check_id == check.id
                       and s.label.endswith(check.feature)]
    (drawn,) = fixed_level_rows(fixed_series)
    assert drawn == {"start_s": round(times[0], 3), "end_s": round(adopted_at, 3), "flag": check.enter}
    # and the coach says it, not "Good form": the cue it says for that frame is the message
    said = verdict_cue(v[round(adopted_at, 9)])
    assert said.text == said.say == ADOPTED_NEUTRAL
    # rounding further is judged against the taken neutral, not waved through
    (second,) = rest
    assert second.check == "lumbar_rounding" and later_t <= second.start_s < later_t + 1.0
    assert v[round(times[-1], 9)].active_mistakes == ("lumbar_rounding",)


def _holds_after_an_adoption(later: Callable[[float], Figure | None], start: float
                             ) -> tuple[PoseChecker, list[Verdict], float]:
    """The hamstring stretch: a first hold whose back reads 10 deg past the fixed flag level from the
    start, so it is adopted as the neutral; out of the picture for 2 s; then `later` from `start`.
    Returns the checker, the later frames' verdicts, and when the first hold's back was adopted."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    own = check.from_own_neutral
    assert own is not None and own.adopt_after_s is not None
    first_hold = heel_on_step("left", lean=40.0).with_back(check.enter + 10.0)
    # the later hold lasts long enough for a flag (after the position's settling and the check's
    # wait) to be held for adopt_after_s and then some
    later_s = pose.position.settle_s + check.min_duration_s + own.adopt_after_s + 2.0
    times = regular_times(0.0, start + later_s, 10.0)
    checker, verdicts = run(pose, frames(times, lambda t: first_hold if t < start - 2.0 - 1e-9
                                         else None if t < start - 1e-9 else later(t)))
    (taken,) = [e for e in checker.events if e.kind == "neutral_learned" and e.timestamp < start]
    assert taken.timestamp < start - 2.0 and "since the cue" in taken.message
    return checker, [v for v in verdicts if v.timestamp >= start - 1e-9], taken.timestamp


def test_a_back_adopted_on_one_hold_is_taken_at_once_on_the_next() -> None:
    """The person who was told for adopt_after_s on the first hold is not told again on the next
    hold for the same back; rounding past it on that hold is still flagged."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    own = check.from_own_neutral
    assert own is not None
    start, rounds_at = 15.0, 21.0
    hinge = heel_on_step("left", lean=40.0)
    checker, later, adopted_at = _holds_after_an_adoption(
        lambda t: hinge.with_back(check.enter + (35.0 if t >= rounds_at else 10.0)), start)
    first_neutral = painted_lower_back_bend(check.enter + 10.0)
    # the second hold: the same back is taken as the neutral on the first frame the check would
    # flag it, so no cue starts and nothing says a cue stopped
    recalled = [e for e in checker.events if e.kind == "neutral_learned" and e.timestamp >= start]
    (taken,) = recalled
    assert "as on an earlier hold" in taken.message
    in_position = min(e.timestamp for e in checker.events
                      if e.kind == "position_entered" and e.timestamp >= start)
    assert taken.timestamp < in_position + 0.5
    assert checker.own_neutral("lumbar_rounding") == pytest.approx(first_neutral, abs=1.0)
    quiet = [v for v in later if in_position <= v.timestamp < rounds_at]
    assert quiet and all(v.status == "good" for v in quiet)
    assert all(v.message.startswith("Good form, hold it") for v in quiet if v.timestamp >= taken.timestamp)
    assert not any(e.kind == "mistake_ended" and e.timestamp >= start for e in checker.events)
    # the hold counts from the start, where the first hold waited adopt_after_s
    assert quiet[-1].hold_s - quiet[0].hold_s == pytest.approx(quiet[-1].timestamp - quiet[0].timestamp,
                                                               abs=1e-6)
    # rounding 25 deg further is flagged against that neutral
    (first, second) = checker.books.mistakes
    assert first.end_s == pytest.approx(adopted_at)
    assert second.check == "lumbar_rounding" and rounds_at <= second.start_s < rounds_at + 1.0
    assert later[-1].active_mistakes == ("lumbar_rounding",)


@pytest.mark.parametrize("later_hold", ["other side facing the camera", "rounded past the adopted back"])
def test_an_adopted_back_is_not_taken_for_another_edge_or_a_rounder_back(later_hold: str) -> None:
    """The outline of the other edge of the body is not the back that was adopted, and a back that
    reads past the adopted neutral's own flag level is flagged as on any first hold."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    own = check.from_own_neutral
    assert own is not None and own.adopt_after_s is not None
    start = 15.0
    hinge = heel_on_step("left", lean=40.0)
    if later_hold == "other side facing the camera":
        other = "right" if hinge.camera_side == "left" else "left"
        figure = hinge.facing(other).with_back(check.enter + 10.0)
    else:
        figure = hinge.with_back(check.enter + 10.0 + 2.0 * own.flag_past + 5.0)
    checker, later, _ = _holds_after_an_adoption(lambda t: figure, start)
    (second,) = [m for m in checker.books.mistakes if m.start_s >= start]
    assert second.check == "lumbar_rounding" and second.start_s < start + 2.0
    assert not any("as on an earlier hold" in e.message for e in checker.events)
    # until adopt_after_s has passed on this hold too
    flagged = [v.timestamp for v in later if "lumbar_rounding" in v.active_mistakes]
    assert max(flagged) - min(flagged) == pytest.approx(own.adopt_after_s, abs=0.25)


def test_a_checker_given_the_sessions_adopted_neutrals_recalls_one_adopted_by_another() -> None:
    """A guided routine starts a checker for each hold: they share the session's adopted neutrals."""
    pose = pose_by_id("hamstring_stretch")
    check = pose.check("lumbar_rounding")
    back = heel_on_step("left", lean=40.0).with_back(check.enter + 10.0)
    first = PoseChecker(pose, side="left")
    for f in frames(regular_times(0.0, 13.0, 10.0), lambda t: back):
        first.update(f)
    assert [e.kind for e in first.events].count("neutral_learned") == 1
    assert set(first.adopted) == {c.id for c in pose.checks}
    (kept,) = first.adopted["lumbar_rounding"].values()
    assert kept == first.own_neutral("lumbar_rounding")
    later, alone = PoseChecker(pose, side="left", adopted=first.adopted), PoseChecker(pose, side="left")
    for checker in (later, alone):
        for f in frames(regular_times(20.0, 26.0, 10.0), lambda t: back):
            checker.update(f)
    assert later.books.mistakes == [] and later.own_neutral("lumbar_rounding") == kept
    assert [m.check for m in alone.books.mistakes] == ["lumbar_rounding"]
