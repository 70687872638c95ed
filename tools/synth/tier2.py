"""Tier-2 stretches (shared/EXERCISES.md): pose functions and their catalogue entries.

Same conventions as poses.py: LEFT working side, degrees, body frame Z up / -Y front / +X
left. Bodies on all fours, face down or kneeling-folded are built upright and pitched forward
about X (``Built.pitch_deg`` 90: the head goes to -Y, the front faces the floor).
"""

from __future__ import annotations

from tools.synth.body import LUMBAR, NECK, THORACIC, Pose, rot_x, rot_y
from tools.synth.poses import (
    STANDING,
    SUPINE,
    Built,
    Contact,
    Mistake,
    Stretch,
    _head_curl,
    arms_reach,
    base,
    tilt_pelvis,
)
from tools.synth.reps import CAT_COW_FULL, ROLL_FULL, SQUEEZE_FULL, WALL_ANGEL_FULL

FACE_DOWN = 90.0  # pitch that lays an upright-authored body face down, head towards -Y
SHINS = ["shin.L", "shin.R", "foot.L", "foot.R"]


def _legs(p: Pose, hip: float, knee: float, foot: float = 0.0, sides: str = "LR") -> None:
    for s in sides:
        p.add(f"upperleg01.{s}", x=-hip).add(f"lowerleg01.{s}", x=knee).add(f"foot.{s}", x=foot)


def shoulders(p: Pose, elevation: float, retraction: float) -> None:
    """Both shoulder girdles: elevation (towards the ears) and retraction (drawn back, +) or
    protraction (-), at the clavicles; the upper arms keep hanging and swing back a little
    with retraction."""
    p.add("clavicle.L", y=-elevation, z=retraction).add("clavicle.R", y=elevation, z=-retraction)
    p.add("upperarm01.L", x=0.3 * retraction, y=elevation)
    p.add("upperarm01.R", x=0.3 * retraction, y=-elevation)


# ---------------------------------------------------------------- on all fours / kneeling


def cat_cow(q: dict[str, float]) -> Built:
    """On hands and knees; ``spine_flex_deg`` > 0 rounds up (cat), < 0 dips (cow)."""
    p = base()
    s, arm, thigh = q["spine_flex_deg"], q["arm_angle_deg"], q["thigh_angle_deg"]
    tilt = -0.3 * s  # the pelvis tucks in the cat and tips up in the cow
    tilt_pelvis(p, tilt)
    p.spread(LUMBAR, x=0.5 * s).spread(THORACIC, x=0.5 * s)
    p.spread(NECK, x=0.8 * s)  # the head hangs in the cat and lifts in the cow
    _legs(p, 90 + thigh, 90 + thigh, 50)
    # arms: vertical (+ arm forward) in the world whatever the spine does
    arms_reach(p, 72 + arm + 0.5 * s, 0)
    p.add("wrist.L", x=-70).add("wrist.R", x=-70)
    contact = Contact(["hand.L", "hand.R"], ["shin.L", "shin.R"])
    return Built(p, contact, STANDING, pitch_deg=FACE_DOWN)


def childs_pose(q: dict[str, float]) -> Built:
    """Kneeling, sitting back on the heels, trunk folded over the thighs, forehead down."""
    p = base()
    knee = 150.0 - q["knee_extension_deg"]
    hip = 140.0 - 0.6 * q["knee_extension_deg"]
    p.spread(LUMBAR, x=q["spine_flex_deg"] * 0.6).spread(THORACIC, x=q["spine_flex_deg"] * 0.4)
    p.spread(NECK, x=10)
    _legs(p, hip, knee, 50)
    elbow = q["elbow_flex_deg"]
    if q["arms_alongside"] >= 0.5:
        arms_reach(p, 8, 0, abd=22)
    else:
        arms_reach(p, q["arm_flex_deg"] - 0.6 * elbow, elbow, abd=8)
    contact = Contact(SHINS, ["head", "hand.L", "hand.R", "forearm.L", "forearm.R"], pitch_range=20)
    # shins level: the body pitch that makes the shin point straight back
    return Built(p, contact, STANDING, pitch_deg=90.0 + hip - knee)


