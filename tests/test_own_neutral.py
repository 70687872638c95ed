"""The lumbar checks' second level: the change from the person's own neutral back.

Unit tests of the learner (posecheck/checker/neutral.py) and its schema, then the checker on the
sessions clips (samples/sessions: 1.8 s of neutral back, then a 30 deg lumbar mistake ramps in),
and the measurement that the pose files' levels come from (tools/own_neutral_study.py).
"""

from __future__ import annotations

import functools
import math
import shutil
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.checker.checker import LEARNING_NEUTRAL, PoseChecker  # noqa: E402
from posecheck.checker.neutral import MAX_FRAME_GAP_S, NeutralReading, level_units  # noqa: E402
from posecheck.frames import PoseFrame  # noqa: E402
from posecheck.labels import load_labels  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.poses.schema import Check, OwnNeutral  # noqa: E402
from posecheck.sources.recording import RecordingSource, write_recording  # noqa: E402
from tools.own_neutral_study import (  # noqa: E402
    STUDIED,
    ClipTrace,
    clearing_level_table,
    derive,
    fixed_only,
    neutral_range_from,
    trace,
)

SESSIONS = ROOT / "samples" / "sessions"
SPEC = OwnNeutral(flag_past=4.5, clear_within=2.5, neutral_range=(-30.0, -10.0), learn_s=1.0,
                  steady_within=2.0)


def feed(n: NeutralReading, readings: list[float], dt: float = 0.1, may_learn: bool = True) -> float | None:
    """Feed readings 0.1 s apart; the time the neutral was learned (None: not learned)."""
    for i, v in enumerate(readings):
        if n.update(i * dt, v, may_learn):
            return i * dt
    return None


def test_the_neutral_is_the_median_of_the_first_steady_second() -> None:
    n = NeutralReading(SPEC)
    assert feed(n, [-20.0, -21.0, -19.5, -20.5] * 2 + [-20.0] * 3) == pytest.approx(1.0)
    assert n.value == pytest.approx(-20.0)
    assert n.learned_at == pytest.approx(1.0)
    n.update(2.0, -5.0, True)  # once learned it stays put
    assert n.value == pytest.approx(-20.0)


def test_the_wait_for_a_neutral_runs_from_the_first_frame_since_the_last_reset() -> None:
    n = NeutralReading(SPEC)
    assert n.waiting_since is None
    n.update(3.0, -20.0, may_learn=False)  # flagged or pending frames count: the person is waiting
    n.update(3.1, math.nan, may_learn=True)
    n.update(3.2, -25.0, may_learn=True)
    assert n.waiting_since == 3.0 and n.value is None
    n.reset()
    assert n.waiting_since is None
    assert feed(n, [-20.0] * 12) == pytest.approx(1.0)
    assert n.waiting_since == 0.0


def test_the_time_spent_trying_counts_clear_frames_only() -> None:
    """`clear_s`, which the coach's patience reads: flagged or pending frames add nothing, a clear
    frame without a reading (a dim picture) does, and a stalled camera adds at most MAX_FRAME_GAP_S."""
    n = NeutralReading(SPEC)
    swinging = [-20.0, math.nan, -26.0, math.nan] * 5  # never steady, every other frame unread: 2 s
    feed(n, swinging)
    assert n.value is None and n.clear_s == pytest.approx(1.9)  # 19 intervals between 20 clear frames
    for k in range(10):  # 1 s flagged: nothing added, and the frame after it starts a new count
        n.update(2.0 + 0.1 * k, -5.0, may_learn=False)
    n.update(3.0, -20.0, True)
    n.update(3.1, -26.0, True)
    assert n.clear_s == pytest.approx(2.0)
    n.update(8.0, -20.0, True)  # the camera stalled for 4.9 s
    assert n.clear_s == pytest.approx(2.0 + MAX_FRAME_GAP_S)
    n.reset()
    assert n.clear_s == 0.0


def test_an_unsteady_or_interrupted_reading_starts_the_second_again() -> None:
    n = NeutralReading(SPEC)
    # settling from -26 to -20: within 2 deg of what follows only from 0.2 s, so learned at 1.2 s
    assert feed(n, [-26.0, -23.0, -20.5] + [-20.0] * 11) == pytest.approx(1.2)
    assert n.value == pytest.approx(-20.0)
    n = NeutralReading(SPEC)
    for i in range(8):
        n.update(i * 0.1, -20.0, True)
    n.update(0.8, math.nan, True)  # the back was not seen: the steady stretch is broken
    n.update(0.9, -20.0, False)  # the check was flagged or pending: no learning
    assert not any(n.update(1.0 + i * 0.1, -20.0, True) for i in range(10))
    assert n.update(2.0, -20.0, True) and n.learned_at == pytest.approx(2.0)


