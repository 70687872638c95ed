"""The stretches: correct skeleton pose per stretch and the mistakes that ramp parameters.

Every pose is authored for the LEFT working side (the mirror gives the right). A pose
function takes the parameter dict (degrees unless the name says otherwise) and returns the
bone rotations plus how the body meets the floor. A mistake names one primary parameter
(its severity, in degrees) and how much every parameter moves per degree of severity, with a
second set of coefficients for the "compensated" variant (same visible lean or trunk angle).

Adding a mistake is one entry in ``STRETCHES[pose].mistakes``; adding a stretch is one pose
function and one ``Stretch`` entry. See tools/synth/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tools.synth.body import LUMBAR, NECK, THORACIC, Pose, rot_y

SUPINE = "supine"  # lying on the back, head towards +Y
STANDING = "standing"
PRONE_OVER = "prone_over_edge"  # face down across a raised edge, trunk hanging


@dataclass
class Contact:
    """How the posed body is put on the floor (see body.solve_contact).

    ``first`` regions go to height ``first_h``; with ``second``, the pitch is bisected so the
    ``second`` regions touch ``second_h`` at the same time. ``*_prop`` names a prop whose top
    is placed at the lowest point of that region (a step under a heel, a seat under the hips).
    """

    first: list[str]
    second: list[str] | None = None
    first_h: float = 0.0
    second_h: float = 0.0
    props: dict[str, str] = field(default_factory=dict)  # prop kind -> region it supports
    pitch_range: float = 40.0  # how far (deg) the pitch may be searched for the second contact


@dataclass
class Built:
    """A pose function's result."""

    pose: Pose
    contact: Contact
    orientation: str
    pitch_deg: float = 0.0  # extra whole-body rotation about world X before contact


@dataclass
class Mistake:
    """A mistake: severity s (deg) moves param p by coef[p]*s + offset[p]."""

    check: str
    parameter: str
    coef: dict[str, float]
    offset: dict[str, float] = field(default_factory=dict)
    compensated_coef: dict[str, float] | None = None
    note: str = ""

    def deltas(self, severity: float, compensated: bool = False) -> dict[str, float]:
        """Parameter changes at full activation for ``severity`` degrees."""
        coef = self.compensated_coef if compensated and self.compensated_coef else self.coef
        keys = set(coef) | set(self.offset)
        return {k: coef.get(k, 0.0) * severity + self.offset.get(k, 0.0) for k in keys}


@dataclass
class Stretch:
    """A stretch: its pose function, correct parameters and mistakes."""

    build: Callable[[dict[str, float]], Built]
    defaults: dict[str, float]
    mistakes: dict[str, Mistake]
    view: str = "side"
    elevation_range: tuple[float, float] = (0.0, 15.0)
    working_limb: str = ""
    movement: str | None = None  # reps.MOVEMENTS id for a stretch done as repetitions
    measures: tuple[str, ...] = ()  # extra clip.measure values for this stretch's frames
    notes: str = ""


def base(p: Pose | None = None) -> Pose:
    """Arms down by the sides (from the A-pose) and legs together."""
    p = p or Pose()
    p.add("upperarm01.L", y=40).add("upperarm01.R", y=-40)
    p.add("lowerarm01.L", x=15).add("lowerarm01.R", x=15)
    p.add("upperleg01.L", y=5).add("upperleg01.R", y=-5)
    return p


def tilt_pelvis(p: Pose, deg: float) -> None:
    """Anterior pelvic tilt by ``deg`` (root forward, both thighs counter-rotated)."""
    p.add("root", x=deg).add("upperleg01.L", x=-deg).add("upperleg01.R", x=-deg)


