"""Can the traced back edge tell when it is not the back? Three readings of it, in the room and by the wall.

python tools/back_edge_study.py ROOM_DIR --twins DIR ... [--out FILE]

In the room set (tools/room_study.py) furniture behind the person flags 5 of 30 correct holds that
the plain wall leaves silent: where the sofa or a bookcase meets the back, the person mask can
follow the furniture for a stretch, and the back's outline bends with it. A guard would withhold
the lumbar verdict, and ask for a plainer background, on frames where the traced edge looks unlike a
body's edge against a wall. This study measures three candidate readings on every frame each clip
and its twin were judged in position, as regress judges them from the video (posecheck/regress.py
run_clip):

- **soft edge**: how wide the mask's fall from 0.85 to 0.15 is across the back edge, in torso
  lengths (the median over the back's stations, from just below the hip to the shoulder). A mask
  unsure where the body ends might fall slowly.
- **dull edge**: the share of the back's stations where the picture hardly changes colour across
  the traced edge: under 20 (CIE Lab distance) between the points 4 px inside and 4 px outside it.
  Where the mask's edge is the back, the top meets the background there.
- **bump**: how far the back outline strays from a smooth curve (a quadratic fitted to it, points
  past 2.5 robust deviations refitted without), at most, in torso lengths. A stretch of outline
  that follows a sofa's top edge is a step, not a curve.

Each clip's reading is its median over those frames. A pair "went wrong" when the room clip's
lumbar check was flagged on a correct hold, or missed a mistake, and its twin by the wall did not.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.checker.events import Verdict  # noqa: E402
from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.features.silhouette import (  # noqa: E402
    EDGE_LEVEL,
    SEARCH_RADIUS,
    TrunkOutline,
    ray_profiles,
    working_mask,
)
from posecheck.features.skeleton import Skeleton, Unseen  # noqa: E402
from posecheck.frames import PoseFrame  # noqa: E402
from posecheck.labels import labels_beside  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.regress import run_clip  # noqa: E402
from tools.room_study import sofa_like_top  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402
from tools.twin_study import parse_args  # noqa: E402

SURE_INSIDE, SURE_OUTSIDE = 0.85, 0.15  # the mask levels between which the edge is "soft"
STEP_PX = 0.25  # ray sampling step, working-mask pixels
SIDE_PX = 4.0  # colour is read this far either side of the edge, frame pixels
DULL_LAB = 20.0  # CIE Lab distance under which the two sides look alike
BUMP_DEGREE, BUMP_CUT, MIN_BUMP_POINTS = 2, 2.5, 8
READINGS = ("soft edge", "dull edge", "bump")


@dataclass(frozen=True)
class ClipReadings:
    """One clip's medians and 90th percentiles of the three readings (in READINGS order) over its
    frames in position, and whether its lumbar check was right."""

    median: tuple[float, ...]
    p90: tuple[float, ...]
    right: bool

    def reading(self, name: str, worst: bool = False) -> float:
        return (self.p90 if worst else self.median)[READINGS.index(name)]


def soft_edge(mask: np.ndarray, outline: TrunkOutline, hip: np.ndarray, shoulder: np.ndarray,
              posterior: np.ndarray) -> float:
    """Median width of the mask's fall from SURE_INSIDE to SURE_OUTSIDE across the back edge, in
    torso lengths (`hip`, `shoulder` in working-mask pixels)."""
    chord = shoulder - hip
    length = float(np.hypot(*chord))
    radii = np.arange(0.0, SEARCH_RADIUS * length, STEP_PX, dtype=np.float32)
    ok = np.isfinite(outline.back)
    base = hip[None, :] + outline.stations[ok][:, None] * chord[None, :]
    prof, _, _ = ray_profiles(mask, base, posterior[None, :], radii)
    widths = []
    for row in prof:
        fall = np.flatnonzero(row < EDGE_LEVEL)
        if not len(fall) or fall[0] == 0:
            continue
        inside = np.flatnonzero(row[:fall[0]] >= SURE_INSIDE)
        outside = np.flatnonzero(row[fall[0]:] < SURE_OUTSIDE)
        if len(inside) and len(outside):
            widths.append((fall[0] + outside[0] - inside[-1]) * STEP_PX / length)
    return float(np.median(widths)) if widths else math.nan


def dull_edge(lab: np.ndarray, points: np.ndarray, anterior: np.ndarray) -> float:
    """Share of the edge `points` (frame pixels) whose two sides, SIDE_PX along `anterior` and
    against it, differ by less than DULL_LAB."""
    h, w = lab.shape[:2]

    def at(p: np.ndarray) -> np.ndarray:
        x = np.clip(np.round(p[:, 0]).astype(int), 0, w - 1)
        y = np.clip(np.round(p[:, 1]).astype(int), 0, h - 1)
        return lab[y, x]

    inside, outside = at(points + SIDE_PX * anterior), at(points - SIDE_PX * anterior)
    return float(np.mean(np.linalg.norm(inside - outside, axis=1) < DULL_LAB))


def bump(outline: TrunkOutline) -> float:
    """Largest distance of the back outline from a robust quadratic through it, torso lengths."""
    ok = np.isfinite(outline.back)
    if np.count_nonzero(ok) < MIN_BUMP_POINTS:
        return math.nan
    t, d = outline.stations[ok], outline.back[ok]
    keep = np.ones(len(t), dtype=bool)
    residual = d
    for _ in range(3):
        residual = d - np.polyval(np.polyfit(t[keep], d[keep], BUMP_DEGREE), t)
        spread = 1.4826 * float(np.median(np.abs(residual - np.median(residual)))) + 1e-3
        keep = np.abs(residual) < BUMP_CUT * spread
        if np.count_nonzero(keep) < MIN_BUMP_POINTS:
            break
    return float(np.max(np.abs(residual)))


def frame_readings(frame: PoseFrame, camera_side: str, rgb: np.ndarray) -> tuple[float, float, float] | None:
    """The three readings of one frame, or None where the back's outline cannot be traced."""
    if frame.landmarks is None or frame.mask is None:
        return None
    sk = Skeleton(frame.landmarks, frame.width, frame.height, camera_side, mask=frame.mask)  # type: ignore[arg-type]
    try:
        outline = sk.trunk_outline
    except Unseen:
        return None
    mask = working_mask(frame.mask)
    k = np.array([mask.shape[1] / frame.width, mask.shape[0] / frame.height])  # frame to mask pixels
    hip, shoulder = np.array(sk.mid_pt("hip")), np.array(sk.mid_pt("shoulder"))
    ok = np.isfinite(outline.back)
    if not ok.any():
        return None
    # the trace runs in working-mask pixels; its distances are in torso lengths, the same in both
    points = sk.outline_points(outline)[ok]
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    # as the trace does: the frame's hip and shoulder scaled to the mask, the same unit directions
    # (a mask has the frame's shape to within 2%)
    return (soft_edge(mask, outline, hip * k, shoulder * k, -sk.anterior),
            dull_edge(lab, points, sk.anterior), bump(outline))


