"""Why the seated figure-4 glute stretch's working side is near a coin toss when filmed side-on.

python tools/figure4_side_study.py SET_DIR ... [--out docs/measurements/figure4_side.md]

For each seated glute clip (tools/synth renders: the labels carry the true 2D joints, `kp2d`),
frame by frame: are MediaPipe's left and right ankles (and knees) swapped against the truth, and
is the true crossed ankle the higher one on screen? Per clip: the side the checker booked the most
in-position time for, against the label. Clips are grouped by where the camera is: on the crossed
leg's side ("near") or the other ("far").
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.checker.checker import PoseChecker  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.study_output import emit, heading  # noqa: E402
from tools.truth_trace import labelled_recording  # noqa: E402

PATTERN = "glute_stretch_seated__*.landmarks.npz"
JOINTS = {"ankle": (27, 28), "knee": (25, 26)}  # MediaPipe's left, right


def _swapped(p: np.ndarray, kp2d: dict, joint: str) -> bool:
    """MediaPipe's left/right pair sits closer to the truth the other way round."""
    left, right = (p[i, :2] for i in JOINTS[joint])
    true_l, true_r = np.asarray(kp2d[f"left_{joint}"][:2]), np.asarray(kp2d[f"right_{joint}"][:2])
    kept = np.linalg.norm(left - true_l) + np.linalg.norm(right - true_r)
    crossed = np.linalg.norm(left - true_r) + np.linalg.norm(right - true_l)
    return bool(crossed < kept)


def clip_row(path: Path, pose: object) -> dict | None:
    """One side-view clip's swaps and the checker's side; None for a clip filmed from the front."""
    labels, frames = labelled_recording(path)
    if labels.view_kind != "side":
        return None
    checker = PoseChecker(pose)  # type: ignore[arg-type]
    booked: collections.Counter[str] = collections.Counter()
    ankles, knees, crossed_higher = [], [], []
    other = "right" if labels.side == "left" else "left"
    for frame, j in frames:
        verdict = checker.update(frame)
        if verdict.in_position and verdict.side in ("left", "right"):
            booked[verdict.side] += 1
        if frame.landmarks is None or j is None:
            continue
        p, k = frame.landmarks.image, labels.keypoints[j]
        ankles.append(_swapped(p, k, "ankle"))
        knees.append(_swapped(p, k, "knee"))
        crossed_higher.append(k[f"{labels.side}_ankle"][1] < k[f"{other}_ankle"][1])
    side = booked.most_common(1)[0][0] if booked else None
    return {"near": labels.camera_side == labels.side, "ankles": float(np.mean(ankles)),
            "knees": float(np.mean(knees)), "higher": float(np.mean(crossed_higher)),
            "side_right": side == labels.side, "side_none": side is None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    pose = load_catalogue()["glute_stretch"]
    found = (clip_row(path, pose) for folder in args.sets for path in sorted(folder.glob(PATTERN)))
    rows = [row for row in found if row is not None]
    lines = heading("The seated figure-4's working side, filmed side-on",
                    f"python tools/figure4_side_study.py {' '.join(map(str, args.sets))}", args.out)
    lines += ["Near: the camera on the crossed leg's side; far: on the other side. Swapped: MediaPipe's "
              "left and right joints sit closer to the true joints the other way round (share of "
              "frames, and clips where more than half the frames are). Side: the working side the "
              "checker booked the most in-position time for (`sides: working_leg: "
              "ankle_over_other_knee`), against the label.", "",
              "| camera | clips | ankles swapped: frames / clips | knees swapped: frames / clips | "
              "true crossed ankle higher on screen | side right | no side |",
              "|---|---:|---|---|---:|---:|---:|"]
    for near, name in ((True, "near"), (False, "far")):
        group = [r for r in rows if r["near"] is near]
        if not group:
            continue

        def share(key: str, group: list[dict] = group) -> str:
            frames = np.mean([r[key] for r in group])
            return f"{frames:.0%} / {sum(r[key] > 0.5 for r in group)}"

        lines.append(f"| {name} | {len(group)} | {share('ankles')} | {share('knees')} | "
                     f"{np.mean([r['higher'] for r in group]):.0%} | {sum(r['side_right'] for r in group)} | "
                     f"{sum(r['side_none'] for r in group)} |")
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
