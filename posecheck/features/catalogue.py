"""The named features. Each is a pure function of one `Skeleton` and documents its convention.

Conventions (all in the image plane unless the name says world):
- Angles are degrees. "Vertical" is the image's vertical: the camera is assumed roughly level.
- Side-on (sagittal) angles use the body's own axes: superior = mid-hip to mid-shoulder,
  anterior = the body's front, fixed by which side faces the camera.
- Distances are divided by the torso length (mid-hip to mid-shoulder, in pixels) so they do not
  depend on the person's size or distance from the camera.
- Sided features exist as `left_<name>` and `right_<name>`; pose files name them without the prefix
  plus `limb: working` or `limb: other`, and the checker picks the side.
- A feature is NaN when a landmark it needs cannot be trusted: there is no verdict on joints the
  camera cannot see.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

from posecheck.features import limbs, silhouette
from posecheck.features.geometry import (
    DOWN_XY,
    UP_XY,
    Vec2,
    across3,
    angle_xy,
    clip1,
    distance,
    div3,
    dot3,
    joint_angle_xy,
    norm3,
    signed_angle_xy,
    sub3,
)
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.landmarks import BACK_OUTLINE, SIDES, Side, other


@dataclass(frozen=True)
class Feature:
    """A named measurement with its unit and the convention a reader needs."""

    name: str
    unit: str
    doc: str
    fn: Callable[[Skeleton], float]
    sided: bool = False
    side: Side | None = None

    def __call__(self, sk: Skeleton) -> float:
        return self.fn(sk)


# --------------------------------------------------------------------------------------------
# Trunk and head. The features work on tuples of Python floats (see `geometry`), with the same
# arithmetic, in the same order, as the numpy expressions they replaced.
def trunk_inclination(sk: Skeleton) -> float:
    vx, vy = sk.trunk_xy
    return angle_xy(vx, vy, *UP_XY)


def _facing(sk: Skeleton) -> Vec2:
    return float(sk.facing_x), 0.0


def trunk_lean(sk: Skeleton) -> float:
    vx, vy = sk.trunk_xy
    return signed_angle_xy(vx, vy, UP_XY, _facing(sk))


def neck_flexion(sk: Skeleton) -> float:
    (ex, ey), (sx, sy) = sk.mid_pt("ear"), sk.mid_pt("shoulder")
    return signed_angle_xy(ex - sx, ey - sy, sk.superior_xy, sk.anterior_xy)


def front_facing_up(sk: Skeleton) -> float:
    ax, ay = sk.anterior_xy
    return ax * UP_XY[0] + ay * UP_XY[1]


def hip_height(sk: Skeleton) -> float:
    return (sk.floor_y - sk.mid_pt("hip")[1]) / sk.torso_length


def shoulder_height(sk: Skeleton) -> float:
    return (sk.floor_y - sk.mid_pt("shoulder")[1]) / sk.torso_length


def head_height(sk: Skeleton) -> float:
    return (sk.floor_y - sk.mid_pt("ear")[1]) / sk.torso_length


def shoulder_level_difference(sk: Skeleton) -> float:
    left, right = sk.pt("left_shoulder"), sk.pt("right_shoulder")
    return abs(left[1] - right[1]) / sk.torso_length


def hip_tilt(sk: Skeleton) -> float:
    (lx, ly), (rx, ry) = sk.pt("left_hip"), sk.pt("right_hip")
    vx, vy = lx - rx, ly - ry
    if vx < 0:
        vx, vy = -vx, -vy
    return math.degrees(math.atan2(abs(vy), vx))


def knee_separation(sk: Skeleton) -> float:
    return distance(sk.pt("left_knee"), sk.pt("right_knee")) / sk.torso_length


def hips_flexion_min(sk: Skeleton) -> float:
    values = []
    for side in SIDES:
        try:
            values.append(_hip_flexion(side)(sk))
        except Unseen:
            continue
    if not values:
        raise Unseen(("left_knee", "right_knee"))
    return min(values)


def shoulder_tilt(sk: Skeleton) -> float:
    v = sk.world_pair("shoulder")
    return math.degrees(math.asin(min(1.0, abs(v[1]) / (norm3(v) + 1e-9))))


def _traced(value: float) -> float:
    """A reading of the back's outline; unseen where the outline could not be traced."""
    if math.isnan(value):
        raise Unseen((BACK_OUTLINE,))
    return value


