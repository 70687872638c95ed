"""The sample generator's clip lists against the pose files and the committed samples.

Only the generator's plain-Python parts are imported (no anny, torch or renderer), so this runs in
the main environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.labels import load_labels  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.synth.body import Pose, euler, euler_angles  # noqa: E402
from tools.synth.clip import CREEP_S, SESSION_NEUTRAL_S, SETTLED_NEUTRAL_S, activation, plateau  # noqa: E402
from tools.synth.matrix import SETS, clips  # noqa: E402
from tools.synth.poses import STRETCHES, drop_hip  # noqa: E402
from tools.synth.reps import FULL_MIN, PARTIAL_MAX  # noqa: E402
from tools.synth.tier2 import TIER2  # noqa: E402

FOLDER = {"curated": ROOT / "samples" / "synth", "heldout": ROOT / "samples" / "heldout",
          "sessions": ROOT / "samples" / "sessions",
          "recognition": ROOT / "samples" / "recognition"}


@pytest.mark.parametrize("which", SETS)
def test_every_mistake_clip_is_one_its_pose_file_checks_from_that_view(which: str) -> None:
    catalogue = load_catalogue()
    for spec in clips(which=which):
        view = spec.view or STRETCHES[spec.pose].view
        assert view in catalogue[spec.pose].camera.views, spec.name
        if spec.mistake:
            check = catalogue[spec.pose].check(spec.mistake)
            assert view in check.views, f"{spec.name}: {spec.mistake} is not judged from a {view} view"


@pytest.mark.parametrize("which", SETS)
def test_clip_names_are_unique_and_match_the_committed_samples(which: str) -> None:
    names = [s.name for s in clips(which=which)]
    assert len(names) == len(set(names))
    if which not in FOLDER:  # a validation set rendered on demand (samples/ size), not committed
        assert which in ("sessions-b", "sessions-c", "creep", "sessions-settled", "bodies-a", "bodies-b",
                         "bodies-c", "restless", "restless-b", "restless-c", "backrest", "room", "upright",
                         "hands-hips", "hands-back", "hands-b")
        return
    on_disk = {p.name.removesuffix(".labels.json") for p in FOLDER[which].glob("*.labels.json")}
    assert on_disk == set(names)


def test_the_second_sessions_set_compensates_each_body_where_the_first_does_not() -> None:
    first, second = clips(which="sessions"), clips(which="sessions-b")
    assert len(first) == len(second) == 21
    comp_a = {(s.pose, s.body): s.compensated for s in first}
    comp_b = {(s.pose, s.body): s.compensated for s in second}
    assert comp_a.keys() == comp_b.keys()
    assert all(comp_a[k] != comp_b[k] for k in comp_a)
    assert not {s.seed for s in first} & {s.seed for s in second}


def test_the_drawn_bodies_sets_spread_new_adult_bodies_over_every_control() -> None:
    from tools.synth.clip import ALL_PHENOTYPES, DRAWN_PER_SET, DRAWN_RANGES, drawn_phenotypes

    a, b = clips(which="bodies-a"), clips(which="bodies-b")
    for specs in (a, b):
        bodies = {s.body for s in specs}
        assert len(bodies) == DRAWN_PER_SET and not bodies & set(ALL_PHENOTYPES)
        for body in bodies:  # each body does each lumbar check once; about half are compensated
            mine = [s for s in specs if s.body == body]
            assert sorted(s.mistake for s in mine) == ["arched_lower_back", "forward_bend", "lumbar_rounding"]
        assert abs(sum(s.compensated for s in specs) - len(specs) / 2) <= 3
    assert not {s.body for s in a} & {s.body for s in b}
    assert not {s.seed for s in a} & {s.seed for s in b}
    drawn = drawn_phenotypes(6061)
    assert drawn == drawn_phenotypes(6061)  # deterministic in its seed
    for k, (lo, hi) in DRAWN_RANGES.items():  # stratified: one body in each twentieth of every range
        u = sorted((p[k] - lo) / (hi - lo) for p in drawn.values())
        n = DRAWN_PER_SET  # (values are rounded to 0.001: allow that much across a bin's edge)
        assert all(i / n - 0.005 <= x <= (i + 1) / n + 0.005 for i, x in enumerate(u)), k


def test_the_restless_sets_keep_a_flat_back_while_everything_else_moves() -> None:
    from tools.synth.clip import EVERY_PHENOTYPE, FPS, frame_params

    a, b, c = clips(which="restless"), clips(which="restless-b"), clips(which="restless-c")
    assert len(a) == len(b) == len(c) == 60
    bodies = [{s.body for s in x} for x in (a, b, c)]
    assert not bodies[0] & bodies[1] and not bodies[0] & bodies[2] and not bodies[1] & bodies[2]
    assert all(s.body in EVERY_PHENOTYPE for s in (*a, *b, *c))  # the renderer can build every body
    for spec in (*a, *b, *c):
        assert spec.mistake is None and spec.duration_s == 8.0
        q0, _ = frame_params(spec, 0.0)
        frames = [frame_params(spec, i / FPS)[0] for i in range(int(spec.duration_s * FPS))]
        lumbar = [q.get("lumbar_flexion_deg", 0.0) - q.get("lumbar_extension_deg", 0.0) for q in frames]
        assert max(map(abs, lumbar)) < 5.0, spec.name  # a flat back: the curated mistakes start at 5
        assert max(lumbar) - min(lumbar) > 1.0, spec.name  # ...that still gives a little
        breath = [q["breath_deg"] for q in frames]
        assert 1.0 <= max(breath) <= 2.5 and -2.5 <= min(breath) <= -1.0, spec.name
        deepen = spec.moves[0]
        assert frames[-1][deepen.param] - q0[deepen.param] > 1.0, spec.name  # sank deeper (sway aside)


def test_the_upright_set_stands_still_then_hinges_into_a_flat_back_stretch() -> None:
    """Each restless and restless-b body, once per stretch: upright and still for the first second,
    then at the stretch's usual depth by the last 1.5 s, the lower back never moved."""
    from tools.synth.clip import FPS, frame_params
    from tools.synth.matrix import SEATED, UPRIGHT_HINGE_S, UPRIGHT_STILL_S

    specs = clips(which="upright")
    restless = {s.body for s in (*clips(which="restless"), *clips(which="restless-b"))}
    for pose in ("hamstring_stretch", "glute_stretch"):
        assert {s.body for s in specs if s.pose == pose} == restless
    for spec in specs:
        usual = {**STRETCHES[spec.pose].defaults, **(SEATED if spec.pose == "glute_stretch" else {})}
        depth = usual["hip_hinge_deg"]
        assert depth >= 30.0  # a real hinge, from upright
        times = [i / FPS for i in range(int(spec.duration_s * FPS))]
        frames = [frame_params(spec, t)[0] for t in times]
        still = [q["hip_hinge_deg"] for t, q in zip(times, frames, strict=True) if t <= UPRIGHT_STILL_S]
        held = [q["hip_hinge_deg"] for t, q in zip(times, frames, strict=True)
                if t >= UPRIGHT_STILL_S + UPRIGHT_HINGE_S]
        assert max(map(abs, still)) < 1e-9 and held and min(held) == pytest.approx(depth), spec.name
        assert all(q.get("lumbar_flexion_deg", 0.0) == 0.0 for q in frames), spec.name
        assert spec.mistake is None and bool(spec.overrides.get("seated")) == (spec.pose == "glute_stretch")


