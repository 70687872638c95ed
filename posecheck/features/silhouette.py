"""The back's outline from the person mask: where the landmarks cannot see the lumbar spine.

MediaPipe has no landmark between the shoulders and the hips, so a rounded lower back and a
flat-back hip hinge at the same trunk lean give the same landmark angles. The person mask does
change with the back's shape. This module traces the two outlines of the trunk (back and front)
across the shoulder-hip chord and reduces them to size-free shape numbers. It knows nothing of
stretches or thresholds.

Geometry (image plane, pixels of the mask):
- The chord runs from mid-hip (station t=0) to mid-shoulder (t=1); two stations continue it a
  little past the hip (t=-0.1, -0.05), where the back outline is the sacrum's. At each station a ray leaves
  the chord at right angles, towards the back (posterior) or the front (anterior); the outline
  point is where the mask probability falls through 0.5, found to a fraction of a pixel by linear
  interpolation. Distances are divided by the chord length (the torso length).
- A station gives no point when the chord itself is outside the mask there, or when the ray
  leaves the search radius without crossing the edge (an arm or a prop merged with the body).
- Shape is measured against the outline's own straight line, never against the landmarks, so a
  shoulder or hip landmark sitting a little off the joint moves the baseline, not the shape.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 320  # masks are traced at this longest side (recordings store them at this size too)
EDGE_LEVEL = 0.5  # mask probability taken as the body's edge
SEARCH_RADIUS = 0.9  # torso lengths searched along each ray
# from just below the hip (-0.1: the sacrum) to the shoulder (1) in steps of 0.05; the stations from 0
# on are exactly np.linspace(0, 1, 21), so a stretch at or above the hip reads as it always has
STATIONS = np.concatenate([[-0.1, -0.05], np.linspace(0.0, 1.0, 21)])
BORDER_PX = 1.0  # an edge this close to the mask's border is the picture's edge, not the body's
MIN_CHORD_PX = 12.0  # a torso shorter than this in the mask is too small to trace
LOWER_BACK = (0.0, 0.3)  # stations of the lumbar and sacral stretch of the back outline
UPPER_BACK = (0.6, 1.0)  # stations of the upper back, around the shoulder blades
MID_BACK = (0.2, 0.8)  # the middle of the back: from the lumbar stretch's top to the shoulder blades
SACRUM_UP = (-0.1, 0.25)  # from the sacrum, just below hip level, up the lumbar stretch
MIN_SEGMENT_POINTS = 4  # edge points a stretch needs before its direction is trusted


@dataclass(frozen=True)
class TrunkOutline:
    """The trunk's outlines sampled at `stations`, as distances from the chord in torso lengths.

    back[i] / front[i] are NaN where the station gave no edge point.
    """

    stations: np.ndarray
    back: np.ndarray
    front: np.ndarray

    def usable(self, which: str, lo: float, hi: float) -> np.ndarray:
        """Boolean mask of stations in [lo, hi] with a finite `which` ("back" or "front") value."""
        d = getattr(self, which)
        return (self.stations >= lo) & (self.stations <= hi) & np.isfinite(d)


def working_mask(mask: np.ndarray) -> np.ndarray:
    """The mask as float32 at WORK_SIDE pixels on its longest side (never enlarged).

    MediaPipe's mask is upsampled from a small model output, so tracing it larger adds cost, not
    detail; and a live mask traced at this size reads the same as its recording.
    """
    mask = mask.astype(np.float32, copy=False)
    h, w = mask.shape[:2]
    scale = working_scale(h, w)
    if scale < 1.0:
        mask = cv2.resize(mask, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return mask


def working_scale(height: int, width: int) -> float:
    """How much `working_mask` shrinks a mask of this size (1 when it is already small enough)."""
    return min(1.0, WORK_SIDE / max(height, width))


def trace(mask: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, anterior: np.ndarray,
          stations: np.ndarray = STATIONS) -> TrunkOutline | None:
    """Trace back and front outlines. Points are in mask pixels; `anterior` is a unit vector.

    Returns None when the torso is too short in the mask to measure.
    """
    if stations is not STATIONS and (len(stations) < 2 or np.any(np.diff(stations) <= 0)):
        raise ValueError("stations must be strictly increasing")
    chord = shoulder - hip
    length = float(np.hypot(chord[0], chord[1]))
    if not np.isfinite(length) or length < MIN_CHORD_PX:
        return None
    radii = np.arange(0.0, SEARCH_RADIUS * length, 0.5, dtype=np.float32)
    base = hip[None, :] + stations[:, None] * chord[None, :]  # (K, 2)
    back, front = _edge_distances(mask, base, np.stack([-anterior, anterior]), radii) / length
    return TrunkOutline(stations, back, front)


def _edge_distances(mask: np.ndarray, base: np.ndarray, directions: np.ndarray,
                    radii: np.ndarray) -> np.ndarray:
    """Distance along each of `directions` (D, 2) from each base point (K, 2) to the first fall
    through EDGE_LEVEL, as a (D, K) array; all rays are sampled in one pass.

    NaN where there is no such fall, and where it lies within BORDER_PX of the mask's border:
    there the picture ends, not the body (a back cut off by the frame edge is not a back).
    """
    n_dir, n_base = len(directions), len(base)
    prof, origins, steps = ray_profiles(mask, base, directions, radii)
    out = np.full(n_dir * n_base, np.nan)
    inside = prof >= EDGE_LEVEL
    first_out = np.argmax(~inside, axis=1)  # the first step outside (0 when the ray never leaves)
    k = np.flatnonzero(inside[:, 0] & (first_out > 0))  # starts inside and does leave
    if len(k):
        j = first_out[k]
        a, b = prof[k, j - 1].astype(np.float64), prof[k, j].astype(np.float64)
        step = a - b
        frac = np.where(step != 0.0, (a - EDGE_LEVEL) / np.where(step != 0.0, step, 1.0), 0.0)
        r = radii[j - 1].astype(np.float64) + frac * (radii[j] - radii[j - 1]).astype(np.float64)
        x, y = origins[k, 0] + r * steps[k, 0], origins[k, 1] + r * steps[k, 1]
        h, w = mask.shape[:2]
        in_picture = (x >= BORDER_PX) & (x <= w - 1 - BORDER_PX) & (y >= BORDER_PX) & (y <= h - 1 - BORDER_PX)
        out[k[in_picture]] = r[in_picture]
    return out.reshape(n_dir, n_base)


def ray_profiles(mask: np.ndarray, base: np.ndarray, directions: np.ndarray,
                 radii: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mask sampled along rays from each base point (K, 2) in each of `directions` (D, 2), at
    `radii` (R,) pixels out: a (D*K, R) array, rows every base point for direction 0, then for
    direction 1, ...; with each row's origin and direction, (D*K, 2) each. Outside the mask reads 0."""
    # x and y kept apart: numpy is slow on arrays whose last axis is only 2 long
    origins = np.tile(base, (len(directions), 1))  # (D*K, 2)
    steps = np.repeat(directions, len(base), axis=0)  # (D*K, 2)
    steps32 = steps.astype(np.float32)  # radius times direction in float32, as the maps are
    xs = (origins[:, 0:1] + radii[None, :] * steps32[:, 0:1]).astype(np.float32)  # (D*K, R)
    ys = (origins[:, 1:2] + radii[None, :] * steps32[:, 1:2]).astype(np.float32)
    prof = cv2.remap(mask.astype(np.float32, copy=False), xs, ys, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)
    return prof, origins, steps


