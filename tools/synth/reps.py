"""Repeated movements (reps): a parameter (or two) cycling between named ends.

A ``Movement`` says which parameters move and where each named end puts them at full depth
(its amplitudes). A clip's ``Reps`` lists its cycles, each with its own depth per end (a
fraction of the full amplitude), so one clip can mix full and partial cycles. The timeline is:
``lead_s`` at neutral (or easing from neutral to where the first cycle starts), the cycles back
to back, then ``tail_s`` back to neutral.

Depths are either full (>= ``FULL_MIN`` at every end) or partial (<= ``PARTIAL_MAX`` at every
end); nothing in between is rendered, so a rep counter has a clear gap to aim for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

FULL_MIN = 0.8
PARTIAL_MAX = 0.4


def smooth(u: float) -> float:
    """Smoothstep on [0, 1] (zero speed at both ends)."""
    u = min(max(u, 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


@dataclass
class Movement:
    """A cyclic movement.

    ``ends``: end name -> the parameter values added to the neutral pose at full depth.
    ``shape(phase, depth)`` gives the parameter offsets at ``phase`` in [0, 1) of a cycle
    whose ends reach ``depth[end]`` of their full amplitude. ``param`` is the main parameter
    (the one a rep counter would follow).
    """

    name: str
    param: str
    ends: dict[str, dict[str, float]]
    shape: Callable[[float, dict[str, float], str | None], dict[str, float]]
    note: str = ""

    @property
    def params(self) -> list[str]:
        """Every parameter the movement moves."""
        return sorted({p for end in self.ends.values() for p in end})


@dataclass
class Cycle:
    """One repetition: ``depth`` per end name (fraction of the full amplitude)."""

    depth: dict[str, float]
    period_s: float = 3.0

    @property
    def full(self) -> bool:
        """Every end reaches at least FULL_MIN of the full amplitude."""
        return all(d >= FULL_MIN for d in self.depth.values())


@dataclass
class Reps:
    """The rep part of a clip: which movement, its cycles, and the roll's direction."""

    movement: str
    cycles: list[Cycle] = field(default_factory=list)
    direction: str | None = None  # "forward" / "backward" for shoulder rolls
    lead_s: float = 0.5
    tail_s: float = 0.5

    def duration(self) -> float:
        """Clip length: lead, the cycles, tail."""
        return self.lead_s + sum(c.period_s for c in self.cycles) + self.tail_s

    def spans(self) -> list[tuple[float, float, Cycle]]:
        """(start_s, end_s, cycle) of every cycle."""
        out, t = [], self.lead_s
        for c in self.cycles:
            out.append((t, t + c.period_s, c))
            t += c.period_s
        return out

    def offsets(self, t: float) -> dict[str, float]:
        """Parameter offsets (added to the clip's parameters) at time ``t``."""
        mv = MOVEMENTS[self.movement]
        spans = self.spans()
        if not spans:
            return {}
        if t < spans[0][0]:  # ease from neutral to where the first cycle starts
            start = mv.shape(0.0, spans[0][2].depth, self.direction)
            f = smooth(t / self.lead_s) if self.lead_s > 0 else 1.0
            return {k: f * v for k, v in start.items()}
        for a, b, c in spans:
            if t < b:
                return mv.shape((t - a) / (b - a), c.depth, self.direction)
        end = mv.shape(0.0, spans[-1][2].depth, self.direction)  # a cycle ends where it began
        f = 1.0 - (smooth((t - spans[-1][1]) / self.tail_s) if self.tail_s > 0 else 1.0)
        return {k: f * v for k, v in end.items()}

    def check_depths(self) -> None:
        """Refuse an ambiguous depth (between PARTIAL_MAX and FULL_MIN)."""
        for c in self.cycles:
            for end, d in c.depth.items():
                if PARTIAL_MAX < d < FULL_MIN:
                    raise ValueError(f"{self.movement}: depth {d} at {end} is neither full nor partial")
            if not c.full and any(d > PARTIAL_MAX for d in c.depth.values()):
                raise ValueError(f"{self.movement}: a cycle must be full or partial at every end")

    def label(self) -> dict:
        """The ``reps`` block of the labels."""
        mv = MOVEMENTS[self.movement]
        cycles = []
        for i, (a, b, c) in enumerate(self.spans()):
            ends = self.reached(i)
            cycles.append(
                {
                    "start_s": round(a, 4),
                    "end_s": round(b, 4),
                    "ends": {k: round(v, 3) for k, v in ends.items()},
                    "depth": {k: round(v, 3) for k, v in c.depth.items()},
                    "full": c.full,
                }
            )
        full = sum(c["full"] for c in cycles)
        return {
            "movement": self.movement,
            "param": mv.param,
            "params": mv.params,
            "cycles": cycles,
            "full_count": full,
            "partial_count": len(cycles) - full,
            "direction": self.direction,
            "full_amplitude": mv.ends,
            "full_min_fraction": FULL_MIN,
            "partial_max_fraction": PARTIAL_MAX,
        }

    def reached(self, i: int) -> dict[str, float]:
        """End name -> value of the end's main parameter reached in cycle ``i`` (as set)."""
        mv = MOVEMENTS[self.movement]
        c = self.cycles[i]
        out = {}
        for end, full in mv.ends.items():
            ((_, amp),) = full.items()
            out[end] = amp * c.depth.get(end, 0.0)
        return out


