"""Trace the back outline along any hip-to-shoulder chord, for studies against the render's truth.

posecheck traces the outline along MediaPipe's mid-hip to mid-shoulder chord
(`Skeleton.outline_at`). The studies in tools/ also trace it along the render's true chord (the
labels' `kp2d`) and on the render's true silhouette (`python -m tools.synth.silhouette_truth`), to
tell what the mask, the landmarks and the rendered body each contribute to an error.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from posecheck.features.silhouette import TrunkOutline, trace, working_mask
from posecheck.frames import PoseFrame
from posecheck.labels import ClipLabels, load_labels
from posecheck.sources.recording import RecordingSource

Measure = Callable[[TrunkOutline], float]
HIPS, SHOULDERS = (23, 24), (11, 12)  # MediaPipe's left and right landmarks


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


def median_by_way(a: np.ndarray) -> np.ndarray:
    """Median over the first axis, ignoring NaN; NaN, without numpy's warning, for a way that was
    not traced on any of those frames (no true silhouette given)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(a, axis=0)


def true_mid(kp2d: dict, joint: str) -> np.ndarray:
    """The render's true mid-point of the left and right `joint` (frame pixels)."""
    return (np.asarray(kp2d[f"left_{joint}"][:2], float) + np.asarray(kp2d[f"right_{joint}"][:2], float)) / 2


def mediapipe_mid(image_landmarks: np.ndarray, left: int, right: int) -> np.ndarray:
    """MediaPipe's mid-point of two landmarks (frame pixels)."""
    return (image_landmarks[left, :2] + image_landmarks[right, :2]) / 2


def labelled_recording(landmarks: Path) -> tuple[ClipLabels, Iterator[tuple[PoseFrame, int | None]]]:
    """A rendered clip's labels (the `.labels.json` beside its `.landmarks.npz`), and each recorded
    frame with the index of the labelled frame at the same time (None where no labelled frame is)."""
    labels = load_labels(landmarks.with_name(landmarks.name.replace(".landmarks.npz", ".labels.json")))
    by_time = {round(t, 3): i for i, t in enumerate(labels.frame_times)}

    def frames() -> Iterator[tuple[PoseFrame, int | None]]:
        for frame in RecordingSource(landmarks):
            yield frame, by_time.get(round(frame.timestamp, 3))

    return labels, frames()


def true_silhouettes(truth_dir: Path | None, landmarks: Path) -> np.ndarray | None:
    """The clip's true silhouettes (frames x height x width, 0-255) rendered into `truth_dir` by
    `python -m tools.synth.silhouette_truth`; None without a folder or a file for this clip."""
    if truth_dir is None:
        return None
    path = truth_dir / landmarks.name.replace(".landmarks.npz", ".silhouette.npz")
    return np.load(path)["mask"] if path.exists() else None


def three_ways(frame: PoseFrame, kp2d: dict, truth: np.ndarray | None, faces_right: bool
               ) -> tuple[TrunkOutline | None, TrunkOutline | None, TrunkOutline | None]:
    """The frame's back outline traced three ways: as posecheck does (MediaPipe's mask and mid-hip to
    mid-shoulder chord), on MediaPipe's mask along the render's true chord (`kp2d`), and on the true
    silhouette `truth` (one frame of `true_silhouettes`, None: not traced) along the true chord.
    The frame must have landmarks and a mask."""
    assert frame.landmarks is not None and frame.mask is not None
    p, size = frame.landmarks.image, (frame.width, frame.height)
    hip, shoulder = true_mid(kp2d, "hip"), true_mid(kp2d, "shoulder")
    mp_hip, mp_shoulder = mediapipe_mid(p, *HIPS), mediapipe_mid(p, *SHOULDERS)
    return (outline_along(frame.mask, mp_hip, mp_shoulder, faces_right, *size),
            outline_along(frame.mask, hip, shoulder, faces_right, *size),
            outline_along(truth.astype(np.float32) / 255.0, hip, shoulder, faces_right, *size)
            if truth is not None else None)