def back_curve(sk: Skeleton) -> float:
    return _traced(silhouette.back_curve(sk.trunk_outline))


def lower_back_bend(sk: Skeleton) -> float:
    return _traced(silhouette.lower_back_bend(sk.trunk_outline))


def sacrum_back_bend(sk: Skeleton) -> float:
    return _traced(silhouette.sacrum_back_bend(sk.trunk_outline))


def trunk_twist(sk: Skeleton) -> float:
    up = sk.world_superior()
    shoulders, hips = across3(sk.world_pair("shoulder"), up), across3(sk.world_pair("hip"), up)
    cos = dot3(shoulders, hips) / (norm3(shoulders) * norm3(hips) + 1e-9)
    return math.degrees(math.acos(clip1(cos)))


def view_yaw(sk: Skeleton) -> float:
    if sk.landmarks.world is not None:
        try:
            s, h = sk.world_pair("shoulder"), sk.world_pair("hip")
            return math.degrees(math.atan2(abs(s[0] + h[0]), abs(s[2] + h[2]) + 1e-9))
        except Unseen:
            pass
    # Without world landmarks: shoulder width against torso length (about 0.75 when frontal).
    width = distance(sk.pt("left_shoulder"), sk.pt("right_shoulder"))
    return math.degrees(math.asin(min(1.0, width / (0.75 * sk.torso_length))))


def camera_side_score(sk: Skeleton) -> float:
    score = sk.near_side_depth
    if math.isnan(score):
        raise Unseen(("left_hip",))
    return score


