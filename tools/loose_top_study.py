"""A loose top over the back: what it does to the lumbar checks, on masks draped after the fact.

    python tools/loose_top_study.py --flat build/restless --start-neutral samples/sessions build/sessions-b
        --start-bent samples/synth samples/heldout [--out docs/measurements/loose_top.md]

The rendered bodies wear their clothes painted on, so every back outline on the renders is the
skin's. A real top hangs from the shoulder blades and lies across the hollow of the lower back
instead of following it, and the person mask is the cloth's outline. This drapes each recorded
mask: on every frame the back outline is traced as the checks trace it, the cloth's line is the
straight span across its hollows (the outline's upper hull from below the hip to the shoulders),
and the mask is filled `reach` of the way from the back to that line (0: as recorded, 1: cloth
stretched straight across every hollow; a real top sags part of the way). Then each clip is scored
as `posecheck regress` scores it. Per stretch and reach:

- how far the flat back's reading moves (the median change of back_curve and of the own-neutral
  reading over the frames in position, on the flat holds);
- flat holds flagged (clips whose lumbar angle never passes 8 deg), and their seconds;
- mistakes of 15 deg or more caught, on clips that start with a neutral back and on clips that
  start in the mistake.

A draped back reads flatter: towards rounding for the hamstring and seated glute stretches, whose
fixed levels could then flag a flat back; away from an arch for the hip flexor stretch, which could
then miss one (tests/test_silhouette.py pins that case down on a drawn figure).
The camera side is taken from each clip's labels (the drape needs to know which edge is the back).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.events import Verdict
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.frames import PoseFrame
from posecheck.labels import ClipLabels
from posecheck.poses import load_catalogue
from posecheck.regress import run_clip
from tools.restless_study import studied_labels
from tools.spine_study import STUDIED
from tools.study_output import cell, emit, finite_median, heading

REACHES = (0.0, 0.25, 0.5, 0.75, 1.0)
# the stretch of the back a top hangs over: from below the hip (the top of the buttocks, where a
# hem rests) to the shoulders, in stations along the hip-to-shoulder chord
SPAN = np.linspace(-0.15, 1.0, 47)
SUBPIXEL_BITS = 4
SUBPIXEL = 1 << SUBPIXEL_BITS


def cloth_line(stations: np.ndarray, back: np.ndarray) -> np.ndarray:
    """The outline's upper hull over `stations`: the straight spans a cloth laid across the back
    would make over each hollow (distances out from the chord, as `back`; NaN where `back` is)."""
    ok = np.isfinite(back)
    s, d = stations[ok], back[ok]
    hull: list[int] = []
    for i in range(len(s)):  # monotone chain, keeping only right turns: the upper hull
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            if (s[b] - s[a]) * (d[i] - d[a]) - (d[b] - d[a]) * (s[i] - s[a]) >= 0.0:
                hull.pop()
            else:
                break
        hull.append(i)
    out = np.full(len(stations), np.nan)
    if len(hull) >= 2:
        out[ok] = np.interp(s, s[hull], d[hull])
    elif len(hull) == 1:
        out[ok] = d
    return out


def draped_mask(frame: PoseFrame, camera_side: str, reach: float) -> np.ndarray | None:
    """The frame's mask with the back's hollows filled `reach` of the way to the cloth line; None
    when there is no mask or no back to trace (the frame is then left as it is)."""
    if frame.mask is None or frame.landmarks is None:
        return None
    sk = Skeleton(frame.landmarks, frame.width, frame.height, camera_side, frame.mask)  # type: ignore[arg-type]
    try:
        outline = sk.outline_at(SPAN)
    except Unseen:
        return None
    mask = frame.mask.astype(np.float32, copy=True)
    cloth = cloth_line(SPAN, outline.back)
    draped = outline.back + reach * (cloth - outline.back)
    ok = np.isfinite(outline.back) & np.isfinite(draped)
    if ok.sum() < 2 or reach == 0.0:
        return mask
    to_mask = np.array([mask.shape[1] / frame.width, mask.shape[0] / frame.height])  # frame to mask pixels
    skin = sk.outline_points(outline)[ok] * to_mask
    cloth_pts = sk.outline_points(outline, draped)[ok] * to_mask
    polygon = np.concatenate([cloth_pts, skin[::-1]])
    # drawn anti-aliased at 1/16 px: where the cloth lies on the skin the polygon has no area and
    # its edge pixels stay under the mask's edge level, so a back with no hollow is left as it is
    cloth_mask = np.zeros(mask.shape, np.uint8)
    cv2.fillPoly(cloth_mask, [np.round(polygon * SUBPIXEL).astype(np.int32)], 255, cv2.LINE_AA, SUBPIXEL_BITS)
    return np.maximum(mask, cloth_mask.astype(np.float32) / 255.0)


def draping(camera_side: str, reach: float) -> Callable[[PoseFrame], PoseFrame]:
    """run_clip's `alter`: every frame draped `reach` of the way (reach 0: left as it is)."""
    def alter(frame: PoseFrame) -> PoseFrame:
        mask = draped_mask(frame, camera_side, reach) if reach > 0.0 else None
        return frame if mask is None else replace(frame, mask=mask)
    return alter


