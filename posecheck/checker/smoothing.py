"""Exponential smoothing over timestamps (not frame counts), so frame drops do not change its lag."""

from __future__ import annotations

import math


class TimeEMA:
    """First-order low-pass filter with time constant `tau_s`.

    Its lag is tau_s: after a step it has moved 63% of the way in tau_s and 95% in 3 * tau_s.
    A NaN input resets it, so a value seen again after a gap starts fresh rather than blending.
    """

    def __init__(self, tau_s: float) -> None:
        self.tau_s = tau_s
        self.value = math.nan
        self.t: float | None = None

    def update(self, t: float, x: float) -> float:
        if math.isnan(x):
            self.value, self.t = math.nan, None
            return math.nan
        if self.t is None or math.isnan(self.value) or self.tau_s <= 0:
            self.value = x
        else:
            dt = max(0.0, t - self.t)
            alpha = 1.0 - math.exp(-dt / self.tau_s)
            self.value += alpha * (x - self.value)
        self.t = t
        return self.value


class SmoothedFeatures:
    """One TimeEMA per feature name."""

    def __init__(self, tau_s: float) -> None:
        self.tau_s = tau_s
        self._filters: dict[str, TimeEMA] = {}

    def update(self, t: float, values: dict[str, float]) -> dict[str, float]:
        out = {}
        filters = self._filters
        for name, x in values.items():
            f = filters.get(name)
            if f is None:
                f = filters[name] = TimeEMA(self.tau_s)
            out[name] = f.update(t, x)
        return out