def drop_hip(p: Pose, deg: float) -> None:
    """Pelvic obliquity: the pelvis rolls about the body's front-back axis so the left hip
    joint drops ``deg`` below the right (the hip line tilts in the frontal plane). Both thighs
    keep their direction in the world and the lumbar bends sideways back, so the trunk stays
    upright over the tilted pelvis. Call it last, once the legs are set."""
    if not deg:
        return
    old = p.matrix("root")
    new = rot_y(deg) @ old
    p.set_matrix("root", new)
    undo = new.T @ old
    for thigh in ("upperleg01.L", "upperleg01.R"):
        p.set_matrix(thigh, undo @ p.matrix(thigh))
    p.spread(LUMBAR, y=-deg)


def arms_reach(p: Pose, flex: float, elbow: float, abd: float = 0.0) -> None:
    """Both shoulders flexed forward ``flex`` deg, elbows bent ``elbow`` deg."""
    for s, sign in (("L", 1), ("R", -1)):
        p.add(f"upperarm01.{s}", x=-flex, y=-sign * abd).add(f"lowerarm01.{s}", x=-elbow)


# Where the hands rest instead of where the stretch puts them (the ``hands`` parameter): people
# often rest them on the hips or hold the lower back, and an arm behind the trunk can reach into
# the back's outline. (shoulder flexion, elbow bend, abduction) for arms_reach: negative flexion
# takes the elbow back.
HANDS = {
    1.0: (-30.0, 75.0, 30.0),  # on the hips: elbows out and a little back, hands on the pelvis
    2.0: (-55.0, 95.0, 15.0),  # on the lower back: elbows well back, hands behind the waist
    3.0: (-15.0, 85.0, 45.0),  # at the waist, in front, elbows out to the sides
    4.0: (-55.0, 95.0, 15.0),  # the right hand alone on the lower back; the left where the stretch puts it
    5.0: (-55.0, 95.0, 15.0),  # the left hand alone on the lower back; the right where the stretch puts it
}
ONE_HAND = {4.0: "R", 5.0: "L"}  # the settings that move one arm only, and which


def place_arms(p: Pose, q: dict[str, float], flex: float, elbow: float, abd: float = 0.0) -> None:
    """The stretch's own arms (``arms_reach(flex, elbow, abd)``), or where ``q["hands"]`` puts them."""
    hands = q.get("hands", 0.0)
    if not hands:
        arms_reach(p, flex, elbow, abd)
        return
    if hands not in ONE_HAND:
        arms_reach(p, *HANDS[hands])
        return
    moved = ONE_HAND[hands]
    for s, sign in (("L", 1), ("R", -1)):
        f, e, a = HANDS[hands] if s == moved else (flex, elbow, abd)
        p.add(f"upperarm01.{s}", x=-f, y=-sign * a).add(f"lowerarm01.{s}", x=-e)


# ---------------------------------------------------------------- standing / kneeling


def breathe(p: Pose, q: dict[str, float]) -> None:
    """A breath in (``breath_deg`` > 0, out < 0): the upper back extends that much and the
    shoulders rise a little. Only the restless clips set it; at 0 nothing is added."""
    b = q.get("breath_deg", 0.0)
    if b:
        p.spread(THORACIC, x=-b)
        p.add("clavicle.L", y=-0.8 * b).add("clavicle.R", y=0.8 * b)


def hamstring_stretch(q: dict[str, float]) -> Built:
    """Standing, left heel up on a low step in front, straight knee, hinge at the hips."""
    p = base()
    hinge, lumbar, leg = q["hip_hinge_deg"], q["lumbar_flexion_deg"], q["front_leg_deg"]
    p.add("root", x=hinge)
    p.add("upperleg01.R", x=-hinge)  # standing leg stays vertical
    p.add("upperleg01.L", x=-(hinge + leg)).add("lowerleg01.L", x=q["front_knee_flex_deg"])
    p.add("foot.L", x=0.5 * leg - q["front_knee_flex_deg"])
    p.spread(LUMBAR, x=lumbar).spread(THORACIC, x=q["thoracic_flexion_deg"])
    lean = hinge + lumbar + q["thoracic_flexion_deg"]
    p.spread(NECK, x=-0.45 * lean)
    place_arms(p, q, 0.75 * lean + 5, 10)
    breathe(p, q)
    return Built(p, Contact(["foot.R"], props={"step": "foot.L"}), STANDING)