@dataclass(frozen=True)
class Run:
    """One clip's lumbar check with one reach of the drape."""

    pose: str
    reach: float
    group: str  # "flat", "neutral" or "bent": the option its folder was given with
    clip: str
    expected: str
    flagged: bool
    false_alarm_s: float
    onset_s: float | None
    back_curve: float  # median over the frames in position
    own: float  # the own-neutral reading's median over the frames in position


def _run(job: tuple[str, ClipLabels, float]) -> Run:
    group, labels, reach = job
    pose = load_catalogue()[labels.pose]
    check = pose.check(STUDIED[labels.pose][0])
    own_feature = check.neutral_feature or check.feature
    readings: list[tuple[float, float]] = []

    def watch(_frame: PoseFrame, verdict: Verdict) -> None:
        if verdict.in_position:
            readings.append((verdict.features.get("back_curve", math.nan),
                             verdict.features.get(own_feature, math.nan)))

    outcome = run_clip(labels, pose, watch=watch, alter=draping(labels.camera_side, reach))
    c = next(c for c in outcome.checks if c.check == check.id)
    bc, own = (np.array(x, float) for x in zip(*readings, strict=True)) if readings else (
        np.array([math.nan]), np.array([math.nan]))
    return Run(labels.pose, reach, group, c.clip, c.expected, c.flagged, c.false_alarm_s, c.onset_error_s,
               finite_median(bc), finite_median(own))


def shifts(runs: list[Run], pose: str, reach: float) -> tuple[float, float]:
    """The median change of (back_curve, own-neutral reading) on `pose`'s flat holds at `reach`,
    against the same clips as recorded."""
    base = {r.clip: r for r in runs if r.pose == pose and r.reach == 0.0 and r.group == "flat"}
    moved = [(r.back_curve - base[r.clip].back_curve, r.own - base[r.clip].own)
             for r in runs if r.pose == pose and r.reach == reach and r.group == "flat" and r.clip in base]
    if not moved:
        return math.nan, math.nan
    bc, own = np.array(moved).T
    return finite_median(bc), finite_median(own)


