"""Which side faces the camera, and which leg is working, decided over time with hysteresis."""

from __future__ import annotations

import math

import numpy as np

from posecheck.checker.smoothing import TimeEMA
from posecheck.features.catalogue import measure
from posecheck.features.skeleton import Skeleton
from posecheck.frames import PoseFrame
from posecheck.landmarks import Side

# The working-leg rules a pose file may name: the feature compared between legs, whether the
# larger value marks the working leg, and the margin (in the feature's unit) the other leg must win
# by before the side switches.
WORKING_LEG_RULES: dict[str, tuple[str, bool, float]] = {
    "most_flexed_hip": ("hip_flexion", True, 8.0),
    "least_flexed_hip": ("hip_flexion", False, 8.0),
    "highest_leg": ("leg_raise", True, 8.0),
    "ankle_over_other_knee": ("ankle_to_other_knee", False, 0.3),
    "knees_fall_side": ("knees_towards", True, 0.2),
    "chest_turn_side": ("chest_turned_towards", True, 10.0),
}


class SideLatch:
    """A left/right decision that changes only after the other side has won for `switch_after_s`."""

    def __init__(self, switch_after_s: float, margin: float) -> None:
        self.switch_after_s = switch_after_s
        self.margin = margin
        self.side: Side | None = None
        self._challenge_t: float | None = None

    def update(self, t: float, score: float) -> bool:
        """Feed a score (positive favours left). Returns True when the side changed."""
        if math.isnan(score):
            self._challenge_t = None
            return False
        if self.side is None:  # first decision: take the better side even when it is close
            self.side = "left" if score >= 0 else "right"
            return False
        if abs(score) < self.margin:
            self._challenge_t = None
            return False
        wanted: Side = "left" if score > 0 else "right"
        if wanted == self.side:
            self._challenge_t = None
            return False
        if self._challenge_t is None:
            self._challenge_t = t
        if t - self._challenge_t >= self.switch_after_s - 1e-9:
            self.side, self._challenge_t = wanted, None
            return True
        return False


class CameraSide:
    """The body side nearer the camera, from world-landmark depth, smoothed over about a second."""

    def __init__(self) -> None:
        self._ema = TimeEMA(0.5)
        self._latch = SideLatch(switch_after_s=1.0, margin=0.03)

    @property
    def side(self) -> Side | None:
        return self._latch.side

    def skeleton(self, frame: PoseFrame, mask: np.ndarray | None = None) -> Skeleton:
        """The frame's skeleton with the side now facing the camera (left while still unknown)."""
        assert frame.landmarks is not None
        sk = Skeleton(frame.landmarks, frame.width, frame.height, mask=mask)
        score, _ = measure("camera_side_score", sk)  # reads the world landmarks only
        side = self.update(frame.timestamp, score) or "left"
        sk.turn(side, side_known=self.side is not None)
        return sk

    def update(self, t: float, score: float) -> Side | None:
        smoothed = self._ema.update(t, score) if not math.isnan(score) else math.nan
        self._latch.update(t, smoothed)
        return self._latch.side


def working_leg_score(rule: str, values: dict[str, float]) -> float:
    """Left-minus-right evidence that the left leg is the working one (NaN if unmeasurable)."""
    feature, larger_wins, _ = WORKING_LEG_RULES[rule]
    diff = values.get(f"left_{feature}", math.nan) - values.get(f"right_{feature}", math.nan)
    if rule in ("knees_fall_side", "chest_turn_side"):  # already signed towards the left
        diff = values.get(f"left_{feature}", math.nan)
    return diff if larger_wins else -diff


class ViewKind:
    """Side-on, frontal or in between, from the smoothed body yaw, with a dead band between them.

    Side-on is entered at yaw <= 45 deg and left above 55; frontal is entered at >= 65 and left
    below 55; anything else is "diagonal", which no stretch is judged from. MediaPipe's world
    landmarks overstate the turn: cameras set 21-25 deg off side-on read 34-38 deg on the
    generated samples (docs/accuracy.md), so side-on must admit readings up to 45.
    """

    SIDE_ENTER, SIDE_EXIT, FRONT_ENTER, FRONT_EXIT = 45.0, 55.0, 65.0, 55.0

    def __init__(self) -> None:
        self.kind: str | None = None

    def update(self, yaw: float) -> str | None:
        if math.isnan(yaw):
            return self.kind
        k = self.kind
        if k == "side" and yaw <= self.SIDE_EXIT:
            return k
        if k == "front" and yaw >= self.FRONT_EXIT:
            return k
        if yaw <= self.SIDE_ENTER:
            self.kind = "side"
        elif yaw >= self.FRONT_ENTER:
            self.kind = "front"
        else:
            self.kind = "diagonal"
        return self.kind