def hip_flexor_stretch(q: dict[str, float]) -> Built:
    """Half-kneeling lunge: left (working) knee down behind, right foot flat in front."""
    p = base()
    tilt = q["pelvic_tilt_deg"]
    tilt_pelvis(p, tilt)
    p.spread(LUMBAR, x=-q["lumbar_extension_deg"])
    fh, shin = q["front_hip_flex_deg"], q["front_shin_tilt_deg"]
    # front (right) leg: thigh forward, shin tilted forward by `shin`, foot flat
    fk = fh - 90 + 90 + shin  # knee flexion so the shin leans `shin` past vertical
    p.add("upperleg01.R", x=-fh).add("lowerleg01.R", x=fk).add("foot.R", x=fh - fk)
    # back (left) leg: thigh behind the hip, shin on the floor, toes tucked
    bh = q["back_hip_ext_deg"]
    p.add("upperleg01.L", x=bh).add("lowerleg01.L", x=75 - bh).add("foot.L", x=65)
    p.spread(NECK, x=0.3 * (tilt - q["lumbar_extension_deg"]))
    place_arms(p, q, 25, 60, abd=-12)
    drop_hip(p, q.get("pelvic_obliquity_deg", 0.0))
    breathe(p, q)
    return Built(p, Contact(["foot.R"], ["shin.L", "foot.L"]), STANDING)


# ---------------------------------------------------------------- glute (figure 4)


def _figure4(p: Pose, drawn_hip: float, cross: dict[str, float]) -> None:
    """Left ankle over the right knee; right thigh flexed ``drawn_hip``."""
    p.add("upperleg01.R", x=-drawn_hip).add("lowerleg01.R", x=90)
    p.add("upperleg01.L", x=-(drawn_hip + cross.get("f", 25)), y=cross.get("a", -35), z=cross.get("r", 90))
    p.add("lowerleg01.L", x=cross.get("k", 100)).add("foot.L", x=-10)


def glute_stretch(q: dict[str, float]) -> Built:
    """Figure-4: lying (variant 0) or seated on a box (variant 1) with a long back."""
    p = base()
    twist = q["trunk_rotation_deg"]
    if q["seated"] >= 0.5:
        hinge, lumbar = q["hip_hinge_deg"], q["lumbar_flexion_deg"]
        p.add("root", x=hinge)
        _figure4(p, 90 + hinge, {k: q[k] for k in "fark" if k in q})
        p.add("foot.R", x=0)
        p.spread(LUMBAR, x=lumbar, z=-twist * 0.4).spread(THORACIC, x=5, z=-twist * 0.6)
        p.spread(NECK, x=-0.4 * (hinge + lumbar))
        place_arms(p, q, 35 + 0.7 * (hinge + lumbar), 70)
        breathe(p, q)
        return Built(p, Contact(["foot.R"], props={"seat": "pelvis"}), STANDING)
    _figure4(p, 95, {k: q[k] for k in "fark" if k in q})
    p.spread(LUMBAR, z=-twist * 0.3).spread(THORACIC, z=-twist * 0.7)
    p.spread(THORACIC, x=q["lumbar_flexion_deg"])
    arms_reach(p, 30, 15, abd=-5)
    return Built(p, Contact(["thorax", "head"], ["pelvis"]), SUPINE)


# ---------------------------------------------------------------- lying on the back


def _head_curl(p: Pose, deg: float) -> None:
    """Head and shoulders curl: half upper thoracic, half neck flexion."""
    p.spread(THORACIC, x=0.5 * deg).spread(NECK, x=0.5 * deg)