def table(runs: list[Run]) -> str:
    head = ["stretch", "reach", "flat back moves: back_curve / own-neutral reading (deg)",
            "flat holds flagged", "mistakes caught, start neutral", "mistakes caught, start in the mistake",
            "onset after 15 deg, start neutral: median (s)"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for pose in sorted({r.pose for r in runs}):
        for reach in sorted({r.reach for r in runs}):
            mine = [r for r in runs if r.pose == pose and r.reach == reach]
            flat = [r for r in mine if r.group == "flat" and r.expected == "silent"]
            flagged = [r for r in flat if r.flagged]
            bc, own = shifts(runs, pose, reach)
            onsets = [r.onset_s for r in mine if r.group == "neutral" and r.expected == "flag"
                      and r.onset_s is not None]
            rows.append(f"| {pose} | {reach:g} | {cell(bc, '+.1f')} / {cell(own, '+.1f')} | "
                        f"{len(flagged)} of {len(flat)} ({sum(r.false_alarm_s for r in flat):.1f} s) | "
                        f"{_caught(mine, 'neutral')} | {_caught(mine, 'bent')} | "
                        f"{cell(float(np.median(onsets)) if onsets else None, '+.2f')} |")
    return "\n".join(rows)


def _caught(runs: list[Run], group: str) -> str:
    must = [r for r in runs if r.group == group and r.expected == "flag"]
    return f"{sum(r.flagged for r in must)} of {len(must)}" if must else "-"


def flagged_table(runs: list[Run]) -> str:
    """Every flat hold flagged at some reach, with the reaches that flag it."""
    flat = sorted({(r.pose, r.clip) for r in runs
                   if r.group == "flat" and r.expected == "silent" and r.flagged})
    rows = ["| stretch | clip | flat back as recorded: back_curve | flagged at reaches: seconds |",
            "|---|---|---|---|"]
    for pose, clip in flat:
        mine = sorted((r for r in runs if r.clip == clip and r.group == "flat"), key=lambda r: r.reach)
        base = next((r.back_curve for r in mine if r.reach == 0.0), math.nan)
        at = ", ".join(f"{r.reach:g}: {r.false_alarm_s:.1f}" for r in mine if r.flagged)
        rows.append(f"| {pose} | {clip} | {cell(base, '.1f')} | {at} |")
    return "\n".join(rows) if len(rows) > 2 else "None."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flat", type=Path, nargs="+", required=True,
                        help="folders of flat holds (build/restless)")
    parser.add_argument("--start-neutral", type=Path, nargs="*", default=[],
                        help="folders of mistakes that start with a neutral back (samples/sessions)")
    parser.add_argument("--start-bent", type=Path, nargs="*", default=[],
                        help="folders of clips that start in the mistake (samples/synth)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    groups = {"flat": args.flat, "neutral": args.start_neutral, "bent": args.start_bent}
    todo = []
    for group, roots in groups.items():
        for root in roots:
            labels = studied_labels(root)
            if not labels:
                print(f"{root}: no studied clip with a landmark recording (render and extract them first: "
                      "tools/synth/README.md)", file=sys.stderr)
                return 2
            todo += [(group, lab, reach) for lab in labels for reach in REACHES]
    print(f"{len(todo)} runs", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        runs = list(pool.map(_run, todo, chunksize=4))
    command = " ".join(["python tools/loose_top_study.py --flat", *map(str, args.flat),
                        *(["--start-neutral", *map(str, args.start_neutral)] if args.start_neutral else []),
                        *(["--start-bent", *map(str, args.start_bent)] if args.start_bent else [])])
    lines = heading("A loose top over the back", command, args.out)
    lines += [INTRO, "", table(runs), "", "## Flat holds flagged", "", flagged_table(runs), ""]
    return emit(lines, args.out)


INTRO = ("Each recorded mask draped: the back's hollows, from 0.15 torso lengths below the hip to the "
         "shoulders, filled `reach` of the way out to the straight spans of the outline's upper hull "
         "(0: as recorded; 1: a top stretched straight across every hollow). Everything else as shipped; "
         "each clip scored as `posecheck regress` scores it, from its landmark recording. Flat back "
         "moves: the median over the flat holds of each clip's median reading in position, minus the "
         "same as recorded (positive: towards rounding). Flat holds: clips whose lumbar angle never "
         "passes 8 deg; mistakes: clips that reach 15 deg or more.")


if __name__ == "__main__":
    raise SystemExit(main())
