"""Recognition: the shipped model names the stretch on clips it was not trained on, follows a
switch from one stretch to another, names nothing for a body that matches no stretch, and a
broken model file is reported in plain words."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from builders import frames, regular_times, standing

from posecheck.analysis import analyze
from posecheck.frames import PoseFrame
from posecheck.poses import load_catalogue
from posecheck.recognition import Recognizer, load_model
from posecheck.recognition.model import RecognitionDataError
from posecheck.sources.recording import RecordingSource

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "samples" / "heldout"
FRESH = ROOT / "samples" / "recognition"  # rendered after the model was settled, scored once
sys.path.insert(0, str(ROOT / "tools"))

from recognition_eval import score_clip  # noqa: E402

MODEL = load_model()
GOAL = 0.90  # issue 6: at least 90% of in-position time named right, on clips not trained on


def _recording(name: str) -> list[PoseFrame]:
    return list(RecordingSource(HELDOUT / f"{name}.landmarks.npz"))


def test_every_stretch_in_the_model_is_in_the_catalogue() -> None:
    assert set(MODEL.poses) <= set(load_catalogue())


# Side-on these two differ only by the knee's pull across the body, along the camera's line of
# sight: per stretch they are scored together here (docs/recognition.md).
LOOKALIKES = ({"knee_to_chest", "knee_to_opposite_shoulder"},)


def _score(folder: Path) -> tuple[float, float, dict[str, list[float]]]:
    right = total = 0.0
    per_pose: dict[str, list[float]] = {}
    for path in sorted(folder.glob("*.labels.json")):
        got = score_clip(path, MODEL)
        if got is None:
            continue
        pose, r, t, named = got
        right, total = right + r, total + t
        group = next((g for g in LOOKALIKES if pose in g), {pose})
        acc = per_pose.setdefault(pose, [0.0, 0.0])
        acc[0] += sum(v for k, v in named.items() if k in group)
        acc[1] += t
    return right, total, per_pose


def test_fresh_clips_of_every_stretch_are_named_right() -> None:
    # one clip per stretch and variant, and a clip of each rep movement, on bodies, skins and
    # cameras drawn with a seed nothing was tuned on (docs/recognition.md)
    right, total, per_pose = _score(FRESH)
    assert set(per_pose) == set(MODEL.poses) and total > 80.0
    assert right / total >= GOAL


def test_held_out_clips_are_named_right_most_of_the_time() -> None:
    right, total, per_pose = _score(HELDOUT)
    assert total > 60.0  # dozens of clips
    assert right / total >= GOAL
    trained = set(MODEL.poses)
    for pose, (r, t) in per_pose.items():
        if pose in trained:
            assert r / t >= 0.75, f"{pose}: {r / t:.0%}"


def test_a_switch_between_stretches_is_followed() -> None:
    first = _recording("knee_to_chest__correct_1__rr")
    second = _recording("hamstring_stretch__correct_1__rr")
    joint = first[-1].timestamp + 1 / 15
    second = [PoseFrame(f.timestamp + joint, f.width, f.height, f.landmarks, f.mask, f.extra_people)
              for f in second]
    rec = Recognizer(MODEL)
    named = [rec.update(f) for f in first + second]
    assert [s.pose for s in rec.segments] == ["knee_to_chest", "hamstring_stretch"]
    assert abs(rec.segments[1].start_s - joint) <= 1.5  # the 0.5 s score average, then a 1 s lead
    assert named[-1] == "hamstring_stretch"


def test_a_body_matching_no_stretch_is_not_named() -> None:
    # a handstand: the standing figure turned upside down
    up = standing()
    flipped = up.moved(**{n: (x, 1000.0 - y) for n, (x, y) in up.points.items()})
    rec = Recognizer(MODEL)
    for f in frames(regular_times(0.0, 3.0, 15.0), lambda t: flipped):
        rec.update(f)
    assert rec.current is None and rec.segments == []


def test_nobody_in_view_names_nothing() -> None:
    rec = Recognizer(MODEL)
    for f in frames(regular_times(0.0, 2.0, 15.0), lambda t: None):
        assert rec.update(f) is None


def test_auto_analysis_reports_what_was_recognised_and_coaches_it(tmp_path: Path) -> None:
    out = tmp_path / "auto.json"
    from posecheck.analysis import Outputs

    # a neutral start, then a rounding held to the clip's end (the recogniser never saw this set)
    clip = ROOT / "samples" / "sessions" / "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"
    result = analyze(clip.with_suffix(".landmarks.npz"), None,
                     outputs=Outputs(json=out, csv=tmp_path / "auto.csv"))
    report = json.loads(out.read_text())
    assert report["pose"]["id"] == "auto"
    assert [s["pose"] for s in report["recognised"]] == ["hamstring_stretch"]
    coached = report["stretches"]["hamstring_stretch"]
    assert [m["check"] for m in coached["mistakes"]] == ["lumbar_rounding"]
    assert result.report == report
    rows = (tmp_path / "auto.csv").read_text().splitlines()
    assert rows[0].startswith("time_s,stretch,status") and ",hamstring_stretch," in rows[-1]


@pytest.mark.parametrize(("edit", "message"), [
    (lambda m: m.update(features=m["features"][:-1]), "trained on other features"),
    (lambda m: m["classes"][0].update(mean=[0.0]), "classes[0]: mean and std need"),
    (lambda m: m.update(format="something/2"), "format"),
])
def test_a_broken_model_file_is_reported_with_its_field(tmp_path: Path, edit: object, message: str) -> None:
    data = json.loads((ROOT / "posecheck" / "recognition" / "model.json").read_text())
    edit(data)  # type: ignore[operator]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RecognitionDataError) as err:
        load_model(path)
    assert str(path) in err.value.message and message in err.value.message


def test_feature_vectors_are_finite_where_seen() -> None:
    from posecheck.recognition.vector import NAMES, FrameVector

    vec = FrameVector()
    x = vec(_recording("knee_to_chest__correct_1__rr")[10])
    assert x is not None and len(x) == len(NAMES)
    assert sum(math.isfinite(v) for v in x) >= len(NAMES) - 4


def test_routines_are_listed_with_their_targets(capsys: pytest.CaptureFixture[str]) -> None:
    from posecheck.cli import main

    assert main(["routines"]) == 0
    out = capsys.readouterr().out
    assert "mid_back_routine: Lower, mid and upper back stretches" in out
    assert "  3. Cat-cow: 5 full-range reps" in out and "  5. Shoulder rolls: 30 s of circles each way" in out
    assert "  4. Passive backbend: 180 s hold" in out and "  2. Knee to chest: 60 s hold each side" in out


def test_a_recorded_routine_session_is_judged_against_the_routines_targets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from posecheck.cli import main

    out_json = tmp_path / "r.json"
    clip = HELDOUT / "cat_cow__reps_full__lr.landmarks.npz"  # 3 full cat-cows
    assert main(["analyze", str(clip), "--routine", "upper_back_routine", "-q", "--json", str(out_json)]) == 0
    report = json.loads(out_json.read_text())
    assert [s["pose"] for s in report["recognised"]] == ["cat_cow"]
    reps = report["stretches"]["cat_cow"]["reps"]
    assert (reps["counted"], reps["target"], reps["complete"]) == (3, 10, False)  # the routine asks 10
    assert "Reps: 3 of 10 counted (not reached)" in capsys.readouterr().out


def test_analyze_needs_a_stretch_or_a_routine(capsys: pytest.CaptureFixture[str]) -> None:
    from posecheck.cli import main

    clip = str(HELDOUT / "cat_cow__reps_full__lr.landmarks.npz")
    assert main(["analyze", clip, "-q"]) == 2
    assert main(["analyze", clip, "--pose", "cat_cow", "--routine", "upper_back_routine", "-q"]) == 2
    assert "not both and not neither" in capsys.readouterr().err
    assert main(["analyze", clip, "--routine", "no_such_routine", "-q"]) == 4


def test_a_model_restricted_to_some_stretches_only_names_them() -> None:
    only = MODEL.only({"knee_to_chest", "hamstring_stretch"})
    assert set(only.poses) == {"knee_to_chest", "hamstring_stretch"}
    with pytest.raises(RecognitionDataError, match="knows none of these"):
        MODEL.only({"cartwheel"})
