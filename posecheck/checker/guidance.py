"""Plain-words guidance for when no verdict is possible: framing, camera angle, people in view."""

from __future__ import annotations

from posecheck.landmarks import region_of

# MediaPipe finds no one when nobody is there, but also when the person is small in the picture or
# dimly lit (docs/measurements/camera_distance.md: a kneeling person at 45% of the renders' size
# went unfound for seconds), so the hint covers both.
NO_PERSON = ("I can't see anyone. Step into the picture; if you are in it, move closer to the camera "
             "or add light.")
TWO_PEOPLE = "Only one person should be in view: ask others to step out of the picture."
TURN_SIDE = "Turn so your side faces the camera."
FACE_CAMERA = "Face the camera."

_REGION_HINTS = {
    "feet": "Step back or tilt the camera down so your feet are in view.",
    "knees": "Step back so your legs are in view.",
    "head": "Move so your head is in the picture.",
    "hands": "Keep your hands in the picture.",
    "closer": "Move closer to the camera: you are too small in the picture for me to see the shape "
              "of your back.",
    "arm_on_back": "Move your hands and arms away from your back so I can see its outline.",
    "back": "Keep your back in clear view: nothing between it and the camera, and clothes that "
            "stand out from the background.",
    "mask": "This recording has no person mask, so the lower back cannot be checked: record it "
            "again without --no-mask.",
}


def missing_regions(names: tuple[str, ...]) -> tuple[str, ...]:
    """The body regions ("feet", "head", ...) that a list of unseen landmarks belongs to."""
    seen: list[str] = []
    for name in names:
        region = region_of(name)
        if region not in seen:
            seen.append(region)
    return tuple(seen)


def framing_hint(regions: tuple[str, ...]) -> str:
    """What to do when some body regions are not in view."""
    for region in ("mask", "feet", "head", "knees", "hands", "closer", "arm_on_back", "back"):
        if region in regions:
            return _REGION_HINTS[region]
    return "Move back so your whole body is in the picture, with your side to the camera."


def view_hint(required_view: str) -> str:
    return TURN_SIDE if required_view == "side" else FACE_CAMERA
