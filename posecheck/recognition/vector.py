"""The body-shape description recognition compares: named features that do not depend on which
side faces the camera, which leg is working, or the person's size."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from posecheck.checker.sides import CameraSide
from posecheck.features.catalogue import measure
from posecheck.frames import PoseFrame

PLAIN = ("trunk_inclination", "front_facing_up", "view_yaw", "hip_height", "head_height",
         "shoulder_height", "neck_flexion", "arm_raise", "elbow_bend_max", "elbow_bend_min",
         "arms_from_vertical", "thighs_from_vertical", "legs_from_vertical", "knees_flexion_min",
         "hips_to_heels", "knee_separation", "trunk_inclination_world", "shoulder_to_ear",
         "hips_flexion_min", "trunk_twist")
# per-leg features, taken as the larger of the two legs (the working one, whichever it is)
LARGER_OF_TWO = ("hip_flexion", "knee_flexion", "leg_raise")
ABSOLUTE = ("chest_turn_world", "forearms_alternation")  # the size of a signed feature
# How much the shoulders rise and fall over the last MOTION_S seconds (spread of shoulder_to_ear):
# shoulder rolls and a still stand (or a squeeze) have the same shape and differ only in this.
MOTION = "shoulder_lift_motion"
MOTION_S = 2.0
NAMES: tuple[str, ...] = (PLAIN + tuple(f"{n}_max" for n in LARGER_OF_TWO)
                          + tuple(f"{n}_abs" for n in ABSOLUTE) + (MOTION,))


class FrameVector:
    """Turns pose frames into recognition vectors, following which side faces the camera."""

    def __init__(self) -> None:
        self._camera = CameraSide()
        self._lift: deque[tuple[float, float]] = deque()

    def __call__(self, frame: PoseFrame) -> np.ndarray | None:
        """The vector for one frame (NaN where unseen), or None when nobody is there."""
        if frame.landmarks is None:
            return None
        sk = self._camera.skeleton(frame)
        out = [measure(n, sk)[0] for n in PLAIN]
        for n in LARGER_OF_TWO:
            pair = [measure(f"{s}_{n}", sk)[0] for s in ("left", "right")]
            seen = [v for v in pair if not math.isnan(v)]
            out.append(max(seen) if seen else math.nan)
        out += [abs(measure(n, sk)[0]) for n in ABSOLUTE]
        out.append(self._motion(frame.timestamp, out[PLAIN.index("shoulder_to_ear")]))
        return np.asarray(out, dtype=float)

    def _motion(self, t: float, lift: float) -> float:
        if not math.isnan(lift):
            self._lift.append((t, lift))
        while self._lift and t - self._lift[0][0] > MOTION_S:
            self._lift.popleft()
        if len(self._lift) < 3:
            return math.nan
        return float(np.std([v for _, v in self._lift]))
