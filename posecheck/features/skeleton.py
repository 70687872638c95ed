"""A per-frame view of the landmarks that knows which ones can be trusted and the body's axes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from posecheck.features.geometry import rotate90, unit
from posecheck.features.silhouette import TrunkOutline, trace, working_mask
from posecheck.frames import Landmarks
from posecheck.landmarks import BACK_OUTLINE, INDEX, PERSON_MASK, Side

# Trust rules. MediaPipe's visibility stays high for hidden joints, so a landmark must also sit
# inside the picture and be attached to a plausible skeleton (see `Skeleton.trusted`).
MIN_VISIBILITY = 0.3  # far-side joints in side views score 0.4-0.6 yet are placed well
FRAME_MARGIN = 0.01  # fraction of the frame: points this close to the edge are guesses
MAX_BONE_TO_TORSO = 1.6  # a thigh or shank longer than 1.6 torso lengths is a bad fit
MASK_ASPECT_TOLERANCE = 0.02  # a person mask must have the frame's shape to within 2%

_BONES_FOR_TRUST = {
    "knee": "hip", "ankle": "knee", "heel": "ankle", "foot_index": "ankle",
    "elbow": "shoulder", "wrist": "elbow",
}
# The same bones as index arrays, so every landmark's trust is worked out at once per frame.
_BONE_CHILD, _BONE_PARENT = (np.array(ix) for ix in zip(*[
    (INDEX[f"{side}_{child}"], INDEX[f"{side}_{parent}"])
    for side in ("left", "right") for child, parent in _BONES_FOR_TRUST.items()], strict=True))


class Unseen(Exception):
    """A feature needed a landmark that is not trustworthy in this frame."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(", ".join(names))
        self.names = names