def measure(video: Path, catalogue: dict) -> ClipReadings:
    """Run one clip from its video and take the medians of its frames' readings in position."""
    labels = labels_beside(video)
    pose = catalogue[labels.pose]
    check = STUDIED[labels.pose][0]
    latest: dict[str, np.ndarray] = {}
    rows: list[tuple[float, float, float]] = []

    def keep(rgb: np.ndarray) -> np.ndarray:
        latest["rgb"] = rgb
        return rgb

    def watch(frame: PoseFrame, verdict: Verdict) -> None:
        if verdict.in_position and verdict.camera_side is not None:
            got = frame_readings(frame, verdict.camera_side, latest["rgb"])
            if got is not None:
                rows.append(got)

    outcome = run_clip(labels, pose, from_landmarks=False, picture=keep, watch=watch)
    scored = [c for c in outcome.checks if c.check == check]
    right = not any(c.wrong for c in scored)
    values = np.array(rows) if rows else np.full((1, 3), math.nan)
    return ClipReadings(tuple(float(v) for v in np.nanmedian(values, axis=0)),
                        tuple(float(v) for v in np.nanpercentile(values, 90, axis=0)), right)


def separation(pairs: list[tuple[str, bool, ClipReadings, ClipReadings]], worst: bool) -> list[str]:
    """For each reading (each clip's median, or with `worst` its 90th percentile): would a level past
    every wall twin's pick out the room clips that went wrong, and how many room clips that stayed
    right would it stop judging too?"""
    lines = ["| reading | wall twins: largest | room clips that went wrong: each | room clips that stayed "
             "right: past the wall's largest |", "|---|---:|---|---:|"]
    wrong = [r for _, _, r, w in pairs if not r.right and w.right]
    fine = [r for _, _, r, _ in pairs if r.right]
    for name in READINGS:
        spec = ".2f" if name == "dull edge" else ".3f"
        top = float(np.nanmax([w.reading(name, worst) for _, _, _, w in pairs]))  # a clip unread: NaN
        each = ", ".join(("**{}**" if r.reading(name, worst) > top else "{}").format(
            cell(r.reading(name, worst), spec)) for r in wrong)
        past = sum(r.reading(name, worst) > top for r in fine)
        lines.append(f"| {name} | {cell(top, spec)} | {each or '-'} | {past} of {len(fine)} |")
    return lines


def pair_row(name: str, sofa: bool, room: ClipReadings, wall: ClipReadings) -> str:
    """One pair's row: each reading as wall / room, the clip's median with its 90th percentile."""
    def both(r: ClipReadings, reading: str) -> str:
        spec = ".2f" if reading == "dull edge" else ".3f"
        return f"{cell(r.reading(reading), spec)} ({cell(r.reading(reading, True), spec)})"

    right = f"{'right' if wall.right else 'WRONG'} / {'right' if room.right else 'WRONG'}"
    return (f"| {name} | {'yes' if sofa else 'no'} | {right} | "
            + " | ".join(f"{both(wall, n)} / {both(room, n)}" for n in READINGS) + " |")


def main(argv: list[str] | None = None) -> int:
    args, videos = parse_args(__doc__, "room", argv)
    quiet_native_logs()
    catalogue = load_catalogue()
    pairs = []
    for video, twin in tqdm(videos, desc="clip pairs", unit="pair"):
        pairs.append((video.name.removesuffix(".mp4"), sofa_like_top(labels_beside(video)),
                      measure(video, catalogue), measure(twin, catalogue)))
    command = f"python tools/back_edge_study.py {args.room} --twins " + " ".join(map(str, args.twins))
    lines = heading("The traced back edge in the room and by the wall", command, args.out)
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), "",
              "## Does any reading pick out the room clips that went wrong?", "",
              "Each clip is read by its median over its frames in position, then by its 90th percentile "
              "(its worst tenth, where a guard acting on single frames would act). A bold value lies past "
              "every wall twin's.", "", "### Medians", "", *separation(pairs, False), "",
              "### 90th percentiles", "", *separation(pairs, True), "",
              "## Each pair", "",
              "Each cell: the clip's median (90th percentile), by the wall / in the room.", "",
              "| clip | sofa in the top's colour | lumbar check: wall / room | soft edge | dull edge "
              "| bump |",
              "|---|---|---|---:|---:|---:|", *(pair_row(*p) for p in pairs)]
    lines.append("")
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
