"""The data that flows between stages: decoded images and estimated poses, each with a timestamp."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from posecheck.landmarks import INDEX, N_LANDMARKS


@dataclass(frozen=True)
class ImageFrame:
    """One decoded video frame: RGB pixels and its presentation time in seconds."""

    timestamp: float
    rgb: np.ndarray  # (H, W, 3) uint8

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


@dataclass(frozen=True)
class Landmarks:
    """One person's 33 landmarks in one frame.

    image: (33, 3) pixel x (right), pixel y (down), z (MediaPipe's relative depth, scaled like x).
    visibility: (33,) MediaPipe's visibility score, 0..1 (stays high for hidden joints: not trusted alone).
    world: (33, 3) metres, origin between the hips, axes aligned with the camera (x right, y down,
    z away from the camera), or None when the backend gives none.
    """

    image: np.ndarray
    visibility: np.ndarray
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.image.shape != (N_LANDMARKS, 3):
            raise ValueError(f"image landmarks must be (33, 3), got {self.image.shape}")
        if self.visibility.shape != (N_LANDMARKS,):
            raise ValueError(f"visibility must be (33,), got {self.visibility.shape}")
        if self.world is not None and self.world.shape != (N_LANDMARKS, 3):
            raise ValueError(f"world landmarks must be (33, 3), got {self.world.shape}")

    def xy(self, name: str) -> np.ndarray:
        """Pixel position (x, y) of a named landmark."""
        return self.image[INDEX[name], :2]

    def vis(self, name: str) -> float:
        return float(self.visibility[INDEX[name]])


@dataclass(frozen=True)
class PoseFrame:
    """What the estimator saw in one frame.

    landmarks is None when no person was found. mask, when asked for, is the person segmentation
    as a float32 (H, W) array in 0..1 (it may be smaller than the image; scale by width/height).
    extra_people counts other sizeable people the estimator noticed (0 when it cannot tell).
    """

    timestamp: float
    width: int
    height: int
    landmarks: Landmarks | None
    mask: np.ndarray | None = None
    extra_people: int = 0
    meta: dict[str, float] = field(default_factory=dict)

    @property
    def has_person(self) -> bool:
        return self.landmarks is not None
