"""Trace the back outline along any hip-to-shoulder chord, for studies against the render's truth.

posecheck traces the outline along MediaPipe's mid-hip to mid-shoulder chord
(`Skeleton.outline_at`). The studies in tools/ also trace it along the render's true chord (the
labels' `kp2d`) and on the render's true silhouette (`python -m tools.synth.silhouette_truth`), to
tell what the mask, the landmarks and the rendered body each contribute to an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from posecheck.features.silhouette import TrunkOutline, back_curve, trace, working_mask

Measure = Callable[[TrunkOutline], float]


def outline_along(mask: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, faces_right: bool,
                  width: int, height: int) -> TrunkOutline | None:
    """The outline traced on `mask` along the chord from `hip` to `shoulder` (frame pixels of a
    `width` x `height` frame) at the shipped stations; None where the torso is too short to trace.
    `faces_right`: the person faces image-right (their right side is towards the camera)."""
    m = working_mask(mask)
    k = np.array([m.shape[1] / width, m.shape[0] / height])
    hip, shoulder = hip * k, shoulder * k
    along = (shoulder - hip) / float(np.hypot(*(shoulder - hip)))
    normal = np.array([-along[1], along[0]])  # towards the front for a person facing image-right
    return trace(m, hip, shoulder, normal if faces_right else -normal)


def curve_along(mask: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, faces_right: bool,
                width: int, height: int, measure: Measure = back_curve) -> float:
    """`measure` (default `back_curve`) of `outline_along(...)`; NaN where the outline is unseen."""
    outline = outline_along(mask, hip, shoulder, faces_right, width, height)
    return measure(outline) if outline is not None else math.nan


def true_mid(kp2d: dict, joint: str) -> np.ndarray:
    """The render's true mid-point of the left and right `joint` (frame pixels)."""
    return (np.asarray(kp2d[f"left_{joint}"][:2], float) + np.asarray(kp2d[f"right_{joint}"][:2], float)) / 2


def mediapipe_mid(image_landmarks: np.ndarray, left: int, right: int) -> np.ndarray:
    """MediaPipe's mid-point of two landmarks (frame pixels)."""
    return (image_landmarks[left, :2] + image_landmarks[right, :2]) / 2
