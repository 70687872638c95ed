"""Small vector helpers in image coordinates (x right, y down, pixels)."""

from __future__ import annotations

import math

import numpy as np

UP = np.array([0.0, -1.0])
DOWN = np.array([0.0, 1.0])


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.hypot(v[0], v[1]))
    if n < 1e-9:
        raise ZeroDivisionError("zero-length vector")
    return v / n


def angle_between(a: np.ndarray, b: np.ndarray) -> float:
    """Unsigned angle between two 2D vectors, degrees in [0, 180]."""
    ua, ub = unit(a), unit(b)
    return math.degrees(math.acos(float(np.clip(np.dot(ua, ub), -1.0, 1.0))))


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle at b in the chain a-b-c, degrees: 180 when the three points are in line."""
    return angle_between(a - b, c - b)


def signed_angle(v: np.ndarray, zero: np.ndarray, positive: np.ndarray) -> float:
    """Angle of v measured from the `zero` direction towards the `positive` direction, degrees.

    `zero` and `positive` must be perpendicular unit vectors; the result is in (-180, 180].
    """
    return math.degrees(math.atan2(float(np.dot(v, positive)), float(np.dot(v, zero))))


def rotate90(v: np.ndarray, clockwise_on_screen: bool) -> np.ndarray:
    """Rotate a vector by 90 degrees as seen on screen (y points down)."""
    x, y = float(v[0]), float(v[1])
    return np.array([-y, x]) if clockwise_on_screen else np.array([y, -x])
