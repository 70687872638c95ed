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
ZONE_FRACTION = 0.5  # a swing has gone towards an end once it is this far from the middle to it
ZONE_DWELL_S = 0.4  # ... and has stayed there this long (a still person's jitter does not)
MAX_GAP_S = 1.0  # frames further apart than this: the movement was not followed, start afresh
STILL_S = 1.0  # resting: the feature stays within STILL_FRACTION of the ends' spread this long
STILL_FRACTION = 0.3
REST_MARGIN = 0.5  # with a rest level known, each end must lie this share of its level beyond it


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
    armed: bool = True  # may be reached: not yet reached during the current visit to this end
    last_reached_t: float | None = None  # kept across reps, for telling a partial swing

    @property
    def zone(self) -> str:
        return "high" if self.spec.rising else "low"

    def deeper(self, v: float) -> bool:
        return math.isnan(self.extreme) or (v > self.extreme if self.spec.rising else v < self.extreme)


def _middle(values: list[float]) -> float:
    """Halfway between the lowest and the highest value."""
    return (max(values) + min(values)) / 2.0


@dataclass
class RepCounter:
    """Counts one stretch's reps. Call `update` once per frame while the person is in position."""

    spec: Reps
    reps: list[Rep] = field(default_factory=list)
    partials: list[RepEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        s = self.spec
        self._mid = (s.high.enter + s.low.enter) / 2.0
        self._zone_high = self._mid + ZONE_FRACTION * (s.high.enter - self._mid)
        self._zone_low = self._mid - ZONE_FRACTION * (self._mid - s.low.enter)
        # baseline "mid": frames held back until the first window has shown the person's range
        self._pending: list[tuple[float, float, float, str | None, bool]] = []
        self._start_afresh()

    def _start_afresh(self) -> None:
        """The state of one followed movement (everything but the reps already booked)."""
        s = self.spec
        self._ends = [_End(e, Latch(e.rising, e.enter, e.exit)) for e in (s.high, s.low)]
        self._candidate: tuple[str, float] | None = None  # a zone being entered, and since when
        self._zone: str | None = None  # "high" or "low" half of the range
        self._zone_from_other = False  # entered the current half by crossing from the other one
        self._zone_reached = False  # the current half's end was reached during this visit
        self._window: deque[tuple[float, float]] = deque()
        self._warm = False
        self._trace: list[tuple[float, float]] = []  # (feature, direction feature) this cycle
        self._cycle_start: float | None = None
        self._last: tuple[Rep, _End] | None = None  # the rep just completed, still at its end
        self._last_t: float | None = None
        self._blocked: str | None = None  # a mistake seen since this cycle began
        # the person's resting level (a baseline only): seen while still, near the middle of
        # their range; each end must then also lie beyond it, so a swing to one side and back
        # is not taken for a two-sided rep
        self._rest: float | None = None
        self._recent: deque[tuple[float, float]] = deque()

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
    def reset(self) -> list[RepEvent]:
        """The movement can no longer be followed (a gap in the frames, another stretch): start
        afresh. Frames held back for the first window are judged against the range they showed."""
        events = self._flush()
        self._start_afresh()
        return events

    def finish(self) -> list[RepEvent]:
        """The input has ended: judge any frames still held back for the first window."""
        return self._flush()

    def _flush(self) -> list[RepEvent]:
        """Judge held-back frames against the middle of the range seen so far."""
        if not self._pending:
            return []
        mid = self._window_mid() if self._window else _middle([p[1] for p in self._pending])
        pending, self._pending = self._pending, []
        events: list[RepEvent] = []
        for pt, pv, pd, pb, pj in pending:
            events += self._step(pt, pv - mid, pv, mid, pd, pb, pj)
        self._warm = True
        return events

    def _relative(self, t: float, value: float) -> float:
        b = self.spec.baseline
        if b is None:
            return value
        self._window.append((t, value))
        while self._window and t - self._window[0][0] > b.window_s:
            self._window.popleft()
        return value - self._window_mid()

    def _window_mid(self) -> float:
        return _middle([v for _, v in self._window])

    def update(self, t: float, value: float, direction_value: float = math.nan,
               blocked: str | None = None, judge_direction: bool = True) -> list[RepEvent]:
        """Feed one frame. `blocked` names why a rep finished now would not count (a mistake).

        With a `mid` baseline the first `window_s` seconds are held back until they have shown the
        person's range, then judged against it all at once (so the first rep is not lost)."""
        if math.isnan(value):
            return []
        events: list[RepEvent] = []
        if self._last_t is not None and t - self._last_t > MAX_GAP_S:
            events += self.reset()
        self._last_t = t
        b = self.spec.baseline
        if b is not None and not self._warm:
            self._pending.append((t, value, direction_value, blocked, judge_direction))
            self._window.append((t, value))
            if t - self._pending[0][0] < b.window_s - 1e-9:
                return events
            return events + self._flush()
        v = self._relative(t, value)
        return events + self._step(t, v, value, value - v, direction_value, blocked, judge_direction)

    def _note_rest(self, t: float, raw: float, mid: float) -> None:
        """Take the resting level when the feature has been still, near the middle of the range."""
        self._recent.append((t, raw))
        while self._recent and t - self._recent[0][0] > STILL_S:
            self._recent.popleft()
        if t - self._recent[0][0] < 0.9 * STILL_S:
            return
        values = [v for _, v in self._recent]
        spread = (self.spec.high.enter - self.spec.low.enter) / 2.0
        if max(values) - min(values) > STILL_FRACTION * spread:
            return
        level = sum(values) / len(values)
        if self._window:
            seen = [v for _, v in self._window]
            half_range = (max(seen) - min(seen)) / 2.0
            if half_range > STILL_FRACTION * spread and abs(level - mid) > 0.5 * half_range:
                return  # held at one end of the movement (a paused cat), not at rest
        self._rest = level

    def _beyond_rest(self, e: _End, raw: float) -> bool:
        if self._rest is None or not self.spec.rests_between_ends:
            return True
        margin = REST_MARGIN * abs(e.spec.enter)
        return raw > self._rest + margin if e.spec.rising else raw < self._rest - margin

    def _step(self, t: float, v: float, raw: float, mid: float, direction_value: float,
              blocked: str | None, judge_direction: bool) -> list[RepEvent]:
        """One frame of the movement: `v` measured from the baseline, `raw` as measured."""
        events: list[RepEvent] = []
        if self.spec.rests_between_ends:
            self._note_rest(t, raw, mid)
        if blocked is not None:
            self._blocked = blocked
        if self._cycle_start is None:
            self._cycle_start = t
        self._trace.append((v, direction_value))
        events += self._follow_zone(t, v)
        for e in self._ends:
            change = e.latch.update(t, v)
            if e.latch.is_on and e.deeper(v):
                e.extreme = v
            if not e.latch.is_on:
                e.armed = True
            elif change == "on":
                e.extreme = v
            if e.latch.is_on and e.armed and self._beyond_rest(e, raw):
                e.reached_t, e.extreme, e.armed, e.last_reached_t = t, v, False, t
                if self._zone == e.zone:
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
            events.append(self._complete(t, self._blocked, judge_direction))
        return events

    def _follow_zone(self, t: float, v: float) -> list[RepEvent]:
        """Spot a swing that went well towards one end, stayed, and turned back without reaching it."""
        if v > self._zone_high:
            zone = "high"
        elif v < self._zone_low:
            zone = "low"
        else:
            self._candidate = None
            return []
        if zone == self._zone:
            self._candidate = None
            return []
        if self._candidate is None or self._candidate[0] != zone:
            self._candidate = (zone, t)
        since = self._candidate[1]
        if t - since < ZONE_DWELL_S - 1e-9:
            return []
        self._candidate = None
        events: list[RepEvent] = []
        if self._zone is not None and self._zone_from_other and not self._zone_reached:
            end = self.spec.high if self._zone == "high" else self.spec.low
            event = RepEvent(t, "rep_partial", end.cue, end.name)
            self.partials.append(event)
            events.append(event)
        self._zone_from_other = self._zone is not None
        end = next(e for e in self._ends if e.zone == zone)  # reached while the swing was settling?
        self._zone = zone
        self._zone_reached = end.last_reached_t is not None and end.last_reached_t >= since
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
        self._blocked = None
        if rep.counted:
            if self.spec.per_direction_s is not None:
                way = direction or "direction not seen"
                return RepEvent(t, "rep_counted", f"Circle {self.counted} ({way}).")
            return RepEvent(t, "rep_counted", f"Rep {self.counted} of {self.spec.target}.")
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