# --------------------------------------------------------------------------------------------
# Legs (sided)
def _hip_flexion(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        tx, ty = sk.segment(side, "hip", "knee")
        ux, uy = sk.superior_xy
        return signed_angle_xy(tx, ty, (-ux, -uy), sk.anterior_xy)
    return fn


def _leg_raise(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        lx, ly = sk.segment(side, "hip", "ankle")
        ux, uy = sk.superior_xy
        return signed_angle_xy(lx, ly, (-ux, -uy), sk.anterior_xy)
    return fn


def _knee_flexion(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        return 180.0 - joint_angle_xy(sk.side_pt(side, "hip"), sk.side_pt(side, "knee"),
                                      sk.side_pt(side, "ankle"))
    return fn


def _trunk_thigh_angle(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        return joint_angle_xy(sk.mid_pt("shoulder"), sk.side_pt(side, "hip"), sk.side_pt(side, "knee"))
    return fn


def _thigh_inclination(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        tx, ty = sk.segment(side, "hip", "knee")
        return angle_xy(tx, ty, *DOWN_XY)
    return fn


def _shin_inclination(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        sx, sy = sk.segment(side, "ankle", "knee")
        return signed_angle_xy(sx, sy, UP_XY, _facing(sk))
    return fn


def _knee_past_toes(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        dx = sk.side_pt(side, "knee")[0] - sk.side_pt(side, "foot_index")[0]
        return dx * sk.facing_x / sk.torso_length
    return fn


def _hand_to_ankle(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        ankle = sk.side_pt(side, "ankle")
        dists = []
        for s in SIDES:
            try:
                dists.append(distance(sk.side_pt(s, "wrist"), ankle))
            except Unseen:
                continue
        if not dists:
            raise Unseen(("left_wrist", "right_wrist"))
        return min(dists) / sk.torso_length
    return fn


def _world_torso(sk: Skeleton) -> float:
    length = norm3(sk.world_trunk())
    if length < 1e-6:
        raise Unseen(("left_shoulder", "left_hip"))
    return length


def _ankle_to_other_knee(side: Side) -> Callable[[Skeleton], float]:
    """In world space: a figure-4 cross is along the camera's line of sight when side-on."""
    def fn(sk: Skeleton) -> float:
        d = norm3(sub3(sk.world_pt(f"{side}_ankle"), sk.world_pt(f"{other(side)}_knee")))
        return d / _world_torso(sk)
    return fn


def _knee_to_shoulder(side: Side) -> Callable[[Skeleton], float]:
    def fn(sk: Skeleton) -> float:
        return distance(sk.side_pt(side, "knee"), sk.mid_pt("shoulder")) / sk.torso_length
    return fn


def _knees_towards(side: Side) -> Callable[[Skeleton], float]:
    """World-space shift of the knees towards `side`, over hip width (lying twist direction)."""
    def fn(sk: Skeleton) -> float:
        hips = sk.world_pair("hip")
        width = norm3(hips) + 1e-9
        shift = dot3(sub3(sk.world_mid_pt("knee"), sk.world_mid_pt("hip")), div3(hips, width)) / width
        return shift if side == "left" else -shift
    return fn


def _chest_turned_towards(side: Side) -> Callable[[Skeleton], float]:
    """World: the chest's turn towards `side` (seated twist direction)."""
    def fn(sk: Skeleton) -> float:
        turn = limbs.chest_turn_world(sk)
        return turn if side == "left" else -turn
    return fn


_SIDED: dict[str, tuple[str, str, Callable[[Side], Callable[[Skeleton], float]]]] = {
    "hip_flexion": ("deg", "Thigh angle from the trunk line, towards the front: 0 standing "
                    "straight, 90 thigh at a right angle in front, negative behind (extension).",
                    _hip_flexion),
    "leg_raise": ("deg", "Hip-to-ankle line from the trunk line, towards the front: 0 leg in "
                  "line with the body, 90 leg at a right angle (vertical when lying), >90 past it.",
                  _leg_raise),
    "knee_flexion": ("deg", "0 when the shank is in line with the thigh, grows as the knee bends.",
                     _knee_flexion),
    "trunk_thigh_angle": ("deg", "Angle at the hip between mid-shoulder and knee: 180 standing "
                          "straight, smaller as the trunk folds towards the thigh.",
                          _trunk_thigh_angle),
    "thigh_inclination": ("deg", "Hip-to-knee line from straight down: 0 vertical thigh, "
                          "90 horizontal.", _thigh_inclination),
    "shin_inclination": ("deg", "Ankle-to-knee line from vertical: positive when the knee is ahead "
                         "of the ankle in the direction the person faces (upright poses).",
                         _shin_inclination),
    "knee_past_toes": ("torso", "How far the knee is ahead of the toes, in the facing direction, "
                       "in torso lengths: positive when the knee is past the toes.",
                       _knee_past_toes),
    "hand_to_ankle": ("torso", "Distance from the nearer wrist to this leg's ankle, in torso "
                      "lengths: small when the hands reach for the foot.", _hand_to_ankle),
    "ankle_to_other_knee": ("torso", "World: distance from this ankle to the other knee, in torso "
                            "lengths: small in a figure-4 cross.", _ankle_to_other_knee),
    "knee_to_shoulder": ("torso", "Distance from this knee to mid-shoulder, in torso lengths: "
                         "small when the knee is drawn to the chest.", _knee_to_shoulder),
    "knees_towards": ("hip widths", "World-space shift of the knees towards this side of the "
                      "body, in hip widths: positive when the knees fall to this side.",
                      _knees_towards),
    "chest_turned_towards": ("deg", "World: how far the chest is turned towards this side of the "
                             "body, against the hips (seated twist).", _chest_turned_towards),
}

_PLAIN: dict[str, tuple[str, str, Callable[[Skeleton], float]]] = {
    "trunk_inclination": ("deg", "Hip-to-shoulder line from vertical: 0 upright, 90 horizontal "
                          "(lying or bent flat), 180 upside down.", trunk_inclination),
    "trunk_lean": ("deg", "Hip-to-shoulder line from vertical, signed: positive leaning forward "
                   "(towards where the person faces), negative leaning back. Upright poses.",
                   trunk_lean),
    "neck_flexion": ("deg", "Shoulder-to-ear line from the trunk line: 0 head in line, positive "
                     "chin towards chest (head lifting when lying on the back).", neck_flexion),
    "front_facing_up": ("cos", "How much the body's front points up: +1 lying on the back, "
                        "-1 face down, 0 upright.", front_facing_up),
    "hip_height": ("torso", "Mid-hip height above the floor line (lowest trusted body point), "
                   "in torso lengths.", hip_height),
    "shoulder_height": ("torso", "Mid-shoulder height above the floor line, in torso lengths.",
                        shoulder_height),
    "head_height": ("torso", "Mid-ear height above the floor line, in torso lengths.",
                    head_height),
    "shoulder_level_difference": ("torso", "Vertical gap between the two shoulders, in torso "
                                  "lengths: 0 when level.", shoulder_level_difference),
    "hip_tilt": ("deg", "Hip line from horizontal (front view): 0 level.", hip_tilt),
    "knee_separation": ("torso", "Distance between the knees, in torso lengths.", knee_separation),
    "hips_flexion_min": ("deg", "The smaller hip_flexion of the two legs (the one that is seen, if "
                         "only one is): both knees in when large.", hips_flexion_min),
    "shoulder_tilt": ("deg", "World: the shoulder line from the camera's horizontal plane: 0 both "
                      "shoulders level (on the floor when lying), grows as one lifts. Assumes a "
                      "roughly level camera.", shoulder_tilt),
    "back_curve": ("deg", "Person mask: bend of the back's outline between the lumbar stretch "
                   "(hip level to a third of the way up) and the upper back, side view. 0 a flat "
                   "back, positive rounded (flexed), negative arched (hollow). A neutral back reads "
                   "about -20 (see docs/spine.md). Unseen when the outline cannot be traced, and "
                   "while an elbow or a hand is behind the back (docs/measurements/hands.md).",
                   back_curve),
    "lower_back_bend": ("deg", "Person mask: bend of the back's outline between the lumbar stretch "
                        "and the middle of the back (0.2 to 0.8 of the way up), side view. Signs "
                        "as back_curve. It follows a change of the lumbar angle more evenly across "
                        "bodies, and breathing moves it less, but its own neutral reading spreads "
                        "more, so checks compare it with the person's own neutral (docs/spine.md).",
                        lower_back_bend),
    "sacrum_back_bend": ("deg", "Person mask: lower_back_bend with its lower line from the sacrum "
                         "(0.1 torso lengths below hip level) to a quarter of the way up, side view. "
                         "Signs as back_curve. On a seated body its change from the person's own "
                         "neutral follows the lumbar angle more closely (docs/spine.md).",
                         sacrum_back_bend),
    "trunk_twist": ("deg", "World: angle between the shoulder line and the hip line around the "
                    "trunk axis. 0 square, grows as the chest rotates.", trunk_twist),
    "view_yaw": ("deg", "World: how far the body is turned from side-on: 0 exactly side-on, "
                 "90 facing the camera (or facing away).", view_yaw),
    "camera_side_score": ("m", "World: mean depth of right-side joints minus left-side joints: "
                          "positive when the left side is nearer the camera.", camera_side_score),
    **limbs.PLAIN,
}


def _build() -> dict[str, Feature]:
    features: dict[str, Feature] = {}
    for name, (unit_, doc, fn) in _PLAIN.items():
        features[name] = Feature(name, unit_, doc, fn)
    for name, (unit_, doc, factory) in _SIDED.items():
        for side in SIDES:
            features[f"{side}_{name}"] = Feature(f"{side}_{name}", unit_, doc, factory(side),
                                                 sided=True, side=side)
    return features


FEATURES: dict[str, Feature] = _build()
# read the person mask, not only landmarks
MASK_FEATURES: frozenset[str] = frozenset({"back_curve", "lower_back_bend", "sacrum_back_bend"})
SIDED_FEATURES: tuple[str, ...] = tuple(_SIDED)
PLAIN_FEATURES: tuple[str, ...] = tuple(_PLAIN)


def base_names() -> tuple[str, ...]:
    """Feature names as pose files use them (sided ones without their side prefix)."""
    return PLAIN_FEATURES + SIDED_FEATURES


@functools.cache  # the checker asks for the same few names every frame
def limb_feature(feature: str, limb: str | None, working_side: str | None) -> str | None:
    """The measured name of a pose file's feature: `knee_flexion` on the working leg of a left-side
    stretch is `left_knee_flexion`. None while a per-leg feature's working side is unknown."""
    if limb is None:
        return feature
    if working_side not in SIDES:
        return None
    side: Side = working_side  # type: ignore[assignment]
    return f"{side if limb == 'working' else other(side)}_{feature}"


def measure(name: str, sk: Skeleton) -> tuple[float, tuple[str, ...]]:
    """Value of one feature and, when NaN, the landmarks it could not see."""
    values, missing = measure_all(sk, (name,))
    return values[name], missing.get(name, ())


def measure_all(sk: Skeleton, names: tuple[str, ...] | None = None
                ) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """Measure many features: values (NaN when unseen) and what each NaN could not see."""
    values: dict[str, float] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for name in names or tuple(FEATURES):
        try:
            values[name] = float(FEATURES[name].fn(sk))
        except Unseen as exc:
            values[name] = math.nan
            if exc.names:
                missing[name] = exc.names
        except ZeroDivisionError:
            values[name] = math.nan
    return values, missing