def test_the_neutral_is_kept_within_correct_forms_range_and_reset_forgets_it() -> None:
    n = NeutralReading(SPEC)
    feed(n, [-40.0] * 12)
    assert n.value == -30.0
    n.reset()
    assert n.value is None and n.learned_at is None
    feed(n, [0.0] * 12)
    assert n.value == -10.0


SETTLING = SPEC.model_copy(update={"settles_for_s": 4.0})


def feed_on(n: NeutralReading, readings: list[float], dt: float = 0.1) -> float | None:
    """`feed`, but every reading is fed, also after the neutral is learned."""
    learned = [i * dt for i, v in enumerate(readings) if n.update(i * dt, v, True)]
    return learned[0] if learned else None


def test_a_learned_neutral_settles_on_the_clear_frames_of_the_next_settles_for_s() -> None:
    n = NeutralReading(SETTLING)
    # learned at 1.0 s from eleven readings of -20, then the body sinks 1 deg deeper into the stretch
    assert feed_on(n, [-20.0] * 11 + [-19.0] * 29) == pytest.approx(1.0)
    assert n.value == pytest.approx(-19.0)  # (11 of -20, 29 of -19: the median)
    assert n.learned_at == pytest.approx(1.0)  # still when it was first learned
    # frames on which the check was flagged or pending, or the back was unseen, do not count
    n = NeutralReading(SETTLING)
    feed(n, [-20.0] * 11)
    for i in range(20):
        n.update(1.1 + i * 0.1, -19.0, may_learn=False)
        n.update(1.15 + i * 0.1, math.nan, may_learn=True)
    assert n.value == pytest.approx(-20.0)
    # the frames it was learned from stay in: 11 of -20 and 9 of -19 settle on -20, not -19
    n = NeutralReading(SETTLING)
    assert feed_on(n, [-20.0] * 11 + [-19.0] * 9) == pytest.approx(1.0) and n.value == pytest.approx(-20.0)
    # settles_for_s counts from when it was learned (1.0 s): frames up to 5.0 s still settle, later
    # ones and any stamped before it was learned do not
    n = NeutralReading(SETTLING)
    feed(n, [-20.0] * 11)
    for i in range(30):
        n.update(4.1 + i * 0.03, -19.0, may_learn=True)
    assert n.value == pytest.approx(-19.0)
    n = NeutralReading(SETTLING)
    feed(n, [-20.0] * 11)
    for i in range(50):
        n.update(5.1 + i * 0.1, -19.0, may_learn=True)
        n.update(0.5, -19.0, may_learn=True)
    assert n.value == pytest.approx(-20.0)


def test_a_settling_neutral_stays_within_its_reach_of_its_first_value_and_the_range() -> None:
    # a back that rounds from the moment it is learned while still read as clear: the neutral
    # follows it 2 deg at most, so the flag level moves out by no more than steady_within
    n = NeutralReading(SETTLING)
    feed_on(n, [-20.0] * 11 + [-20.0 + 0.3 * i for i in range(1, 41)])
    assert n.value == pytest.approx(-18.0)
    # with settles_within it may follow further than steady_within, and no further than that
    wider = SETTLING.model_copy(update={"settles_within": 3.5})
    assert wider.settling_reach == 3.5 and SETTLING.settling_reach == SETTLING.steady_within
    n = NeutralReading(wider)
    feed_on(n, [-20.0] * 11 + [-20.0 + 0.3 * i for i in range(1, 41)])
    assert n.value == pytest.approx(-16.5)
    n = NeutralReading(wider)
    feed_on(n, [-20.0] * 11 + [-17.0] * 29)  # settled 3 deg deeper: within reach, followed fully
    assert n.value == pytest.approx(-17.0)
    n = NeutralReading(SETTLING)
    feed_on(n, [-11.0] * 11 + [-9.0] * 40)
    assert n.value == pytest.approx(-10.0)  # the median -9 is past neutral_range's -10
    # without settles_for_s (the default) nothing settles; an adopted neutral does not settle
    n = NeutralReading(SPEC)
    feed_on(n, [-20.0] * 11 + [-19.0] * 29)
    assert n.value == pytest.approx(-20.0)
    n = NeutralReading(SETTLING.model_copy(update={"adopt_after_s": 3.0}))
    feed_flagged(n, [-20.0] * 31)
    for i in range(30):
        n.update(3.1 + i * 0.1, -19.0, may_learn=True)
    assert n.adopted and n.value == pytest.approx(-20.0)
    n.reset()
    feed_on(n, [-15.0] * 11 + [-14.0] * 29)  # reset forgets what it settled on
    assert n.value == pytest.approx(-14.0)