def camel(q: dict[str, float]) -> Built:
    """Kneeling upright, thighs vertical, back arched, hands reaching for the heels."""
    p = base()
    back = q["thigh_back_deg"]
    arch = q["back_arch_deg"]
    p.spread(LUMBAR, x=-0.45 * arch).spread(THORACIC, x=-0.55 * arch)
    p.spread(NECK, x=-q["neck_ext_deg"])
    _legs(p, back, 90 + back, 50)
    # arms straight, pointing down and back towards the heels in the body frame
    arms_reach(p, -(35 + arch - 1.2 * back), 0, abd=10)
    return Built(p, Contact(SHINS), STANDING)


# ---------------------------------------------------------------- face down


def cobra(q: dict[str, float]) -> Built:
    """Face down, legs long, hands near the shoulders, chest raised, pelvis down."""
    p = base()
    lift = q["hip_lift_deg"]
    ext = q["spine_ext_deg"] - lift  # a lifted pelvis takes the place of back extension
    p.spread(LUMBAR, x=-0.55 * ext).spread(THORACIC, x=-0.45 * ext)
    p.spread(NECK, x=-max(0.0, 90.0 + q["gaze_deg"] - ext - lift))
    _legs(p, lift, lift, 50)
    elbow = q["elbow_flex_deg"] + 0.5 * lift
    arms_reach(p, 70 - ext - lift + 0.3 * elbow - 0.5 * elbow, elbow, abd=12)
    p.add("wrist.L", x=-60).add("wrist.R", x=-60)
    shoulders(p, q["shrug_deg"], 0.0)
    return Built(p, Contact([*SHINS, "thigh.L", "thigh.R"]), STANDING, pitch_deg=FACE_DOWN)


# ---------------------------------------------------------------- seated / standing


def seated_twist(q: dict[str, float]) -> Built:
    """Sitting, right leg long, left leg crossed over it knee up; chest turned left with the
    right elbow against the outside of the left knee, head turned the same way."""
    p = base()
    twist, slump = q["twist_deg"], q["slump_deg"]
    p.add("upperleg01.R", x=-90).add("foot.R", x=-10)
    p.add("upperleg01.L", x=-115, y=18).add("lowerleg01.L", x=125).add("foot.L", x=-15)
    p.spread(LUMBAR, x=0.5 * slump, z=0.3 * twist).spread(THORACIC, x=0.5 * slump, z=0.7 * twist)
    p.spread(NECK, x=-0.3 * slump, z=0.45 * twist)
    # right arm across to the left knee, forearm up; left hand on the floor behind
    p.add("upperarm01.R", x=-(55 - 0.4 * slump), y=-35).add("lowerarm01.R", x=-95)
    p.add("upperarm01.L", x=35, y=-15).add("lowerarm01.L", x=-5)
    return Built(p, Contact(["pelvis"], ["shin.R", "foot.R"], pitch_range=15), STANDING)


def _wall_arm(p: Pose, side: str, forearm: float, elbow: float, drop: float) -> None:
    """Upper arm out to the side (horizontal less ``drop``), turned about its own axis so the
    forearm points ``forearm`` deg above forward (90: up, -90: down), elbow bent ``elbow``.
    (With the elbow bent 90, rot_x(45) turns anny's forearm forward: measured on the mesh.)"""
    sign = 1.0 if side == "L" else -1.0
    r = rot_y(sign * drop) @ rot_x(45.0 - forearm) @ rot_y(-sign * 50.0)
    p.set_matrix(f"upperarm01.{side}", r)
    p.bones[f"lowerarm01.{side}"] = [15.0 - elbow, 0.0, 0.0]


def wall_angels(q: dict[str, float]) -> Built:
    """Standing with the back on a wall, upper arms horizontal against it, elbows at 90; the
    forearms turn up and down in turn (``arm_rotation_deg`` +90: left up, right down)."""
    p = base()
    rot = q["arm_rotation_deg"]
    elbow = 90.0 - q["elbow_open_deg"]
    _wall_arm(p, "L", rot, elbow, q["arm_drop_deg"])
    _wall_arm(p, "R", -rot, elbow, 0.0)
    p.add("wrist.L", y=-20).add("wrist.R", y=20)
    return Built(p, Contact(["foot.L", "foot.R"], props={"wall_back": "thorax"}), STANDING)


def shoulder_blade_squeeze(q: dict[str, float]) -> Built:
    """Standing, arms by the sides, shoulder blades drawn back (``retraction_deg``)."""
    p = base()
    shoulders(p, q["shrug_deg"], q["retraction_deg"])
    return Built(p, Contact(["foot.L", "foot.R"]), STANDING)


