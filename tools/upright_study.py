"""Would the back read before the stretch, upright, tell how this person's flat back reads in it?

    python tools/upright_study.py build/upright [--out docs/measurements/upright.md]

The fixed levels of the lumbar checks sit past every rendered body's flat back, because bodies
differ: one person's flat back reads as hollow as another's rounded one. A clip that starts in the
mistake can only be judged against those levels, so only gross mistakes are caught there
(docs/spine.md). A person usually stands or sits up straight, in view, before hinging into the
stretch. If that upright back told where their flat back will read in the stretch, a level could be
set per person before the hold starts, mistake or not.

This measures how well it would tell, on the `upright` set (tools/synth/matrix.py: 40 drawn bodies,
each upright for 1 s with a neutral lower back, then hinging into the hamstring stretch or the
seated figure-4 with a flat back). Per stretch and outline reading, over the bodies:

- the spread of the flat back in the stretch (what a level that knows nothing of the person must
  cover), as the leave-one-out error of predicting each body from the others' mean;
- r between the upright reading and the stretch's, and the leave-one-out error of predicting each
  body's stretch reading from its upright one (a straight line fitted to the other bodies);
- the level past the prediction that flags none of these flat backs (the largest leave-one-out
  error, plus the 1.5 deg the fixed levels keep past the flattest flat back), and the lumbar bend it
  would take to pass it at the outline's gain (about 0.5 deg per deg set: docs/spine.md).

Readings are the median over the still upright second (from UPRIGHT_FROM_S) and over the held
stretch (from HOLD_FROM_S), from each clip's landmark recording (render and extract the set as
tools/synth/README.md says: about 5 minutes on two cores).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.events import Verdict
from posecheck.frames import PoseFrame
from posecheck.labels import load_labels
from posecheck.poses import load_catalogue
from posecheck.regress import run_clip
from tools.study_output import cell, emit, finite_median, heading
from tools.synth.matrix import UPRIGHT_HINGE_S, UPRIGHT_STILL_S

FEATURES = ("back_curve", "lower_back_bend", "sacrum_back_bend")
# which readings each stretch's lumbar check judges: its fixed level's, then its own neutral's
JUDGED = {"hamstring_stretch": ("back_curve", "lower_back_bend"),
          "glute_stretch": ("back_curve", "sacrum_back_bend")}
UPRIGHT_FROM_S = 0.2  # the first frames are smoothed from nothing
HOLD_FROM_S = UPRIGHT_STILL_S + UPRIGHT_HINGE_S + 0.3  # the hinge has stopped and smoothing caught up
MARGIN_DEG = 1.5  # what the fixed levels keep past the flattest flat back (docs/measurements/fixed_levels.md)
GAIN = 0.5  # deg of outline per deg of lumbar flexion set, on the renders (docs/spine.md)


@dataclass(frozen=True)
class Body:
    """One clip: a body's median reading upright and in the held stretch, per feature (NaN: unseen)."""

    pose: str
    clip: str
    upright: dict[str, float]
    held: dict[str, float]


def read_clip(label_path: Path) -> Body:
    labels = load_labels(label_path)
    pose = load_catalogue()[labels.pose]
    rows: list[tuple[float, dict[str, float]]] = []

    def watch(frame: PoseFrame, verdict: Verdict) -> None:
        rows.append((frame.timestamp, verdict.features))

    run_clip(labels, pose, watch=watch)
    t0 = rows[0][0] if rows else 0.0

    def over(lo: float, hi: float, feature: str) -> float:
        return finite_median([f.get(feature, math.nan) for t, f in rows if lo <= t - t0 < hi])

    return Body(labels.pose, label_path.name.removesuffix(".labels.json"),
                {f: over(UPRIGHT_FROM_S, UPRIGHT_STILL_S, f) for f in FEATURES},
                {f: over(HOLD_FROM_S, math.inf, f) for f in FEATURES})