ADOPTING = SPEC.model_copy(update={"adopt_after_s": 3.0})


def feed_flagged(n: NeutralReading, readings: list[float], dt: float = 0.1, t0: float = 0.0) -> float | None:
    """Feed readings 0.1 s apart while the fixed level flags; the time the neutral was taken."""
    for i, v in enumerate(readings):
        if n.update(t0 + i * dt, v, may_learn=False, flagged=True):
            return t0 + i * dt
    return None


def test_without_adopt_after_s_a_flagged_back_is_never_taken_as_the_neutral() -> None:
    n = NeutralReading(SPEC)
    assert feed_flagged(n, [5.0] * 200) is None and n.value is None and not n.adopted


def test_a_flag_that_stays_on_for_adopt_after_s_adopts_the_median_back() -> None:
    n = NeutralReading(ADOPTING)
    assert feed_flagged(n, [-21.0, -19.0, -17.0, -20.0] * 10) == pytest.approx(3.0)
    # (31 readings: the median)
    assert n.adopted and n.value == pytest.approx(-19.0) and n.learned_at == pytest.approx(3.0)
    # a back that swings while the flag stays on (mask noise, a restless body) is adopted all the same
    n = NeutralReading(ADOPTING)
    assert feed_flagged(n, [-25.0, -12.0, -20.0] * 11) == pytest.approx(3.0) and n.value == -20.0
    # a flag that lapses to pending, or an unseen back, starts the wait again; a clear check learns
    # the usual way
    n = NeutralReading(ADOPTING)
    feed_flagged(n, [5.0] * 20)
    assert not n.update(2.0, 5.0, may_learn=False, flagged=False)
    assert feed_flagged(n, [5.0] * 31, t0=2.1) == pytest.approx(5.1)
    n.reset()
    assert n.value is None and not n.adopted
    feed_flagged(n, [5.0] * 20)
    assert not n.update(2.0, math.nan, may_learn=False, flagged=True)
    assert feed_flagged(n, [5.0] * 29, t0=2.1) is None
    n.reset()
    feed_flagged(n, [5.0] * 20)
    assert feed(n, [-20.0] * 11) == pytest.approx(1.0) and not n.adopted  # learned while clear


def test_a_neutral_adopted_on_an_earlier_hold_is_recalled_for_a_back_short_of_its_flag_level() -> None:
    # ADOPTING flags 4.5 past the neutral: a rounding check (rising) flags at -15.5 around -20
    n = NeutralReading(ADOPTING)
    assert n.recall(0.5, -20.0, -16.0, rising=True)
    assert n.value == -20.0 and n.adopted and n.learned_at == 0.5
    assert n.judged(True, -13.0, -15.0, -10.0, -16.0) < 1.0  # past the fixed flag, not its own
    assert not n.recall(0.6, -25.0, -16.0, rising=True)  # one neutral a hold: the first stays
    assert n.value == -20.0
    n.update(1.0, -18.0, may_learn=True)  # a recalled neutral, as an adopted one, does not settle
    assert n.value == -20.0
    n.reset()
    assert n.value is None and not n.adopted
    # at or past its flag level: not this back, so the usual wait for adopt_after_s
    assert not n.recall(0.5, -20.0, -15.5, rising=True) and n.value is None
    assert not n.recall(0.5, -20.0, -10.0, rising=True) and n.value is None
    assert not n.recall(0.5, -20.0, math.nan, rising=True) and n.value is None
    # an arching check (falling) flags at -24.5 around -20
    assert n.recall(0.5, -20.0, -24.0, rising=False) and n.value == -20.0
    n.reset()
    assert not n.recall(0.5, -20.0, -25.0, rising=False) and n.value is None
    # a check that never adopts never recalls
    assert not NeutralReading(SPEC).recall(0.5, -20.0, -20.0, rising=True)


def test_an_adopted_back_is_judged_against_its_neutral_alone_and_kept_in_range() -> None:
    n = NeutralReading(ADOPTING)
    feed_flagged(n, [40.0] * 31)
    assert n.adopted and n.value == -10.0  # within neutral_range, as a neutral learned while clear
    # far past the fixed flag level (-13), but at the neutral: clear
    assert n.judged(True, -13.0, -15.0, 20.0, -10.0) == pytest.approx(level_units(-10.0, -5.5, -7.5))
    assert n.judged(True, -13.0, -15.0, 20.0, -10.0) < 0.0
    assert n.judged(True, -13.0, -15.0, 20.0, -5.0) > 1.0  # 5 past its own neutral: flagged
    assert math.isnan(n.judged(True, -13.0, -15.0, 20.0, math.nan))  # its own feature unseen
    assert math.isnan(n.judged(True, -13.0, -15.0, math.nan, -10.0))
    n.adopted = False  # a neutral learned while clear: the fixed level still applies
    assert n.judged(True, -13.0, -15.0, 20.0, -10.0) > 1.0