def shoulder_roll(q: dict[str, float]) -> Built:
    """Standing, arms relaxed; the shoulders circle (elevation and retraction)."""
    p = base()
    shoulders(p, q["shoulder_elevation_deg"], q["shoulder_retraction_deg"])
    return Built(p, Contact(["foot.L", "foot.R"]), STANDING)


def doorway_stretch(q: dict[str, float]) -> Built:
    """Short stride (left foot in front), both arms up as if on a door frame, the body leaning
    forward from the ankles as one line (``lean_deg``)."""
    p = base()
    lean, ext = q["lean_deg"], q["lumbar_extension_deg"]
    # the back leg continues the trunk line; the front thigh is 2x lean ahead, so with both
    # feet down (solved pitch ~ lean) the legs are symmetric about the vertical
    p.add("upperleg01.L", x=-2 * lean).add("foot.L", x=lean)
    p.add("foot.R", x=-lean)
    p.spread(LUMBAR, x=-ext)
    arms_reach(p, q["arm_flex_deg"], 20, abd=18)
    return Built(p, Contact(["foot.R"], ["foot.L"]), STANDING)


# ---------------------------------------------------------------- on the back


def passive_backbend(q: dict[str, float]) -> Built:
    """On the back over a roll under the bottom of the shoulder blades; upper back extended
    over it, head on the floor, legs long (or knees bent, ``knees_bent`` 1)."""
    p = base()
    # the low back rises from the floor to the roll (lumbar flexion), the upper back bends back
    # over it (extension) and the head comes down to the floor
    p.spread(LUMBAR, x=q["lumbar_rise_deg"]).spread(THORACIC, x=-q["thoracic_ext_deg"])
    p.spread(NECK, x=10)
    bent = q["knees_bent"] >= 0.5
    if bent:
        _legs(p, 50, 95, -45)
    arms_reach(p, -(q["thoracic_ext_deg"] - q["lumbar_rise_deg"]) - 20, 10, abd=20)
    lower = ["pelvis", "foot.L", "foot.R"] if bent else ["pelvis", "thigh.L", "thigh.R", "shin.L", "shin.R"]
    return Built(p, Contact(lower, ["head"], pitch_range=6, props={"roll": "upper_back"}), SUPINE)


def legs_up_the_wall(q: dict[str, float]) -> Built:
    """On the back, buttocks at the wall, both legs straight up it."""
    p = base()
    hip = q["hip_flex_deg"]
    _legs(p, hip, 0, 25)
    p.add("upperarm01.L", y=-40).add("upperarm01.R", y=40)  # arms relaxed out on the floor
    return Built(p, Contact(["thorax", "head"], ["pelvis"]), SUPINE)


def knee_to_opposite_shoulder(q: dict[str, float]) -> Built:
    """On the back, right leg long, left knee bent and drawn towards the right shoulder."""
    p = base()
    hip, add = q["hip_flex_deg"], q["hip_adduction_deg"]
    p.add("upperleg01.L", x=-hip, y=add).add("lowerleg01.L", x=110)
    p.add("upperleg01.R", x=q["hip_lift_deg"])
    _head_curl(p, q["head_lift_deg"])
    arms_reach(p, 0.4 * hip + 0.5 * q["head_lift_deg"], 40, abd=-12)
    lower = ["pelvis", "thigh.R", "shin.R", "foot.R"]
    return Built(p, Contact(["thorax", "head"], lower), SUPINE)


# ---------------------------------------------------------------- the catalogue

_SIDE_ANGLES = ("arm_from_vertical_deg", "thigh_from_vertical_deg")

