"""Names and indices of MediaPipe's 33 pose landmarks, and left/right pairing."""

from __future__ import annotations

from typing import Literal

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
N_LANDMARKS = len(NAMES)

# Bones drawn on the overlay (pairs of landmark names).
BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"), ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
    ("left_ear", "left_shoulder"), ("right_ear", "right_shoulder"),
)

# Body regions, used to tell the user which part of them the camera is missing.
REGIONS: dict[str, tuple[str, ...]] = {
    "head": ("nose", "left_ear", "right_ear"),
    "shoulders": ("left_shoulder", "right_shoulder"),
    "hands": ("left_wrist", "right_wrist"),
    "hips": ("left_hip", "right_hip"),
    "knees": ("left_knee", "right_knee"),
    "feet": ("left_ankle", "right_ankle", "left_heel", "right_heel",
             "left_foot_index", "right_foot_index"),
}


def other(side: Side) -> Side:
    """The opposite body side."""
    return "right" if side == "left" else "left"


def sided(side: Side, part: str) -> str:
    """Landmark name of `part` ("knee", "hip", ...) on `side`."""
    return f"{side}_{part}"


# Not landmarks, but things a feature can miss the way it misses a joint: the back's outline on the
# person mask (hidden, or merged with a prop or an arm), the same outline while an elbow or a hand is
# behind the back, the outline on a person too small in the picture to trace it, and the mask itself
# (not recorded).
BACK_OUTLINE = "back_outline"
ARM_ON_BACK = "arm_on_back"
BACK_TOO_SMALL = "back_too_small"
PERSON_MASK = "person_mask"
_NOT_LANDMARKS = {BACK_OUTLINE: "back", ARM_ON_BACK: "arm_on_back", BACK_TOO_SMALL: "closer",
                  PERSON_MASK: "mask"}


def region_of(name: str) -> str:
    """The body region a landmark belongs to ("feet", "head", ...); for the things in
    _NOT_LANDMARKS, what was missed ("back", "arm_on_back": an arm along the back's edge,
    "closer": the person is too small, "mask")."""
    if name in _NOT_LANDMARKS:
        return _NOT_LANDMARKS[name]
    for region, names in REGIONS.items():
        if name in names:
            return region
    base = name.split("_", 1)[-1]
    for region, names in REGIONS.items():
        if any(n.endswith(base) for n in names):
            return region
    return "body"
