"""Draw the coaching overlay on a frame: skeleton and back outline coloured by check state, cue,
hold timer, side."""

from __future__ import annotations

import cv2
import numpy as np

from posecheck.checker.events import Verdict
from posecheck.features.catalogue import MASK_FEATURES
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.frames import PoseFrame
from posecheck.landmarks import BONES, INDEX
from posecheck.poses.schema import PoseDefinition

GREEN = (46, 204, 113)
AMBER = (243, 156, 18)
RED = (231, 76, 60)
GREY = (149, 165, 166)
WHITE = (255, 255, 255)
DARK = (20, 20, 20)

# Which body parts each feature looks at, so a mistake lights up the bones involved.
_FEATURE_PARTS: dict[str, tuple[str, ...]] = {
    "trunk": ("shoulder-hip",), "neck": ("ear-shoulder",), "head": ("ear-shoulder",),
    "shoulder": ("shoulder-shoulder", "shoulder-hip"), "hip_height": ("shoulder-hip", "hip-hip"),
    "hip_flexion": ("shoulder-hip", "hip-knee"), "leg_raise": ("hip-knee", "knee-ankle"),
    "knee": ("hip-knee", "knee-ankle"), "thigh": ("hip-knee",), "shin": ("knee-ankle",),
    "hand": ("shoulder-elbow", "elbow-wrist"), "ankle": ("knee-ankle",), "hip_tilt": ("hip-hip",),
}


def _bone_key(a: str, b: str) -> str:
    pa, pb = a.split("_", 1)[-1], b.split("_", 1)[-1]
    return f"{pa}-{pb}"


def _parts_for(feature: str) -> tuple[str, ...]:
    for key, parts in _FEATURE_PARTS.items():
        if key in feature:
            return parts
    return ("shoulder-hip",)


def draw_overlay(rgb: np.ndarray, frame: PoseFrame, verdict: Verdict, pose: PoseDefinition | None
                 ) -> np.ndarray:
    """Return a copy of `rgb` with the overlay drawn. Pure: no state kept between frames.

    `pose` is None while no stretch is named (recognition has not settled on one)."""
    img = rgb.copy()
    scale = overlay_scale(img)
    draw_skeleton(img, frame, verdict, pose, scale, back_dots(frame, verdict, pose))
    _banner(img, verdict, pose, scale)
    return img


def overlay_scale(img: np.ndarray) -> float:
    """Line and text scale for an image: 1.0 at 480 px on the short side."""
    h, w = img.shape[:2]
    return max(0.5, min(w, h) / 480.0)


BackDots = tuple[list[tuple[int, int]], tuple[int, int, int]]  # outline points and their colour


def draw_skeleton(img: np.ndarray, frame: PoseFrame, verdict: Verdict | None, pose: PoseDefinition | None,
                  scale: float, back: BackDots | None = None) -> None:
    """Draw bones coloured by check state (grey when not judged), and the back outline `back`
    (from `back_dots`; the live overlay keeps it for the camera frames that show one judgement),
    in place."""
    states = {c.id: c.state for c in verdict.checks} if verdict else {}
    in_position = verdict.in_position if verdict else False
    bone_colour: dict[str, tuple[int, int, int]] = {}
    for c in pose.checks if pose else ():
        state = states.get(c.id)
        colour = RED if state == "mistake" else AMBER if state == "pending" else None
        if colour is None:
            continue
        for part in _parts_for(c.feature):
            if bone_colour.get(part) != RED:
                bone_colour[part] = colour
    lm = frame.landmarks
    if lm is None:
        return
    pts = lm.image[:, :2]
    for a, b in BONES:
        pa, pb = pts[INDEX[a]], pts[INDEX[b]]
        if not (np.all(np.isfinite(pa)) and np.all(np.isfinite(pb))):
            continue
        visible = min(lm.visibility[INDEX[a]], lm.visibility[INDEX[b]]) >= 0.3
        base = GREEN if in_position else GREY
        colour = bone_colour.get(_bone_key(a, b), base) if visible else GREY
        cv2.line(img, tuple(int(v) for v in pa), tuple(int(v) for v in pb), colour,
                 max(2, int(3 * scale)), cv2.LINE_AA)
    for i in range(11, len(pts)):
        if np.all(np.isfinite(pts[i])) and lm.visibility[i] >= 0.3:
            cv2.circle(img, (int(pts[i][0]), int(pts[i][1])), max(2, int(3 * scale)), WHITE, -1,
                       cv2.LINE_AA)
    if back is not None:
        points, colour = back
        for p in points:
            cv2.circle(img, p, max(2, int(2.5 * scale)), colour, -1, cv2.LINE_AA)


