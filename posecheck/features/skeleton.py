"""A per-frame view of the landmarks that knows which ones can be trusted and the body's axes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

import numpy as np

from posecheck.features.geometry import (
    Vec2,
    Vec3,
    div3,
    hypot,
    mid3,
    norm2,
    norm3,
    rotate90_xy,
    sub3,
    unit_xy,
)
from posecheck.features.silhouette import STATIONS, TrunkOutline, trace, working_mask
from posecheck.frames import Landmarks
from posecheck.landmarks import (
    ARM_ON_BACK,
    BACK_OUTLINE,
    BACK_TOO_SMALL,
    INDEX,
    N_LANDMARKS,
    PERSON_MASK,
    SIDES,
    Side,
)

# Trust rules. MediaPipe's visibility stays high for hidden joints, so a landmark must also sit
# inside the picture and be attached to a plausible skeleton (see `Skeleton.trusted`).
MIN_VISIBILITY = 0.3  # far-side joints in side views score 0.4-0.6 yet are placed well
FRAME_MARGIN = 0.01  # fraction of the frame: points this close to the edge are guesses
MAX_BONE_TO_TORSO = 1.6  # a thigh or shank longer than 1.6 torso lengths is a bad fit
MASK_ASPECT_TOLERANCE = 0.02  # a person mask must have the frame's shape to within 2%
# An elbow, wrist or hand this many torso lengths behind the hip-shoulder chord, level with the trunk,
# is behind the back (the back's outline runs about 0.2 to 0.3 behind it): the outline there may be
# the arm's. Over rendered holds with the hands where each stretch puts them the deepest such point
# lies 0.10 behind the chord at most (the starter lunge's arms hanging by the sides; 0.001 on the
# restless holds); with the hands on the hips or the lower back, 0.248 or more. The level sits
# halfway between, rounded (docs/measurements/hands.md).
ARM_BEHIND_BACK = 0.17
_ARM_POINTS = ("elbow", "wrist", "index", "pinky")
_ARM_LEVEL = (-0.3, 1.0)  # stations (0 hip, 1 shoulder) an arm point must lie between to count

_BONES_FOR_TRUST = {
    "knee": "hip", "ankle": "knee", "heel": "ankle", "foot_index": "ankle",
    "elbow": "shoulder", "wrist": "elbow",
}
# The same bones by landmark index: child -> parent.
_BONE_PARENT: dict[int, int] = {
    INDEX[f"{side}_{child}"]: INDEX[f"{side}_{parent}"]
    for side in ("left", "right") for child, parent in _BONES_FOR_TRUST.items()}
_LS, _RS, _LH, _RH = (INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"))
_FIRST_BODY = INDEX["left_shoulder"]  # landmarks from here on are the body's (not the face's)
_CAMERA_SIDE_PAIRS = tuple((INDEX[f"right_{part}"], INDEX[f"left_{part}"])
                           for part in ("shoulder", "hip", "knee", "ear", "elbow"))


T = TypeVar("T")


class per_frame(Generic[T]):  # lower case, as functools.cached_property
    """functools.cached_property without its lock: worked out on first use, then kept in the
    instance. Python 3.11's takes an RLock on every first use, over a microsecond each, a dozen
    times a frame; a Skeleton lives for one frame in one thread."""

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> per_frame[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> T | per_frame[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


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

    Points are tuples of Python floats (`pt`, `side_pt`, `mid_pt`, `world_pt`, `superior_xy`,
    `anterior_xy`): numpy's per-call cost on 2-vectors was most of a feature's time. `mid` and
    `anterior` give numpy arrays for the drawing and the outline trace. Everything is worked out
    at most once per frame, on first use.
    """

    landmarks: Landmarks
    width: int
    height: int
    camera_side: Side = "left"
    mask: np.ndarray | None = field(default=None, repr=False)
    side_known: bool = True  # False while the camera side is a guess: no telling back from front
    _mids: dict[str, Vec2 | None] = field(default_factory=dict, init=False, repr=False, compare=False)
    _trust: list[bool | None] = field(default_factory=lambda: [None] * N_LANDMARKS, init=False,
                                      repr=False, compare=False)

    def turn(self, camera_side: Side, side_known: bool = True) -> None:
        """Set the side facing the camera once it has been decided from this frame's world
        landmarks (`CameraSide`), so that one Skeleton serves the whole frame. Only before anything
        that depends on the side (the anterior axis, the trunk outline) has been worked out."""
        if "anterior_xy" in self.__dict__ or "trunk_outline" in self.__dict__:
            raise RuntimeError("the camera side is set before the body's front is worked out")
        self.camera_side, self.side_known = camera_side, side_known

    # -- trust -----------------------------------------------------------------------------
    def trusted(self, name: str) -> bool:
        """Whether a landmark is usable: finite, visible enough, inside the frame (not on its edge),
        and not at the end of a limb bone longer than MAX_BONE_TO_TORSO torso lengths."""
        return self._trusted_at(INDEX[name])

    def _trusted_at(self, i: int) -> bool:
        known = self._trust[i]
        if known is None:
            known = self._trust[i] = self._judge(i)
        return known

    def _judge(self, i: int) -> bool:
        x, y = self._pts[i]
        x0, x1, y0, y1 = self._inside
        # the bounds are finite, so a NaN or infinite coordinate is outside them too
        if not (self._vis[i] >= MIN_VISIBILITY and x0 <= x <= x1 and y0 <= y <= y1):
            return False
        parent = _BONE_PARENT.get(i)
        torso = self._torso_for_trust
        if parent is None or torso is None:
            return True
        px, py = self._pts[parent]
        return not hypot(x - px, y - py) > MAX_BONE_TO_TORSO * torso

    @per_frame
    def _inside(self) -> tuple[float, float, float, float]:
        """The part of the frame a trusted landmark lies in: x from, x to, y from, y to."""
        mx, my = FRAME_MARGIN * self.width, FRAME_MARGIN * self.height
        return mx, self.width - mx, my, self.height - my

    def untrusted(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if not self.trusted(n))

    # -- points ----------------------------------------------------------------------------
    @per_frame
    def _pts(self) -> list[list[float]]:
        """Every landmark's pixel position (x, y) as Python floats, converted once per frame."""
        return self.landmarks.image[:, :2].astype(float).tolist()

    @per_frame
    def _vis(self) -> list[float]:
        return self.landmarks.visibility.tolist()

    def pt(self, name: str) -> Vec2:
        """Pixel position (x, y) of a trusted landmark; raises Unseen otherwise."""
        i = INDEX[name]
        if not self._trusted_at(i):
            raise Unseen((name,))
        x, y = self._pts[i]
        return x, y

    def side_pt(self, side: Side, part: str) -> Vec2:
        return self.pt(f"{side}_{part}")

    def segment(self, side: Side, start: str, end: str) -> Vec2:
        """The vector from one landmark of a side to another (end minus start), pixels."""
        (ex, ey), (sx, sy) = self.side_pt(side, end), self.side_pt(side, start)
        return ex - sx, ey - sy

    def mid_pt(self, part: str) -> Vec2:
        """Midpoint of a left/right pair ("shoulder", "hip", "ear"), or the one side that is trusted.
        Worked out once per frame and part (features ask for the same midpoints many times)."""
        try:
            found = self._mids[part]
        except KeyError:
            found = self._mids[part] = self._mid(part)
        if found is None:
            raise Unseen((f"left_{part}", f"right_{part}"))
        return found

    def mid(self, part: str) -> np.ndarray:
        """`mid_pt` as a numpy array."""
        return np.array(self.mid_pt(part))

    def _mid(self, part: str) -> Vec2 | None:
        left, right = INDEX[f"left_{part}"], INDEX[f"right_{part}"]
        left_ok, right_ok = self._trusted_at(left), self._trusted_at(right)
        if left_ok and right_ok:
            (x0, y0), (x1, y1) = self._pts[left], self._pts[right]
            return (x0 + x1) / 2.0, (y0 + y1) / 2.0
        if left_ok or right_ok:
            x, y = self._pts[left if left_ok else right]
            return x, y
        return None

    @per_frame
    def world_all(self) -> list[list[float]] | None:
        """Every world landmark (metres) as Python floats, trusted or not; None when the backend
        gives no world landmarks."""
        w = self.landmarks.world
        return None if w is None else np.asarray(w, dtype=float).tolist()

    @per_frame
    def near_side_depth(self) -> float:
        """Mean world depth of the right-side joints minus their left twins (metres): positive when
        the left side is nearer the camera. NaN without world depths. Kept per frame because the
        camera-side latch and the checker's features both read it."""
        w = self.world_all
        if w is None:
            return math.nan
        score, n = 0.0, 0
        for right, left in _CAMERA_SIDE_PAIRS:
            dz = w[right][2] - w[left][2]
            if math.isfinite(dz):
                score += dz
                n += 1
        return score / n if n else math.nan

    def world_pt(self, name: str) -> Vec3:
        """World position (metres) of a trusted landmark; raises Unseen otherwise."""
        world = self.world_all
        if world is None:
            raise Unseen((name,))
        i = INDEX[name]
        if not self._trusted_at(i):
            raise Unseen((name,))
        x, y, z = world[i]
        return x, y, z

    def world_mid_pt(self, part: str) -> Vec3:
        """World midpoint of a left/right pair (both must be trusted)."""
        return mid3(self.world_pt(f"left_{part}"), self.world_pt(f"right_{part}"))

    def world_pair(self, part: str) -> Vec3:
        """World vector from the right to the left landmark of a pair."""
        return sub3(self.world_pt(f"left_{part}"), self.world_pt(f"right_{part}"))

    def world_trunk(self) -> Vec3:
        """World vector from mid-hip to mid-shoulder (metres)."""
        return sub3(self.world_mid_pt("shoulder"), self.world_mid_pt("hip"))

    def world_superior(self) -> Vec3:
        """`world_trunk` over its length (plus 1e-9, so a zero-length trunk gives zero, not NaN)."""
        up = self.world_trunk()
        return div3(up, norm3(up) + 1e-9)

    # -- body scale and axes ---------------------------------------------------------------
    @per_frame
    def _torso_for_trust(self) -> float | None:
        """The rough torso length the bone-length trust test compares with, once per frame."""
        return self._torso_length_raw()

    def _torso_length_raw(self) -> float | None:
        vis, pts = self._vis, self._pts
        if min(vis[_LS], vis[_RS], vis[_LH], vis[_RH]) < MIN_VISIBILITY * 0.5:
            return None
        dx = (pts[_LS][0] + pts[_RS][0] - pts[_LH][0] - pts[_RH][0]) / 2.0
        dy = (pts[_LS][1] + pts[_RS][1] - pts[_LH][1] - pts[_RH][1]) / 2.0
        d = hypot(dx, dy)
        return d if d > 1.0 else None

    @per_frame
    def trunk_xy(self) -> Vec2:
        """The vector from mid-hip to mid-shoulder, pixels."""
        (sx, sy), (hx, hy) = self.mid_pt("shoulder"), self.mid_pt("hip")
        return sx - hx, sy - hy

    @per_frame
    def torso_length(self) -> float:
        """Pixels from mid-hip to mid-shoulder: the unit that makes distances size-free."""
        d = norm2(*self.trunk_xy)
        if d < 1.0:
            raise Unseen(("left_shoulder", "left_hip"))
        return d

    @per_frame
    def superior_xy(self) -> Vec2:
        """Unit vector along the trunk, from mid-hip towards mid-shoulder."""
        return unit_xy(*self.trunk_xy)

    @per_frame
    def anterior_xy(self) -> Vec2:
        """Unit vector towards the body's front, in the image plane (meaningful in side views)."""
        x, y = self.superior_xy
        return rotate90_xy(x, y, clockwise_on_screen=self.camera_side == "right")

    @property
    def anterior(self) -> np.ndarray:
        """`anterior_xy` as a numpy array."""
        return np.array(self.anterior_xy)

    @per_frame
    def trunk_outline(self) -> TrunkOutline:
        """The back and front outlines of the trunk traced on the person mask (mask pixels)."""
        return self.outline_at(STATIONS)

    def outline_points(self, outline: TrunkOutline, back: np.ndarray | None = None) -> np.ndarray:
        """The back outline's points in frame pixels, (K, 2), one per station of `outline` (NaN where
        it has none); `back` puts them at other distances from the chord instead (torso lengths, as
        `outline.back`)."""
        hip, shoulder = self.mid("hip"), self.mid("shoulder")
        chord = shoulder - hip
        length = float(np.hypot(chord[0], chord[1]))
        d = outline.back if back is None else back
        return hip + outline.stations[:, None] * chord - (d * length)[:, None] * self.anterior

    def outline_at(self, stations: np.ndarray) -> TrunkOutline:
        """The trunk's outlines at other `stations` along the hip-to-shoulder chord (studies use
        this; below 0 is beyond the hip). Unseen exactly when `trunk_outline` would be."""
        if self.mask is None:
            raise Unseen((PERSON_MASK,))
        (hx, hy), (sx, sy) = self.mid_pt("hip"), self.mid_pt("shoulder")
        mh, mw = self.mask.shape[:2]
        same_shape = abs((mh / mw) / (self.height / self.width) - 1.0) <= MASK_ASPECT_TOLERANCE
        if not self.side_known or not same_shape or hypot(sx - hx, sy - hy) < 1.0:
            raise Unseen((BACK_OUTLINE,))
        if self.arm_behind_back:
            raise Unseen((ARM_ON_BACK,))
        mask = working_mask(self.mask)
        kx, ky = mask.shape[1] / self.width, mask.shape[0] / self.height  # frame to mask pixels
        outline = trace(mask, np.array([hx * kx, hy * ky]), np.array([sx * kx, sy * ky]), self.anterior,
                        stations)
        if outline is None:  # the torso is too short in the mask to trace
            raise Unseen((BACK_TOO_SMALL,))
        return outline

    @per_frame
    def arm_depth(self) -> float:
        """How far behind the hip-shoulder chord the deepest trusted elbow, wrist or hand point lies,
        level with the trunk, in torso lengths (negative: in front of it; -inf: none to measure)."""
        (hx, hy), (sx, sy) = self.mid_pt("hip"), self.mid_pt("shoulder")
        length = hypot(sx - hx, sy - hy)
        if length < 1.0:
            return -math.inf
        ux, uy = (sx - hx) / length, (sy - hy) / length  # superior along the chord
        ax, ay = self.anterior_xy
        deepest = -math.inf
        for side in SIDES:
            for part in _ARM_POINTS:
                name = f"{side}_{part}"
                if not self.trusted(name):
                    continue
                x, y = self.pt(name)
                station = ((x - hx) * ux + (y - hy) * uy) / length
                if _ARM_LEVEL[0] <= station <= _ARM_LEVEL[1]:
                    deepest = max(deepest, -((x - hx) * ax + (y - hy) * ay) / length)
        return deepest

    @property
    def arm_behind_back(self) -> bool:
        """An elbow or a hand behind the back (see ARM_BEHIND_BACK): the back's outline is not read."""
        return self.arm_depth > ARM_BEHIND_BACK

    @property
    def facing_x(self) -> int:
        """+1 when an upright person faces image-right, -1 when image-left."""
        return 1 if self.camera_side == "right" else -1

    @per_frame
    def floor_y(self) -> float:
        """Image y of the lowest trusted body point: the floor line (side view, level camera)."""
        ys = [self._pts[i][1] for i in range(_FIRST_BODY, N_LANDMARKS) if self._trusted_at(i)]
        if not ys:
            raise Unseen(("left_ankle", "right_ankle"))
        return max(ys)
