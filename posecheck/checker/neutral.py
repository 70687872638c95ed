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

MAX_FRAME_GAP_S = 0.5  # the most one frame adds to the time spent trying to learn the neutral


@dataclass
class NeutralReading:
    """Learns one check's neutral reading: the median of the first steady `learn_s` seconds in
    which the check was clear, kept within the spec's `neutral_range`. With the spec's
    `adopt_after_s`, a flag that has stayed on that long before any neutral was learned adopts the
    median of the back over that time instead (`adopted` is then True). `recall` takes a neutral
    adopted on an earlier hold (the checker keeps those) again at once, as adopted, when the check
    would flag a back short of that neutral's own flag level.
    With `settles_for_s`, a learned (not adopted) neutral keeps settling for that long: the median
    of the frames it was learned from and every clear frame since, within `settling_reach` of its
    first value. Forget it with `reset()`."""

    spec: OwnNeutral
    value: float | None = None  # the learned neutral, None while learning
    learned_at: float | None = None
    waiting_since: float | None = None  # the first frame fed since the last reset, while none is learned
    clear_s: float = 0.0  # while none is learned: seconds the check was clear (not flagged or pending)
    adopted: bool = False  # the neutral is a back the fixed level flagged: judge against it alone
    _window: deque[tuple[float, float]] = field(default_factory=deque)  # clear and steady so far
    _held: deque[tuple[float, float]] = field(default_factory=deque)  # flagged without a break so far
    _settling: list[float] = field(default_factory=list)  # what a learned neutral is the median of
    _first: float = math.nan  # the neutral as first learned, which settling stays near
    _clear_t: float | None = None  # the last frame fed, when the check was clear

    def update(self, t: float, reading: float, may_learn: bool, flagged: bool = False) -> bool:
        """Feed one frame's smoothed reading; True on the frame the neutral is learned. `may_learn`:
        the check is clear; `flagged`: it is flagged (neither: a flag is pending)."""
        if self.value is not None:
            self._settle(t, reading, may_learn)
            return False
        if self.waiting_since is None:
            self.waiting_since = t
        self._count_clear(t, may_learn)
        adopting = flagged and self.spec.adopt_after_s is not None
        if math.isnan(reading) or not (may_learn or adopting):
            self._window.clear()  # a steady stretch, or an unbroken flag, starts again
            self._held.clear()
            return False
        if may_learn:
            self._held.clear()
            self._window.append((t, reading))
            values = [v for _, v in self._window]
            while max(values) - min(values) > self.spec.steady_within:  # not steady: start later
                self._window.popleft()
                values.pop(0)
            if t - self._window[0][0] < self.spec.learn_s - 1e-9:
                return False
        else:
            assert self.spec.adopt_after_s is not None
            self._window.clear()
            self._held.append((t, reading))
            if t - self._held[0][0] < self.spec.adopt_after_s - 1e-9:
                return False
            values = [v for _, v in self._held]
            self.adopted = True
        low, high = self.spec.neutral_range
        self._take(t, float(np.clip(np.median(values), low, high)), [] if self.adopted else values)
        return True

    def _count_clear(self, t: float, clear: bool) -> None:
        """Add the time since the frame before to `clear_s` when both were clear: time spent
        flagged or pending is not time spent trying to learn a steady back. A clear frame without a
        reading (a dim picture drops some) still counts, and a gap longer than MAX_FRAME_GAP_S (a
        stalled camera) counts as that much."""
        if clear and self._clear_t is not None:
            self.clear_s += min(t - self._clear_t, MAX_FRAME_GAP_S)
        self._clear_t = t if clear else None

    def _take(self, t: float, neutral: float, settling: list[float]) -> None:
        """`neutral` is learned (or adopted) at t; `settling`: the frames it is the median of, which
        settling adds to (none for an adopted neutral, which does not settle)."""
        self.value = self._first = neutral
        self.learned_at = t
        self._settling = settling
        self._window.clear()
        self._held.clear()

    def _settle(self, t: float, reading: float, may_learn: bool) -> None:
        """A clear frame within `settles_for_s` of learning joins the frames the neutral is the median of."""
        if (self.adopted or not may_learn or math.isnan(reading) or self.learned_at is None
                or not 0.0 <= t - self.learned_at <= self.spec.settles_for_s + 1e-9
                or self.spec.settles_for_s <= 0.0):
            return
        self._settling.append(reading)
        low, high = self.spec.neutral_range
        near = self.spec.settling_reach
        median = float(np.clip(np.median(self._settling), low, high))
        self.value = float(np.clip(median, self._first - near, self._first + near))

    def recall(self, t: float, known: float, reading: float, rising: bool) -> bool:
        """While no neutral is learned, take `known` (a neutral adopted on an earlier hold) as this
        hold's adopted neutral if the back reads short of its flag level; True if it was taken. The
        checker calls this only while the check would flag the back or is about to."""
        if self.value is not None or self.spec.adopt_after_s is None or math.isnan(reading):
            return False
        if level_units(reading, *self._levels_around(known, rising)) >= 1.0:
            return False
        self.adopted = True
        self._take(t, known, [])
        return True

    def reset(self) -> None:
        self.value = self.learned_at = self.waiting_since = self._clear_t = None
        self.clear_s = 0.0
        self.adopted = False
        self._settling = []
        self._first = math.nan
        self._window.clear()
        self._held.clear()

    def levels(self, rising: bool) -> tuple[float, float] | None:
        """The (flag, clear) levels against this person's neutral, in the neutral feature's units
        (None while none is learned)."""
        return None if self.value is None else self._levels_around(self.value, rising)

    def _levels_around(self, neutral: float, rising: bool) -> tuple[float, float]:
        sign = 1.0 if rising else -1.0
        return neutral + sign * self.spec.flag_past, neutral + sign * self.spec.clear_within

    def judged(self, rising: bool, flag: float, clear: float, value: float, own: float) -> float:
        """The check's reading in level units: 0 at a clear level, 1 at a flag level (see
        `level_units`), the larger of the pose's fixed levels on `value` and the person's own on
        `own` (the neutral feature's reading). So the own level can only make the check stricter.
        NaN when `value` is; the fixed levels alone while no neutral is learned or `own` is NaN.
        Once a back the fixed level flagged was adopted as the neutral, the own level alone (NaN
        when `own` is)."""
        fixed = level_units(value, flag, clear)
        levels = self.levels(rising)
        if levels is None or math.isnan(fixed):
            return fixed
        if self.adopted:  # the fixed level kept flagging this person's back: their own level alone
            return level_units(own, *levels)
        if math.isnan(own):
            return fixed
        return max(fixed, level_units(own, *levels))


def level_units(value: float, flag: float, clear: float) -> float:
    """`value` rescaled so that the clear level reads 0 and the flag level 1, whichever way the
    check runs: a latch at (rising, 1, 0) on it flags and clears exactly where one at (flag, clear)
    on the value would. Readings on two features, or against two pairs of levels, can then be
    compared: the larger is the nearer to (or further past) its flag."""
    return (value - clear) / (flag - clear)