def hamstring_stretch_supine(q: dict[str, float]) -> Built:
    """On the back, left leg raised with hands behind the knee, right knee bent, foot flat."""
    p = base()
    raised = q["raised_hip_flex_deg"]
    p.add("upperleg01.L", x=-raised).add("lowerleg01.L", x=q["raised_knee_flex_deg"])
    p.add("foot.L", x=-10)
    lift = q["hip_lift_deg"]
    p.add("upperleg01.R", x=-(45 - lift)).add("lowerleg01.R", x=95).add("foot.R", x=-45)
    _head_curl(p, q["head_lift_deg"])
    arms_reach(p, 0.5 * raised + 8 + 0.5 * q["head_lift_deg"], 15, abd=-5)
    return Built(p, Contact(["thorax", "head"], ["pelvis", "foot.R"]), SUPINE)


def knee_to_chest(q: dict[str, float]) -> Built:
    """On the back, left knee hugged to the chest, right leg straight on the floor."""
    p = base()
    hip = q["hip_flex_deg"]
    p.add("upperleg01.L", x=-hip).add("lowerleg01.L", x=min(hip + 5, 130))
    p.add("upperleg01.R", x=q["hip_lift_deg"])
    _head_curl(p, q["head_lift_deg"])
    arms_reach(p, 0.4 * hip + 0.5 * q["head_lift_deg"], 35, abd=-5)
    lower = ["pelvis", "thigh.R", "shin.R", "foot.R"]
    return Built(p, Contact(["thorax", "head"], lower), SUPINE)


def double_knee_to_chest(q: dict[str, float]) -> Built:
    """On the back, both knees hugged to the chest, head tucked."""
    p = base()
    hip = q["hip_flex_deg"]
    for s in ("L", "R"):
        p.add(f"upperleg01.{s}", x=-hip).add(f"lowerleg01.{s}", x=min(hip + 5, 130))
    _head_curl(p, q["head_tuck_deg"])
    arms_reach(p, 0.45 * hip + 0.4 * q["head_tuck_deg"] + 15, 95, abd=-8)
    return Built(p, Contact(["thorax"], ["pelvis"]), SUPINE)


def lower_back_rotation(q: dict[str, float]) -> Built:
    """On the back, knees bent together, both falling to the left; shoulders stay down."""
    p = base()
    roll, lifted = q["knee_roll_deg"], q["shoulder_lift_deg"]
    p.add("root", z=roll)
    p.spread(LUMBAR + THORACIC, z=-(roll - lifted))
    for s in ("L", "R"):
        p.add(f"upperleg01.{s}", x=-60).add(f"lowerleg01.{s}", x=100).add(f"foot.{s}", x=-20)
    p.add("upperleg01.R", y=q["knee_gap_deg"])  # top knee opening away
    p.add("upperarm01.L", y=-50, z=-lifted).add("upperarm01.R", y=50)  # arms out to the sides
    lower = ["pelvis", "thigh.L", "thigh.R", "shin.L", "shin.R", "foot.L", "foot.R"]
    return Built(p, Contact(["thorax", "head"], lower), SUPINE)


def towel_decompression(q: dict[str, float]) -> Built:
    """On the back over a rolled towel under the low back, knees bent; may sit up."""
    p = base()
    up = q["sit_up"]
    p.spread(LUMBAR, x=-q["lumbar_extension_deg"] * (1 - up) + 15 * up)
    p.spread(THORACIC, x=15 * up).spread(NECK, x=15 * up)
    p.add("root", x=35 * up)
    for s in ("L", "R"):
        p.add(f"upperleg01.{s}", x=-50 - 35 * up).add(f"lowerleg01.{s}", x=95)
        p.add(f"foot.{s}", x=-45)
    arms_reach(p, 30 * up, 30 * up)
    if up > 0:
        return Built(p, Contact(["pelvis", "foot.L", "foot.R"], props={"towel": "pelvis"}), SUPINE)
    return Built(
        p, Contact(["thorax", "head"], ["pelvis", "foot.L", "foot.R"], props={"towel": "pelvis"}), SUPINE
    )


