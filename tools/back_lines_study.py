"""Which two lines of the back outline should the seated glute stretch's own-neutral level read?

The lumbar checks' own-neutral level (posecheck/checker/neutral.py) flags a bend of the back
outline that grows past the person's own neutral. On the seated glute stretch that level flagged
flat backs that breathe, sway and lean in from the hips (the restless sets,
docs/measurements/restless.md), while a 30 deg forward bend made the reading rise only 7 to 16 deg.
This study reads each candidate pair of outline stretches (a lower line from below the hip up the
lumbar stretch, an upper line on the middle or upper back) the way the check reads its feature:
smoothed as the pose is, a neutral learned from the first steady second while the fixed level is
clear and left to settle as the pose file says (`settles_for_s`), the rise past it taken towards
the mistake and held for the check's `min_duration_s`. The pair was chosen before the neutral
settled (commit 5c00c5c: largest rise on flat backs 6.4 deg, smallest at 15 deg or more 7.7); the
tables below are with it.

1. Restless flat backs (`--restless`): per clip, the largest rise held that long. A good pair rises
   little here. "Lean gain": the median, over clips whose trunk lean moved 4 deg or more, of the
   rise per degree of trunk lean (leaning in from the hips is correct form).
2. Mistakes (`--sessions`, clips that start neutral, then bend forward to 30 deg): per clip, the
   largest rise held that long while the lumbar angle set is 15 deg or more, plain and
   compensated (the pelvis tips back); the smallest over the clips is what a flag level must sit
   under.
3. Validation (`--validate`, sets not used to choose): for back_curve, the shipped pair and the
   chosen one, r of the change from each clip's own reading at a lumbar angle of 0 (known from the
   labels) with the angle set, pooled over the set's clips, and the spread (sd) of that change on
   flat backs (5 deg or less).

Usage: python tools/back_lines_study.py --restless build/restless build/restless-b build/restless-c
           build/restless-c-long --sessions samples/sessions build/sessions-b build/sessions-c
           --validate samples/synth build/bodies-a build/bodies-b build/bodies-c
           --out docs/measurements/back_lines.md
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.features import silhouette
from posecheck.poses import load_catalogue
from posecheck.poses.schema import OwnNeutral
from tools.own_neutral_study import unbounded
from tools.spine_measures import _r, _zero_changes, collect, learned_rows
from tools.spine_study import STUDIED
from tools.study_output import emit, heading

POSE = "glute_stretch"
LOWERS = [(-0.15, 0.15), (-0.1, 0.2), (-0.1, 0.25), (-0.05, 0.2), (-0.05, 0.25), (0.0, 0.3)]
UPPERS = [(0.2, 0.8), (0.25, 0.75), (0.3, 0.7), (0.4, 0.7), (0.5, 0.9), (0.6, 1.0)]
Pair = tuple[tuple[float, float], tuple[float, float]]
BACK_CURVE: Pair = (silhouette.LOWER_BACK, silhouette.UPPER_BACK)
LOWER_BACK_BEND: Pair = (silhouette.LOWER_BACK, silhouette.MID_BACK)
SACRUM_BACK_BEND: Pair = (silhouette.SACRUM_UP, silhouette.MID_BACK)
NAMES = {BACK_CURVE: "back_curve", LOWER_BACK_BEND: "lower_back_bend", SACRUM_BACK_BEND: "sacrum_back_bend"}
MISTAKE_DEG, FLAT_DEG, LEAN_MOVED_DEG = 15.0, 5.0, 4.0
WINDOWS = tuple(sorted({w for pair in [*itertools.product(LOWERS, UPPERS), *NAMES] for w in pair}))


def _clips(rows: list[dict]) -> list[list[dict]]:
    """The rows of each clip (sets may hold clips of the same name: build/restless-c-long)."""
    out: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        out.setdefault((r["set"], r["clip"]), []).append(r)
    return list(out.values())


def rises(clip: list[dict], pair: Pair, tau_s: float, spec: OwnNeutral
          ) -> list[tuple[float, float, float, float]]:
    """(t, rise past the learned neutral, lumbar angle set, trunk lean) on the in-position frames
    once a neutral is learned; the rise is taken towards the mistake (forward bend: up)."""
    return [(r["t"], change, r["truth"], r["trunk_lean"])
            for r, change in learned_rows(clip, pair, tau_s, spec)]


def held_max(t: np.ndarray, x: np.ndarray, hold_s: float) -> float:
    """The largest level that `x` stays at or above for `hold_s` (-inf if the clip is shorter)."""
    best = -math.inf
    for i in range(len(t)):
        j = int(np.searchsorted(t, t[i] + hold_s - 1e-9))
        if j >= len(t):
            break
        best = max(best, float(x[i:j + 1].min()))
    return best


def pair_rows(restless: list[dict], sessions: list[dict], tau_s: float, hold_s: float,
              spec: OwnNeutral) -> list[tuple]:
    out = []
    for pair in [*itertools.product(LOWERS, UPPERS)]:
        quiet, gains = [], []
        for clip in _clips(restless):
            r = np.array(rises(clip, pair, tau_s, spec))
            if len(r) < 10:
                continue
            quiet.append(held_max(r[:, 0], r[:, 1], hold_s))
            ok = np.isfinite(r[:, 1]) & np.isfinite(r[:, 3])
            if ok.sum() > 3 and np.ptp(r[ok, 3]) >= LEAN_MOVED_DEG:
                gains.append(float(np.polyfit(r[ok, 3], r[ok, 1], 1)[0]))
        caught: dict[bool, list[float]] = {False: [], True: []}
        for clip in _clips(sessions):
            r = np.array(rises(clip, pair, tau_s, spec))
            m = r[:, 2] >= MISTAKE_DEG if len(r) else np.array([], bool)
            if m.sum() >= 5:
                caught[bool(clip[0]["compensated"])].append(held_max(r[m, 0], r[m, 1], hold_s))
        out.append((pair, np.array(quiet), float(np.median(gains)) if gains else math.nan,
                    min(caught[False], default=math.nan), min(caught[True], default=math.nan)))
    return out


def _label(pair: Pair) -> str:
    (a, b), (c, d) = pair
    name = NAMES.get(pair)
    return f"{a:g} to {b:g} / {c:g} to {d:g}" + (f" (**{name}**)" if name else "")


def pair_table(rows: list[tuple], flag: float) -> str:
    lines = ["| lower line / upper line (stations: 0 hip, 1 shoulder) | restless clips: largest rise held, "
             f"median / 90th pct / max (deg) | restless clips at {flag:g} deg or more "
             f"| lean gain (deg per deg) | smallest rise held at >= {MISTAKE_DEG:g} deg: "
             "plain / compensated (deg) |",
             "|---|---|---|---|---|"]
    for pair, quiet, gain, plain, comp in rows:
        lines.append(f"| {_label(pair)} | {np.median(quiet):.1f} / {np.percentile(quiet, 90):.1f} / "
                     f"{quiet.max():.1f} | {(quiet >= flag).sum()} of {len(quiet)} | {gain:+.2f} | "
                     f"{plain:.1f} / {comp:.1f} |")
    return "\n".join(lines)


def validation_table(sets: dict[str, list[dict]]) -> str:
    pairs = list(NAMES)
    lines = ["| set | clips | " + " | ".join(f"{NAMES[p]}: r / flat sd" for p in pairs) + " |",
             "|---|---:|" + "---|" * len(pairs)]
    for name, rows in sets.items():
        cells = []
        clips = _clips(rows)
        for pair in pairs:
            changes = [(c, a) for clip in clips for c, a, _ in _zero_changes(clip, pair, min_swing_deg=0.0)]
            c, a = np.array([c for c, _ in changes]), np.array([a for _, a in changes])
            flat = c[np.abs(a) <= FLAT_DEG]
            cells.append(f"{_r(a, c):+.2f} / {np.std(flat):.1f}" if len(c) else "-")
        lines.append(f"| {name} | {len(clips)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--restless", nargs="+", type=Path, required=True)
    ap.add_argument("--sessions", nargs="+", type=Path, required=True)
    ap.add_argument("--validate", nargs="*", type=Path, default=[])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    pose = load_catalogue()[POSE]
    check = pose.check(STUDIED[POSE][0])
    shipped = check.from_own_neutral
    assert shipped is not None
    spec = unbounded(shipped)

    def gather(roots: list[Path]) -> dict[str, list[dict]]:
        out = {}
        for root in roots:
            print(f"tracing {root} ...", file=sys.stderr, flush=True)
            out[str(root)] = [{**r, "set": str(root)} for r in collect(root, WINDOWS, POSE)]
        return out

    restless, sessions = gather(args.restless), gather(args.sessions)
    rows = pair_rows([r for rs in restless.values() for r in rs], [r for rs in sessions.values() for r in rs],
                     pose.smoothing_s, check.min_duration_s, spec)
    lines = heading("Lines of the back outline for the seated glute stretch's own-neutral level",
                    "python tools/back_lines_study.py --restless " + " ".join(map(str, args.restless))
                    + " --sessions " + " ".join(map(str, args.sessions))
                    + (" --validate " + " ".join(map(str, args.validate)) if args.validate else ""), args.out)
    lines += [__doc__.split("\n\n", 1)[1].split("\nUsage:")[0].strip(), "",
              f"## Restless flat backs ({', '.join(map(str, args.restless))}) against forward bends "
              f"({', '.join(map(str, args.sessions))})", "",
              f"The neutral is learned unbounded; the rise is held {check.min_duration_s:g} s. The shipped "
              f"own-neutral level flags {shipped.flag_past:g} deg past the neutral "
              f"(on {shipped.feature or check.feature}).", "",
              pair_table(rows, shipped.flag_past), ""]
    if args.validate:
        lines += ["## Validation: change from each clip's labelled neutral", "",
                  validation_table({**gather(args.validate), **sessions}), ""]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
