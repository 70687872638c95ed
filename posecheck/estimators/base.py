"""The estimator interface, and the person-count check shared by backends."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Protocol

import numpy as np

from posecheck.frames import ImageFrame, PoseFrame


class PoseEstimator(Protocol):
    """Turns timestamped images into pose frames. One instance per video or live session."""

    name: str

    def estimate(self, frame: ImageFrame) -> PoseFrame: ...

    def close(self) -> None: ...


def count_extra_people(mask: np.ndarray | None, person_xy: np.ndarray | None,
                       min_area_fraction: float = 0.02) -> int:
    """Count sizeable mask blobs that do not contain the tracked person's landmarks.

    MediaPipe's legacy pose tracks one person, but its segmentation mask shows everyone. A second
    large blob away from the tracked skeleton means a second person is in view.
    """
    if mask is None:
        return 0
    import cv2

    binary = (mask > 0.5).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n <= 2:
        return 0
    h, w = binary.shape
    min_area = min_area_fraction * h * w
    person_labels: set[int] = set()
    if person_xy is not None:
        for x, y in person_xy:
            if np.isfinite(x) and np.isfinite(y) and 0 <= x < w and 0 <= y < h:
                person_labels.add(int(labels[int(y), int(x)]))
    extra = 0
    for label in range(1, n):
        if stats[label, cv2.CC_STAT_AREA] >= min_area and label not in person_labels:
            extra += 1
    return extra


def quiet_native_logs() -> None:
    """Ask MediaPipe (glog) and TensorFlow Lite to print warnings and errors only. Must run before
    MediaPipe is first imported; a value the user set in the environment wins."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


# File descriptor 2 belongs to the whole process: several sessions' model threads may silence it at
# once, so the first one in saves it and the last one out puts it back.
_silence_lock = threading.Lock()
_silence_depth = 0
_saved_stderr: int | None = None


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Hide what native libraries (TFLite, glog) print on file descriptor 2 during the block.
    Safe from several threads at once."""
    global _silence_depth, _saved_stderr
    if os.environ.get("POSECHECK_NATIVE_LOGS"):
        yield
        return
    with _silence_lock:
        if _silence_depth == 0:
            sys.stderr.flush()
            try:
                saved = os.dup(2)
                devnull = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                saved = None
            else:
                os.dup2(devnull, 2)
                os.close(devnull)
            _saved_stderr = saved
        _silence_depth += 1
    try:
        yield
    finally:
        with _silence_lock:
            _silence_depth -= 1
            if _silence_depth == 0 and _saved_stderr is not None:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)
                _saved_stderr = None
