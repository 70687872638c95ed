"""Frames pushed in one at a time with their own timestamps (the live app's camera callback)."""

from __future__ import annotations

import numpy as np

from posecheck.frames import ImageFrame

RESTART_JUMP_S = 0.5  # a timestamp this far back means the camera restarted its clock
RESTART_STEP_S = 1 / 30  # the time given to the first frame after a restart


class PushedFrames:
    """Turn (image, timestamp) pairs into `ImageFrame`s, keeping time strictly increasing.

    Live streams can repeat or reorder timestamps, and a camera that is stopped and started again
    starts its clock from zero. A slightly late frame is nudged just after the previous one; a big
    jump back re-bases the clock so the new stream continues where the old one ended, at its own
    pace (durations never run backwards and never freeze).
    """

    def __init__(self) -> None:
        self.last_timestamp: float | None = None
        self._offset = 0.0

    def push(self, rgb: np.ndarray, timestamp: float) -> ImageFrame:
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"expected an (H, W, 3) RGB image, got shape {rgb.shape}")
        t = float(timestamp) + self._offset
        last = self.last_timestamp
        if last is not None and t <= last:
            if last - t > RESTART_JUMP_S:
                self._offset += last + RESTART_STEP_S - t
                t = last + RESTART_STEP_S
            else:
                t = last + 1e-3
        self.last_timestamp = t
        return ImageFrame(timestamp=t, rgb=rgb)
