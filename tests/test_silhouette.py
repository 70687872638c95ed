"""The back outline on imperfect masks: noise, coarse edges, clothing, hair, a hand, merged props."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from builders import MASK_SCALE, Figure, heel_on_step, lunge, silhouette, standing, trunk_polygon

from posecheck.checker import guidance
from posecheck.features import silhouette as sil
from posecheck.features import skeleton
from posecheck.features.catalogue import measure
from posecheck.features.skeleton import Skeleton

SIDES = ("left", "right")


def curve(fig: Figure, mask: np.ndarray, feature: str = "back_curve") -> float:
    sk = Skeleton(fig.landmarks(), fig.width, fig.height, fig.camera_side, mask)
    return measure(feature, sk)[0]


def hinge(camera_side: str) -> Figure:
    return heel_on_step("left", lean=45.0).facing(camera_side)  # type: ignore[arg-type]


def back_point(fig: Figure, bend: float, station: float, scale: float = MASK_SCALE) -> np.ndarray:
    """Mask pixel of the painted back outline at a chord station (0 hip, 1 shoulder)."""
    poly = trunk_polygon(fig, bend)[:60]  # the back half: stations -0.15 .. 1.1
    t = np.linspace(-0.15, 1.1, 60)
    i = int(np.argmin(np.abs(t - station)))
    return poly[i] * scale


@pytest.mark.parametrize("camera_side", SIDES)
@pytest.mark.parametrize("bend", [-30.0, -20.0, 0.0, 15.0])
def test_the_painted_bend_is_read_back(camera_side: str, bend: float) -> None:
    fig = hinge(camera_side)
    assert curve(fig, silhouette(fig, bend)) == pytest.approx(bend, abs=1.0)


@pytest.mark.parametrize("camera_side", SIDES)
def test_mask_noise_and_soft_edges(camera_side: str) -> None:
    """Speckle inside and outside the body and a blurred edge move the reading by under 1.5 deg."""
    fig = hinge(camera_side)
    clean = silhouette(fig, -10.0)
    rng = np.random.default_rng(4)
    noisy = np.clip(cv2.GaussianBlur(clean, (0, 0), 1.5) + rng.normal(0, 0.08, clean.shape), 0, 1)
    assert curve(fig, noisy.astype(np.float32)) == pytest.approx(-10.0, abs=1.5)


@pytest.mark.parametrize("camera_side", SIDES)
def test_coarse_mask_edges(camera_side: str) -> None:
    """A mask made at a quarter of the size and blown up: smooth (as MediaPipe upsamples its model
    output) reads within 1.5 deg, blocky staircase edges within 3."""
    fig = hinge(camera_side)
    fine = silhouette(fig, 10.0)
    h, w = fine.shape
    small = cv2.resize(fine, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    smooth = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    blocky = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    assert curve(fig, smooth) == pytest.approx(10.0, abs=1.5)
    assert curve(fig, blocky) == pytest.approx(10.0, abs=3.0)


@pytest.mark.parametrize("camera_side", SIDES)
def test_clothing_folds_along_the_back(camera_side: str) -> None:
    """Ripples of cloth a few pixels deep along the whole back do not change the bend by 1.5 deg."""
    fig = hinge(camera_side)
    mask = silhouette(fig, -20.0)
    for k, station in enumerate(np.linspace(0.0, 1.0, 9)):
        p = back_point(fig, -20.0, station)
        cv2.circle(mask, (int(p[0]), int(p[1])), 3 if k % 2 else 2, 1.0, -1)
    assert curve(fig, mask) == pytest.approx(-20.0, abs=1.5)


@pytest.mark.parametrize("camera_side", SIDES)
def test_fingertips_on_the_low_back_or_hair_on_the_shoulders(camera_side: str) -> None:
    """A small blob on the outline (0.05 torso lengths across: fingertips at the hip, a strand of
    hair at the shoulders) is outvoted by the rest of the stretch."""
    fig = hinge(camera_side)
    radius = 0.025 * 200 * MASK_SCALE  # torso 200 px
    for station in (0.1, 0.95):
        mask = silhouette(fig, -20.0)
        p = back_point(fig, -20.0, station)
        cv2.circle(mask, (int(p[0]), int(p[1])), round(radius), 1.0, -1)
        assert curve(fig, mask) == pytest.approx(-20.0, abs=3.0), station


# The most each kind of mask noise above moves lower_back_bend from its reading on the clean mask
# (largest seen: blocky 3.15, folds 1.27, smooth 0.66, speckle 0.47, blob 0.39 deg) and
# sacrum_back_bend (blocky 2.66, folds 1.47, smooth 0.51, speckle 0.37, blob 0.39). Blocky
# staircase edges move them a little further than back_curve: tools/own_neutral_study.py takes 3.5
# deg of mask noise for lower_back_bend, 3 for sacrum_back_bend and for back_curve.
MID_BACK_NOISE = {"speckle": 1.5, "smooth": 1.5, "blocky": 3.5, "folds": 1.5, "blob": 1.5}
NOISE = {"lower_back_bend": MID_BACK_NOISE, "sacrum_back_bend": {**MID_BACK_NOISE, "blocky": 3.0}}


def noisy_masks(fig: Figure) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(clean, imperfect) mask pairs: the imperfections of the tests above."""
    out = {}
    clean = silhouette(fig, -10.0)
    rng = np.random.default_rng(4)
    out["speckle"] = clean, np.clip(cv2.GaussianBlur(clean, (0, 0), 1.5) + rng.normal(0, 0.08, clean.shape),
                                    0, 1).astype(np.float32)
    fine = silhouette(fig, 10.0)
    h, w = fine.shape
    small = cv2.resize(fine, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    out["smooth"] = fine, cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    out["blocky"] = fine, cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    folds = silhouette(fig, -20.0)
    for k, station in enumerate(np.linspace(0.0, 1.0, 9)):
        p = back_point(fig, -20.0, station)
        cv2.circle(folds, (int(p[0]), int(p[1])), 3 if k % 2 else 2, 1.0, -1)
    out["folds"] = silhouette(fig, -20.0), folds
    blob = silhouette(fig, -20.0)
    p = back_point(fig, -20.0, 0.55)  # a fingertip or a fold on the mid back itself
    cv2.circle(blob, (int(p[0]), int(p[1])), round(0.025 * 200 * MASK_SCALE), 1.0, -1)
    out["blob"] = silhouette(fig, -20.0), blob
    return out


@pytest.mark.parametrize("feature", sorted(NOISE))
@pytest.mark.parametrize("camera_side", SIDES)
def test_mask_noise_moves_the_mid_back_bend_little(camera_side: str, feature: str) -> None:
    fig = hinge(camera_side)
    for kind, (clean, imperfect) in noisy_masks(fig).items():
        before = curve(fig, clean, feature)
        after = curve(fig, imperfect, feature)
        assert math.isfinite(before) and abs(after - before) <= NOISE[feature][kind], kind


@pytest.mark.parametrize("camera_side", SIDES)
def test_a_whole_hand_on_the_low_back_tips_the_reading(camera_side: str) -> None:
    """A limitation, pinned down: a palm (0.2 torso lengths across) on the lumbar stretch covers
    too many of its stations and reads as rounding. docs/spine.md says so."""
    fig = hinge(camera_side)
    mask = silhouette(fig, -20.0)
    p = back_point(fig, -20.0, 0.2)
    cv2.circle(mask, (int(p[0]), int(p[1])), round(0.1 * 200 * MASK_SCALE), 1.0, -1)
    assert curve(fig, mask) > -20.0 + 10.0


@pytest.mark.parametrize("camera_side", SIDES)
def test_a_back_cut_off_by_the_frame_edge_is_unseen(camera_side: str) -> None:
    """Where the picture ends inside the back, its edge is not the body's: no reading, no verdict."""
    fig = standing().facing(camera_side)  # type: ignore[arg-type]
    mask = silhouette(fig, 0.0)
    assert math.isfinite(curve(fig, mask))
    hip_x = float(fig.mid_hip()[0]) * MASK_SCALE
    # blank the image from 8 px inside the back outward, as if the frame ended there
    p = back_point(fig, 0.0, 0.3)
    cut = int(p[0] - 8) if camera_side == "left" else int(p[0] + 8)
    cropped = mask.copy()
    if camera_side == "left":
        assert cut > hip_x
        cropped = cropped[:, :cut]
    else:
        assert cut < hip_x
        cropped = cropped[:, cut:]
    # the frame is cropped the same way, so the landmarks move with it
    shift = 0 if camera_side == "left" else cut / MASK_SCALE
    w = cropped.shape[1] / MASK_SCALE
    moved = Figure({n: (x - shift, y) for n, (x, y) in fig.points.items()}, fig.camera_side,
                   width=round(w), height=fig.height)
    value, missing = measure("back_curve", Skeleton(moved.landmarks(), moved.width, moved.height,
                                                    fig.camera_side, cropped))
    assert math.isnan(value) and missing == ("back_outline",)


def test_a_mask_of_another_shape_than_the_frame_is_not_read() -> None:
    """A mask squashed to another aspect ratio would bend the outline: refuse it."""
    fig = hinge("left")
    mask = silhouette(fig, -20.0)
    h, w = mask.shape
    squashed = cv2.resize(mask, (w, round(h * 0.9)), interpolation=cv2.INTER_AREA)
    value, missing = measure("back_curve", Skeleton(fig.landmarks(), fig.width, fig.height, "left", squashed))
    assert math.isnan(value) and missing == ("back_outline",)
    # the same shape at another size is fine: scaled in x and y
    small = cv2.resize(mask, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    assert curve(fig, small) == pytest.approx(-20.0, abs=1.5)


def test_no_reading_until_the_camera_side_is_known() -> None:
    """Before the side facing the camera is settled, the front could be taken for the back."""
    fig = hinge("left")
    sk = Skeleton(fig.landmarks(), fig.width, fig.height, "left", silhouette(fig, -20.0), side_known=False)
    value, missing = measure("back_curve", sk)
    assert math.isnan(value) and missing == ("back_outline",)


def test_stations_must_increase() -> None:
    with pytest.raises(ValueError, match="increasing"):
        sil.trace(np.ones((50, 50), np.float32), np.array([25.0, 45.0]), np.array([25.0, 5.0]),
                  np.array([-1.0, 0.0]), np.array([0.0, 0.5, 0.5, 1.0]))


@pytest.mark.parametrize("camera_side", SIDES)
def test_loose_shirt_bridging_the_hollow_reads_flatter(camera_side: str) -> None:
    """A limitation, pinned down: cloth hanging straight across an arched back hides the arch."""
    fig = lunge("left").facing(camera_side)  # type: ignore[arg-type]
    arched = silhouette(fig, -40.0)
    shirt = arched.copy()
    # the cloth spans the hollow in a straight line from the buttock to the shoulder blades
    hollow = np.array([back_point(fig, -40.0, t) for t in np.linspace(-0.1, 1.05, 40)])
    cv2.fillPoly(shirt, [np.round(hollow).astype(np.int32)], 1.0)
    assert curve(fig, arched) == pytest.approx(-40.0, abs=1.0)
    assert curve(fig, shirt) > -40.0 + 10.0


def test_no_edge_when_the_background_merges_with_the_body() -> None:
    """A mask that is all person (a chair or wall taken for the body) gives no outline: unseen."""
    fig = hinge("left")
    full = np.ones_like(silhouette(fig, -20.0))
    sk = Skeleton(fig.landmarks(), fig.width, fig.height, "left", full)
    value, missing = measure("back_curve", sk)
    assert math.isnan(value) and missing == ("back_outline",)


def test_chord_outside_the_mask_is_unseen() -> None:
    fig = hinge("left")
    empty = np.zeros_like(silhouette(fig, -20.0))
    value, missing = measure("back_curve", Skeleton(fig.landmarks(), fig.width, fig.height, "left", empty))
    assert math.isnan(value) and missing == ("back_outline",)


def test_a_tiny_torso_is_not_traced() -> None:
    mask = np.ones((40, 40), np.float32)
    hip, shoulder = np.array([20.0, 20.0]), np.array([20.0, 20.0 - sil.MIN_CHORD_PX + 1])
    assert sil.trace(mask, hip, shoulder, np.array([-1.0, 0.0])) is None


@pytest.mark.parametrize("camera_side", SIDES)
def test_a_person_too_small_to_trace_is_asked_to_come_closer(camera_side: str) -> None:
    """Unseen for its own reason, not as a hidden back: the hint differs."""
    fig = hinge(camera_side)
    chord = fig.traced_torso_px()
    small = fig.shrunk(0.9 * sil.MIN_CHORD_PX / chord)
    value, missing = measure("back_curve", small.skeleton())
    assert math.isnan(value) and missing == ("back_too_small",)
    assert guidance.framing_hint(guidance.missing_regions(missing)).startswith("Move closer to the camera")
    # just above the size it traces, and reads the painted bend within the coarse edges' 3 deg
    traced = fig.shrunk(1.5 * sil.MIN_CHORD_PX / chord)
    assert curve(traced, silhouette(traced, -20.0)) == pytest.approx(-20.0, abs=3.0)


def test_working_mask_size_never_grows() -> None:
    assert sil.working_mask(np.zeros((480, 640), np.float32)).shape == (240, 320)
    assert sil.working_mask(np.zeros((120, 160), np.uint8)).shape == (120, 160)
    assert sil.working_scale(480, 640) == 0.5 and sil.working_scale(120, 160) == 1.0


def _behind_the_back(fig: Figure, depth: float, station: float = 0.25) -> Figure:
    """`fig` with both hands (wrist and fingers) `depth` torso lengths behind the hip-shoulder chord,
    `station` of the way up it: resting on the lower back."""
    sk = fig.skeleton()
    hip, shoulder = sk.mid("hip"), sk.mid("shoulder")
    length = float(np.hypot(*(shoulder - hip)))
    x, y = hip + station * (shoulder - hip) - depth * length * sk.anterior
    return fig.moved(**{f"{s}_{p}": (float(x), float(y)) for s in SIDES for p in ("wrist", "index", "pinky")})


@pytest.mark.parametrize("camera_side", SIDES)
def test_a_hand_behind_the_back_hides_its_outline_and_asks_to_move_it(camera_side: str) -> None:
    """A hand on the lower back becomes the outline's edge (docs/measurements/hands.md): the back is
    not read, and the person hears why rather than a verdict on the hand."""
    fig = hinge(camera_side)
    assert fig.skeleton().arm_depth < 0.0  # the drawn arms hang in front of the trunk
    assert math.isfinite(measure("back_curve", fig.skeleton())[0])
    on_back = _behind_the_back(fig, 0.35)
    assert on_back.skeleton().arm_depth == pytest.approx(0.35, abs=1e-6)
    for feature in ("back_curve", "lower_back_bend", "sacrum_back_bend"):
        value, missing = measure(feature, on_back.skeleton())
        assert math.isnan(value) and missing == ("arm_on_back",), feature
    hint = guidance.framing_hint(guidance.missing_regions(("arm_on_back",)))
    assert hint.startswith("Move your hands and arms away from your back")


@pytest.mark.parametrize("camera_side", SIDES)
def test_the_arm_guard_turns_at_its_level_and_counts_points_beside_the_trunk_only(camera_side: str) -> None:
    fig = hinge(camera_side)
    level = skeleton.ARM_BEHIND_BACK
    assert math.isfinite(measure("back_curve", _behind_the_back(fig, level - 0.02).skeleton())[0])
    assert measure("back_curve", _behind_the_back(fig, level + 0.02).skeleton())[1] == ("arm_on_back",)
    # as deep behind, but below the hips (a hand by the back of the thigh) or above the shoulders
    # (hands above the head, pulled back): not beside the back
    for station in (-0.5, 1.2):
        beyond = _behind_the_back(fig, 0.35, station=station)
        assert beyond.skeleton().arm_depth < level, station
        assert math.isfinite(measure("back_curve", beyond.skeleton())[0]), station


@pytest.mark.parametrize("camera_side", SIDES)
def test_an_elbow_behind_the_back_turns_the_guard_as_a_hand_does(camera_side: str) -> None:
    """Hands on the hips with the elbows back: the hands stay beside the trunk, the elbows go behind."""
    fig = hinge(camera_side)
    sk = fig.skeleton()
    hip, shoulder = sk.mid("hip"), sk.mid("shoulder")
    length = float(np.hypot(*(shoulder - hip)))
    x, y = hip + 0.55 * (shoulder - hip) - 0.3 * length * sk.anterior
    elbows_back = fig.moved(**{f"{s}_elbow": (float(x), float(y)) for s in SIDES})
    assert elbows_back.skeleton().arm_depth == pytest.approx(0.3, abs=1e-6)
    assert measure("lower_back_bend", elbows_back.skeleton())[1] == ("arm_on_back",)