def test_level_units_read_0_at_the_clear_level_and_1_at_the_flag_level_either_way() -> None:
    assert level_units(-15.0, -13.0, -15.0) == 0.0 and level_units(-13.0, -13.0, -15.0) == 1.0
    assert level_units(-12.0, -13.0, -15.0) == pytest.approx(1.5)  # past a rising flag: above 1
    assert level_units(-36.5, -38.5, -36.5) == 0.0 and level_units(-38.5, -38.5, -36.5) == 1.0
    assert level_units(-39.5, -38.5, -36.5) == pytest.approx(1.5)  # past a falling flag: above 1


def _flags_at(n: NeutralReading, rising: bool, flag: float, clear: float, own: float | None = None) -> float:
    """The value at which the check flags, found by walking the value towards the mistake."""
    step = 0.01 if rising else -0.01
    value = clear - 3000 * step  # well on the clear side of every level here
    while n.judged(rising, flag, clear, value, value if own is None else own) <= 1.0:
        value += step
    return round(value, 1)


def test_the_neutral_only_ever_tightens_the_fixed_levels() -> None:
    n = NeutralReading(SPEC)
    assert n.levels(True) is None
    assert _flags_at(n, True, -13.0, -15.0) == -13.0  # nothing learned: the pose's own
    n.value = -25.0
    assert n.levels(True) == (-20.5, -22.5)  # rounding: 4.5 past, clear 2.5 past
    assert n.levels(False) == (-29.5, -27.5)  # arching: 4.5 below, clear 2.5 below
    assert _flags_at(n, True, -13.0, -15.0) == -20.5
    assert _flags_at(n, False, -38.5, -36.5) == -29.5
    n.value = -11.0
    assert _flags_at(n, True, -13.0, -15.0) == -13.0  # never looser than the pose's own
    assert _flags_at(n, False, -38.5, -36.5) == -15.5


def test_a_second_feature_judged_against_the_neutral_flags_on_its_own_or_with_the_fixed_level() -> None:
    n = NeutralReading(SPEC)
    n.value = -25.0  # learned on the second feature
    # the check's own feature far from its fixed flag level: the second feature decides
    assert n.judged(True, -13.0, -15.0, -30.0, -22.6) < 0.0  # clear against both
    assert n.judged(True, -13.0, -15.0, -30.0, -20.0) > 1.0  # 5 past its own neutral: flagged
    # the second feature unseen: the fixed level alone
    assert n.judged(True, -13.0, -15.0, -14.0, math.nan) == pytest.approx(0.5)
    # the check's own feature unseen: no verdict
    assert math.isnan(n.judged(True, -13.0, -15.0, math.nan, -20.0))
    # past the fixed level, whatever the second feature reads
    assert n.judged(True, -13.0, -15.0, -12.0, -40.0) > 1.0


def test_the_schema_rejects_inconsistent_levels() -> None:
    with pytest.raises(ValidationError, match="clear_within"):
        OwnNeutral(flag_past=3.0, clear_within=3.0, neutral_range=(-30.0, -10.0))
    with pytest.raises(ValidationError, match="neutral_range"):
        OwnNeutral(flag_past=3.0, clear_within=1.0, neutral_range=(-10.0, -30.0))
    for settles in (-1.0, 31.0):
        with pytest.raises(ValidationError, match="settles_for_s"):
            OwnNeutral(flag_past=3.0, clear_within=1.0, neutral_range=(-30.0, -10.0), settles_for_s=settles)
    # a range reaching past the flag level is allowed (a user's stricter pose file): a neutral is
    # only learned while the check is clear, and it can only tighten the levels
    check = Check(id="lumbar_rounding", title="Rounded lower back", feature="back_curve", flag_above=-13,
                  clear_below=-15, cue="Keep your back long.",
                  from_own_neutral={"flag_past": 4.5, "clear_within": 2.5, "neutral_range": [-28, -12]})
    assert check.from_own_neutral is not None and check.from_own_neutral.neutral_range == (-28.0, -12.0)


