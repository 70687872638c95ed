"""Naming the stretch over time: smoothed class scores, a switch only after the new stretch has
led clearly for a while (hysteresis), and "none" while the body matches nothing in the catalogue."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecheck.frames import PoseFrame
from posecheck.recognition.model import RecognitionModel, Scorer
from posecheck.recognition.vector import FrameVector

SMOOTH_S = 0.5  # time constant of the per-stretch score average
SWITCH_AFTER_S = 1.0  # a new stretch must lead this long before it is named
SWITCH_MARGIN = 5.0  # ... by at least this much log-density (summed over the features)
REJECT_AFTER_S = 1.5  # matching nothing this long names no stretch
MIN_FEATURES = 6  # a frame with fewer features seen is not scored
SPLIT_BAND = 0.25  # hysteresis around a movement split, as a share of its level


@dataclass
class Segment:
    """A stretch of time during which one catalogue stretch was named."""

    pose: str
    start_s: float
    end_s: float


class Recognizer:
    """Feed pose frames in time order; `current` is the stretch being done, or None."""

    def __init__(self, model: RecognitionModel) -> None:
        self.scorer = Scorer(model)
        self.poses = sorted(set(self.scorer.poses))
        self._index = [self.poses.index(p) for p in self.scorer.poses]
        self._vector = FrameVector()
        self._splits = model.splits
        self._feature_index = {n: i for i, n in enumerate(model.features)}
        self._reject_z2 = model.reject_z2
        self._smooth = np.full(len(self.poses), math.nan)
        self._t: float | None = None
        self.current: str | None = None
        self._challenger: tuple[str | None, float] | None = None  # (pose, since)
        self.segments: list[Segment] = []

    def _pose_scores(self, x: np.ndarray) -> tuple[np.ndarray, float]:
        """Best class score per stretch, and the best mean squared z over all classes."""
        score, z2 = self.scorer.score(x)
        best = np.full(len(self.poses), -np.inf)
        for k, i in enumerate(self._index):
            best[i] = max(best[i], score[k])
        return best, float(np.min(z2))

    def update(self, frame: PoseFrame) -> str | None:
        t = frame.timestamp
        x = self._vector(frame)
        if x is None or int(np.isfinite(x).sum()) < MIN_FEATURES:
            self._decide(t, None, hold_s=REJECT_AFTER_S)
            return self.current
        scores, z2 = self._pose_scores(x)
        dt = 0.0 if self._t is None else max(0.0, t - self._t)
        self._t = t
        if np.isnan(self._smooth).any():
            self._smooth = scores.copy()
        else:
            a = 1.0 - math.exp(-dt / SMOOTH_S)
            self._smooth += a * (scores - self._smooth)
        best = self._by_movement(self.poses[int(np.argmax(self._smooth))], x)
        if z2 > self._reject_z2:
            self._decide(t, None, hold_s=REJECT_AFTER_S)
        elif self.current is None or best == self.current or self._same_shape(best, self.current):
            # within a look-alike pair the movement decides, not the shape's score
            self._decide(t, best, hold_s=0.0 if self.current is None else SWITCH_AFTER_S)
        else:
            lead = self._smooth[self.poses.index(best)] - self._smooth[self.poses.index(self.current)]
            self._decide(t, best if lead >= SWITCH_MARGIN else self.current, hold_s=SWITCH_AFTER_S)
        return self.current

    def _same_shape(self, a: str, b: str) -> bool:
        return any({a, b} == {s.above, s.below} for s in self._splits)

    def _by_movement(self, best: str, x: np.ndarray) -> str:
        """Between two stretches of the same shape, the one the movement says (with hysteresis)."""
        for s in self._splits:
            if best not in (s.above, s.below):
                continue
            value = float(x[self._feature_index[s.feature]])
            if math.isnan(value):
                return self.current if self.current in (s.above, s.below) else best
            band = SPLIT_BAND * s.split
            if self.current == s.above and value > s.split - band:
                return s.above
            if self.current == s.below and value < s.split + band:
                return s.below
            return s.above if value > s.split else s.below
        return best

    def _decide(self, t: float, wanted: str | None, hold_s: float) -> None:
        if wanted == self.current:
            self._challenger = None
        else:
            if self._challenger is None or self._challenger[0] != wanted:
                self._challenger = (wanted, t)
            if t - self._challenger[1] >= hold_s - 1e-9:
                self._switch(self._challenger[1], wanted)
                self._challenger = None
        if self.current is not None and self.segments:
            self.segments[-1].end_s = t

    def _switch(self, t: float, pose: str | None) -> None:
        if self.segments and self.current is not None:
            self.segments[-1].end_s = t
        self.current = pose
        if pose is not None:
            self.segments.append(Segment(pose, t, t))
