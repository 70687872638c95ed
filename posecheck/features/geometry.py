"""Small vector helpers in image coordinates (x right, y down, pixels)."""

from __future__ import annotations

import math

import numpy as np

UP = np.array([0.0, -1.0])
DOWN = np.array([0.0, 1.0])


# These run dozens of times per frame on 2-vectors, where numpy's per-call overhead is most of the
# cost: the arithmetic is done on Python floats (bench/rules_cost.py).


def _length(x: float, y: float) -> float:
    return float(np.hypot(x, y))


def unit(v: np.ndarray) -> np.ndarray:
    x, y = float(v[0]), float(v[1])
    n = _length(x, y)
    if n < 1e-9:
        raise ZeroDivisionError("zero-length vector")
    return np.array([x / n, y / n])


def angle_between(a: np.ndarray, b: np.ndarray) -> float:
    """Unsigned angle between two 2D vectors, degrees in [0, 180]."""
    ax, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
    na, nb = _length(ax, ay), _length(bx, by)
    if na < 1e-9 or nb < 1e-9:
        raise ZeroDivisionError("zero-length vector")
    cos = (ax / na) * (bx / nb) + (ay / na) * (by / nb)
    if not math.isfinite(cos):  # a NaN coordinate: no angle (min and max would quietly drop it)
        return math.nan
    return math.degrees(math.acos(min(1.0, max(-1.0, cos))))


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle at b in the chain a-b-c, degrees: 180 when the three points are in line."""
    return angle_between(a - b, c - b)


def signed_angle(v: np.ndarray, zero: np.ndarray, positive: np.ndarray) -> float:
    """Angle of v measured from the `zero` direction towards the `positive` direction, degrees.

    `zero` and `positive` must be perpendicular unit vectors; the result is in (-180, 180].
    """
    vx, vy = float(v[0]), float(v[1])
    return math.degrees(math.atan2(vx * float(positive[0]) + vy * float(positive[1]),
                                   vx * float(zero[0]) + vy * float(zero[1])))


def cross3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross product of two 3-vectors (the same arithmetic as np.cross, without its set-up cost)."""
    a0, a1, a2 = float(a[0]), float(a[1]), float(a[2])
    b0, b1, b2 = float(b[0]), float(b[1]), float(b[2])
    return np.array([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0])


def rotate90(v: np.ndarray, clockwise_on_screen: bool) -> np.ndarray:
    """Rotate a vector by 90 degrees as seen on screen (y points down)."""
    x, y = float(v[0]), float(v[1])
    return np.array([-y, x]) if clockwise_on_screen else np.array([y, -x])
