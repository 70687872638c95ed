"""Every feature in the catalogue, measured on hand-drawn stick figures with values worked out by hand.

Each figure is drawn with its left side towards the camera and measured a second time turned round
(`Figure.mirrored()`: right side towards the camera, image and world x and z flipped, names kept);
the anatomical values must not change. Pixel geometry: x right, y down; figures facing image-left
have their front towards -x when upright. Torso length is 200 px in every figure unless moved.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from builders import (
    FLOOR_Y,
    HIP,
    LYING_FLOOR_Y,
    LYING_HIP,
    THIGH,
    Figure,
    add,
    at,
    both,
    frontal,
    heel_on_step,
    leg_forward,
    lunge,
    lying_face_down,
    lying_knee_to_chest,
    lying_leg_raised,
    lying_on_back,
    painted_lower_back_bend,
    standing,
)

from posecheck.features.catalogue import (
    FEATURES,
    base_names,
    measure,
    measure_all,
)
from posecheck.features.geometry import angle_xy, joint_angle_xy, rotate90_xy, signed_angle_xy
from posecheck.features.skeleton import FRAME_MARGIN, MAX_BONE_TO_TORSO, MIN_VISIBILITY, Skeleton, Unseen
from posecheck.frames import Landmarks
from posecheck.landmarks import INDEX

SIDES = ("left", "right")
ATAN_3_4 = math.degrees(math.atan2(3, 4))  # 36.8699 deg: the small angle of a 3-4-5 triangle
DEG = 1e-6  # degrees: the figures are exact, so angles come out to rounding error
LEN = 1e-9  # torso lengths / cosines
SHOULDER = (HIP[0], HIP[1] - 200.0)  # standing(): mid-shoulder, 200 px above mid-hip
LYING_SHOULDER = (LYING_HIP[0] + 200.0, LYING_HIP[1])  # lying_on_back(): head to image-right


def value(fig: Figure, name: str, camera_side: str) -> float:
    """Measure `name` on the figure turned so `camera_side` faces the camera, with no landmark unseen."""
    v, missing = measure(name, fig.facing(camera_side).skeleton())
    assert missing == (), f"{name} could not see {missing}"
    return v


# --------------------------------------------------------------------------------------------
# The figures used below, each with the numbers the expected values come from.
def trunk_forward_345() -> Figure:
    # mid-shoulder 120 px forward (-x) and 160 px above mid-hip: 36.87 deg from vertical, forwards.
    return standing().moved(**both("shoulder", add(HIP, -120.0, -160.0)))


def trunk_back_345() -> Figure:
    # mid-shoulder 120 px behind (+x) and 160 px above mid-hip: 36.87 deg from vertical, backwards.
    return standing().moved(**both("shoulder", add(HIP, 120.0, -160.0)))


def reclined_345() -> Figure:
    # sitting back: mid-shoulder 160 px behind and 120 px above mid-hip. superior = (0.8, -0.6);
    # anterior (superior turned anticlockwise on screen for a left-facing figure) = (-0.6, -0.8),
    # whose upward component is 0.8.
    return standing().moved(**both("shoulder", add(HIP, 160.0, -120.0)))


def chin_to_chest() -> Figure:
    # ears 36 px forward and 48 px above the shoulders: 36.87 deg in front of the trunk line.
    return standing().moved(**both("ear", add(SHOULDER, -36.0, -48.0)))


def head_back() -> Figure:
    return standing().moved(**both("ear", add(SHOULDER, 36.0, -48.0)))


def lying_head_lifted() -> Figure:
    # lying on the back (superior +x, anterior up): ears 48 px headwards and 36 px up from the
    # shoulders, i.e. 36.87 deg towards the chest.
    return lying_on_back().moved(**both("ear", add(LYING_SHOULDER, 48.0, -36.0)))


def bridge() -> Figure:
    # hips lifted 60 px off the lying line: torso = hypot(200, 60); floor line = heels at y 712.
    return lying_on_back().moved(**both("hip", add(LYING_HIP, 0.0, -60.0)))


def lying_shoulders_lifted() -> Figure:
    # shoulders 40 px above the lying line: torso = hypot(200, 40).
    return lying_on_back().moved(**both("shoulder", add(LYING_SHOULDER, 0.0, -40.0)))


def front_shoulders_uneven() -> Figure:
    # facing the camera: left shoulder 30 px higher, right 30 px lower; mid-shoulder stays 200 px up.
    f = frontal()
    return f.moved(left_shoulder=add(f.points["left_shoulder"], 0, -30),
                   right_shoulder=add(f.points["right_shoulder"], 0, 30))


def front_hips_tilted() -> Figure:
    # left hip (image-right, x 650) 10 px up, right hip (x 550) 10 px down: 20 px over 100 px.
    f = frontal()
    return f.moved(left_hip=add(f.points["left_hip"], 0, -10), right_hip=add(f.points["right_hip"], 0, 10))


def both_knees_in() -> Figure:
    # left thigh 120 deg, right thigh 100 deg from the trunk line: the smaller is 100.
    k = lying_knee_to_chest("left", 120.0)
    r = lying_knee_to_chest("right", 100.0)
    right_leg = ("right_knee", "right_ankle", "right_heel", "right_foot_index")
    return k.moved(**{n: r.points[n] for n in right_leg})


def lying_one_shoulder_lifted() -> Figure:
    # world (metres): left shoulder auto at (0.5, 0, -0.1); right shoulder lifted 0.1 m to
    # (0.5, -0.1, 0.1). Left minus right = (0, 0.1, -0.2): asin(0.1 / sqrt(0.05)) = 26.565 deg.
    return lying_on_back().with_world(right_shoulder=(0.5, -0.1, 0.1))


def _turned(deg: float, parts: tuple[str, ...]) -> dict[str, tuple[float, float, float]]:
    # a left/right pair 0.2 m apart turned `deg` about the vertical from pointing at the camera
    s, c = math.sin(math.radians(deg)), math.cos(math.radians(deg))
    out = {}
    for part in parts:
        y = -0.5 if part == "shoulder" else 0.0
        out[f"left_{part}"] = (-0.1 * s, y, -0.1 * c)
        out[f"right_{part}"] = (0.1 * s, y, 0.1 * c)
    return out


def chest_twisted_30() -> Figure:
    # hips square (left z -0.1, right z +0.1), shoulder line turned 30 deg about the trunk axis.
    return standing().with_world(**_turned(30.0, ("shoulder",)))


def body_turned_30() -> Figure:
    # both shoulder and hip lines turned 30 deg from pointing at the camera: 30 deg from side-on.
    return standing().with_world(**_turned(30.0, ("shoulder", "hip")))


def front_narrow_no_world() -> Figure:
    # no world landmarks: shoulders 75 px apart over a 200 px torso; asin(75 / (0.75 * 200)) = 30.
    return frontal(shoulder_half=37.5).without_world()


def lunge_shin_forward() -> Figure:
    # front (right) shank from ankle to knee = (-90, -120): knee 90 px ahead, 36.87 deg.
    f = lunge("left")
    return f.moved(right_ankle=add(f.points["right_knee"], 90.0, 120.0))


def lunge_shin_back() -> Figure:
    f = lunge("left")
    return f.moved(right_ankle=add(f.points["right_knee"], -90.0, 120.0))


def lunge_with_hands() -> Figure:
    # front (right) ankle at (420, 670); left wrist 50 px above it, right wrist at (600, 620).
    return lunge("left").moved(left_wrist=(420.0, 620.0), right_wrist=(600.0, 620.0))


def figure_four() -> Figure:
    # on the back, right foot on the floor, left ankle resting 20 px above the right knee.
    return lying_on_back().moved(right_knee=(500.0, 560.0), right_ankle=(400.0, 700.0),
                                 left_knee=(560.0, 520.0), left_ankle=(500.0, 540.0))


def knee_near_chest() -> Figure:
    # left knee 120 px feet-wards and 160 px up from the mid-shoulder: exactly one torso length.
    return lying_on_back().moved(left_knee=add(LYING_SHOULDER, -120.0, -160.0))


def knees_fallen_near_side() -> Figure:
    # world: hips at z -0.1 (left, near) and +0.1 (right): width 0.2 m along -z for left.
    # both knees at z -0.06: 0.06 m towards the left = 0.3 hip widths.
    return lying_knee_to_chest("left", 100.0).with_depth(left_knee=-0.06, right_knee=-0.06)


def flat_back() -> Figure:
    return standing().with_back(0.0)


def rounded_back() -> Figure:
    return heel_on_step("left", lean=45.0).with_back(15.0)


def arched_back() -> Figure:
    return lunge("left").with_back(-35.0)


def elbows_bent() -> Figure:
    # standing: elbows at (600, 420). Left wrist 110 px straight forward: 90 deg of bend; right
    # wrist 66 px forward and 88 px down: 36.87 deg.
    return standing().moved(left_wrist=(490.0, 420.0), right_wrist=(534.0, 508.0))


def arms_forward_345() -> Figure:
    # both arms straight, wrists 138 px forward and 184 px below the shoulders (230 px long).
    return standing().moved(**both("elbow", add(SHOULDER, -72.0, 96.0)),
                            **both("wrist", add(SHOULDER, -138.0, 184.0)))


def arms_overhead() -> Figure:
    return standing().moved(**both("elbow", add(SHOULDER, 0.0, -120.0)),
                            **both("wrist", add(SHOULDER, 0.0, -230.0)))


def arms_level_forward() -> Figure:
    return standing().moved(**both("elbow", add(SHOULDER, -120.0, 0.0)),
                            **both("wrist", add(SHOULDER, -230.0, 0.0)))


def wall_angel(right_elbow_drop: float = 0.0) -> Figure:
    # facing the camera, upper arms level: left forearm straight up, right forearm straight down.
    f = frontal()
    ls, rs = f.points["left_shoulder"], f.points["right_shoulder"]
    le, re = add(ls, 100.0, 0.0), add(rs, -100.0, right_elbow_drop)
    return f.moved(left_elbow=le, left_wrist=add(le, 0.0, -100.0), right_elbow=re,
                   right_wrist=add(re, 0.0, 100.0))


def shrugged() -> Figure:
    # shoulders 20 px up towards the ears: 40 px of neck over a 220 px torso.
    return standing().moved(**both("shoulder", add(SHOULDER, 0.0, -20.0)))


def legs_up() -> Figure:
    # on the back, both legs straight up.
    left = lying_leg_raised("left", 90.0)
    right = lying_leg_raised("right", 90.0)
    return left.moved(**{n: right.points[n] for n in ("right_knee", "right_ankle", "right_heel",
                                                      "right_foot_index")})


MASK_DEG = 1.0  # the painted mask is anti-aliased pixels: the outline's angle is good to a degree


# (feature, figure, expected). Sided features name the left_ or right_ variant.
CASES: list[tuple[str, object, float, float]] = [
    # back_curve: the bend painted into the mask's back outline, + rounded, - arched
    ("back_curve", flat_back, 0.0, MASK_DEG),
    ("back_curve", rounded_back, 15.0, MASK_DEG),
    ("back_curve", arched_back, -35.0, MASK_DEG),
    # lower_back_bend: the same bends, its upper line on the middle of the back (0.2 to 0.8), which
    # spans the painted kink (0.45): about two thirds of the bend painted
    ("lower_back_bend", flat_back, 0.0, MASK_DEG),
    ("lower_back_bend", rounded_back, painted_lower_back_bend(15.0), MASK_DEG),
    ("lower_back_bend", arched_back, painted_lower_back_bend(-35.0), MASK_DEG),
    # sacrum_back_bend: its lower line starts below the hip (-0.1 to 0.25), still on the painted lower
    # stretch (which the painted back continues below the hip), so it reads as lower_back_bend does
    ("sacrum_back_bend", flat_back, 0.0, MASK_DEG),
    ("sacrum_back_bend", rounded_back, painted_lower_back_bend(15.0), MASK_DEG),
    ("sacrum_back_bend", arched_back, painted_lower_back_bend(-35.0), MASK_DEG),
    # trunk_inclination: hip-to-shoulder line from vertical, unsigned: 0 upright, 90 lying
    ("trunk_inclination", standing, 0.0, DEG),
    ("trunk_inclination", trunk_forward_345, ATAN_3_4, DEG),
    ("trunk_inclination", trunk_back_345, ATAN_3_4, DEG),
    ("trunk_inclination", lying_on_back, 90.0, DEG),
    # trunk_lean: the same, signed: + forward (towards where the person faces), - back
    ("trunk_lean", standing, 0.0, DEG),
    ("trunk_lean", trunk_forward_345, ATAN_3_4, DEG),
    ("trunk_lean", trunk_back_345, -ATAN_3_4, DEG),
    ("trunk_lean", lambda: standing(lean=-10.0), -10.0, DEG),
    # neck_flexion: shoulder-to-ear line from the trunk line, + chin to chest / head lifting
    ("neck_flexion", standing, 0.0, DEG),
    ("neck_flexion", chin_to_chest, ATAN_3_4, DEG),
    ("neck_flexion", head_back, -ATAN_3_4, DEG),
    ("neck_flexion", lying_head_lifted, ATAN_3_4, DEG),
    # front_facing_up: +1 lying on the back, -1 face down, 0 upright
    ("front_facing_up", lying_on_back, 1.0, LEN),
    ("front_facing_up", lying_face_down, -1.0, LEN),
    ("front_facing_up", standing, 0.0, LEN),
    ("front_facing_up", reclined_345, 0.8, LEN),
    # heights above the floor line (lowest trusted body point), in torso lengths
    ("hip_height", standing, (FLOOR_Y - 500.0) / 200.0, LEN),  # 362 / 200 = 1.81
    ("hip_height", lying_on_back, (LYING_FLOOR_Y - 700.0) / 200.0, LEN),  # 12 / 200
    ("hip_height", bridge, (LYING_FLOOR_Y - 640.0) / math.hypot(200.0, 60.0), LEN),
    ("shoulder_height", standing, (FLOOR_Y - 300.0) / 200.0, LEN),
    ("shoulder_height", lying_shoulders_lifted, (LYING_FLOOR_Y - 660.0) / math.hypot(200.0, 40.0), LEN),
    ("head_height", standing, (FLOOR_Y - 240.0) / 200.0, LEN),  # ears 60 px above the shoulders
    ("head_height", lying_head_lifted, (LYING_FLOOR_Y - 664.0) / 200.0, LEN),
    # front view
    ("shoulder_level_difference", frontal, 0.0, LEN),
    ("shoulder_level_difference", front_shoulders_uneven, 60.0 / 200.0, LEN),
    ("hip_tilt", frontal, 0.0, DEG),
    ("hip_tilt", front_hips_tilted, math.degrees(math.atan2(20.0, 100.0)), DEG),  # 11.31
    ("knee_separation", frontal, 100.0 / 200.0, LEN),
    ("knee_separation", standing, 0.0, LEN),
    # hips_flexion_min: the smaller hip_flexion of the two legs
    ("hips_flexion_min", lunge, -20.0, DEG),  # kneeling thigh 20 deg behind, front thigh at 90
    ("hips_flexion_min", both_knees_in, 100.0, DEG),
    ("hips_flexion_min", lying_knee_to_chest, 0.0, DEG),  # the straight leg
    # world features
    ("shoulder_tilt", lying_on_back, 0.0, DEG),
    ("shoulder_tilt", lying_one_shoulder_lifted, math.degrees(math.asin(0.1 / math.sqrt(0.05))), DEG),
    ("trunk_twist", standing, 0.0, 0.05),  # 0.013 from the 1e-9 guard in its cosine
    ("trunk_twist", chest_twisted_30, 30.0, 0.05),
    ("view_yaw", standing, 0.0, DEG),
    ("view_yaw", frontal, 90.0, DEG),
    ("view_yaw", body_turned_30, 30.0, DEG),
    ("view_yaw", front_narrow_no_world, 30.0, DEG),
    # hip_flexion: thigh from the trunk line towards the front; 0 standing, negative behind
    ("left_hip_flexion", standing, 0.0, DEG),
    ("left_hip_flexion", lambda: leg_forward("left", 30.0), 30.0, DEG),
    ("right_hip_flexion", lambda: leg_forward("left", 30.0), 0.0, DEG),
    # thigh 30 deg in front of straight down, trunk leaning 20 deg forward: 30 + 20 from the trunk line
    ("left_hip_flexion", lambda: leg_forward("left", 30.0, lean=20.0), 50.0, DEG),
    ("left_hip_flexion", lambda: lunge("left"), -20.0, DEG),  # kneeling thigh behind the trunk
    ("right_hip_flexion", lambda: lunge("left"), 90.0, DEG),
    ("left_hip_flexion", lambda: lying_knee_to_chest("left", 120.0), 120.0, DEG),
    # leg_raise: hip-to-ankle line from the trunk line towards the front; 90 vertical when lying
    ("left_leg_raise", lying_on_back, 0.0, DEG),
    ("left_leg_raise", lambda: lying_leg_raised("left", 90.0), 90.0, DEG),
    ("right_leg_raise", lambda: lying_leg_raised("right", 45.0), 45.0, DEG),
    ("left_leg_raise", lambda: lying_leg_raised("left", 110.0), 110.0, DEG),
    ("right_leg_raise", lambda: lying_leg_raised("left", 90.0), 0.0, DEG),
    # knee_flexion: 0 straight, 90 at a right angle
    ("left_knee_flexion", standing, 0.0, DEG),
    ("right_knee_flexion", lambda: lunge("left"), 90.0, DEG),  # thigh horizontal, shank vertical
    ("left_knee_flexion", lambda: lunge("left"), 70.0, DEG),  # thigh 20 deg behind down, shank flat back
    ("left_knee_flexion", lambda: lying_knee_to_chest("left", 120.0, 120.0), 120.0, DEG),
    # trunk_thigh_angle: angle at the hip between shoulder and knee; 180 standing
    ("left_trunk_thigh_angle", standing, 180.0, DEG),
    ("right_trunk_thigh_angle", lambda: lunge("left"), 90.0, DEG),
    ("left_trunk_thigh_angle", lambda: lunge("left"), 160.0, DEG),
    # thigh_inclination: hip-to-knee from straight down, unsigned; 0 vertical, 90 horizontal
    ("left_thigh_inclination", standing, 0.0, DEG),
    ("right_thigh_inclination", lambda: lunge("left"), 90.0, DEG),
    ("left_thigh_inclination", lambda: lunge("left"), 20.0, DEG),
    ("left_thigh_inclination", lambda: lying_leg_raised("left", 90.0), 180.0, DEG),
    # shin_inclination: ankle-to-knee from vertical; + knee ahead of the ankle in the facing direction
    ("right_shin_inclination", lambda: lunge("left"), 0.0, DEG),
    ("right_shin_inclination", lunge_shin_forward, ATAN_3_4, DEG),
    ("right_shin_inclination", lunge_shin_back, -ATAN_3_4, DEG),
    ("left_shin_inclination", lambda: lunge("right"), 0.0, DEG),  # the left leg in front this time
    # knee_past_toes: knee ahead of the toes in the facing direction, torso lengths
    ("right_knee_past_toes", lambda: lunge("left", front_toe_dx=-60.0), -60.0 / 200.0, LEN),  # toes ahead
    ("right_knee_past_toes", lambda: lunge("left", front_toe_dx=40.0), 40.0 / 200.0, LEN),  # knee past
    ("left_knee_past_toes", lambda: lunge("right", front_toe_dx=40.0), 40.0 / 200.0, LEN),
    # hand_to_ankle: nearer wrist to this ankle, torso lengths
    ("right_hand_to_ankle", lunge_with_hands, 50.0 / 200.0, LEN),
    # kneeling ankle = back knee + (170, 0) = (600 + 180 sin 20 + 170, 500 + 180 cos 20);
    # the nearer wrist is the right one at (600, 620)
    ("left_hand_to_ankle", lunge_with_hands,
     math.hypot(180 * math.sin(math.radians(20)) + 170, 180 * math.cos(math.radians(20)) - 120) / 200, LEN),
    # ankle_to_other_knee: this ankle to the other knee, torso lengths (small in a figure-4)
    # measured in world space (the cross lies along the line of sight when side-on): the builder
    # maps 1 px to 2.5 mm and puts the near and far sides 0.2 m apart in depth; torso 0.5 m
    ("left_ankle_to_other_knee", figure_four, math.hypot(20.0 * 0.0025, 0.2) / 0.5, LEN),
    ("right_ankle_to_other_knee", figure_four, math.hypot(160.0 * 0.0025, 180.0 * 0.0025, 0.2) / 0.5, LEN),
    # knee_to_shoulder: knee to mid-shoulder, torso lengths
    ("left_knee_to_shoulder", knee_near_chest, 1.0, LEN),
    ("right_knee_to_shoulder", knee_near_chest, 380.0 / 200.0, LEN),  # straight leg: knee 180 px past hip
    # knees_towards: world shift of the knees towards this side, hip widths
    ("left_knees_towards", lying_on_back, 0.0, LEN),
    ("left_knees_towards", knees_fallen_near_side, 0.3, 1e-7),  # 1e-9 m guard in the width
    ("right_knees_towards", knees_fallen_near_side, -0.3, 1e-7),
    # elbow_bend_max / _min: 180 minus the angle at the elbow, the more / less bent arm
    ("elbow_bend_max", standing, 0.0, DEG),
    ("elbow_bend_max", elbows_bent, 90.0, DEG),
    ("elbow_bend_min", elbows_bent, ATAN_3_4, DEG),
    # arms_from_vertical: shoulder-to-wrist from straight down, mean of the arms
    ("arms_from_vertical", standing, 0.0, DEG),
    ("arms_from_vertical", arms_forward_345, ATAN_3_4, DEG),
    # arm_raise: upper arm from the trunk line pointing down
    ("arm_raise", standing, 0.0, DEG),
    ("arm_raise", arms_level_forward, 90.0, DEG),
    ("arm_raise", arms_overhead, 180.0, DEG),
    ("arm_raise", lambda: trunk_forward_345().moved(**both("elbow", add(HIP, -216.0, -88.0))),
     90.0, DEG),  # arm at right angles to a leaning trunk: shoulder + (-96, 72)
    # forearms_alternation: left lift minus right lift, lift = wrist above elbow / upper arm length.
    # frontal(): both wrists 100 px below their elbows; wall_angel(): upper arms 100 px, forearms
    # 100 px straight up (left) and down (right).
    ("forearms_alternation", frontal, 0.0, LEN),
    ("forearms_alternation", wall_angel, 2.0, LEN),
    # forearms_upright: the smaller |lift|: frontal() upper arms are hypot(20, 120) px long
    ("forearms_upright", frontal, 100.0 / math.hypot(20.0, 120.0), LEN),
    ("forearms_upright", wall_angel, 1.0, LEN),
    # elbow_height_difference: vertical gap between the elbows, torso lengths
    ("elbow_height_difference", frontal, 0.0, LEN),
    ("elbow_height_difference", lambda: wall_angel(40.0), 40.0 / 200.0, LEN),
    # elbows_apart: elbow to elbow, torso lengths; frontal() elbows at x 500 and 700
    ("elbows_apart", frontal, 200.0 / 200.0, LEN),
    ("elbows_apart", wall_angel, 360.0 / 200.0, LEN),
    # shoulder_to_ear: mid-shoulder to mid-ear, torso lengths
    ("shoulder_to_ear", standing, 60.0 / 200.0, LEN),
    ("shoulder_to_ear", shrugged, 40.0 / 220.0, LEN),
    # thighs_from_vertical: mean of both thighs from straight down
    ("thighs_from_vertical", standing, 0.0, DEG),
    ("thighs_from_vertical", lunge, (20.0 + 90.0) / 2, DEG),
    # knees_ahead_of_hips: signed thighs, + knee ahead in the facing direction; lunge -20 and +90
    ("knees_ahead_of_hips", standing, 0.0, DEG),
    ("knees_ahead_of_hips", lunge, (-20.0 + 90.0) / 2, DEG),
    # legs_from_vertical: hip-to-ankle from straight up, mean of both legs
    ("legs_from_vertical", legs_up, 0.0, DEG),
    ("legs_from_vertical", lambda: lying_leg_raised("left", 90.0), 45.0, DEG),
    # knees_flexion_min: the straighter knee. Lunge: kneeling knee 70 (thigh 20 deg back, shank
    # flat behind), front knee 90.
    ("knees_flexion_min", standing, 0.0, DEG),
    ("knees_flexion_min", lunge, 70.0, DEG),
    # hips_to_heels: mid-hip (600, 500) to mid-heel (612, 862), torso lengths
    ("hips_to_heels", standing, math.hypot(12.0, 362.0) / 200.0, LEN),
    # trunk_inclination_world: the world trunk from vertical (world = image geometry here)
    ("trunk_inclination_world", standing, 0.0, DEG),
    ("trunk_inclination_world", trunk_forward_345, ATAN_3_4, DEG),
    # shoulders_forward_world: mid-shoulder ahead of mid-hip along the hips' level front, torso lengths
    ("shoulders_forward_world", standing, 0.0, LEN),
    ("shoulders_forward_world", trunk_forward_345, 0.6, LEN),
    ("shoulders_forward_world", trunk_back_345, -0.6, LEN),
    # chest_turn_world: the shoulder line turned 30 deg with the left shoulder forward = to the right
    ("chest_turn_world", standing, 0.0, DEG),
    ("chest_turn_world", chest_twisted_30, -30.0, DEG),
    ("left_chest_turned_towards", chest_twisted_30, -30.0, DEG),
    ("right_chest_turned_towards", chest_twisted_30, 30.0, DEG),
]


def _case_id(case: tuple[str, object, float, float]) -> str:
    name, fig, expected, _ = case
    return f"{name}-{getattr(fig, '__name__', 'fig')}-{expected:.3f}"


@pytest.mark.parametrize("camera_side", SIDES)
@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_feature_value(case: tuple[str, object, float, float], camera_side: str) -> None:
    name, make, expected, tol = case
    assert value(make(), name, camera_side) == pytest.approx(expected, abs=tol)


def test_every_feature_has_a_hand_computed_case() -> None:
    # every plain feature and both sides of every sided one (camera_side_score has its own test)
    covered = {name for name, *_ in CASES} | {"camera_side_score"}
    assert covered == set(FEATURES)
    assert {n.removeprefix("left_").removeprefix("right_") for n in covered} == set(base_names())


@pytest.mark.parametrize("side", SIDES)
def test_sided_features_measure_their_own_side(side: str) -> None:
    # the raised leg is 90 deg, the other one flat: each sided feature reads its own leg
    fig = lying_leg_raised(side, 90.0)
    other_side = "right" if side == "left" else "left"
    for camera_side in SIDES:
        assert value(fig, f"{side}_leg_raise", camera_side) == pytest.approx(90.0, abs=DEG)
        assert value(fig, f"{other_side}_leg_raise", camera_side) == pytest.approx(0.0, abs=DEG)


def test_camera_side_score_sign_tells_the_near_side() -> None:
    # auto world depth: the near side at z -0.1 m, the far side at +0.1 m, for every part
    fig = lunge("left")
    assert value(fig, "camera_side_score", "left") == pytest.approx(0.2, abs=1e-12)
    assert value(fig, "camera_side_score", "right") == pytest.approx(-0.2, abs=1e-12)
    assert value(frontal(), "camera_side_score", "left") == pytest.approx(0.0, abs=1e-12)


def test_wrong_camera_side_flips_the_sagittal_sign() -> None:
    # measured as if the other side faced the camera, "forward" points the wrong way
    fig = leg_forward("left", 30.0)
    assert measure("left_hip_flexion", fig.skeleton("right"))[0] == pytest.approx(-30.0, abs=DEG)
    lean = measure("trunk_lean", trunk_forward_345().skeleton("right"))[0]
    assert lean == pytest.approx(-ATAN_3_4, abs=DEG)


@pytest.mark.parametrize(("camera_side", "anterior", "facing_x"),
                         [("left", (-1.0, 0.0), -1), ("right", (1.0, 0.0), 1)])
def test_skeleton_axes_upright(camera_side: str, anterior: tuple[float, float], facing_x: int) -> None:
    sk = standing().facing(camera_side).skeleton()
    assert sk.camera_side == camera_side
    assert sk.superior_xy == pytest.approx((0.0, -1.0), abs=1e-12)
    assert sk.anterior_xy == pytest.approx(anterior, abs=1e-12)
    assert tuple(sk.anterior) == sk.anterior_xy
    assert sk.facing_x == facing_x
    assert sk.torso_length == pytest.approx(200.0)
    assert sk.floor_y == pytest.approx(FLOOR_Y)


def test_lying_on_back_front_points_up_for_both_camera_sides() -> None:
    for camera_side in SIDES:
        sk = lying_on_back().facing(camera_side).skeleton()
        assert tuple(sk.anterior) == pytest.approx((0.0, -1.0), abs=1e-12)


# --------------------------------------------------------------------------------------------
# NaN when a needed landmark cannot be trusted, with the unseen names reported.
def _swap(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    return name


# (feature, figure, landmarks to lose, names measure() reports)
NAN_CASES: list[tuple[str, object, tuple[str, ...], tuple[str, ...]]] = [
    ("back_curve", standing, ("left_hip", "right_hip"), ("left_hip", "right_hip")),
    ("lower_back_bend", standing, ("left_hip", "right_hip"), ("left_hip", "right_hip")),
    ("sacrum_back_bend", standing, ("left_hip", "right_hip"), ("left_hip", "right_hip")),
    ("trunk_inclination", standing, ("left_shoulder", "right_shoulder"), ("left_shoulder", "right_shoulder")),
    ("trunk_lean", standing, ("left_shoulder", "right_shoulder"), ("left_shoulder", "right_shoulder")),
    ("neck_flexion", standing, ("left_ear", "right_ear"), ("left_ear", "right_ear")),
    ("front_facing_up", lying_on_back, ("left_hip", "right_hip"), ("left_hip", "right_hip")),
    ("hip_height", lying_on_back, ("left_hip", "right_hip"), ("left_hip", "right_hip")),
    ("shoulder_height", standing, ("left_shoulder", "right_shoulder"), ("left_shoulder", "right_shoulder")),
    ("head_height", standing, ("left_ear", "right_ear"), ("left_ear", "right_ear")),
    ("shoulder_level_difference", frontal, ("right_shoulder",), ("right_shoulder",)),
    ("hip_tilt", frontal, ("left_hip",), ("left_hip",)),
    ("knee_separation", frontal, ("right_knee",), ("right_knee",)),
    ("hips_flexion_min", lunge, ("left_knee", "right_knee"), ("left_knee", "right_knee")),
    ("shoulder_tilt", lying_on_back, ("right_shoulder",), ("right_shoulder",)),
    ("trunk_twist", standing, ("left_hip",), ("left_hip",)),
    ("view_yaw", standing, ("left_shoulder",), ("left_shoulder",)),
    ("left_hip_flexion", lunge, ("left_knee",), ("left_knee",)),
    ("left_leg_raise", lying_leg_raised, ("left_ankle",), ("left_ankle",)),
    ("left_knee_flexion", lunge, ("left_knee",), ("left_knee",)),
    ("left_trunk_thigh_angle", lunge, ("left_hip",), ("left_hip",)),
    ("left_thigh_inclination", lunge, ("left_knee",), ("left_knee",)),
    ("left_shin_inclination", lunge, ("left_ankle",), ("left_ankle",)),
    ("left_knee_past_toes", lunge, ("left_foot_index",), ("left_foot_index",)),
    ("left_hand_to_ankle", lunge, ("left_wrist", "right_wrist"), ("left_wrist", "right_wrist")),
    ("left_ankle_to_other_knee", figure_four, ("right_knee",), ("right_knee",)),
    ("left_knee_to_shoulder", knee_near_chest, ("left_knee",), ("left_knee",)),
    ("left_knees_towards", lying_on_back, ("right_knee",), ("right_knee",)),
    ("elbow_bend_max", standing, ("left_wrist", "right_wrist"),
     ("left_elbow", "left_wrist", "right_elbow", "right_wrist")),
    ("elbow_bend_min", standing, ("left_wrist", "right_wrist"),
     ("left_elbow", "left_wrist", "right_elbow", "right_wrist")),
    ("arms_from_vertical", standing, ("left_wrist", "right_wrist"),
     ("left_shoulder", "left_wrist", "right_shoulder", "right_wrist")),
    ("arm_raise", standing, ("left_elbow", "right_elbow"),
     ("left_shoulder", "left_elbow", "right_shoulder", "right_elbow")),
    ("forearms_alternation", frontal, ("left_wrist",), ("left_wrist",)),
    ("forearms_upright", frontal, ("right_wrist",), ("right_wrist",)),
    ("elbow_height_difference", frontal, ("right_elbow",), ("right_elbow",)),
    ("shoulder_to_ear", standing, ("left_ear", "right_ear"), ("left_ear", "right_ear")),
    ("elbows_apart", frontal, ("right_elbow",), ("right_elbow",)),
    ("thighs_from_vertical", lunge, ("left_knee", "right_knee"),
     ("left_hip", "left_knee", "right_hip", "right_knee")),
    ("knees_ahead_of_hips", lunge, ("left_knee", "right_knee"),
     ("left_hip", "left_knee", "right_hip", "right_knee")),
    ("legs_from_vertical", lying_on_back, ("left_ankle", "right_ankle"),
     ("left_hip", "left_ankle", "right_hip", "right_ankle")),
    ("knees_flexion_min", lunge, ("left_ankle", "right_ankle"),
     ("left_knee", "left_ankle", "right_knee", "right_ankle")),
    ("hips_to_heels", standing, ("left_heel", "right_heel"), ("left_heel", "right_heel")),
    ("trunk_inclination_world", standing, ("left_hip",), ("left_hip",)),
    ("shoulders_forward_world", standing, ("left_hip",), ("left_hip",)),
    ("chest_turn_world", standing, ("left_hip",), ("left_hip",)),
    ("left_chest_turned_towards", standing, ("left_hip",), ("left_hip",)),
]


def test_nan_cases_cover_every_feature() -> None:
    named = {n for n, *_ in NAN_CASES} | {"camera_side_score"}
    named |= {_swap(n) for n in named}
    assert named == set(FEATURES)


def _nan_params() -> list[object]:
    out = []
    for name, fig, lose, unseen in NAN_CASES:
        out.append(pytest.param(name, fig, lose, unseen, id=name))
        if name.startswith("left_"):  # the right-side twin loses the mirrored landmarks
            twin = tuple(map(_swap, unseen))
            if set(twin) == set(unseen):  # a pair reads the same from either side, in its own order
                twin = unseen
            out.append(pytest.param(_swap(name), fig, tuple(map(_swap, lose)), twin, id=_swap(name)))
    return out


@pytest.mark.parametrize("how", ["low_visibility", "out_of_frame"])
@pytest.mark.parametrize("camera_side", SIDES)
@pytest.mark.parametrize(("name", "make", "lose", "unseen"), _nan_params())
def test_feature_is_nan_when_a_landmark_is_unseen(name: str, make: object, lose: tuple[str, ...],
                                                  unseen: tuple[str, ...], camera_side: str,
                                                  how: str) -> None:
    fig = make().facing(camera_side)
    # sanity: measurable before anything is lost
    assert math.isfinite(measure(name, fig.skeleton())[0])
    fig = fig.hidden(*lose) if how == "low_visibility" else fig.out_of_frame(*lose)
    v, missing = measure(name, fig.skeleton())
    assert math.isnan(v)
    assert missing == unseen
    values, missing_all = measure_all(fig.skeleton(), (name,))
    assert math.isnan(values[name]) and missing_all == {name: unseen}


def test_world_features_are_nan_without_world_landmarks() -> None:
    sk = lying_on_back().without_world().skeleton()
    for name in ("shoulder_tilt", "trunk_twist", "left_knees_towards", "camera_side_score",
                 "trunk_inclination_world", "shoulders_forward_world", "chest_turn_world"):
        v, missing = measure(name, sk)
        assert math.isnan(v) and missing, name
    assert measure("camera_side_score", sk)[1] == ("left_hip",)
    # view_yaw falls back to the 2D shoulder width (0 px apart side-on)
    assert measure("view_yaw", sk)[0] == pytest.approx(0.0, abs=DEG)


def test_one_hidden_side_of_a_pair_uses_the_other() -> None:
    # mid() falls back to the trusted side: move the right shoulder away and hide it
    fig = trunk_forward_345().moved(right_shoulder=(900.0, 100.0)).hidden("right_shoulder")
    assert measure("trunk_lean", fig.skeleton())[0] == pytest.approx(ATAN_3_4, abs=DEG)
    # hips_flexion_min with one knee unseen is the other leg's flexion
    assert measure("hips_flexion_min", lunge("left").hidden("left_knee").skeleton())[0] == pytest.approx(90.0)
    # hand_to_ankle with one wrist hidden uses the other wrist: right wrist (600, 620) to (420, 670)
    fig = lunge_with_hands().hidden("left_wrist")
    expected = math.hypot(180, 50) / 200
    assert measure("right_hand_to_ankle", fig.skeleton())[0] == pytest.approx(expected, abs=LEN)


def test_measure_all_reports_only_the_nan_features() -> None:
    fig = lunge("left").hidden("left_ear", "right_ear")
    values, missing = measure_all(fig.skeleton())
    assert set(values) == set(FEATURES)
    assert set(missing) == {"neck_flexion", "head_height", "shoulder_to_ear"}
    assert values["right_knee_flexion"] == pytest.approx(90.0, abs=DEG)


# --------------------------------------------------------------------------------------------
# Skeleton.trusted: visibility, frame margin, plausible bones.
def _trusted(fig: Figure, name: str) -> bool:
    return fig.skeleton().trusted(name)


def test_trust_visibility_threshold() -> None:
    assert MIN_VISIBILITY == 0.3
    assert _trusted(standing().with_visibility(left_shoulder=0.3), "left_shoulder")
    assert not _trusted(standing().with_visibility(left_shoulder=0.29), "left_shoulder")
    assert _trusted(standing().with_visibility(left_shoulder=0.95), "left_shoulder")


def test_trust_frame_margin() -> None:
    # margin is 1% of the frame: 12 px of 1200 wide, 9 px of 900 high
    assert FRAME_MARGIN == 0.01
    f = standing()
    assert _trusted(f.moved(left_ear=(12.0, 400.0)), "left_ear")
    assert not _trusted(f.moved(left_ear=(11.9, 400.0)), "left_ear")
    assert _trusted(f.moved(left_shoulder=(1188.0, 300.0)), "left_shoulder") is True
    assert not _trusted(f.moved(left_shoulder=(1188.1, 300.0)), "left_shoulder")
    assert _trusted(f.moved(left_heel=(610.0, 891.0)), "left_heel")
    assert not _trusted(f.moved(left_heel=(610.0, 891.5)), "left_heel")
    assert not _trusted(f.moved(left_heel=(610.0, 950.0)), "left_heel")
    assert not _trusted(f.moved(left_ear=(600.0, 5.0)), "left_ear")


def test_trust_non_finite_coordinates() -> None:
    lm = standing().landmarks()
    image = lm.image.copy()
    image[INDEX["left_knee"], 0] = np.nan
    sk = Skeleton(Landmarks(image, lm.visibility, lm.world), 1200, 900)
    assert not sk.trusted("left_knee")
    with pytest.raises(Unseen) as exc:
        sk.pt("left_knee")
    assert exc.value.names == ("left_knee",)


@pytest.mark.parametrize(("name", "parent", "direction"), [
    ("left_knee", "left_hip", (0.0, 1.0)),
    ("right_ankle", "right_knee", (-1.0, 0.0)),
    ("left_foot_index", "left_ankle", (-1.0, 0.0)),
    ("left_heel", "left_ankle", (1.0, 0.0)),
    ("right_elbow", "right_shoulder", (0.0, 1.0)),
    ("left_wrist", "left_elbow", (0.0, 1.0)),
])
def test_trust_implausible_bone_length(name: str, parent: str, direction: tuple[float, float]) -> None:
    # a bone longer than 1.6 torso lengths (320 px here) means a bad fit
    assert MAX_BONE_TO_TORSO == 1.6
    f = standing()
    base = f.points[parent]
    ok = f.moved(**{name: add(base, 318.0 * direction[0], 318.0 * direction[1])})
    bad = f.moved(**{name: add(base, 322.0 * direction[0], 322.0 * direction[1])})
    assert _trusted(ok, name)
    assert not _trusted(bad, name)
    # the parent itself stays trusted
    assert _trusted(bad, parent)


def test_bone_rule_needs_a_torso() -> None:
    # with shoulders scored below half the visibility threshold there is no torso length to compare
    # with, so a long thigh is not rejected; at 0.2 (untrusted, but above 0.15) the rule still applies
    long_thigh = standing().moved(left_knee=add(HIP, 0.0, 330.0))
    assert not _trusted(long_thigh, "left_knee")
    assert _trusted(long_thigh.with_visibility(left_shoulder=0.1, right_shoulder=0.1), "left_knee")
    assert not _trusted(long_thigh.with_visibility(left_shoulder=0.2, right_shoulder=0.2), "left_knee")


def test_pt_and_mid_raise_unseen() -> None:
    sk = standing().hidden("left_ear", "right_ear", "left_knee").skeleton()
    with pytest.raises(Unseen) as exc:
        sk.mid("ear")
    assert exc.value.names == ("left_ear", "right_ear")
    with pytest.raises(Unseen):
        sk.side_pt("left", "knee")
    assert sk.pt("right_knee") == pytest.approx((600.0, 500.0 + THIGH))
    assert sk.untrusted(("left_ear", "right_ear", "left_knee", "right_knee")) == (
        "left_ear", "right_ear", "left_knee")


def test_landmarks_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="33, 3"):
        Landmarks(np.zeros((17, 3)), np.ones(33))
    with pytest.raises(ValueError, match="visibility"):
        Landmarks(np.zeros((33, 3)), np.ones(17))
    with pytest.raises(ValueError, match="world"):
        Landmarks(np.zeros((33, 3)), np.ones(33), np.zeros((33, 2)))


# --------------------------------------------------------------------------------------------
# Geometry helpers behind the features.
def test_geometry_helpers() -> None:
    up, left = (0.0, -1.0), (-1.0, 0.0)
    assert signed_angle_xy(-3.0, -4.0, up, left) == pytest.approx(ATAN_3_4)
    assert signed_angle_xy(3.0, -4.0, up, left) == pytest.approx(-ATAN_3_4)
    a, b = (0.0, 0.0), (1.0, 0.0)
    assert joint_angle_xy(a, b, (2.0, 0.0)) == pytest.approx(180.0)
    assert joint_angle_xy(a, b, (1.0, 5.0)) == pytest.approx(90.0)
    # on screen (y down) turning "up" anticlockwise gives "left"; clockwise gives "right"
    assert rotate90_xy(*up, clockwise_on_screen=False) == pytest.approx((-1.0, 0.0))
    assert rotate90_xy(*up, clockwise_on_screen=True) == pytest.approx((1.0, 0.0))
    # a zero-length vector is no direction: measure() turns it into NaN, not an exception
    fig = standing().moved(**both("shoulder", HIP))
    v, missing = measure("trunk_inclination", fig.skeleton())
    assert math.isnan(v) and missing == ()


def test_at_helper_convention() -> None:
    # the builders' own angle convention, checked once: 0 down, 90 forward (image-left), 180 up
    assert at((0.0, 0.0), 10.0, 0.0) == pytest.approx((0.0, 10.0))
    assert at((0.0, 0.0), 10.0, 90.0) == pytest.approx((-10.0, 0.0))
    assert at((0.0, 0.0), 10.0, 180.0) == pytest.approx((0.0, -10.0))
    assert at((0.0, 0.0), 10.0, -90.0) == pytest.approx((10.0, 0.0))


def test_an_angle_with_a_missing_coordinate_is_no_angle() -> None:
    assert math.isnan(angle_xy(math.nan, 1.0, 1.0, 0.0))
    assert angle_xy(0.0, 2.0, 3.0, 0.0) == 90.0
    assert abs(angle_xy(1.0, 1.0, -1.0, -1.0) - 180.0) < 1e-5