def test_the_schema_checks_a_second_neutral_feature() -> None:
    base = {"id": "lumbar_rounding", "title": "Rounded lower back", "feature": "back_curve",
            "flag_above": -13, "clear_below": -15, "cue": "Keep your back long."}
    own = {"flag_past": 5.5, "clear_within": 3.5, "neutral_range": [-30, math.inf]}
    check = Check.model_validate({**base, "from_own_neutral": {**own, "feature": "lower_back_bend"}})
    assert check.neutral_feature == "lower_back_bend"
    assert Check.model_validate({**base, "from_own_neutral": own}).neutral_feature == "back_curve"
    assert Check.model_validate(base).neutral_feature is None
    with pytest.raises(ValidationError, match="unknown feature 'lower_back_curve'"):
        Check.model_validate({**base, "from_own_neutral": {**own, "feature": "lower_back_curve"}})
    with pytest.raises(ValidationError, match="is measured per leg"):
        Check.model_validate({**base, "from_own_neutral": {**own, "feature": "hip_flexion"}})
    sided = {**base, "feature": "hip_flexion", "limb": "working", "flag_above": 100, "clear_below": 95}
    with pytest.raises(ValidationError, match="only a check on a plain feature"):
        Check.model_validate({**sided, "from_own_neutral": {**own, "feature": "back_curve"}})


def test_the_checker_measures_the_neutral_feature_and_the_pose_needs_the_mask_for_it() -> None:
    pose = load_catalogue()["hip_flexor_stretch"]
    assert pose.check("arched_lower_back").neutral_feature == "lower_back_bend"
    assert "lower_back_bend" in PoseChecker(pose).feature_names
    assert "lower_back_bend" not in PoseChecker(fixed_only(pose)).feature_names
    assert "lower_back_bend" in PoseChecker(fixed_only(pose), also_measure=("lower_back_bend",)).feature_names
    # a pose whose only mask feature is the neutral feature still asks the estimator for the mask
    arch = pose.check("arched_lower_back")
    stripped = pose.model_copy(update={"checks": [
        arch.model_copy(update={"feature": "trunk_inclination", "flag_below": 5.0, "clear_above": 8.0})]})
    assert stripped.needs_mask and not fixed_only(stripped).needs_mask


def _run(pose_id: str, clip: str, own_neutral: bool) -> tuple[PoseChecker, list[tuple[float, bool, float]]]:
    """(checker, [(time, check flagged, lumbar angle set)]) over one sessions clip."""
    labels = load_labels(SESSIONS / f"{clip}.labels.json")
    pose = load_catalogue()[pose_id]
    check_id = STUDIED[pose_id][0]
    checker = PoseChecker(pose if own_neutral else fixed_only(pose), side=labels.side)  # type: ignore[arg-type]
    out = []
    for i, frame in enumerate(RecordingSource(SESSIONS / f"{clip}.landmarks.npz")):
        verdict = checker.update(frame)
        flagged = check_id in verdict.active_mistakes
        out.append((verdict.timestamp, flagged, labels.severity_at(i, check_id)))
    checker.finish()
    return checker, out


@pytest.mark.parametrize(("pose_id", "clip"), [
    ("hamstring_stretch", "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"),
    ("hip_flexor_stretch", "hip_flexor_stretch__arched_lower_back_comp_30deg_session_male_tall_lean__rr"),
])
def test_a_session_is_flagged_earlier_against_the_persons_own_neutral(pose_id: str, clip: str) -> None:
    checker, frames = _run(pose_id, clip, own_neutral=True)
    _, fixed = _run(pose_id, clip, own_neutral=False)
    learned = [e for e in checker.events if e.kind == "neutral_learned"]
    assert len(learned) == 1 and 1.0 <= learned[0].timestamp < 1.8  # during the neutral lead-in
    first_t, first = next((t, sev) for t, flagged, sev in frames if flagged)
    first_fixed = next((sev for _, flagged, sev in fixed if flagged), math.inf)
    assert first < first_fixed  # caught at a smaller angle than the fixed level
    # the reading passes the person's own level while the rounding is still small (the level is 5 deg
    # of reading past the neutral, and the outline turns about 0.5 deg per deg set: some 10 deg), and
    # the flag follows once it has stayed past for the check's wait (the angle then depends on the wait)
    passed_t = checker.books.mistakes[0].start_s
    passed = next(sev for t, _, sev in frames if t == passed_t)
    assert passed <= 10.0
    wait = load_catalogue()[pose_id].check(STUDIED[pose_id][0]).min_duration_s
    assert first_t - passed_t == pytest.approx(wait, abs=1.0 / 15.0 + 1e-6)
    assert not any(flagged for _, flagged, sev in frames if sev <= 5.0)  # nothing on the neutral back


