"""Pose files: every committed one loads; bad ones fail with file, field and reason, and no traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from posecheck.cli import main
from posecheck.errors import PoseDefinitionError
from posecheck.features.catalogue import FEATURES, PLAIN_FEATURES, SIDED_FEATURES
from posecheck.poses import PoseDefinition, default_pose_dir, load_catalogue, load_pose, pose_by_id

POSE_DIR = Path(__file__).resolve().parents[1] / "poses"
POSE_FILES = sorted(POSE_DIR.glob("*.yaml"))

GOOD: dict[str, Any] = {
    "id": "test_stretch",
    "name": "Test stretch",
    "summary": "Heel on a step, lean forward with a long back.",
    "camera": {"views": ["side"], "placement": "Side on at hip height."},
    "sides": {"working_leg": "most_flexed_hip"},
    "hold": {"seconds": 30},
    "position": {
        "cue": "Heel on the step, knee straight.",
        "needs_in_view": ["shoulders", "hips", "knees", "feet"],
        "when": [{"feature": "hip_flexion", "limb": "working", "above": 45, "until_below": 35}],
    },
    "checks": [{
        "id": "lumbar_rounding", "title": "Rounded lower back", "feature": "hip_flexion", "limb": "working",
        "flag_above": 95, "clear_below": 88, "min_duration_s": 0.5, "cue": "Keep your back long.",
    }],
}


def write(tmp_path: Path, data: dict[str, Any] | None = None, text: str | None = None,
          name: str = "test_stretch.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text if text is not None else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def bad(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


# --------------------------------------------------------------------------------------------
def test_pose_folder_has_the_committed_poses() -> None:
    assert default_pose_dir().resolve() == POSE_DIR
    assert len(POSE_FILES) >= 9


@pytest.mark.parametrize("path", POSE_FILES, ids=[p.stem for p in POSE_FILES])
def test_every_committed_pose_file_loads(path: Path) -> None:
    pose = load_pose(path)
    assert pose.id == path.stem
    assert pose.hold.seconds > 0 and pose.camera.views
    for c in [*pose.checks, *pose.position.when]:
        assert c.feature in PLAIN_FEATURES + SIDED_FEATURES
        names = [c.feature] if c.limb is None else [f"left_{c.feature}", f"right_{c.feature}"]
        assert all(n in FEATURES for n in names)
        if c.limb is not None:
            assert pose.sides.working_leg != "none"
    for c in pose.checks:  # the hysteresis exit sits on the safe side of the flag level
        assert (c.exit <= c.enter) if c.rising else (c.exit >= c.enter)
    assert pose_by_id(pose.id) == pose


def test_catalogue_is_keyed_by_id() -> None:
    catalogue = load_catalogue()
    assert sorted(catalogue) == [p.stem for p in POSE_FILES]
    assert load_catalogue(POSE_DIR) == catalogue


def test_cli_checks_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["poses", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: OK (test_stretch: 1 checks, side view, hold 30 s)" in out


def test_cli_checks_every_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["poses", "--check", *map(str, POSE_FILES)]) == 0
    assert capsys.readouterr().out.count(": OK (") == len(POSE_FILES)


def test_cli_lists_the_poses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["poses"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == [p.stem for p in POSE_FILES]


# --------------------------------------------------------------------------------------------
# Bad files: (name, file contents or data, the field path and words the message must contain)
def _set(path: str, value: Any) -> Any:
    def change(d: dict[str, Any]) -> None:
        *keys, last = path.split(".")
        target: Any = d
        for k in keys:
            target = target[int(k)] if k.isdigit() else target[k]
        target[int(last) if last.isdigit() else last] = value
    return change


def _delete(path: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        *keys, last = path.split(".")
        target: Any = d
        for k in keys:
            target = target[int(k)] if k.isdigit() else target[k]
        del target[last]
    return change


BAD_CASES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("unknown_feature", bad(_set("checks.0.feature", "spine_curve")),
     ("checks[0].feature:", "unknown feature 'spine_curve'", "known features:", "trunk_lean")),
    ("sided_without_limb", bad(_delete("checks.0.limb")),
     ("checks[0].limb:", "'hip_flexion' is measured per leg", "limb: working")),
    ("limb_on_plain_feature", bad(_set("checks.0", {**GOOD["checks"][0], "feature": "trunk_lean"})),
     ("checks[0].limb:", "'trunk_lean' is not per leg", "remove `limb`")),
    ("clear_above_flag", bad(_set("checks.0.clear_below", 100)),
     ("checks[0].clear_below:", "100.0 must not exceed `flag_above` (95.0)")),
    ("missing_clear", bad(_delete("checks.0.clear_below")),
     ("checks[0].clear_below:", "`flag_above` needs `clear_below`")),
    ("flag_both_ways", bad(_set("checks.0.flag_below", 10)),
     ("checks[0].flag_above:", "exactly one of `flag_above` or `flag_below`")),
    ("duplicate_check_ids", bad(lambda d: d["checks"].append(copy.deepcopy(d["checks"][0]))),
     ("checks[1].id:", "'lumbar_rounding' is used twice", "ids must be unique")),
    ("extra_field", bad(_set("checks.0.colour", "red")),
     ("checks[0].colour:", "Extra inputs are not permitted")),
    ("extra_top_level_field", bad(_set("colour", "red")), ("colour:", "Extra inputs are not permitted")),
    ("wrong_type", bad(_set("checks.0.min_duration_s", "soon")),
     ("checks[0].min_duration_s:", "valid number")),
    ("out_of_range", bad(_set("checks.0.min_duration_s", -1)),
     ("checks[0].min_duration_s:", "greater than or equal to 0")),
    ("missing_required", bad(_delete("hold")), ("hold:", "Field required")),
    ("bad_check_id", bad(_set("checks.0.id", "Lumbar Rounding")), ("checks[0].id:", "pattern")),
    ("gate_exit_inverted", bad(_set("position.when.0.until_below", 50)),
     ("position.when[0].until_below:", "50.0 must not exceed `above` (45.0)")),
    ("limb_without_working_leg", bad(_set("sides.working_leg", "none")),
     ("checks use `limb:`", "sides.working_leg")),
    ("unknown_view", bad(_set("camera.views", ["top"])), ("camera.views[0]:", "'side' or 'front'")),
    ("yaml_syntax", "id: test_stretch\nname: [unclosed\nsummary: x\n",
     ("line 3, column 8", "not valid YAML")),
    ("yaml_bad_indent", "id: test_stretch\nname: Test\n  oops: here\n", ("line 3", "not valid YAML")),
    ("not_a_mapping", "- a\n- b\n", ("(top level)", "expected a mapping of fields, got list")),
    ("empty_file", "", ("(top level)", "expected a mapping")),
]


@pytest.mark.parametrize(("case", "content", "needles"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_pose_file_names_file_field_and_reason(tmp_path: Path, case: str, content: Any,
                                                  needles: tuple[str, ...]) -> None:
    path = write(tmp_path, text=content) if isinstance(content, str) else write(tmp_path, content)
    with pytest.raises(PoseDefinitionError) as exc:
        load_pose(path)
    message = str(exc.value)
    assert message.startswith(f"{path}:")
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    assert exc.value.exit_code == 4


@pytest.mark.parametrize(("case", "content", "needles"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_cli_rejects_bad_pose_file_with_exit_4_and_no_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, content: Any,
        needles: tuple[str, ...]) -> None:
    path = write(tmp_path, text=content) if isinstance(content, str) else write(tmp_path, content)
    assert main(["poses", "--check", str(path)]) == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"posecheck: {path}:")
    assert all(needle in captured.err for needle in needles)
    assert "Traceback" not in captured.err


def test_every_error_of_a_file_is_listed(tmp_path: Path) -> None:
    data = bad(_set("checks.0.min_duration_s", "soon"))
    data["hold"]["seconds"] = -5
    path = write(tmp_path, data)
    with pytest.raises(PoseDefinitionError) as exc:
        load_pose(path)
    lines = str(exc.value).splitlines()
    assert len(lines) == 2
    assert {line.split(": ")[1] for line in lines} == {"hold.seconds", "checks[0].min_duration_s"}
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_id_must_match_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD, name="other_name.yaml")
    with pytest.raises(PoseDefinitionError, match="id: 'test_stretch' must match the file name 'other_name'"):
        load_pose(path)
    assert main(["poses", "--check", str(path)]) == 4
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


def test_missing_file_and_unknown_pose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PoseDefinitionError, match="no such pose file"):
        load_pose(tmp_path / "nope.yaml")
    with pytest.raises(PoseDefinitionError) as exc:
        pose_by_id("cartwheel")
    assert "Unknown pose 'cartwheel'" in str(exc.value) and "hamstring_stretch" in exc.value.hint
    assert main(["analyze", str(tmp_path / "x.landmarks.npz"), "--pose", "cartwheel", "-q"]) == 4
    err = capsys.readouterr().err
    assert "Unknown pose 'cartwheel'" in err and "Traceback" not in err


def test_one_bad_file_stops_the_catalogue_with_its_own_message(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    broken = write(tmp_path, bad(_set("checks.0.feature", "spine_curve")), name="broken.yaml")
    with pytest.raises(PoseDefinitionError) as exc:
        load_catalogue(tmp_path)
    assert str(exc.value).startswith(f"{broken}: checks[0].feature:")
    with pytest.raises(PoseDefinitionError, match="no pose folder"):
        load_catalogue(tmp_path / "missing")


def test_poses_env_var_points_at_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GOOD)
    monkeypatch.setenv("POSECHECK_POSES", str(tmp_path))
    assert list(load_catalogue()) == ["test_stretch"]
    assert pose_by_id("test_stretch").checks[0].enter == 95.0


def test_model_validate_accepts_a_good_dict() -> None:
    pose = PoseDefinition.model_validate(GOOD)
    check = pose.check("lumbar_rounding")
    assert (check.rising, check.enter, check.exit) == (True, 95.0, 88.0)
    assert (check.min_duration_s, check.clear_duration_s, check.severity) == (0.5, 0.3, "major")
    assert pose.smoothing_s == 0.15 and pose.position.settle_s == 0.5 and pose.position.leave_s == 0.8
    gate = pose.position.when[0]
    assert (gate.rising, gate.enter, gate.exit) == (True, 45.0, 35.0)
    with pytest.raises(KeyError):
        pose.check("nope")


@pytest.mark.parametrize(("data", "path"), [
    (bad(_set("checks.0.clear_below", 100)), "checks[0].clear_below:"),
    (bad(_delete("checks.0.clear_below")), "checks[0].clear_below:"),
    (bad(lambda d: d["checks"].append(copy.deepcopy(d["checks"][0]))), "checks[1].id:"),
], ids=["clear_above_flag", "missing_clear", "duplicate_check_ids"])
def test_cross_field_errors_point_at_the_field(tmp_path: Path, data: dict[str, Any], path: str) -> None:
    with pytest.raises(PoseDefinitionError) as exc:
        load_pose(write(tmp_path, data))
    assert path in str(exc.value)