def loo_errors(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-out errors in predicting each y: from the other bodies' mean, and from a straight
    line fitted to the other bodies' (x, y)."""
    n = len(y)
    if n < 4:
        raise ValueError(f"{n} bodies: too few to leave one out")
    blind, fitted = np.empty(n), np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        blind[i] = y[i] - y[keep].mean()
        slope, intercept = np.polyfit(x[keep], y[keep], 1)
        fitted[i] = y[i] - (intercept + slope * x[i])
    return blind, fitted


@dataclass(frozen=True)
class Row:
    pose: str
    feature: str
    n: int
    held_mean: float
    r: float
    blind_sd: float
    blind_max: float
    fitted_sd: float
    fitted_max: float

    @property
    def level_past(self) -> float:
        """How far past the predicted flat back a level must sit to flag none of these."""
        return self.fitted_max + MARGIN_DEG

    @property
    def level_past_blind(self) -> float:
        return self.blind_max + MARGIN_DEG


def summarise(bodies: list[Body]) -> list[Row]:
    rows = []
    for pose, features in JUDGED.items():
        mine = [b for b in bodies if b.pose == pose]
        for feature in features:
            pairs = [(b.upright[feature], b.held[feature]) for b in mine
                     if not (math.isnan(b.upright[feature]) or math.isnan(b.held[feature]))]
            if len(pairs) < 4:
                continue
            x, y = np.array(pairs).T
            blind, fitted = loo_errors(x, y)
            rows.append(Row(pose, feature, len(pairs), float(y.mean()), float(np.corrcoef(x, y)[0, 1]),
                            float(np.sqrt(np.mean(blind ** 2))), float(np.abs(blind).max()),
                            float(np.sqrt(np.mean(fitted ** 2))), float(np.abs(fitted).max())))
    return rows


def table(rows: list[Row]) -> str:
    out = ["| stretch | reading | bodies | flat back in the stretch, mean (deg) | r upright vs stretch | "
           "error without the upright reading: rms / largest (deg) | error predicted from it: rms / "
           "largest (deg) | level past the flat back that flags none: without / with it (deg) | "
           "bend to pass it at 0.5 deg per deg: without / with it (deg) |", "|" + "---|" * 9]
    for r in rows:
        out.append(f"| {r.pose} | {r.feature} | {r.n} | {cell(r.held_mean, '.1f')} | {cell(r.r, '+.2f')} | "
                   f"{cell(r.blind_sd, '.1f')} / {cell(r.blind_max, '.1f')} | "
                   f"{cell(r.fitted_sd, '.1f')} / {cell(r.fitted_max, '.1f')} | "
                   f"{cell(r.level_past_blind, '.1f')} / {cell(r.level_past, '.1f')} | "
                   f"{cell(r.level_past_blind / GAIN, '.0f')} / {cell(r.level_past / GAIN, '.0f')} |")
    return "\n".join(out)


def body_table(bodies: list[Body], pose: str) -> str:
    """Each body's readings, upright and in the stretch, on the readings `pose`'s check judges."""
    features = JUDGED[pose]
    out = ["| clip | " + " | ".join(f"{f}: upright / stretch" for f in features) + " |",
           "|" + "---|" * (len(features) + 1)]
    for b in sorted((b for b in bodies if b.pose == pose), key=lambda b: b.clip):
        out.append(f"| {b.clip} | " + " | ".join(
            f"{cell(b.upright[f], '.1f')} / {cell(b.held[f], '.1f')}" for f in features) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the rendered and extracted upright set (build/upright)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.root.glob("*__correct_upright_*.labels.json")
                   if p.with_name(p.name.replace(".labels.json", ".landmarks.npz")).exists())
    if not paths:
        print(f"{args.root}: no upright clips with a landmark recording (render and extract them first: "
              "tools/synth/README.md)", file=sys.stderr)
        return 2
    bodies = [read_clip(p) for p in paths]
    lines = heading("The back upright, before the stretch", f"python tools/upright_study.py {args.root}",
                    args.out)
    lines += [INTRO, "", table(summarise(bodies)), ""]
    for pose in JUDGED:
        lines += [f"## Each body: {pose}", "", body_table(bodies, pose), ""]
    return emit(lines, args.out)


INTRO = ("Each body stands (hamstring, heel on the step) or sits up straight (seated figure-4) with a "
         "neutral lower back, then hinges into the stretch and holds a flat back. Per reading: how far "
         "the flat back in the stretch can be told from the other bodies alone (the error of their "
         "mean, left out in turn) and from this body's own upright reading (a straight line through "
         "the other bodies, left out in turn). The level past the flat back is the largest error plus "
         f"the {MARGIN_DEG:g} deg the fixed levels keep; the bend is that level over the outline's "
         f"gain on the renders ({GAIN:g} deg per deg). Readings that go unseen on a body leave it "
         "out of that row.")


if __name__ == "__main__":
    raise SystemExit(main())