def test_leaving_position_or_pausing_forgets_the_neutral() -> None:
    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_heavy_older__rl"
    checker, _ = _run("hamstring_stretch", clip, own_neutral=True)
    assert checker.own_neutral("lumbar_rounding") is not None
    checker.pause(10.0)
    assert checker.own_neutral("lumbar_rounding") is None
    assert checker.own_neutral("no_such_check") is None


@functools.cache
def _fixed_only_traces(name: str) -> list[ClipTrace]:
    """A committed set's lumbar clips run on the fixed levels only (traced once per test run)."""
    return trace(ROOT / "samples" / name, shipped=False)


def test_the_studies_learn_and_settle_the_neutral_as_the_checker_does() -> None:
    """The studies learn beside the fixed levels alone (StudyNeutral); the neutral they settle on
    must be the checker's, which skips the frames its own-neutral level flags or holds pending."""
    shipped = {tr.clip: tr for tr in trace(SESSIONS, shipped=True)}
    beside = {tr.clip: tr for tr in _fixed_only_traces("sessions")}
    assert shipped.keys() == beside.keys() and len(shipped) == 21
    gaps = [abs(a - b) for clip, tr in shipped.items()
            for a, b in zip(tr.neutral, beside[clip].neutral, strict=True)
            if not (math.isnan(a) or math.isnan(b))]
    assert len(gaps) > 500 and max(gaps) < 0.1  # (a frame's difference in when the latch is read)


def test_the_studies_learn_afresh_when_the_person_comes_back_as_the_checker_does(tmp_path: Path) -> None:
    """A person gone for half a second after the neutral was learned: the checker forgets its
    neutral, and so must the one the studies learn beside the fixed levels (StudyNeutral)."""
    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"
    frames = list(RecordingSource(SESSIONS / f"{clip}.landmarks.npz"))
    gone = [i for i, f in enumerate(frames) if 1.6 <= f.timestamp < 2.1]
    assert len(gone) >= 7
    for i in gone:
        frames[i] = PoseFrame(frames[i].timestamp, frames[i].width, frames[i].height, None)
    write_recording(tmp_path / f"{clip}.landmarks.npz", frames, {"source": "test: person gone"})
    shutil.copy(SESSIONS / f"{clip}.labels.json", tmp_path)

    (shipped,) = trace(tmp_path, shipped=True)
    (beside,) = trace(tmp_path, shipped=False)
    assert shipped.t == beside.t
    gap_end = frames[gone[-1]].timestamp
    before = [n for t, n in zip(shipped.t, shipped.neutral, strict=True) if t < 1.6]
    after = [n for t, n in zip(shipped.t, shipped.neutral, strict=True) if t > gap_end]
    assert not math.isnan(before[-1])  # learned before the person left...
    assert after and math.isnan(after[0])  # ...and forgotten on their return
    for a, b in zip(shipped.neutral, beside.neutral, strict=True):
        assert math.isnan(a) == math.isnan(b)
        assert math.isnan(a) or abs(a - b) < 0.1


def test_the_fixed_levels_clear_every_committed_clips_flat_back() -> None:
    """The fixed lumbar levels sit MARGIN_DEG past the flattest clip's settled flat back (derived over 47
    bodies, docs/measurements/fixed_levels.md): the committed sets' clips must all clear them."""
    every = [tr for name in ("synth", "heldout", "sessions") for tr in _fixed_only_traces(name)]
    catalogue = load_catalogue()
    rows = clearing_level_table(every).splitlines()[2:]
    assert len(rows) == len(STUDIED)
    for row in rows:
        pose_id, clips, _, _, needed = (cell.strip() for cell in row.strip("|").split("|"))
        check = catalogue[pose_id].check(STUDIED[pose_id][0])
        flag = check.enter
        assert int(clips) >= 10
        assert (flag >= float(needed) - 0.05) if check.rising else (flag <= float(needed) + 0.05), row


