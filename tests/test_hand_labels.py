"""Hand-written labels for real footage (`posecheck-labels/hand-1`): read, checked, and scored by regress
exactly as the generator's labels of the same clip are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from posecheck import regress
from posecheck.errors import UnreadableInput
from posecheck.labels import HAND_FORMAT, HAND_MISTAKE_DEG, HAND_STEP_S, is_hand, load_labels
from posecheck.poses import load_catalogue

SYNTH = Path(__file__).resolve().parents[1] / "samples" / "synth"
FLAT = "hamstring_stretch__correct_2__rl"
RAMP = "hamstring_stretch__lumbar_rounding_35deg_ramp__rr"
SESSIONS = SYNTH.parent / "sessions"
# a neutral start, then rounding 30 deg that is held to the clip's end (4.3 s)
SESSION = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"


def _write(folder: Path, name: str, labels: dict) -> Path:
    path = folder / f"{name}.labels.json"
    path.write_text(json.dumps({"format": HAND_FORMAT, **labels}))
    return path


def _hand_from_generated(folder: Path, name: str) -> Path:
    """Hand labels saying what the generator's labels of a sample clip say, in the hand format's
    terms (spans of time, the view's kind), with the clip's recording beside them."""
    truth = json.loads((SYNTH / f"{name}.labels.json").read_text())
    shutil.copy(SYNTH / f"{name}.landmarks.npz", folder / f"{name}.landmarks.npz")
    mistakes = [{"check": m["check"], "start_s": m["start_s"], "end_s": m["end_s"],
                 "severity_deg": m["severity_deg"]} for m in truth["mistakes"]]
    return _write(folder, name, {"pose": truth["pose"], "side": truth["side"], "view": truth["view"]["kind"],
                                 "duration_s": truth["clip"]["duration_s"], "mistakes": mistakes,
                                 "in_position": [[p["start_s"], p["end_s"]] for p in truth["in_position"]]})


def test_spans_are_laid_on_a_grid_and_the_view_sets_the_yaw(tmp_path: Path) -> None:
    labels = load_labels(_write(tmp_path, "x", {
        "pose": "hamstring_stretch", "view": "front", "side": "left", "duration_s": 4.0,
        "mistakes": [{"check": "lumbar_rounding", "start_s": 1.0, "end_s": 2.0, "severity_deg": 20},
                     {"check": "lumbar_rounding", "start_s": 3.0, "end_s": 3.5}]}))
    assert is_hand(labels) and labels.pose == "hamstring_stretch" and labels.side == "left"
    assert labels.yaw_deg >= 45.0 and labels.view_kind == "front"  # regress scores front-view checks
    assert labels.frame_times[0] == 0.0 and labels.frame_times[-1] == pytest.approx(4.0, abs=HAND_STEP_S)
    at = {round(t, 3): sev.get("lumbar_rounding", 0.0)
          for t, sev in zip(labels.frame_times, labels.frame_severity, strict=True)}
    assert at[0.0] == 0.0 and at[round(15 * HAND_STEP_S, 3)] == 20.0  # 1.0 s
    assert at[round(33 * HAND_STEP_S, 3)] == 0.0  # 2.2 s
    assert at[round(48 * HAND_STEP_S, 3)] == HAND_MISTAKE_DEG  # 3.2 s: no size given, a clear one
    assert labels.in_position_s is None and labels.video is None


def test_a_short_span_marks_its_nearest_point_and_overlaps_keep_the_larger(tmp_path: Path) -> None:
    labels = load_labels(_write(tmp_path, "x", {
        "pose": "hamstring_stretch", "duration_s": 2.0,
        "mistakes": [{"check": "lumbar_rounding", "start_s": 1.01, "end_s": 1.05},  # between two points
                     {"check": "lumbar_rounding", "start_s": 0.2, "end_s": 0.6, "severity_deg": 30},
                     {"check": "lumbar_rounding", "start_s": 0.4, "end_s": 0.8, "severity_deg": 10}]}))
    marked = {round(t, 3): sev["lumbar_rounding"]
              for t, sev in zip(labels.frame_times, labels.frame_severity, strict=True) if sev}
    assert marked[round(1.0, 3)] == HAND_MISTAKE_DEG  # 1.0 s is the nearest point to 1.03 s
    assert round(16 * HAND_STEP_S, 3) not in marked  # 1.067 s is not
    assert marked[round(6 * HAND_STEP_S, 3)] == 30.0 and marked[round(9 * HAND_STEP_S, 3)] == 30.0  # 0.4, 0.6
    assert marked[round(12 * HAND_STEP_S, 3)] == 10.0  # 0.8 s: the second span alone
    assert labels.frame_times[-1] == pytest.approx(2.0)  # the grid reaches the clip's end


def test_the_length_is_read_from_the_video_beside_the_labels(tmp_path: Path) -> None:
    shutil.copy(SYNTH / f"{FLAT}.mp4", tmp_path / "mine.mov")
    labels = load_labels(_write(tmp_path, "mine", {"pose": "hamstring_stretch"}))
    truth = json.loads((SYNTH / f"{FLAT}.labels.json").read_text())["clip"]["duration_s"]
    assert labels.video == tmp_path / "mine.mov" and labels.view_kind == "side"
    assert labels.frame_times[-1] == pytest.approx(truth, abs=0.1)
    named = load_labels(_write(tmp_path, "other", {"pose": "hamstring_stretch", "video": "mine.mov"}))
    assert named.video == tmp_path / "mine.mov"
    shutil.copy(SYNTH / f"{FLAT}.mp4", tmp_path / "phone.MOV")  # a phone's capitals
    phone = load_labels(_write(tmp_path, "phone", {"pose": "hamstring_stretch"}))
    assert phone.video == tmp_path / "phone.MOV"


@pytest.mark.parametrize(("labels", "said"), [
    ({"view": "side"}, '"pose" must name a stretch'),
    ({"pose": "hamstring_stretch", "view": "above", "duration_s": 3}, '"view" must be "side" or "front"'),
    ({"pose": "hamstring_stretch", "side": "both", "duration_s": 3}, '"side" must be "left" or "right"'),
    ({"pose": "hamstring_stretch"}, 'give "duration_s", or put the video beside the labels'),
    ({"pose": "hamstring_stretch", "video": "gone.mp4"}, "which is not there"),
    ({"pose": "hamstring_stretch", "duration_s": -2}, '"duration_s" must be'),
    ({"pose": "hamstring_stretch", "duration_s": 3, "mistakes": [{"check": "lumbar_rounding"}]},
     'each mistake needs "check", "start_s" and "end_s"'),
    ({"pose": "hamstring_stretch", "duration_s": 3, "mistakes": ["lumbar_rounding"]},
     'each mistake needs "check", "start_s" and "end_s"'),
    ({"pose": "hamstring_stretch", "duration_s": 3,
      "mistakes": [{"check": "lumbar_rounding", "start_s": 2, "end_s": 1}]},
     "start_s must come before end_s"),
    ({"pose": "hamstring_stretch", "duration_s": 3, "in_position": [[0]]}, '"in_position" must be a list'),
    ({"pose": "hamstring_stretch", "duration_s": 3, "in_position": [[2, 1]]}, "each start before its end"),
    ({"pose": "hamstring_stretch", "duration_s": 3, "mistakes": None}, '"mistakes" must be a list'),
    ({"pose": "hamstring_stretch", "duration_s": True}, '"duration_s" must be'),
    ({"pose": "hamstring_stretch", "duration_s": 3, "compensated": "false"},
     '"compensated" must be true or false'),
    ({"pose": "hamstring_stretch", "video": None}, '"video" must be the video'),
    ({"pose": "hamstring_stretch", "duration_s": 3,
      "mistakes": [{"check": "lumbar_rounding", "start_s": 1, "end_s": 2, "severity_deg": float("nan")}]},
     "start_s, end_s and severity_deg numbers"),
    ({"pose": "hamstring_stretch", "duration_s": 3,
      "mistakes": [{"check": "lumbar_rounding", "start_s": 2, "end_s": 5}]}, "both within the clip's 3.0 s"),
])
def test_a_malformed_hand_label_says_what_to_fix(tmp_path: Path, labels: dict, said: str) -> None:
    with pytest.raises(UnreadableInput, match=r"docs/own-footage\.md") as raised:
        load_labels(_write(tmp_path, "bad", labels))
    assert said in str(raised.value) and "bad.labels.json" in str(raised.value)


def test_a_label_file_that_is_not_an_object_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "list.labels.json"
    path.write_text("[1, 2]")
    with pytest.raises(UnreadableInput, match="holds one JSON object, not a list"):
        load_labels(path)


def test_an_unreadable_video_is_said_plainly(tmp_path: Path) -> None:
    (tmp_path / "broken.mp4").write_bytes(b"not a video at all")
    with pytest.raises(UnreadableInput, match=r"broken\.mp4 cannot be read as a video"):
        load_labels(_write(tmp_path, "broken", {"pose": "hamstring_stretch"}))


def test_regress_scores_hand_labels_as_it_scores_the_generators(tmp_path: Path) -> None:
    hand, made = tmp_path / "hand", tmp_path / "made"
    hand.mkdir()
    made.mkdir()
    for name in (FLAT, RAMP):
        _hand_from_generated(hand, name)
        for suffix in (".labels.json", ".landmarks.npz"):
            shutil.copy(SYNTH / f"{name}{suffix}", made / f"{name}{suffix}")
    by_hand = {o.clip: o for o in regress.run(hand)}
    generated = {o.clip: o for o in regress.run(made)}
    assert set(by_hand) == set(generated) and not any(o.error for o in by_hand.values())
    for clip, outcome in by_hand.items():
        truth = generated[clip]
        assert [(c.check, c.expected, c.flagged) for c in outcome.checks] == \
               [(c.check, c.expected, c.flagged) for c in truth.checks]
        assert outcome.side_found == truth.side_found and outcome.hold_expected_s == truth.hold_expected_s
        # onsets differ: a hand span starts at its full size, the generator's ramp passes 15 deg later
        for mine, theirs in zip(outcome.checks, truth.checks, strict=True):
            assert mine.false_alarm_s == pytest.approx(theirs.false_alarm_s, abs=0.15)
    # and between them, the flat back stays silent and the rounding is caught
    assert [(c.expected, c.flagged) for c in by_hand[FLAT].checks if c.check == "lumbar_rounding"] == \
           [("silent", False)]
    assert [(c.expected, c.flagged) for c in by_hand[RAMP].checks if c.check == "lumbar_rounding"] == \
           [("flag", True)]


def test_a_misspelt_check_is_an_error_not_a_correct_clip(tmp_path: Path) -> None:
    shutil.copy(SYNTH / f"{FLAT}.landmarks.npz", tmp_path / f"{FLAT}.landmarks.npz")
    _write(tmp_path, FLAT, {"pose": "hamstring_stretch", "duration_s": 2.4,
                            "mistakes": [{"check": "lumbar_roundng", "start_s": 0, "end_s": 1}]})
    [outcome] = regress.run(tmp_path)
    assert "has no check 'lumbar_roundng'" in outcome.error and "lumbar_rounding" in outcome.error
    assert not outcome.checks


def test_the_report_names_each_clip_judged_wrong(tmp_path: Path) -> None:
    """A flat back hand-labelled as rounded throughout: regress misses it, and says which clip."""
    shutil.copy(SYNTH / f"{FLAT}.landmarks.npz", tmp_path / f"{FLAT}.landmarks.npz")
    _write(tmp_path, FLAT, {"pose": "hamstring_stretch", "duration_s": 2.4,
                            "mistakes": [{"check": "lumbar_rounding", "start_s": 0, "end_s": 2.4}]})
    outcomes = regress.run(tmp_path)
    table = regress.markdown(outcomes, regress.metrics(outcomes))
    assert f"| {FLAT} | lumbar_rounding | mistake | silent | 0.0 |" in table.splitlines()
    right = tmp_path / "right"
    right.mkdir()
    _hand_from_generated(right, FLAT)
    outcomes = regress.run(right)
    assert "Clips judged wrong" not in regress.markdown(outcomes, regress.metrics(outcomes))


def test_a_flag_between_two_marked_spans_is_a_false_alarm(tmp_path: Path) -> None:
    """Form was right between the spans: a flag there is not a catch of either."""
    shutil.copy(SESSIONS / f"{SESSION}.landmarks.npz", tmp_path / f"{SESSION}.landmarks.npz")
    spans = [(0.0, 0.1), (4.2, 4.3)]
    labels = load_labels(_write(tmp_path, SESSION, {
        "pose": "hamstring_stretch", "duration_s": 4.3,
        "mistakes": [{"check": "lumbar_rounding", "start_s": a, "end_s": b} for a, b in spans]}))
    flagged: list[float] = []
    outcome = regress.run_clip(labels, load_catalogue()["hamstring_stretch"], watch=lambda frame, v: (
        flagged.append(frame.timestamp) if "lumbar_rounding" in v.active_mistakes else None))
    [check] = [c for c in outcome.checks if c.check == "lumbar_rounding"]
    step = 1.0 / 15.0  # the recording's frame interval
    # the windows: each span's grid points (the recording starts at 0 s), widened by the tolerance
    first_ends = max(t for t in labels.frame_times if t <= spans[0][1]) + regress.TOLERANCE_S
    last_starts = min(t for t in labels.frame_times if t >= spans[1][0]) - regress.TOLERANCE_S
    between = [t for t in flagged if first_ends < t < last_starts]
    assert between, "the rounding is flagged before its last span: the case this test is about"
    assert check.expected == "flag" and check.flagged
    assert check.false_alarm_s == pytest.approx(len(between) * step, abs=1e-6)


def test_hand_labels_run_from_the_video_itself(tmp_path: Path) -> None:
    """The CLI's default: the pose model run on the video the labels name (here, a copy with a
    phone's suffix), not a recording."""
    shutil.copy(SYNTH / f"{RAMP}.mp4", tmp_path / "rounding.MOV")
    _write(tmp_path, "rounding", {"pose": "hamstring_stretch", "side": "right",
                                  "mistakes": [{"check": "lumbar_rounding", "start_s": 2.0, "end_s": 3.0,
                                                "severity_deg": 35}]})
    [outcome] = regress.run(tmp_path, from_landmarks=False)
    assert not outcome.error and outcome.side_found == "right"
    rounding = [(c.expected, c.flagged) for c in outcome.checks if c.check == "lumbar_rounding"]
    assert rounding == [("flag", True)]
