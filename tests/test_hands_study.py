"""tools/hands_study.py: each clip runs with the guard off and as shipped, the starter clips are
found, and the tables count what they say."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.features import skeleton  # noqa: E402
from posecheck.labels import load_labels  # noqa: E402
from tools import hands_study as study  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"
ROUNDING = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr.labels.json"


def test_a_clip_with_the_hands_in_front_is_judged_the_same_either_way() -> None:
    """The sessions clip's hands reach for the shin: the guard never turns, the rounding is caught
    both ways, and the guard's level is back as shipped afterwards."""
    labels = load_labels(SESSIONS / ROUNDING)
    off, on = (study._run(("sessions", labels, g)) for g in study.GUARDS)
    assert skeleton.ARM_BEHIND_BACK == study.SHIPPED_LEVEL
    assert (off.guard, on.guard) == ("without the guard", "as shipped")
    for run in (off, on):
        assert run.expected == "flag" and run.flagged
        assert run.judged == run.in_position > 0 and run.arm_hint == 0
        assert len(run.depths) == run.in_position and max(run.depths) < 0.0  # hands in front of the trunk
    assert off.false_alarm_s == on.false_alarm_s


def test_a_level_below_every_arm_asks_to_move_the_hands_all_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same clip with a guard that turns on any arm: the check is unseen for the whole hold, the
    hint is the arm's, and nothing is flagged."""
    labels = load_labels(SESSIONS / ROUNDING)
    monkeypatch.setitem(study.GUARDS, "as shipped", -math.inf)
    run = study._run(("sessions", labels, "as shipped"))
    assert not run.flagged and run.judged == 0 and run.arm_hint == run.in_position > 0


def test_the_starter_clips_of_the_lumbar_stretches_are_found() -> None:
    found = {lab.path.name for lab in study.clips_in(ROOT / "samples" / "starter")}
    assert found == {"lunge_arch.labels.json", "fwdbend_lumbar.labels.json"}  # not the supine raise


def _run(folder: str, guard: str, expected: str, flagged: bool, judged: int, hint: int,
         depths: tuple[float, ...] = (), lost: int = 0) -> study.Run:
    return study.Run(folder, "hamstring_stretch", f"{folder}_{expected}", guard, expected, flagged,
                     3.0 if flagged else 0.0, judged, 10, hint, depths, lost)


def test_the_tables_count_flat_holds_mistakes_frames_and_depths() -> None:
    runs = [_run("hands", "without the guard", "silent", True, 10, 0, (0.3, 0.5)),
            _run("hands", "as shipped", "silent", False, 0, 10, (0.3, 0.5)),
            _run("hands", "without the guard", "flag", True, 10, 0),
            _run("hands", "as shipped", "flag", False, 4, 6, (0.1, 0.7), lost=5)]
    text = study.table(runs)
    assert "| hands | hamstring_stretch | without the guard | 1 of 1 (3.0 s) | 1 of 1 | 100% (20 of 20) | " \
           "0% (0 of 20) |" in text
    assert "| hands | hamstring_stretch | as shipped | 0 of 1 (0.0 s) | 0 of 1 | 20% (4 of 20) | " \
           "80% (16 of 20) |" in text
    depths = study.depth_table(runs)  # the shipped runs' depths: 0.1, 0.3, 0.5, 0.7
    assert "| hands | 4 | +0.100 / " in depths and " / +0.700 | 25% (5 of 20) |" in depths
    flagged = study.flagged_table(runs)
    assert flagged.splitlines()[2:] == ["| hands | hands_silent | 3.0 / silent |"]  # the flat hold only
    assert study.flagged_table([]) == "None."


def test_every_hands_setting_has_words_and_a_clip_names_its_own() -> None:
    from tools.synth.poses import HANDS, ONE_HAND

    assert set(study.HANDS_WORDS) == set(HANDS)
    assert {k: v[0].upper() for k, v in study.ONE_HAND_SIDE.items()} == ONE_HAND
    labels = load_labels(SESSIONS / ROUNDING)  # working the right side, its right side to the camera
    assert (labels.side, labels.camera_side) == ("right", "right")
    assert study.hands_of(labels) is None  # the sessions clips keep the stretch's own hands
    overrides = labels.raw["generator"]["params"]["spec"]["overrides"]
    overrides["hands"] = 2.0
    assert study.hands_of(labels) == "on the lower back"
    # the pose is mirrored for a right working side: setting 4 (the right hand of a left-working
    # body) moves the left hand here, the one away from the camera
    overrides["hands"] = 4.0
    assert study.hands_of(labels) == "one hand on the lower back, the far one"
    overrides["hands"] = 5.0
    assert study.hands_of(labels) == "one hand on the lower back, the near one"


def test_the_far_arm_is_lost_when_both_its_elbow_and_wrist_score_under_the_trust_level() -> None:
    from dataclasses import replace

    from posecheck.landmarks import INDEX
    from posecheck.sources.recording import RecordingSource

    rec = SESSIONS / ROUNDING.replace(".labels.json", ".landmarks.npz")
    frame = next(f for f in RecordingSource(rec) if f.landmarks is not None)
    vis = frame.landmarks.visibility.copy()
    vis[[INDEX["left_elbow"], INDEX["left_wrist"]]] = skeleton.MIN_VISIBILITY - 0.01
    vis[[INDEX["right_elbow"], INDEX["right_wrist"]]] = 0.9
    dim_left = replace(frame, landmarks=replace(frame.landmarks, visibility=vis))
    assert study.far_arm_lost(dim_left, "right")  # the left arm is the far one
    assert not study.far_arm_lost(dim_left, "left")
    vis = vis.copy()
    vis[INDEX["left_wrist"]] = skeleton.MIN_VISIBILITY
    assert not study.far_arm_lost(replace(frame, landmarks=replace(frame.landmarks, visibility=vis)), "right")
    assert not study.far_arm_lost(dim_left, None)
