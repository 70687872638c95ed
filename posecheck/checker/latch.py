"""Hysteresis: a threshold becomes a yes/no only after it stays crossed, and clears at a second level."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Transition = Literal["on", "off", "lost"]


@dataclass
class Latch:
    """Turns a noisy measurement into a stable verdict.

    It switches on once the value has been past `on_level` for `on_after_s` seconds, and off once
    it has been back past `off_level` for `off_after_s`. `rising` says which way is "past". All
    durations come from timestamps, so dropped frames do not stretch or shrink them. A NaN value
    (not measurable) switches it off at once ("lost") and forgets any half-counted crossing.
    """

    rising: bool
    on_level: float
    off_level: float
    on_after_s: float = 0.0
    off_after_s: float = 0.0
    is_on: bool = False
    onset_t: float | None = None  # when the value first crossed on_level (start of a candidate)
    offset_t: float | None = None  # when the value first crossed back past off_level
    started_at: float | None = None  # start of the current "on" span (its onset time)

    def _past_on(self, v: float) -> bool:
        return v > self.on_level if self.rising else v < self.on_level

    def _past_off(self, v: float) -> bool:
        return v < self.off_level if self.rising else v > self.off_level

    @property
    def pending(self) -> bool:
        """Crossed but not yet for long enough."""
        return not self.is_on and self.onset_t is not None

    def update(self, t: float, value: float) -> Transition | None:
        if math.isnan(value):
            self.onset_t = self.offset_t = None
            if self.is_on:
                self.is_on = False
                return "lost"
            return None
        if not self.is_on:
            if self._past_on(value):
                if self.onset_t is None:
                    self.onset_t = t
                if t - self.onset_t >= self.on_after_s - 1e-9:
                    self.is_on, self.started_at, self.offset_t = True, self.onset_t, None
                    self.onset_t = None
                    return "on"
            else:
                self.onset_t = None
            return None
        if self._past_off(value):
            if self.offset_t is None:
                self.offset_t = t
            if t - self.offset_t >= self.off_after_s - 1e-9:
                self.is_on = False
                self.onset_t = None
                return "off"
        else:
            self.offset_t = None
        return None

    def reset(self) -> None:
        self.is_on = False
        self.onset_t = self.offset_t = self.started_at = None
