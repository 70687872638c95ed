"""Frames pushed in one at a time with their own timestamps (the live app's camera callback)."""

from __future__ import annotations

import numpy as np

from posecheck.frames import ImageFrame


class PushedFrames:
    """Turn (image, timestamp) pairs into `ImageFrame`s, keeping time strictly increasing.

    Live streams can repeat or reorder timestamps after a reconnect; a frame that would go back in
    time is given a timestamp just after the previous one so durations never run backwards.
    """

    def __init__(self) -> None:
        self.last_timestamp: float | None = None

    def push(self, rgb: np.ndarray, timestamp: float) -> ImageFrame:
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"expected an (H, W, 3) RGB image, got shape {rgb.shape}")
        t = float(timestamp)
        if self.last_timestamp is not None and t <= self.last_timestamp:
            t = self.last_timestamp + 1e-3
        self.last_timestamp = t
        return ImageFrame(timestamp=t, rgb=rgb)
