"""Small vector helpers in image coordinates (x right, y down, pixels).

Features run dozens of these per frame on 2- and 3-vectors, where numpy's per-call overhead (a few
microseconds a call) is most of the cost, so the working versions take and return plain Python
floats (`Vec2`, `Vec3` tuples) and do the arithmetic numpy did, in the same order, so the values
are the same to the last bit (bench/rules_cost.py):

- `hypot` is the C library's hypot, as `np.hypot` calls it (`math.hypot` is a different algorithm
  that differs in the last bit now and then); `abs(complex(x, y))` is how Python reaches it.
- `norm2`/`norm3`/`dot3` are the plain sums of products `np.linalg.norm`/`np.dot` do on vectors
  this short (no fused multiply-add).
- `mean` adds from 0.0 and divides, as `np.mean` does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Vec2 = tuple[float, float]
Vec3 = tuple[float, float, float]

UP_XY: Vec2 = (0.0, -1.0)
DOWN_XY: Vec2 = (0.0, 1.0)


def hypot(x: float, y: float) -> float:
    """The C library's hypot(x, y), bit for bit what np.hypot gives. Overflows only for
    coordinates near 1e154 (not a picture's)."""
    return abs(complex(x, y))


def norm2(x: float, y: float) -> float:
    """Length of a 2-vector as np.linalg.norm works it out (the square root of the dot product)."""
    return math.sqrt(x * x + y * y)


def distance(a: Vec2, b: Vec2) -> float:
    """Distance between two points, as np.linalg.norm(a - b) works it out."""
    return norm2(a[0] - b[0], a[1] - b[1])


def norm3(v: Vec3) -> float:
    """Length of a 3-vector as np.linalg.norm works it out."""
    return math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


def dot3(a: Vec3, b: Vec3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def sub3(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale3(v: Vec3, s: float) -> Vec3:
    """v * s, element by element."""
    return (v[0] * s, v[1] * s, v[2] * s)


def div3(v: Vec3, s: float) -> Vec3:
    """v / s, element by element (not v * (1 / s), which rounds differently)."""
    return (v[0] / s, v[1] / s, v[2] / s)


def mid3(a: Vec3, b: Vec3) -> Vec3:
    """(a + b) / 2, element by element."""
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2)


def across3(v: Vec3, axis: Vec3) -> Vec3:
    """v less its component along the unit vector `axis`."""
    return sub3(v, scale3(axis, dot3(v, axis)))


def cross3(a: Sequence[float], b: Sequence[float]) -> Vec3:
    """Cross product of two 3-vectors (the same arithmetic as np.cross)."""
    a0, a1, a2 = float(a[0]), float(a[1]), float(a[2])
    b0, b1, b2 = float(b[0]), float(b[1]), float(b[2])
    return (a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0)


def clip1(x: float) -> float:
    """x limited to [-1, 1], NaN kept (as np.clip does; min and max would turn NaN into -1)."""
    return x if math.isnan(x) else min(1.0, max(-1.0, x))


def mean(values: Iterable[float]) -> float:
    """The mean as np.mean works it out: a sum started from 0.0, divided by the count."""
    total, n = 0.0, 0
    for v in values:
        total += v
        n += 1
    return total / n


def angle_xy(ax: float, ay: float, bx: float, by: float) -> float:
    """Unsigned angle between the 2D vectors (ax, ay) and (bx, by), degrees in [0, 180]."""
    na, nb = hypot(ax, ay), hypot(bx, by)
    if na < 1e-9 or nb < 1e-9:
        raise ZeroDivisionError("zero-length vector")
    cos = (ax / na) * (bx / nb) + (ay / na) * (by / nb)
    if not math.isfinite(cos):  # a NaN coordinate: no angle (min and max would quietly drop it)
        return math.nan
    return math.degrees(math.acos(min(1.0, max(-1.0, cos))))


def joint_angle_xy(a: Vec2, b: Vec2, c: Vec2) -> float:
    """Angle at b in the chain a-b-c, degrees: 180 when the three points are in line."""
    return angle_xy(a[0] - b[0], a[1] - b[1], c[0] - b[0], c[1] - b[1])


def signed_angle_xy(vx: float, vy: float, zero: Vec2, positive: Vec2) -> float:
    """Angle of (vx, vy) measured from the `zero` direction towards the `positive` one, degrees.

    `zero` and `positive` must be perpendicular unit vectors; the result is in (-180, 180].
    """
    return math.degrees(math.atan2(vx * positive[0] + vy * positive[1], vx * zero[0] + vy * zero[1]))


def unit_xy(x: float, y: float) -> Vec2:
    n = hypot(x, y)
    if n < 1e-9:
        raise ZeroDivisionError("zero-length vector")
    return (x / n, y / n)


def rotate90_xy(x: float, y: float, clockwise_on_screen: bool) -> Vec2:
    return (-y, x) if clockwise_on_screen else (y, -x)