@pytest.mark.parametrize(("which", "twin_set", "hands"), [("hands-hips", "restless", {1.0}),
                                                        ("hands-back", "restless", {2.0}),
                                                        ("hands-b", "restless-b", {3.0, 4.0, 5.0})])
def test_the_hands_sets_are_their_twins_with_the_hands_moved_alone(which: str, twin_set: str,
                                                                   hands: set[float]) -> None:
    """Each clip is every other correct hold of its stretch in a restless set, the same in all but
    `hands`; and that parameter moves the arms alone (one arm alone, for the one-hand setting)."""
    from dataclasses import asdict, replace

    from tools.synth.body import Pose
    from tools.synth.clip import frame_params
    from tools.synth.poses import ONE_HAND

    twins = {s.name: s for s in clips(which=twin_set)}
    moved = clips(which=which)
    assert {s.overrides["hands"] for s in moved} == hands
    assert len(moved) == 30 and {s.pose for s in moved} == {"hamstring_stretch", "hip_flexor_stretch",
                                                            "glute_stretch"}
    for spec in moved:
        twin = twins[spec.name]
        assert "hands" not in twin.overrides
        assert asdict(replace(spec, overrides=twin.overrides)) == asdict(twin), spec.name
        q, _ = frame_params(spec, 1.0)
        q0, _ = frame_params(twin, 1.0)
        built, plain = STRETCHES[spec.pose].build(q).pose, STRETCHES[spec.pose].build(q0).pose
        assert isinstance(built, Pose)
        changed = {b for b in {*built.bones, *plain.bones}
                   if not np.allclose(built.matrix(b), plain.matrix(b))}
        assert changed and all(b.startswith(("upperarm", "lowerarm")) for b in changed), spec.name
        if spec.overrides["hands"] in ONE_HAND:
            assert {b[-1] for b in changed} == {ONE_HAND[spec.overrides["hands"]]}, spec.name
    # one hand alone on the back: some holds move the hand nearer the camera, some the further one
    # (every one of them works its left side, so the pose is not mirrored)
    one = [s for s in moved if s.overrides["hands"] in ONE_HAND]
    assert all(s.side == "left" for s in one)
    near = {ONE_HAND[s.overrides["hands"]] == s.camera_side[0].upper() for s in one}
    assert near == ({True, False} if one else set())