# ---------------------------------------------------------------- shapes


def _there_and_back(pos: str, neg: str, hold: float = 0.12) -> Callable:
    """Neutral -> ``pos`` end -> ``neg`` end -> neutral, smooth, with a short dwell at each end."""

    def shape(phase: float, depth: dict[str, float], direction: str | None) -> dict[str, float]:
        mv_ends = _ENDS[(pos, neg)]
        keys = [
            (0.0, 0.0),
            (0.25 - hold / 2, depth[pos]),
            (0.25 + hold / 2, depth[pos]),
            (0.75 - hold / 2, -depth[neg]),
            (0.75 + hold / 2, -depth[neg]),
            (1.0, 0.0),
        ]
        w = _keyed(keys, phase)  # +: towards pos, -: towards neg
        end = mv_ends[0] if w >= 0 else mv_ends[1]
        return {k: abs(w) * v for k, v in end.items()}

    return shape


def _keyed(keys: list[tuple[float, float]], phase: float) -> float:
    for (p0, v0), (p1, v1) in pairwise(keys):
        if phase <= p1:
            return v0 + (v1 - v0) * smooth((phase - p0) / max(p1 - p0, 1e-9))
    return keys[-1][1]


def _squeeze(phase: float, depth: dict[str, float], direction: str | None) -> dict[str, float]:
    """Squeeze in over 0.6 s, hold 1.5 s, release over 0.6 s, rest (of a 3 s cycle)."""
    w = _keyed([(0.0, 0.0), (0.2, 1.0), (0.7, 1.0), (0.9, 0.0), (1.0, 0.0)], phase)
    return {k: w * depth["squeeze"] * v for k, v in SQUEEZE_FULL.items()}


def _roll(phase: float, depth: dict[str, float], direction: str | None) -> dict[str, float]:
    """Shoulder circle starting at the back: forward goes back -> up -> front -> down."""
    a = 2 * math.pi * phase
    up = math.sin(a) if direction != "backward" else -math.sin(a)
    back = math.cos(a)
    e = ROLL_FULL["elevation"] * (depth["up"] if up >= 0 else depth["down"]) * up
    r = ROLL_FULL["retraction"] * (depth["back"] if back >= 0 else depth["front"]) * back
    return {"shoulder_elevation_deg": e, "shoulder_retraction_deg": r}


# ---------------------------------------------------------------- the movements

CAT_COW_FULL = {"cat": 30.0, "cow": -25.0}  # spine_flex_deg at full depth (+ flexion)
WALL_ANGEL_FULL = 90.0  # arm_rotation_deg: forearm from pointing forward to up (left) / down
SQUEEZE_FULL = {"retraction_deg": 25.0}
ROLL_FULL = {"elevation": 20.0, "retraction": 20.0}

_ENDS: dict[tuple[str, str], tuple[dict[str, float], dict[str, float]]] = {
    ("cat", "cow"): ({"spine_flex_deg": CAT_COW_FULL["cat"]}, {"spine_flex_deg": CAT_COW_FULL["cow"]}),
    ("left_up", "right_up"): ({"arm_rotation_deg": WALL_ANGEL_FULL}, {"arm_rotation_deg": -WALL_ANGEL_FULL}),
}

MOVEMENTS: dict[str, Movement] = {
    "cat_cow": Movement(
        "cat_cow",
        "spine_flex_deg",
        {"cat": _ENDS[("cat", "cow")][0], "cow": _ENDS[("cat", "cow")][1]},
        _there_and_back("cat", "cow"),
        note="neutral -> cat (spine flexion, pelvis tucks, head hangs) -> cow (extension, pelvis tips, "
        "head lifts) -> neutral",
    ),
    "wall_angels": Movement(
        "wall_angels",
        "arm_rotation_deg",
        {"left_up": _ENDS[("left_up", "right_up")][0], "right_up": _ENDS[("left_up", "right_up")][1]},
        _there_and_back("left_up", "right_up"),
        note="forearms rotate about the horizontal upper arms: +90 left forearm up and right down, "
        "-90 the reverse; 0 both forearms pointing forward",
    ),
    "shoulder_blade_squeeze": Movement(
        "shoulder_blade_squeeze",
        "retraction_deg",
        {"squeeze": dict(SQUEEZE_FULL)},
        _squeeze,
        note="scapular retraction in 0.6 s, held 1.5 s, released in 0.6 s",
    ),
    "shoulder_roll": Movement(
        "shoulder_roll",
        "shoulder_elevation_deg",
        {
            "up": {"shoulder_elevation_deg": ROLL_FULL["elevation"]},
            "down": {"shoulder_elevation_deg": -ROLL_FULL["elevation"]},
            "back": {"shoulder_retraction_deg": ROLL_FULL["retraction"]},
            "front": {"shoulder_retraction_deg": -ROLL_FULL["retraction"]},
        },
        _roll,
        note="elevation and retraction 90 deg out of phase; forward: back -> up -> front -> down",
    ),
}
