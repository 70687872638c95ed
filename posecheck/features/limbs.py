"""Features of both arms or both legs together, for the stretches done with both sides at once.

Each function measures every limb it can see and combines them (mean, max or min, as its name
says), so a side-on camera that hides the far arm still gives a value from the near one. The
conventions match `catalogue`: image-plane degrees, distances in torso lengths, "world" in the
name for MediaPipe's metric 3D landmarks (x right, y down, z away from the camera).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from posecheck.features.geometry import (
    DOWN_XY,
    UP_XY,
    Vec2,
    Vec3,
    across3,
    angle_xy,
    clip1,
    cross3,
    distance,
    div3,
    dot3,
    hypot,
    joint_angle_xy,
    mean,
    norm3,
    signed_angle_xy,
)
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.landmarks import SIDES, Side

WORLD_UP: Vec3 = (0.0, -1.0, 0.0)  # MediaPipe world landmarks: y points down


def _each_side(sk: Skeleton, fn: Callable[[Side], float], parts: tuple[str, ...]) -> list[float]:
    """fn(side) for every side whose landmarks are seen; Unseen when neither is."""
    values: list[float] = []
    for side in SIDES:
        try:
            values.append(float(fn(side)))
        except Unseen:
            continue
    if not values:
        raise Unseen(tuple(f"{s}_{p}" for s in SIDES for p in parts))
    return values


# -- arms ------------------------------------------------------------------------------------
def _elbow_bend(sk: Skeleton, side: Side) -> float:
    return 180.0 - joint_angle_xy(sk.side_pt(side, "shoulder"), sk.side_pt(side, "elbow"),
                                  sk.side_pt(side, "wrist"))


def elbow_bend_max(sk: Skeleton) -> float:
    return max(_each_side(sk, lambda s: _elbow_bend(sk, s), ("elbow", "wrist")))


def elbow_bend_min(sk: Skeleton) -> float:
    return min(_each_side(sk, lambda s: _elbow_bend(sk, s), ("elbow", "wrist")))


def _mean_segment_angle(sk: Skeleton, start: str, end: str, reference: Vec2) -> float:
    """Angle between the start-to-end segment and `reference`, averaged over the sides seen."""
    def one(side: Side) -> float:
        return angle_xy(*sk.segment(side, start, end), *reference)
    return mean(_each_side(sk, one, (start, end)))


def arms_from_vertical(sk: Skeleton) -> float:
    return _mean_segment_angle(sk, "shoulder", "wrist", DOWN_XY)


def arm_raise(sk: Skeleton) -> float:
    def one(side: Side) -> float:
        ax, ay = sk.segment(side, "shoulder", "elbow")
        ux, uy = sk.superior_xy
        return angle_xy(ax, ay, -ux, -uy)
    return mean(_each_side(sk, one, ("shoulder", "elbow")))


def _forearm_lift(sk: Skeleton, side: Side) -> float:
    """How far the wrist is above the elbow, over the upper arm's length in the picture.

    Not over the forearm's own length: a forearm turning towards the camera shortens on screen,
    which would make a quarter turn read as a full one. The upper arm stays out to the side."""
    wrist, elbow = sk.side_pt(side, "wrist"), sk.side_pt(side, "elbow")
    sx, sy = sk.side_pt(side, "shoulder")
    upper = hypot(elbow[0] - sx, elbow[1] - sy)
    if upper < 1e-6:
        raise Unseen((f"{side}_elbow",))
    return (elbow[1] - wrist[1]) / upper


def forearms_alternation(sk: Skeleton) -> float:
    return _forearm_lift(sk, "left") - _forearm_lift(sk, "right")


def forearms_upright(sk: Skeleton) -> float:
    return min(abs(_forearm_lift(sk, "left")), abs(_forearm_lift(sk, "right")))


def elbow_height_difference(sk: Skeleton) -> float:
    return abs(sk.pt("left_elbow")[1] - sk.pt("right_elbow")[1]) / sk.torso_length


def elbows_apart(sk: Skeleton) -> float:
    return distance(sk.pt("left_elbow"), sk.pt("right_elbow")) / sk.torso_length


def shoulder_to_ear(sk: Skeleton) -> float:
    return distance(sk.mid_pt("ear"), sk.mid_pt("shoulder")) / sk.torso_length


# -- legs ------------------------------------------------------------------------------------
def thighs_from_vertical(sk: Skeleton) -> float:
    return _mean_segment_angle(sk, "hip", "knee", DOWN_XY)


def knees_ahead_of_hips(sk: Skeleton) -> float:
    def one(side: Side) -> float:
        tx, ty = sk.segment(side, "hip", "knee")
        return signed_angle_xy(tx, ty, DOWN_XY, (float(sk.facing_x), 0.0))
    return mean(_each_side(sk, one, ("hip", "knee")))


def legs_from_vertical(sk: Skeleton) -> float:
    return _mean_segment_angle(sk, "hip", "ankle", UP_XY)


def knees_flexion_min(sk: Skeleton) -> float:
    def one(side: Side) -> float:
        return 180.0 - joint_angle_xy(sk.side_pt(side, "hip"), sk.side_pt(side, "knee"),
                                      sk.side_pt(side, "ankle"))
    return min(_each_side(sk, one, ("knee", "ankle")))


def hips_to_heels(sk: Skeleton) -> float:
    return distance(sk.mid_pt("heel"), sk.mid_pt("hip")) / sk.torso_length


# -- trunk in the world ----------------------------------------------------------------------
def trunk_inclination_world(sk: Skeleton) -> float:
    v = sk.world_trunk()
    n = norm3(v)
    if n < 1e-6:
        raise Unseen(("left_shoulder", "left_hip"))
    return math.degrees(math.acos(clip1(dot3(div3(v, n), WORLD_UP))))


def _world_front(sk: Skeleton) -> Vec3:
    """The body's front in the world, level: the right-to-left hip line crossed with world up.

    Only the hips and gravity set it, so the shoulders can be measured against it."""
    front = cross3(sk.world_pair("hip"), WORLD_UP)
    n = norm3(front)
    if n < 1e-9:
        raise Unseen(("left_hip", "right_hip"))
    return div3(front, n)


def shoulders_forward_world(sk: Skeleton) -> float:
    shift = sk.world_trunk()
    torso = norm3(shift)
    if torso < 1e-6:
        raise Unseen(("left_shoulder", "left_hip"))
    return dot3(shift, _world_front(sk)) / torso


def chest_turn_world(sk: Skeleton) -> float:
    """Signed rotation of the shoulder line against the hip line about the trunk axis (left +)."""
    up = sk.world_superior()
    sh, hp = across3(sk.world_pair("shoulder"), up), across3(sk.world_pair("hip"), up)
    # Turning the chest to the body's left swings the left shoulder backwards: a positive turn
    # about the trunk's upward axis in this frame (x right, y down, z away).
    return math.degrees(math.atan2(dot3(cross3(hp, sh), up), dot3(hp, sh)))


PLAIN: dict[str, tuple[str, str, Callable[[Skeleton], float]]] = {
    "elbow_bend_max": ("deg", "The more bent elbow: 0 arm straight, 90 a right angle, larger as "
                       "the hand comes towards the shoulder.", elbow_bend_max),
    "elbow_bend_min": ("deg", "The straighter elbow, same scale as elbow_bend_max: small when an "
                       "arm opens out.", elbow_bend_min),
    "arms_from_vertical": ("deg", "Shoulder-to-wrist line from straight down, mean of the arms "
                           "seen: 0 hands straight under the shoulders.", arms_from_vertical),
    "arm_raise": ("deg", "Upper arm from the trunk line, mean of the arms seen: 0 arms down by "
                  "the sides, 90 level, 180 straight overhead in line with the trunk.", arm_raise),
    "forearms_alternation": ("lift", "Left forearm lift minus right forearm lift (front view), where "
                             "lift is the wrist's height above the elbow over the upper arm's "
                             "length: about +1.7 with the left hand straight up and the right "
                             "straight down, 0 with both forearms level or pointing at the camera.",
                             forearms_alternation),
    "forearms_upright": ("lift", "The smaller of the two forearms' lifts, unsigned: near 0.85 when "
                         "both forearms point straight up or down, 0 when one points at the camera "
                         "(its elbow angle cannot be read then).", forearms_upright),
    "elbow_height_difference": ("torso", "Vertical gap between the two elbows, in torso lengths: "
                                "0 when level.", elbow_height_difference),
    "elbows_apart": ("torso", "Distance between the two elbows in the picture, in torso lengths "
                     "(front view): narrows as the shoulder blades squeeze and draw the elbows "
                     "back.", elbows_apart),
    "shoulder_to_ear": ("torso", "Mid-shoulder to mid-ear distance, in torso lengths: shrinks "
                        "when the shoulders shrug up to the ears.", shoulder_to_ear),
    "thighs_from_vertical": ("deg", "Hip-to-knee line from straight down, mean of the legs seen: "
                             "0 knees straight under the hips.", thighs_from_vertical),
    "knees_ahead_of_hips": ("deg", "Hip-to-knee line from straight down, signed, mean of the legs "
                            "seen: positive when the knees are ahead of the hips in the direction "
                            "an upright person faces (kneeling with the hips drifting back).",
                            knees_ahead_of_hips),
    "legs_from_vertical": ("deg", "Hip-to-ankle line from straight up, mean of the legs seen: 0 "
                           "legs pointing straight up (lying with the legs up a wall).",
                           legs_from_vertical),
    "knees_flexion_min": ("deg", "The straighter knee: 0 straight, large when both knees are "
                          "fully bent (sitting on the heels).", knees_flexion_min),
    "hips_to_heels": ("torso", "Mid-hip to mid-heel distance, in torso lengths: small when "
                      "sitting back on the heels.", hips_to_heels),
    "trunk_inclination_world": ("deg", "World: hip-to-shoulder line from vertical, seen from any "
                                "angle: 0 upright, grows as the trunk slumps or leans.",
                                trunk_inclination_world),
    "shoulders_forward_world": ("torso", "World: how far mid-shoulder is ahead of mid-hip along "
                                "the level front the hips face, in torso lengths: 0 upright, "
                                "grows with a forward lean or rounded shoulders, drops as the "
                                "shoulders draw back.", shoulders_forward_world),
    "chest_turn_world": ("deg", "World: signed turn of the shoulder line against the hip line "
                         "about the trunk: positive with the chest turned to the body's left.",
                         chest_turn_world),
}
