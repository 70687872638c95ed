"""Would a calibration pose tell how a person's correct back reads in a lumbar stretch?

python tools/neutral_across_stretches.py SET_DIR ... [--out docs/measurements/neutral_across_stretches.md]

A clip that starts in the mistake is judged on the fixed levels alone, and those sit past every
rendered body's correct back, because the outline of a correct back reads 5 to 6 deg apart
(standard deviation) from one body to the next (docs/spine.md). If a body's reading were a trait
of the body, a short calibration pose (or another stretch of the session) would predict it, and
the fixed level could sit that much closer.

The sets are sessions-style renders (tools/synth: `--set sessions`, `bodies-a`, ...), in which
every body does each of the three lumbar stretches once, starting with a correct back. Each
clip's neutral reading is the median of its smoothed reading, as the checker measures it, over
the frames from LEARN_FROM_S until the labelled mistake begins. Across bodies, the table gives
how far each stretch's neutral spreads, and how far it still spreads once each body is predicted
by a least-squares fit on the other bodies (the root mean square of the leave-one-out residuals)
from:
- the camera's view of that clip (|yaw| and elevation);
- the body's neutral in the other two stretches (what the best calibration from two other poses
  could give), and those with the view;
- the body's phenotype controls (gender, age, muscle, weight, height, proportions: known only in
  a render, so a bound on what any measure of the body's build could give).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.checker.checker import PoseChecker  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402
from tools.truth_trace import labelled_recording  # noqa: E402

FEATURES = ("back_curve", "lower_back_bend", "sacrum_back_bend")
STRETCHES = tuple(STUDIED)  # the three lumbar stretches, in the studies' table order
PHENOTYPE = ("gender", "age", "muscle", "weight", "height", "proportions")
LEARN_FROM_S = 0.5  # the smoothed readings settle over the first half second


@dataclass(frozen=True)
class ClipNeutral:
    """One clip's correct back: its set, body and stretch, the view, and each feature's median."""

    set_name: str
    body: str
    stretch: str
    yaw_deg: float
    elevation_deg: float
    phenotype: tuple[float, ...]
    reading: dict[str, float]


def clip_neutral(path: Path, set_name: str, catalogue: dict) -> ClipNeutral | None:
    """A sessions-style clip's neutral readings; None for one without a correct start or a lumbar stretch."""
    labels, frames = labelled_recording(path)
    if labels.pose not in STRETCHES:
        return None
    raw = labels.raw
    checker = PoseChecker(catalogue[labels.pose], also_measure=FEATURES)
    seen: dict[str, list[float]] = {f: [] for f in FEATURES}
    started = False
    for frame, i in frames:
        verdict = checker.update(frame)
        if i is None:
            continue
        started = started or any(v > 0.0 for v in labels.frame_severity[i].values())
        if started or frame.timestamp < LEARN_FROM_S:
            continue
        for f in FEATURES:
            x = verdict.features.get(f, math.nan)
            if not math.isnan(x):
                seen[f].append(x)
    if not any(seen.values()):
        return None
    ph = raw["body"]["phenotype"]
    return ClipNeutral(set_name, ph["name"], labels.pose, float(raw["view"]["yaw_deg"]),
                       float(raw["view"]["elevation_deg"]), tuple(float(ph[k]) for k in PHENOTYPE),
                       {f: float(np.median(v)) if v else math.nan for f, v in seen.items()})


def residual_sd(x: np.ndarray, y: np.ndarray) -> float:
    """The root mean square of y's leave-one-out residuals from a least-squares fit on the columns
    of x and a constant: each body predicted by a fit on the others (e_i / (1 - h_ii)). NaN with
    fewer than three points more than the fit has parameters."""
    a = np.column_stack([x.reshape(len(y), -1), np.ones(len(y))])
    if len(y) < a.shape[1] + 3:
        return math.nan
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    leverage = np.einsum("ij,ji->i", a, np.linalg.pinv(a))
    return float(np.sqrt(np.mean(((y - a @ coef) / (1.0 - leverage)) ** 2)))


@dataclass(frozen=True)
class Spread:
    """One feature's neutral in one stretch across bodies: its standard deviation, and what is left
    of it after each fit (deg); r with each other stretch's neutral."""

    feature: str
    stretch: str
    bodies: int
    spread: float
    view: float
    others: float
    others_and_view: float
    build: float
    r: tuple[tuple[str, float], ...]  # (other stretch, r)


def spread_rows(clips: list[ClipNeutral]) -> list[Spread]:
    """Per feature and stretch, over the bodies that did all three stretches: the spread of the
    neutral reading, and what is left of it after each fit."""
    by_body: dict[tuple[str, str], dict[str, ClipNeutral]] = {}
    for c in clips:
        by_body.setdefault((c.set_name, c.body), {})[c.stretch] = c
    rows = []
    for f in FEATURES:
        bodies = [b for b in by_body.values() if all(s in b and not math.isnan(b[s].reading[f])
                                                     for s in STRETCHES)]
        if not bodies:
            continue
        for s in STRETCHES:
            y = np.array([b[s].reading[f] for b in bodies])
            view = np.array([[abs(b[s].yaw_deg), b[s].elevation_deg] for b in bodies])
            others = np.array([[b[o].reading[f] for o in STRETCHES if o != s] for b in bodies])
            build = np.array([b[s].phenotype for b in bodies])
            rows.append(Spread(
                f, s, len(bodies), float(np.std(y)), residual_sd(view, y), residual_sd(others, y),
                residual_sd(np.column_stack([others, view]), y), residual_sd(build, y),
                tuple((o, float(np.corrcoef(others[:, k], y)[0, 1]) if len(y) > 2 else math.nan)
                      for k, o in enumerate(o for o in STRETCHES if o != s))))
    return rows


def report(clips: list[ClipNeutral], sets: list[str], out: Path | None) -> list[str]:
    lines = heading("A person's correct back across the lumbar stretches",
                    "python tools/neutral_across_stretches.py " + " ".join(sets), out)
    lines += [
        f"{len(clips)} clips. Each row: over the bodies that did all three stretches, the standard",
        "deviation of the stretch's neutral reading (deg), and what is left of it when each body is",
        "predicted by a least-squares fit on the other bodies (leave-one-out, root mean square): on",
        "the camera's view of the clip (|yaw|, elevation), on the body's neutral in the other two",
        "stretches, on both, and on the body's phenotype controls (a render's only). r: the",
        "correlation with each other stretch's neutral.",
        "",
        "| feature | stretch | bodies | spread | view | other stretches | other stretches + view "
        "| build | r with each other stretch |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in spread_rows(clips):
        rs = ", ".join(f"{o.split('_')[0]} {cell(x, '+.2f')}" for o, x in r.r)
        lines.append(f"| {r.feature} | {r.stretch} | {r.bodies} | {cell(r.spread, '.1f')} "
                     f"| {cell(r.view, '.1f')} | {cell(r.others, '.1f')} | {cell(r.others_and_view, '.1f')} "
                     f"| {cell(r.build, '.1f')} | {rs} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", type=Path, help="folders of sessions-style clips with landmarks")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    catalogue = load_catalogue()
    clips = []
    for d in args.sets:
        for path in sorted(d.glob("*.landmarks.npz")):
            c = clip_neutral(path, d.name, catalogue)
            if c is not None:
                clips.append(c)
    return emit(report(clips, [str(d) for d in args.sets], args.out), args.out)


if __name__ == "__main__":
    sys.exit(main())