def _measured_ranges() -> dict[str, tuple[float, float]]:
    """The neutral ranges derived in the kept measurement (docs/measurements/own_neutral.md: curated
    clips plus the sessions and drawn-bodies sets, 47 bodies; most of them are not committed)."""
    text = (ROOT / "docs" / "measurements" / "own_neutral.md").read_text(encoding="utf-8")
    table = text.split("## Levels derived on ", 1)[1].split("\n## ", 1)[0]
    out: dict[str, tuple[float, float]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[0] in STUDIED:
            low, high = cells[5].split(" / ")[0].strip("[]").split(", ")
            out[cells[0]] = (float(low), float(high))
    return out


def test_the_pose_files_levels_are_the_ones_measured() -> None:
    """Flag and clear levels as derived on the curated clips; the neutral's range as the kept
    measurement derived it over more bodies, or as the committed clips alone give it where that is
    wider (the seated glute's sacrum_back_bend: -34.83 against -34.68)."""
    curated = derive(_fixed_only_traces("synth"))
    committed = derive([tr for name in ("synth", "sessions") for tr in _fixed_only_traces(name)])
    measured = _measured_ranges()
    catalogue = load_catalogue()
    assert set(curated) == set(committed) == set(measured) == set(STUDIED)
    for pose_id, d in curated.items():
        check = catalogue[pose_id].check(STUDIED[pose_id][0])
        spec = check.from_own_neutral
        assert spec is not None, pose_id
        assert d["learned"] >= 5  # the measurement rests on clips where a neutral was learned
        assert spec.flag_past == d["flag_past"] and spec.clear_within == d["clear_within"]
        assert spec.flag_past == committed[pose_id]["flag_past"]
        # the wider of the kept measurement's bound and the committed clips' own, rounded outwards
        low, high = neutral_range_from(pose_id, committed[pose_id])
        if check.rising:  # bounded only away from the mistake
            bound = min(measured[pose_id][0], low)
            assert math.isinf(spec.neutral_range[1]) and bound - 0.1 <= spec.neutral_range[0] <= bound + 0.05
        else:
            bound = max(measured[pose_id][1], high)
            assert math.isinf(spec.neutral_range[0]) and bound - 0.05 <= spec.neutral_range[1] <= bound + 0.1


def test_the_person_is_told_to_hold_still_while_their_back_is_learned() -> None:
    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"
    labels = load_labels(SESSIONS / f"{clip}.labels.json")
    checker = PoseChecker(load_catalogue()["hamstring_stretch"], side=labels.side)  # type: ignore[arg-type]
    frames = RecordingSource(SESSIONS / f"{clip}.landmarks.npz")
    said = [(v.timestamp, v.status, v.message) for v in map(checker.update, frames)]
    (learned,) = [e.timestamp for e in checker.events if e.kind == "neutral_learned"]
    good = [(t, m) for t, status, m in said if status == "good"]
    assert good and all(m == LEARNING_NEUTRAL for t, m in good if t < learned)
    assert any(t < learned for t, _ in good)
    assert all(m.startswith("Good form, hold it") for t, m in good if t >= learned)


def test_a_body_reading_past_the_level_the_others_give_is_shown() -> None:
    """The fixed levels' rule with each body left out: a body whose correct back reads flatter than
    every other body's is past the level the others give; the others are not."""
    from tools.own_neutral_study import ClipTrace, new_body_table

    def clip(body: str, values: list[float]) -> ClipTrace:
        n = len(values)
        return ClipTrace(f"c_{body}", "hamstring_stretch", body, False, [i / 15 for i in range(n)],
                         [0.0] * n, [0.0] * n, values, [math.nan] * n, [False] * n)

    shipped = load_catalogue()["hamstring_stretch"].check("lumbar_rounding").flag_above
    assert shipped is not None and shipped < 0.0
    traces = [clip("a", [-30.0] * 20), clip("b", [-28.0] * 20), clip("flat", [shipped + 1.0] * 20),
              clip("c", [-20.0] * 20)]
    lines = new_body_table(traces).splitlines()[2:]
    rows = {line.split(" | ")[1]: line for line in lines}
    # flat: past the level the others give (c's -20 + 1.5 = -18.5) and past the shipped level too;
    # a, b and c read under both (the level from the others includes flat's reading)
    assert rows["flat"].endswith(f"| -18.5 | {shipped + 1:+.1f} / {shipped + 1:+.1f} | 100% | 100% |")
    assert set(rows) == {"flat", "the other 3 of 4 bodies"}  # the others cross neither: counted
    assert rows["the other 3 of 4 bodies"].endswith(f"| 0% | 0% (level {shipped:+g}) |")


def test_a_flag_that_outlasts_a_mistake_by_under_a_second_is_lag_not_a_false_alarm() -> None:
    from tools.own_neutral_study import SETTLED_S, ClipTrace, _flat_flags

    t = [i / 15 for i in range(60)]
    truth = [20.0 if 1.0 <= x < 2.0 else 0.0 for x in t]  # a 1 s mistake in a flat-backed clip
    flagged = [1.0 <= x < 2.4 or x >= 3.5 for x in t]  # lags 0.4 s behind it, then a real false alarm
    tr = ClipTrace("c", "hamstring_stretch", "b", False, t, truth, truth, [0.0] * 60, [0.0] * 60,
                   [math.nan] * 60, flagged)
    flat = _flat_flags(tr)
    settled = [x for x, a in zip(t, truth, strict=True)
               if all(abs(b) <= 5 for y, b in zip(t, truth, strict=True) if x - SETTLED_S <= y <= x)]
    assert len(flat) == len(settled)  # before the mistake, and from 1 s after it ended
    assert sum(flat) == sum(x >= 3.5 for x in t)  # the lag is not counted; the later flags are


def test_the_level_that_clears_every_clip_sits_past_the_flattest_one() -> None:
    from tools.own_neutral_study import ClipTrace, clearing_level_table

    def clip(body: str, value: float) -> ClipTrace:
        n = 30
        return ClipTrace(f"c_{body}", "hamstring_stretch", body, False, [i / 15 for i in range(n)],
                         [0.0] * n, [0.0] * n, [value] * n, [math.nan] * n, [math.nan] * n, [False] * n)

    shipped = load_catalogue()["hamstring_stretch"].check("lumbar_rounding").flag_above
    assert shipped is not None
    flat = shipped + 1.0
    (row,) = clearing_level_table([clip("a", -30.0), clip("b", -20.0), clip("flat", flat)]).splitlines()[2:]
    # 3 clips; the shipped level is crossed by the flat one only; 1.5 deg past it clears all
    assert row == f"| hamstring_stretch | 3 | {shipped:+g} | flat ({flat:+.1f}) | {flat + 1.5:+.1f} |"


def test_the_what_if_tool_moves_only_the_named_checks_levels(tmp_path: Path) -> None:
    import shutil

    from posecheck.poses.loader import load_pose
    from tools.level_what_if import moved_copy

    shutil.copytree(ROOT / "poses", tmp_path / "poses")
    moved_copy(tmp_path / "poses", {"hamstring_stretch/lumbar_rounding": (-3.0, -5.0)})
    before, after = load_pose(ROOT / "poses" / "hamstring_stretch.yaml"), load_pose(
        tmp_path / "poses" / "hamstring_stretch.yaml")
    moved = after.check("lumbar_rounding")
    assert (moved.flag_above, moved.clear_below) == (-3.0, -5.0)
    assert moved.from_own_neutral == before.check("lumbar_rounding").from_own_neutral
    assert [c for c in after.checks if c.id != "lumbar_rounding"] == [
        c for c in before.checks if c.id != "lumbar_rounding"]


def test_the_timeline_carries_the_level_against_the_persons_own_neutral() -> None:
    """The recorded-video chart draws where the check flags against the learned neutral: nothing before
    it is learned, then the neutral plus the pose file's flag_past, on the feature it is learned on
    (moving while the neutral settles)."""
    from posecheck.sinks.timeline import key_measures, own_level_rows

    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"
    pose = load_catalogue()["hamstring_stretch"]
    labels = load_labels(SESSIONS / f"{clip}.labels.json")
    checker = PoseChecker(pose, side=labels.side)  # type: ignore[arg-type]
    verdicts = [checker.update(f) for f in RecordingSource(SESSIONS / f"{clip}.landmarks.npz")]
    (learned,) = [e.timestamp for e in checker.events if e.kind == "neutral_learned"]
    check = pose.check("lumbar_rounding")
    spec = check.from_own_neutral
    neutral = checker.own_neutral("lumbar_rounding")
    assert spec is not None and neutral is not None and check.neutral_feature is not None
    # the check's own feature with its fixed level, then the feature the neutral is learned on
    fixed, rounding = (s for s in key_measures(verdicts, pose) if s.check_id == "lumbar_rounding")
    assert fixed.label.endswith(check.feature) and fixed.flag_level == check.enter and not fixed.own_levels
    assert rounding.label.endswith(check.neutral_feature) and math.isnan(rounding.flag_level)
    rows = own_level_rows(rounding)
    assert rows and min(r["time_s"] for r in rows) >= learned - 1e-3  # times are kept to the ms
    # it moves while the neutral settles, within steady_within of where it started; the last is
    # the neutral the checker ended on
    first = rows[0]["own_level"]
    assert all(abs(r["own_level"] - first) <= spec.steady_within + 0.01 for r in rows)
    assert rows[-1]["own_level"] == round(neutral + spec.flag_past, 2)


def test_the_lumbar_checks_take_a_flagged_back_as_the_neutral_when_the_cue_would_be_said_again() -> None:
    """adopt_after_s is not a measured level but the coach's patience: the cue is said once and not
    again for repeat_after_s, so that is how long a flag on a back that never clears is kept."""
    from posecheck.live.cues import CuePicker

    catalogue = load_catalogue()
    for pose_id, (check_id, *_) in STUDIED.items():
        spec = catalogue[pose_id].check(check_id).from_own_neutral
        assert spec is not None and spec.adopt_after_s == CuePicker().repeat_after_s