def bed_decompression(q: dict[str, float]) -> Built:
    """Face down across the edge of a bed, hips at the edge, trunk hanging, hands down."""
    p = base()
    hip = q["hip_flex_deg"]
    p.add("upperleg01.L", x=-hip).add("upperleg01.R", x=-hip)
    p.add("foot.L", x=40).add("foot.R", x=40)
    p.spread(LUMBAR + THORACIC, x=q["spine_flex_deg"])
    arms_reach(p, 180 - (90 - hip) - q["spine_flex_deg"] - 15, 70, abd=-10)
    contact = Contact(["hand.L", "hand.R", "forearm.L", "forearm.R", "head"], props={"bed": "thigh.L"})
    return Built(p, contact, PRONE_OVER, pitch_deg=-(90 - hip))


# ---------------------------------------------------------------- the catalogue

_HIPS_LIFT = Mistake(
    "hips_lifting",
    "hip_lift_deg",
    {"hip_lift_deg": 1.0},
    note="bridge-like hip extension; severity_cm is the measured pelvis rise",
)
_HEAD_LIFT = Mistake(
    "head_lifting", "head_lift_deg", {"head_lift_deg": 1.0}, note="half upper-thoracic, half neck flexion"
)

STRETCHES: dict[str, Stretch] = {
    "hamstring_stretch": Stretch(
        hamstring_stretch,
        {
            "hip_hinge_deg": 40.0,
            "lumbar_flexion_deg": 0.0,
            "front_leg_deg": 50.0,
            "front_knee_flex_deg": 3.0,
            "thoracic_flexion_deg": 4.0,
        },
        {
            "lumbar_rounding": Mistake(
                "lumbar_rounding",
                "lumbar_flexion_deg",
                {"lumbar_flexion_deg": 1.0},
                compensated_coef={"lumbar_flexion_deg": 1.0, "hip_hinge_deg": -1.0},
                note="compensated: the hip hinge drops as the lumbar flexes, same total lean",
            )
        },
        working_limb="front (raised) leg",
    ),
    "hip_flexor_stretch": Stretch(
        hip_flexor_stretch,
        {
            "pelvic_tilt_deg": -5.0,
            "lumbar_extension_deg": 0.0,
            "front_hip_flex_deg": 80.0,
            "front_shin_tilt_deg": 0.0,
            "back_hip_ext_deg": 15.0,
        },
        {
            "arched_lower_back": Mistake(
                "arched_lower_back",
                "lumbar_extension_deg",
                {"lumbar_extension_deg": 1.0, "pelvic_tilt_deg": 0.5},
                compensated_coef={"lumbar_extension_deg": 1.0, "pelvic_tilt_deg": 1.0},
                note="lumbar extension with anterior pelvic tilt; compensated keeps the trunk "
                "upright (tilt equals extension)",
            ),
            "knee_past_toes": Mistake(
                "knee_past_toes",
                "front_shin_tilt_deg",
                {"front_shin_tilt_deg": 1.0, "back_hip_ext_deg": 0.5, "front_hip_flex_deg": -0.3},
                note="front shin tilted forward from vertical",
            ),
            "hip_shift": Mistake(
                "hip_shift",
                "pelvic_obliquity_deg",
                {"pelvic_obliquity_deg": 1.0, "front_hip_flex_deg": -0.5},
                note="front view: the kneeling-side hip drops (hip joint line tilts by the severity), "
                "trunk kept upright; the front hip flexes less so both contacts stay on the floor",
            ),
        },
        working_limb="back (kneeling) leg",
    ),
    "glute_stretch": Stretch(
        glute_stretch,
        {"seated": 0.0, "hip_hinge_deg": 20.0, "lumbar_flexion_deg": 0.0, "trunk_rotation_deg": 0.0},
        {
            "trunk_twist": Mistake(
                "trunk_twist",
                "trunk_rotation_deg",
                {"trunk_rotation_deg": 1.0},
                note="trunk axial rotation away from the crossed leg",
            ),
            "forward_bend": Mistake(
                "forward_bend",
                "lumbar_flexion_deg",
                {"lumbar_flexion_deg": 1.0},
                compensated_coef={"lumbar_flexion_deg": 1.0, "hip_hinge_deg": -1.0},
                note="seated version; compensated keeps the same total lean",
            ),
        },
        working_limb="crossed leg (ankle over the other knee)",
    ),
    "knee_to_chest": Stretch(
        knee_to_chest,
        {"hip_flex_deg": 118.0, "hip_lift_deg": 0.0, "head_lift_deg": 0.0},
        {
            "hips_lifting": _HIPS_LIFT,
            "head_lifting": _HEAD_LIFT,
            "knee_not_drawn_in": Mistake(
                "knee_not_drawn_in",
                "hip_flex_deficit_deg",
                {"hip_flex_deg": -1.0},
                note="hip flexion below the correct 118 deg",
            ),
        },
        elevation_range=(5.0, 15.0),
        working_limb="hugged leg",
    ),
    "hamstring_stretch_supine": Stretch(
        hamstring_stretch_supine,
        {
            "raised_hip_flex_deg": 78.0,
            "raised_knee_flex_deg": 20.0,
            "hip_lift_deg": 0.0,
            "head_lift_deg": 0.0,
        },
        {
            "hips_lifting": _HIPS_LIFT,
            "head_lifting": _HEAD_LIFT,
            "overstretching": Mistake(
                "overstretching",
                "past_vertical_deg",
                {"raised_hip_flex_deg": 1.0},
                offset={"raised_hip_flex_deg": 12.0},
                note="raised leg hip flexion = 90 + severity",
            ),
        },
        elevation_range=(5.0, 15.0),
        working_limb="raised leg",
    ),
    "double_knee_to_chest": Stretch(
        double_knee_to_chest,
        {"hip_flex_deg": 120.0, "head_tuck_deg": 40.0},
        {
            "knees_not_in": Mistake("knees_not_in", "hip_flex_deficit_deg", {"hip_flex_deg": -1.0}),
            "head_not_tucked": Mistake("head_not_tucked", "head_tuck_deficit_deg", {"head_tuck_deg": -1.0}),
        },
        elevation_range=(5.0, 15.0),
        working_limb="both legs",
    ),
    "lower_back_rotation": Stretch(
        lower_back_rotation,
        {"knee_roll_deg": 50.0, "shoulder_lift_deg": 0.0, "knee_gap_deg": 0.0},
        {
            "shoulder_lifting": Mistake(
                "shoulder_lifting",
                "shoulder_lift_deg",
                {"shoulder_lift_deg": 1.0},
                note="upper trunk rotating with the pelvis",
            ),
            "knees_apart": Mistake(
                "knees_apart",
                "knee_gap_deg",
                {"knee_gap_deg": 1.0},
                note="top leg abducted away from the bottom leg",
            ),
        },
        elevation_range=(12.0, 28.0),
        working_limb="side the knees fall to",
    ),
    "towel_decompression": Stretch(
        towel_decompression,
        {"lumbar_extension_deg": 10.0, "sit_up": 0.0},
        {},
        elevation_range=(5.0, 15.0),
        working_limb="none (symmetric)",
    ),
    "bed_decompression": Stretch(
        bed_decompression,
        {"hip_flex_deg": 65.0, "spine_flex_deg": 10.0},
        {},
        elevation_range=(0.0, 10.0),
        working_limb="none (symmetric)",
    ),
}


# The Tier-2 stretches live in their own module; they use the helpers above.
from tools.synth.tier2 import TIER2  # noqa: E402

STRETCHES.update(TIER2)