@functools.lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, k=1)


def _theil_sen_slope(t: np.ndarray, d: np.ndarray) -> float:
    """Median of the pairwise slopes: a bump on fewer than about a quarter of the points (a fold of
    cloth, a fingertip) barely moves it; a whole hand on the low back can (docs/spine.md)."""
    i, j = _pairs(len(t))
    slopes = np.sort((d[j] - d[i]) / (t[j] - t[i]))
    half = len(slopes) // 2
    return float(slopes[half] if len(slopes) % 2 else 0.5 * (slopes[half - 1] + slopes[half]))


def segment_angle(outline: TrunkOutline, which: str, lo: float, hi: float) -> float:
    """Direction of one stretch of outline against the chord, degrees (positive: leaving it upwards).

    NaN when fewer than MIN_SEGMENT_POINTS stations in [lo, hi] have an edge point.
    """
    ok = outline.usable(which, lo, hi)
    if np.count_nonzero(ok) < MIN_SEGMENT_POINTS:
        return float("nan")
    d = getattr(outline, which)
    return math.degrees(math.atan(_theil_sen_slope(outline.stations[ok], d[ok])))


def back_curve(outline: TrunkOutline) -> float:
    """Bend of the back outline between its lumbar and its upper stretch, degrees.

    The lower stretch (LOWER_BACK stations, hip level up to a third of the trunk) and the upper
    stretch (UPPER_BACK, the shoulder blades) each get a robust straight line; the result is the
    angle between them. 0 means one straight line (a flat back), positive means the outline turns
    away from the chord in the middle (rounded, flexed), negative means a hollow (arched, extended).
    Everyone has some hollow when neutral, so a neutral back reads a little below zero.
    """
    return segment_angle(outline, "back", *LOWER_BACK) - segment_angle(outline, "back", *UPPER_BACK)


def lower_back_bend(outline: TrunkOutline) -> float:
    """Bend of the back outline between its lumbar stretch and the middle of the back, degrees.

    The same two-line angle as `back_curve`, with the upper line on MID_BACK (13 stations from the
    top of the lumbar stretch to below the shoulder blades) instead of the shoulder blades alone:
    breathing, the shoulders' posture and the arms move a long line through the middle of the back
    less, so it follows a change of the lumbar angle more evenly across bodies and camera
    placements, while its absolute reading spreads more between bodies (docs/spine.md). A bend
    inside MID_BACK's span is read only in part. Same signs as `back_curve`: positive rounded,
    negative hollow.
    """
    return segment_angle(outline, "back", *LOWER_BACK) - segment_angle(outline, "back", *MID_BACK)


def sacrum_back_bend(outline: TrunkOutline) -> float:
    """Bend of the back outline between the sacrum-and-lumbar stretch and the middle of the back, degrees.

    `lower_back_bend` with its lower line on SACRUM_UP (from 0.1 torso lengths below hip level to a
    quarter of the way up) instead of LOWER_BACK. On the seated glute stretch's renders its change
    from the person's own neutral follows the lumbar angle more closely than lower_back_bend's, and
    flat backs drift less from it (docs/measurements/back_lines.md). Same signs as `back_curve`.
    """
    return segment_angle(outline, "back", *SACRUM_UP) - segment_angle(outline, "back", *MID_BACK)