def test_the_backrest_set_is_its_twins_with_a_chair_back_alone() -> None:
    """Each backrest clip is the seated glute clip of the same name in the restless or sessions set,
    with nothing else changed; only that clip's labels say it has a chair back."""
    from dataclasses import asdict, replace

    from tools.synth.matrix import BACKREST_MAX_GAP_M

    twins = {s.name: s for s in (*clips(which="restless"), *clips(which="sessions"))}
    chairs = clips(which="backrest")
    assert len(chairs) == 27 and sum(s.mistake is None for s in chairs) == 20
    for spec in chairs:
        twin = twins[spec.name]
        assert twin.backrest_gap_m is None and spec.pose == "glute_stretch" and spec.overrides["seated"]
        assert spec.backrest_gap_m is not None and 0.0 <= spec.backrest_gap_m <= BACKREST_MAX_GAP_M
        assert asdict(replace(spec, backrest_gap_m=None)) == asdict(twin), spec.name
    gaps = [s.backrest_gap_m for s in chairs]
    assert len(set(gaps)) > 20  # drawn per clip


def test_the_room_set_is_its_twins_in_a_furnished_room_alone() -> None:
    """Each room clip is the lumbar stretch clip of the same name in the restless or sessions set,
    every other correct hold and every mistake, with nothing else changed."""
    from dataclasses import asdict, replace

    twins = {s.name: s for s in (*clips(which="restless"), *clips(which="sessions"))}
    rooms = clips(which="room")
    holds = [s for s in rooms if s.mistake is None]
    assert len(rooms) == 51 and len(holds) == 30
    for pose in ("hamstring_stretch", "hip_flexor_stretch", "glute_stretch"):
        assert sum(s.pose == pose for s in holds) == 10
        assert sum(s.pose == pose for s in rooms) == 17
    for spec in rooms:
        twin = twins[spec.name]
        assert spec.room and not twin.room
        assert asdict(replace(spec, room=False)) == asdict(twin), spec.name


def test_the_room_stands_behind_the_body_and_clear_of_it() -> None:
    """The furniture is on the far side of the body from the camera, at least 0.5 m behind its centre
    and in front of the wall, drawn the same way again from the same generator seed; about a third
    of the sofas take the top's colour."""
    from tools.synth.scene import CLOTH, WALL_TO_BODY_M, Camera, random_look, room_props

    center = np.array([0.0, 0.1, 0.6])
    like_top = 0
    for i, (yaw, on_left) in enumerate([(0.0, True), (20.0, False), (-15.0, True)] * 20):
        cam = Camera(yaw, 10.0, 3.0, tuple(center), on_left)
        look = random_look(np.random.default_rng(i))
        props = room_props(cam, center, look, np.random.default_rng(100 + i))
        assert props == room_props(cam, center, look, np.random.default_rng(100 + i))
        away = center[:2] - cam.position()[:2]
        away /= np.linalg.norm(away)
        for p in props:
            near_x = np.asarray(p.center)[0] - np.sign(away[0]) * p.size[0] / 2  # the face towards the body
            depth = np.sign(away[0]) * (near_x - center[0])
            assert depth >= 0.5 and depth + p.size[0] <= WALL_TO_BODY_M + 1e-9, p
        sofa = props[0]
        assert sofa.size == (0.9, 2.0, 0.44)
        like_top += sofa.rgb == CLOTH[look.top_color]
    assert 12 <= like_top <= 28


