"""Counting repetitions: a rep is counted only when the movement reaches both of its ends.

The counter reads one smoothed feature over time. Each end is a hysteresis latch (reached past
its entry level, left past its exit level), so noise around a level does not count twice. A swing
that crosses the middle of the range and turns back without reaching the far end is a partial
rep: it is not counted, and that end's cue tells the user to go further. Everything is timed
from frame timestamps.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise

from posecheck.checker.latch import Latch
from posecheck.poses.schema import RepEnd, Reps

MIN_LOOP_FILL = 0.25  # a loop must fill a quarter of its bounding ellipse to have a direction
MIDDLE_BAND = 0.25  # fraction of the distance between the end levels kept as a dead band


@dataclass
class Rep:
    """One completed cycle."""

    start_s: float
    end_s: float
    ends: dict[str, float]  # the furthest value reached at each end
    counted: bool
    direction: str | None = None  # circles only: "forward", "backward", None when not judged
    note: str = ""  # why it was not counted

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass
class RepEvent:
    timestamp: float
    kind: str  # "rep_counted", "rep_not_counted", "rep_partial"
    message: str
    end: str | None = None


@dataclass
class _End:
    spec: RepEnd
    latch: Latch
    reached_t: float | None = None
    extreme: float = math.nan

    def deeper(self, v: float) -> bool:
        return math.isnan(self.extreme) or (v > self.extreme if self.spec.rising else v < self.extreme)


@dataclass
class RepCounter:
    """Counts one stretch's reps. Call `update` once per frame while the person is in position."""

    spec: Reps
    reps: list[Rep] = field(default_factory=list)
    partials: list[RepEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        s = self.spec
        self._ends = [_End(e, Latch(e.rising, e.enter, e.exit)) for e in (s.high, s.low)]
        self._mid = (s.high.enter + s.low.enter) / 2.0
        self._band = MIDDLE_BAND * (s.high.enter - s.low.enter) / 2.0
        self._zone: str | None = None  # "high" or "low" half of the range
        self._zone_from_other = False  # entered the current half by crossing from the other one
        self._zone_reached = False  # the current half's end was reached during this visit
        self._window: deque[tuple[float, float]] = deque()
        # baseline "mid": frames held back until the first window has shown the person's range
        self._pending: list[tuple[float, float, float, str | None, bool]] = []
        self._warm = False
        self._trace: list[tuple[float, float]] = []  # (feature, direction feature) this cycle
        self._cycle_start: float | None = None
        self._last: tuple[Rep, _End] | None = None  # the rep just completed, still at its end

    # ------------------------------------------------------------------------------------------
    @property
    def counted(self) -> int:
        return sum(1 for r in self.reps if r.counted)

    def counted_in(self, direction: str) -> int:
        return sum(1 for r in self.reps if r.counted and r.direction == direction)

    def seconds_in(self, direction: str) -> float:
        return sum(r.duration_s for r in self.reps if r.counted and r.direction == direction)

    @property
    def complete(self) -> bool:
        if self.spec.per_direction_s is not None:
            return all(self.seconds_in(d) >= self.spec.per_direction_s - 1e-6
                       for d in ("forward", "backward"))
        return self.counted >= self.spec.target

    # ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """The movement can no longer be followed (out of position, person lost): start afresh."""
        for e in self._ends:
            e.latch.reset()
            e.reached_t, e.extreme = None, math.nan
        self._zone, self._zone_from_other, self._zone_reached = None, False, False
        self._window.clear()
        self._pending.clear()
        self._warm = False
        self._trace.clear()
        self._cycle_start = None
        self._last = None

    def _relative(self, t: float, value: float) -> float:
        b = self.spec.baseline
        if b is None:
            return value
        self._window.append((t, value))
        while self._window and t - self._window[0][0] > b.window_s:
            self._window.popleft()
        values = [v for _, v in self._window]
        return value - (max(values) + min(values)) / 2.0

    def update(self, t: float, value: float, direction_value: float = math.nan,
               blocked: str | None = None, judge_direction: bool = True) -> list[RepEvent]:
        """Feed one frame. `blocked` names why a rep finished now would not count (a mistake).

        With a `mid` baseline the first `window_s` seconds are held back until they have shown the
        person's range, then judged against it all at once (so the first rep is not lost)."""
        if math.isnan(value):
            return []
        b = self.spec.baseline
        if b is not None and not self._warm:
            self._pending.append((t, value, direction_value, blocked, judge_direction))
            self._window.append((t, value))
            if t - self._pending[0][0] < b.window_s - 1e-9:
                return []
            self._warm = True
            values = [v for _, v in self._window]
            mid = (max(values) + min(values)) / 2.0
            events: list[RepEvent] = []
            for pt, pv, pd, pb, pj in self._pending:
                events += self._step(pt, pv - mid, pd, pb, pj)
            self._pending.clear()
            return events
        v = self._relative(t, value)
        return self._step(t, v, direction_value, blocked, judge_direction)

    def _step(self, t: float, v: float, direction_value: float, blocked: str | None,
              judge_direction: bool) -> list[RepEvent]:
        """One frame of the movement, already measured from the baseline."""
        events: list[RepEvent] = []
        if self._cycle_start is None:
            self._cycle_start = t
        self._trace.append((v, direction_value))
        events += self._follow_zone(t, v)
        for e in self._ends:
            change = e.latch.update(t, v)
            if e.latch.is_on and e.deeper(v):
                e.extreme = v
            if change == "on":
                e.reached_t, e.extreme = t, v
                self._zone_reached = True
        if self._last is not None:  # the depth of the end that completed a rep, until it is left
            rep, end = self._last
            if end.latch.is_on:
                rep.ends[end.spec.name] = round(end.extreme, 3)
            else:
                self._last = None
        for e in self._ends:  # an end left long ago no longer pairs with a new one
            if e.reached_t is not None and not e.latch.is_on and t - e.reached_t > self.spec.max_rep_s:
                e.reached_t, e.extreme = None, math.nan
        if all(e.reached_t is not None for e in self._ends):
            events.append(self._complete(t, blocked, judge_direction))
        return events

    def _follow_zone(self, t: float, v: float) -> list[RepEvent]:
        """Spot a swing that crossed the middle and turned back before reaching its end."""
        if v > self._mid + self._band:
            zone = "high"
        elif v < self._mid - self._band:
            zone = "low"
        else:
            return []
        if zone == self._zone:
            return []
        events: list[RepEvent] = []
        if self._zone is not None and self._zone_from_other and not self._zone_reached:
            end = self.spec.high if self._zone == "high" else self.spec.low
            event = RepEvent(t, "rep_partial", end.cue, end.name)
            self.partials.append(event)
            events.append(event)
        self._zone_from_other = self._zone is not None
        self._zone, self._zone_reached = zone, False
        return events

    def _complete(self, t: float, blocked: str | None, judge_direction: bool) -> RepEvent:
        start = self._cycle_start if self._cycle_start is not None else t
        ends = {e.spec.name: round(e.extreme, 3) for e in self._ends}
        direction = self._direction() if judge_direction else None
        rep = Rep(start, t, ends, counted=blocked is None, direction=direction, note=blocked or "")
        self.reps.append(rep)
        finishing = max(self._ends, key=lambda e: e.reached_t or -math.inf)
        self._last = (rep, finishing) if finishing.latch.is_on else None
        for e in self._ends:
            e.reached_t = None
            if not e.latch.is_on:
                e.extreme = math.nan
        self._trace = self._trace[-1:]
        self._cycle_start = t
        if rep.counted:
            n = self.counted
            way = f" {direction}" if direction else ""
            return RepEvent(t, "rep_counted", f"Rep {n} of {self.spec.target}{way}.")
        return RepEvent(t, "rep_not_counted", f"Not counted: {blocked}")

    def _direction(self) -> str | None:
        """forward / backward from the loop traced in (direction feature, feature), or None."""
        pts = [(d, v) for v, d in self._trace if not math.isnan(d)]
        if len(pts) < 6:
            return None
        # take out a steady drift of the direction signal over the cycle (MediaPipe's depth
        # wanders), so the loop closes on itself
        n = len(pts) - 1
        d0, d1 = pts[0][0], pts[-1][0]
        pts = [(d - d0 - (d1 - d0) * i / n, v) for i, (d, v) in enumerate(pts)]
        pts.append(pts[0])  # close the loop
        area = sum((d0 + d1) / 2.0 * (v1 - v0) for (d0, v0), (d1, v1) in pairwise(pts))
        ds = [p[0] for p in pts]
        vs = [p[1] for p in pts]
        ellipse = math.pi * (max(ds) - min(ds)) / 2.0 * (max(vs) - min(vs)) / 2.0
        if ellipse <= 0 or abs(area) / ellipse < MIN_LOOP_FILL:
            return None
        return "forward" if area > 0 else "backward"