@dataclass
class Skeleton:
    """Landmarks of one frame plus the side of the body that faces the camera.

    camera_side decides the sagittal axes: with the left side towards the camera the person faces
    image-left when upright, and anterior is superior turned 90 degrees anticlockwise on screen.
    mask is the person mask (0..1, any size with the frame's aspect ratio) or None.
    """

    landmarks: Landmarks
    width: int
    height: int
    camera_side: Side = "left"
    mask: np.ndarray | None = field(default=None, repr=False)
    side_known: bool = True  # False while the camera side is a guess: no telling back from front
    _mids: dict[str, np.ndarray | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- trust -----------------------------------------------------------------------------
    def trusted(self, name: str) -> bool:
        """Whether a landmark is usable: finite, visible, inside the frame, on a plausible bone."""
        return bool(self._trust_all[INDEX[name]])

    @cached_property
    def _trust_all(self) -> np.ndarray:
        """Every landmark's trust at once: finite, visible enough, inside the frame (not on its
        edge), and not at the end of a limb bone longer than MAX_BONE_TO_TORSO torso lengths."""
        img = self.landmarks.image[:, :2]
        x, y = img[:, 0], img[:, 1]
        mx, my = FRAME_MARGIN * self.width, FRAME_MARGIN * self.height
        with np.errstate(invalid="ignore"):
            ok = (np.isfinite(x) & np.isfinite(y) & (self.landmarks.visibility >= MIN_VISIBILITY)
                  & (x >= mx) & (x <= self.width - mx) & (y >= my) & (y <= self.height - my))
            torso = self._torso_for_trust
            if torso is not None:
                bone = np.hypot(*(img[_BONE_CHILD] - img[_BONE_PARENT]).T)
                ok[_BONE_CHILD[bone > MAX_BONE_TO_TORSO * torso]] = False
        return ok

    def untrusted(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if not self.trusted(n))

    # -- points ----------------------------------------------------------------------------
    def p(self, name: str) -> np.ndarray:
        """Pixel position of a trusted landmark; raises Unseen otherwise."""
        i = INDEX[name]
        if not self._trust_all[i]:
            raise Unseen((name,))
        return self._xy[i].copy()

    @cached_property
    def _xy(self) -> np.ndarray:
        """Every landmark's pixel position as float64, converted once per frame."""
        return self.landmarks.image[:, :2].astype(float)

    def mid(self, part: str) -> np.ndarray:
        """Midpoint of a left/right pair ("shoulder", "hip", "ear"), or the one side that is trusted.
        Worked out once per frame and part (features ask for the same midpoints many times)."""
        if part not in self._mids:
            self._mids[part] = self._mid(part)
        found = self._mids[part]
        if found is None:
            raise Unseen((f"left_{part}", f"right_{part}"))
        return found.copy()

    def _mid(self, part: str) -> np.ndarray | None:
        names = (f"left_{part}", f"right_{part}")
        pts = [self.landmarks.image[INDEX[n], :2].astype(float) for n in names if self.trusted(n)]
        if not pts:
            return None
        return pts[0] if len(pts) == 1 else (pts[0] + pts[1]) / 2.0

    def side_p(self, side: Side, part: str) -> np.ndarray:
        return self.p(f"{side}_{part}")

    def world(self, name: str) -> np.ndarray:
        if self.landmarks.world is None:
            raise Unseen((name,))
        if not self.trusted(name):
            raise Unseen((name,))
        return self.landmarks.world[INDEX[name]].astype(float)

    # -- body scale and axes ---------------------------------------------------------------
    @cached_property
    def _torso_for_trust(self) -> float | None:
        """The rough torso length the bone-length trust test compares with, once per frame."""
        return self._torso_length_raw()

    def _torso_length_raw(self) -> float | None:
        img, vis = self.landmarks.image, self.landmarks.visibility
        ls, rs, lh, rh = (INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"))
        if min(vis[ls], vis[rs], vis[lh], vis[rh]) < MIN_VISIBILITY * 0.5:
            return None
        dx = (img[ls, 0] + img[rs, 0] - img[lh, 0] - img[rh, 0]) / 2.0
        dy = (img[ls, 1] + img[rs, 1] - img[lh, 1] - img[rh, 1]) / 2.0
        d = float(np.hypot(dx, dy))
        return d if d > 1.0 else None

    @cached_property
    def torso_length(self) -> float:
        """Pixels from mid-hip to mid-shoulder: the unit that makes distances size-free."""
        d = float(np.linalg.norm(self.mid("shoulder") - self.mid("hip")))
        if d < 1.0:
            raise Unseen(("left_shoulder", "left_hip"))
        return d

    @cached_property
    def superior(self) -> np.ndarray:
        """Unit vector along the trunk, from mid-hip towards mid-shoulder."""
        return unit(self.mid("shoulder") - self.mid("hip"))

    @cached_property
    def anterior(self) -> np.ndarray:
        """Unit vector towards the body's front, in the image plane (meaningful in side views)."""
        return rotate90(self.superior, clockwise_on_screen=self.camera_side == "right")

    @cached_property
    def trunk_outline(self) -> TrunkOutline:
        """The back and front outlines of the trunk traced on the person mask (mask pixels)."""
        if self.mask is None:
            raise Unseen((PERSON_MASK,))
        hip, shoulder = self.mid("hip"), self.mid("shoulder")
        mh, mw = self.mask.shape[:2]
        same_shape = abs((mh / mw) / (self.height / self.width) - 1.0) <= MASK_ASPECT_TOLERANCE
        if not self.side_known or not same_shape or np.hypot(*(shoulder - hip)) < 1.0:
            raise Unseen((BACK_OUTLINE,))
        mask = working_mask(self.mask)
        scale = np.array([mask.shape[1] / self.width, mask.shape[0] / self.height])
        outline = trace(mask, hip * scale, shoulder * scale, self.anterior)
        if outline is None:
            raise Unseen((BACK_OUTLINE,))
        return outline

    @property
    def facing_x(self) -> int:
        """+1 when an upright person faces image-right, -1 when image-left."""
        return 1 if self.camera_side == "right" else -1

    @cached_property
    def floor_y(self) -> float:
        """Image y of the lowest trusted body point: the floor line (side view, level camera)."""
        body = self._trust_all[11:]
        if not body.any():
            raise Unseen(("left_ankle", "right_ankle"))
        return float(self.landmarks.image[11:, 1][body].max())