def test_breathing_moves_only_the_upper_back_and_shoulders() -> None:
    for pose, overrides in (("hamstring_stretch", {}), ("hip_flexor_stretch", {}),
                            ("glute_stretch", {"seated": 1.0})):
        st = STRETCHES[pose]
        q = {**st.defaults, **overrides}
        still, breathing = st.build(q).pose.bones, st.build({**q, "breath_deg": 2.0}).pose.bones
        changed = {b for b in set(still) | set(breathing) if still.get(b) != breathing.get(b)}
        assert changed == {"spine01", "spine02", "clavicle.L", "clavicle.R"}, pose
        assert breathing["spine01"][0] - still.get("spine01", [0.0])[0] == pytest.approx(-1.0)


def test_held_out_set_is_small_unseen_and_covers_every_stretch() -> None:
    held, curated = clips(which="heldout"), clips()
    assert 30 <= len(held) <= 80
    assert sum(s.pose not in TIER2 for s in held) == 36  # the Tier-1 part; Tier 2 is appended
    for pose in STRETCHES:
        needed = 1 if pose in TIER2 else 2  # a rep clip is correct form too
        assert sum(s.pose == pose and s.mistake is None for s in held) >= needed, pose
    assert not {s.seed for s in held} & {s.seed for s in curated}
    assert {s.body for s in held} - {s.body for s in curated}  # bodies the thresholds never saw
    assert any(s.view == "front" and s.mistake == "hip_shift" for s in held)


def test_front_view_labels_are_read_as_front_views() -> None:
    front = sorted(FOLDER["curated"].glob("*_front__*.labels.json"))
    assert len(front) >= 5
    for path in front:
        labels = load_labels(path)
        assert labels.yaw_deg >= 45  # yaw from side-on: regress judges the front-only checks on it


def test_session_labels_give_the_camera_side_and_the_angles_set() -> None:
    path = ROOT / "samples" / "sessions" / (
        "hamstring_stretch__lumbar_rounding_comp_30deg_session_female_slim__lr.labels.json")
    labels = load_labels(path)
    assert (labels.side, labels.camera_side, labels.view_kind) == ("left", "right", "side")
    assert labels.mistake_parameters == {"lumbar_rounding": "lumbar_flexion_deg"}
    assert len(labels.frame_params) == len(labels.frame_times) == len(labels.keypoints)
    flexion = [p["lumbar_flexion_deg"] for p in labels.frame_params]
    assert flexion[0] == 0.0 and flexion[-1] == pytest.approx(30.0)  # a neutral start, then the ramp
    hinge = [p["hip_hinge_deg"] for p in labels.frame_params]
    assert hinge[-1] == pytest.approx(hinge[0] - 30.0)  # compensated: the hinge gives back the lumbar angle


def test_drop_hip_rolls_the_pelvis_and_keeps_the_thighs_where_they_were() -> None:
    before = Pose().add("root", x=-5).add("upperleg01.L", x=15, y=5).add("upperleg01.R", x=-80, y=-5)
    after = Pose({b: list(v) for b, v in before.bones.items()})
    drop_hip(after, 20.0)
    for thigh in ("upperleg01.L", "upperleg01.R"):
        np.testing.assert_allclose(after.matrix("root") @ after.matrix(thigh),
                                   before.matrix("root") @ before.matrix(thigh), atol=1e-9)
    # the left hip (+X) goes down by the set angle
    left = after.matrix("root") @ before.matrix("root").T @ np.array([1.0, 0.0, 0.0])
    assert np.degrees(np.arctan2(-left[2], left[0])) == pytest.approx(20.0)
    mirrored = after.mirrored()
    assert mirrored.bones["root"][1] == pytest.approx(-after.bones["root"][1])


