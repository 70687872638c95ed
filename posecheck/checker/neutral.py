"""The person's own neutral reading of a feature, learned in the session (see `OwnNeutral` in the schema).

Bodies differ in their neutral back: the outline of a correct back reads anywhere from -33 to -9
deg across bodies (docs/spine.md), so a fixed level must sit past all of them and misses small
mistakes on a deep-backed person. Within one session the outline follows the lumbar angle
closely, so a check can also compare the back with how it read at the start of the hold.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from posecheck.poses.schema import OwnNeutral


@dataclass
class NeutralReading:
    """Learns one check's neutral reading: the median of the first steady `learn_s` seconds in
    which the check was clear, kept within the spec's `neutral_range`. Forget it with `reset()`."""

    spec: OwnNeutral
    value: float | None = None  # the learned neutral, None while learning
    learned_at: float | None = None
    _window: deque[tuple[float, float]] = field(default_factory=deque)

    def update(self, t: float, reading: float, may_learn: bool) -> bool:
        """Feed one frame's smoothed reading; True on the frame the neutral is learned."""
        if self.value is not None:
            return False
        if not may_learn or math.isnan(reading):
            self._window.clear()  # a steady stretch must be unbroken
            return False
        w = self._window
        w.append((t, reading))
        values = [v for _, v in w]
        while max(values) - min(values) > self.spec.steady_within:  # not steady: start later
            w.popleft()
            values.pop(0)
        if t - w[0][0] < self.spec.learn_s - 1e-9:
            return False
        low, high = self.spec.neutral_range
        self.value = float(np.clip(np.median(values), low, high))
        self.learned_at = t
        w.clear()
        return True

    def reset(self) -> None:
        self.value = self.learned_at = None
        self._window.clear()

    def levels(self, rising: bool, flag: float, clear: float) -> tuple[float, float]:
        """The flag and clear levels for this person: the pose's own, tightened by the neutral."""
        if self.value is None:
            return flag, clear
        past, within = self.spec.flag_past, self.spec.clear_within
        if rising:
            return min(flag, self.value + past), min(clear, self.value + within)
        return max(flag, self.value - past), max(clear, self.value - within)