def back_dots(frame: PoseFrame, verdict: Verdict | None, pose: PoseDefinition | None) -> BackDots | None:
    """Points along the back outline the lumbar checks read, coloured by those checks' state (None
    for a stretch that does not read the outline, or when it cannot be traced)."""
    if (pose is None or not pose.needs_mask or verdict is None or frame.landmarks is None
            or frame.mask is None or verdict.camera_side not in ("left", "right")):
        return None
    sk = Skeleton(frame.landmarks, frame.width, frame.height, verdict.camera_side,  # type: ignore[arg-type]
                  frame.mask)
    try:
        outline = sk.trunk_outline
        traced = sk.outline_points(outline)
    except (Unseen, ZeroDivisionError):
        return None
    states = {c.id: c.state for c in verdict.checks}
    back_checks = [states.get(c.id) for c in pose.checks if c.feature in MASK_FEATURES]
    colour = (RED if "mistake" in back_checks else AMBER if "pending" in back_checks
              else GREEN if verdict.in_position else GREY)
    points = [(int(p[0]), int(p[1])) for p in traced[np.isfinite(outline.back)]]
    return points, colour


def progress_text(v: Verdict) -> tuple[str, float]:
    """The footer's count ("reps 3/10" or "hold 12.0/30 s") and how full its bar is."""
    if v.reps_text is not None:
        return v.reps_text, v.reps_fraction
    frac = min(1.0, v.hold_s / v.hold_target_s) if v.hold_target_s else 0.0
    return f"hold {v.hold_s:4.1f}/{v.hold_target_s:.0f} s", frac


def _banner(img: np.ndarray, v: Verdict, pose: PoseDefinition | None, scale: float) -> None:
    h, w = img.shape[:2]
    colour = {"mistake": RED, "good": GREEN, "not_in_position": AMBER}.get(v.status, GREY)
    bar = int(44 * scale)
    cv2.rectangle(img, (0, 0), (w, bar), colour, -1)
    font = cv2.FONT_HERSHEY_SIMPLEX
    fit_text(img, v.message, (int(8 * scale), int(bar * 0.68)), 0.7 * scale, WHITE, w - 16)
    side = v.side if v.side else "?"
    count, frac = progress_text(v)
    timer = f"{pose.name} | side: {side} | {count}" if pose else "Recognising the stretch..."
    y = h - int(10 * scale)
    cv2.rectangle(img, (0, y - int(24 * scale)), (w, h), DARK, -1)
    cv2.putText(img, timer, (int(8 * scale), y), font, 0.55 * scale, WHITE, 1, cv2.LINE_AA)
    cv2.rectangle(img, (0, h - int(4 * scale)), (int(w * frac), h), GREEN, -1)


def fit_text(img: np.ndarray, text: str, org: tuple[int, int], size: float,
             colour: tuple[int, int, int], max_w: int) -> None:
    """Write `text` at `org`, shrinking it until it fits in `max_w` pixels."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    while size > 0.3:
        (tw, _), _ = cv2.getTextSize(text, font, size, 2)
        if tw <= max_w:
            break
        size *= 0.9
    cv2.putText(img, text, org, font, size, colour, 2, cv2.LINE_AA)