def test_euler_angles_inverts_euler() -> None:
    for angles in ((10.0, 20.0, 30.0), (-80.0, 5.0, 0.0), (15.0, -40.0, 90.0)):
        np.testing.assert_allclose(euler_angles(euler(*angles)), angles, atol=1e-9)


@pytest.mark.parametrize("which", SETS)
def test_rep_clips_are_full_or_partial_and_their_labels_count_them(which: str) -> None:
    reps = [s for s in clips(which=which) if s.reps is not None]
    assert reps if which == "curated" else True
    for spec in reps:
        assert STRETCHES[spec.pose].movement == spec.reps.movement, spec.name
        for cycle in spec.reps.cycles:
            depths = list(cycle.depth.values())
            assert all(d >= FULL_MIN for d in depths) or all(d <= PARTIAL_MAX for d in depths), spec.name
        path = FOLDER[which] / f"{spec.name}.labels.json"
        if path.exists():
            block = json.loads(path.read_text())["reps"]
            assert block["full_count"] == sum(c.full for c in spec.reps.cycles), spec.name
            assert block["full_count"] + block["partial_count"] == len(block["cycles"])
            assert block["direction"] == spec.reps.direction


def test_duration_lengthens_correct_holds_only(capsys: pytest.CaptureFixture[str]) -> None:
    from tools.synth.generate import main

    assert main(["--set", "restless-c", "--only", "glute_stretch", "--match", "drawn7073_17",
                 "--duration", "20", "--list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "__correct_restless_drawn7073_17" in line and line.endswith(" 20.0s")
    held = "glute_stretch_seated__forward_bend_25deg_hold"
    assert main(["--match", held, "--duration", "20", "--list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    shipped = next(s for s in clips() if held in s.name)
    assert line.endswith(f" {shipped.duration_s}s") and shipped.duration_s != 20.0
    with pytest.raises(SystemExit):
        main(["--set", "restless-c", "--duration", "0", "--list"])


def test_a_creep_clip_starts_neutral_and_grows_its_mistake_slowly() -> None:
    specs = clips(which="creep")
    sessions = clips(which="sessions")
    assert len(specs) == 21 and {(s.pose, s.body, s.compensated) for s in specs} == {
        (s.pose, s.body, s.compensated) for s in sessions}
    dur = specs[0].duration_s
    assert all(s.timing == "creep" and s.duration_s == dur for s in specs)
    assert dur == pytest.approx(SESSION_NEUTRAL_S + CREEP_S + 1.0)
    assert activation("creep", SESSION_NEUTRAL_S, dur) == 0.0
    assert activation("creep", SESSION_NEUTRAL_S + CREEP_S / 2, dur) == pytest.approx(0.5)
    # 15 deg of a 30 deg mistake 5 s after the neutral start: 3 deg a second
    assert activation("creep", SESSION_NEUTRAL_S + 5.0, dur) * specs[0].severity == pytest.approx(15.0)
    assert plateau("creep", dur) == (SESSION_NEUTRAL_S + CREEP_S, dur)
    assert activation("creep", dur, dur) == 1.0


def test_a_settled_session_clip_holds_a_neutral_back_for_5_s_before_the_same_ramp() -> None:
    specs, sessions = clips(which="sessions-settled"), clips(which="sessions")
    assert len(specs) == 21 and {(s.pose, s.body, s.compensated) for s in specs} == {
        (s.pose, s.body, s.compensated) for s in sessions}
    dur = specs[0].duration_s
    assert all(s.timing == "settled" and s.duration_s == dur for s in specs)
    assert dur == pytest.approx(SETTLED_NEUTRAL_S + 2.5)
    assert activation("settled", SETTLED_NEUTRAL_S, dur) == 0.0
    # the sessions clips' ramp: 30 deg over 1.5 s, 15 deg 0.75 s in, then held for 1 s
    assert activation("settled", SETTLED_NEUTRAL_S + 0.75, dur) * specs[0].severity == pytest.approx(15.0)
    assert plateau("settled", dur) == (SETTLED_NEUTRAL_S + 1.5, dur)