TIER2: dict[str, Stretch] = {
    "cat_cow": Stretch(
        cat_cow,
        {"spine_flex_deg": 0.0, "arm_angle_deg": 0.0, "thigh_angle_deg": 0.0},
        {
            "wrists_not_under_shoulders": Mistake(
                "wrists_not_under_shoulders",
                "arm_angle_deg",
                {"arm_angle_deg": 1.0},
                note="hands placed forward of the shoulders: the arms' angle from the trunk's "
                "perpendicular (measured.arm_from_vertical_deg is the world angle)",
            ),
            "knees_not_under_hips": Mistake(
                "knees_not_under_hips",
                "thigh_angle_deg",
                {"thigh_angle_deg": 1.0},
                note="hips sitting back behind the knees: thigh angle off the trunk's perpendicular "
                "(measured.thigh_from_vertical_deg is the world angle)",
            ),
        },
        working_limb="none (symmetric)",
        movement="cat_cow",
        measures=_SIDE_ANGLES,
        notes=f"reps: spine_flex_deg full depth cat {CAT_COW_FULL['cat']:+g}, cow {CAT_COW_FULL['cow']:+g} "
        "(half lumbar, half thoracic; pelvic tilt -0.3x and neck flexion 0.8x follow)",
    ),
    "childs_pose": Stretch(
        childs_pose,
        {
            "knee_extension_deg": 0.0,
            "elbow_flex_deg": 0.0,
            "arms_alongside": 0.0,
            "spine_flex_deg": 30.0,
            "arm_flex_deg": 170.0,
        },
        {
            "hips_not_back": Mistake(
                "hips_not_back",
                "knee_extension_deg",
                {"knee_extension_deg": 1.0},
                note="knee extension from the full flexion (150 deg) of correct form; the hips rise "
                "and move forward, the hip flexes 0.6 deg less per degree",
            ),
            "arms_not_long": Mistake(
                "arms_not_long",
                "elbow_flex_deg",
                {"elbow_flex_deg": 1.0},
                note="elbow flexion; the shoulders flex 0.6 deg less per degree so the hands come in "
                "towards the head",
            ),
        },
        working_limb="none (symmetric)",
        measures=("hips_above_heels_cm",),
    ),
    "cobra": Stretch(
        cobra,
        {
            "spine_ext_deg": 45.0,
            "hip_lift_deg": 0.0,
            "shrug_deg": 0.0,
            "gaze_deg": 5.0,
            "elbow_flex_deg": 30.0,
        },
        {
            "hips_lifting": Mistake(
                "hips_lifting",
                "hip_lift_deg",
                {"hip_lift_deg": 1.0},
                note="hips and knees flex by the severity so the pelvis rises off the floor (knees "
                "stay down), back extension drops by the same; severity_cm is the measured rise",
            ),
            "shoulders_shrugged": Mistake(
                "shoulders_shrugged",
                "shrug_deg",
                {"shrug_deg": 1.0},
                note="both clavicles elevated towards the ears by the severity (upper arms keep "
                "their direction)",
            ),
        },
        working_limb="none (symmetric)",
    ),
    "camel": Stretch(
        camel,
        {"thigh_back_deg": 0.0, "back_arch_deg": 60.0, "neck_ext_deg": 10.0},
        {
            "hips_behind_knees": Mistake(
                "hips_behind_knees",
                "thigh_back_deg",
                {"thigh_back_deg": 1.0},
                note="thighs tilted back from vertical (hips behind the knees); the arms follow so "
                "the hands stay near the heels",
            ),
            "head_thrown_back": Mistake(
                "head_thrown_back",
                "neck_extension_extra_deg",
                {"neck_ext_deg": 1.0},
                note="neck extension added to the correct 10 deg",
            ),
        },
        working_limb="none (symmetric)",
        measures=("thigh_from_vertical_deg",),
    ),
    "seated_twist": Stretch(
        seated_twist,
        {"twist_deg": 50.0, "slump_deg": 0.0},
        {
            "slumping": Mistake(
                "slumping",
                "slump_deg",
                {"slump_deg": 1.0},
                note="trunk flexion, half lumbar half thoracic; the neck extends 0.3x to keep the gaze",
            ),
        },
        view="front",
        elevation_range=(5.0, 15.0),
        working_limb="side the chest turns to (the bent knee's side)",
    ),
    "wall_angels": Stretch(
        wall_angels,
        {"arm_rotation_deg": 0.0, "elbow_open_deg": 0.0, "arm_drop_deg": 0.0},
        {
            "elbows_not_90": Mistake(
                "elbows_not_90",
                "elbow_open_deg",
                {"elbow_open_deg": 1.0},
                offset={"arm_rotation_deg": WALL_ANGEL_FULL},
                note="both elbows opened past 90 deg by the severity (elbow flexion 90 - s), held "
                "with the left forearm up and the right down",
            ),
            "arms_uneven": Mistake(
                "arms_uneven",
                "arm_drop_deg",
                {"arm_drop_deg": 1.0},
                offset={"arm_rotation_deg": WALL_ANGEL_FULL},
                note="the working-side upper arm dropped below horizontal by the severity, held with "
                "the left forearm up and the right down",
            ),
        },
        view="front",
        working_limb="the arm that drops (arms_uneven); otherwise none",
        movement="wall_angels",
        notes=f"reps: arm_rotation_deg full depth +-{WALL_ANGEL_FULL:g} (forearm up / down from pointing "
        "forward); a correct hold is the +90 end",
    ),
    "shoulder_blade_squeeze": Stretch(
        shoulder_blade_squeeze,
        {"retraction_deg": 0.0, "shrug_deg": 0.0},
        {
            "shoulders_shrugging": Mistake(
                "shoulders_shrugging",
                "shrug_deg",
                {"shrug_deg": 1.0},
                offset={"retraction_deg": SQUEEZE_FULL["retraction_deg"]},
                note="clavicle elevation by the severity while holding a full squeeze",
            ),
        },
        view="front",
        working_limb="none (symmetric)",
        movement="shoulder_blade_squeeze",
        notes=f"reps: retraction_deg (clavicles drawn back) full depth {SQUEEZE_FULL['retraction_deg']:g}",
    ),
    "shoulder_roll": Stretch(
        shoulder_roll,
        {"shoulder_elevation_deg": 0.0, "shoulder_retraction_deg": 0.0},
        {},
        view="front",
        working_limb="none (symmetric)",
        movement="shoulder_roll",
        notes=f"reps: circles of shoulder_elevation_deg +-{ROLL_FULL['elevation']:g} and "
        f"shoulder_retraction_deg +-{ROLL_FULL['retraction']:g}, 90 deg out of phase",
    ),
    "doorway_stretch": Stretch(
        doorway_stretch,
        {"lean_deg": 12.0, "lumbar_extension_deg": 0.0, "arm_flex_deg": 155.0},
        {
            "arms_not_overhead": Mistake(
                "arms_not_overhead",
                "arm_flex_deficit_deg",
                {"arm_flex_deg": -1.0},
                note="shoulder flexion below the correct 155 deg",
            ),
            "arched_lower_back": Mistake(
                "arched_lower_back",
                "lumbar_extension_deg",
                {"lumbar_extension_deg": 1.0, "lean_deg": 0.5},
                compensated_coef={"lumbar_extension_deg": 1.0, "lean_deg": 0.35},
                note="lumbar extension; the legs lean 0.5 deg further per degree (hips sag forward, "
                "the chest moves a little forward); compensated: the ankle lean grows only 0.35x so "
                "the shoulders stay where correct form has them",
            ),
        },
        working_limb="front leg of the stride",
        measures=("shoulder_ahead_of_ankle_cm",),
    ),
    "passive_backbend": Stretch(
        passive_backbend,
        {"thoracic_ext_deg": 45.0, "lumbar_rise_deg": 18.0, "knees_bent": 0.0},
        {},
        elevation_range=(5.0, 15.0),
        working_limb="none (symmetric)",
    ),
    "legs_up_the_wall": Stretch(
        legs_up_the_wall,
        {"hip_flex_deg": 90.0},
        {
            "legs_not_vertical": Mistake(
                "legs_not_vertical",
                "hip_flex_deficit_deg",
                {"hip_flex_deg": -1.0},
                note="hip flexion below 90: the legs lean away from vertical (buttocks away from "
                "the wall)",
            ),
        },
        elevation_range=(5.0, 15.0),
        working_limb="none (symmetric)",
        measures=("thigh_from_vertical_deg",),
    ),
    "knee_to_opposite_shoulder": Stretch(
        knee_to_opposite_shoulder,
        {"hip_flex_deg": 105.0, "hip_adduction_deg": 25.0, "hip_lift_deg": 0.0, "head_lift_deg": 0.0},
        {
            "back_lifting": Mistake(
                "back_lifting",
                "hip_lift_deg",
                {"hip_lift_deg": 1.0},
                note="bridge-like extension of the long leg's hip lifts the pelvis and low back; "
                "severity_cm is the measured pelvis rise",
            ),
            "head_lifting": Mistake(
                "head_lifting",
                "head_lift_deg",
                {"head_lift_deg": 1.0},
                note="half upper-thoracic, half neck flexion",
            ),
        },
        elevation_range=(5.0, 15.0),
        working_limb="bent leg (drawn to the opposite shoulder)",
    ),
}

