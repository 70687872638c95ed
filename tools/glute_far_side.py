"""Why compensated seated glute bends filmed from the side away from the crossed leg are missed.

python tools/glute_far_side.py SET_DIR[=TRUTH_DIR] ... [--out docs/measurements/glute_far_side.md]

For every compensated seated forward-bend clip in each set (the pelvis tips back while the lumbar
spine rounds, so the trunk's lean stays), the back outline is traced three ways on the same frames:

1. as posecheck does: MediaPipe's mask, the chord between MediaPipe's mid-hip and mid-shoulder;
2. MediaPipe's mask, the chord between the render's true mid-hip and mid-shoulder (the labels'
   `kp2d`): what better landmarks would buy;
3. the body's true silhouette (`python -m tools.synth.silhouette_truth`, given as TRUTH_DIR) with
   the true chord: what the rendered body itself shows.

For each: how far `back_curve` turns between the first and the last fifth of the clip (neutral to
30 deg set), and r with the lumbar angle set within the clip. The table also gives how far
MediaPipe's mid-hip moves towards the back, against the true mid-hip, over the same span (in torso
lengths: the chord's start slides along the back outline by that much).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.features.silhouette import back_curve  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402
from tools.truth_trace import (  # noqa: E402
    HIPS,
    labelled_recording,
    median_by_way,
    mediapipe_mid,
    three_ways,
    true_mid,
    true_silhouettes,
)

PATTERN = "glute_stretch_seated__forward_bend_comp_*.landmarks.npz"
FIFTH = 5


def clip_row(landmarks: Path, truth_dir: Path | None) -> dict:
    """One clip's turns, within-clip r and MediaPipe's hip drift."""
    stem = landmarks.name.replace(".landmarks.npz", "")
    labels, frames = labelled_recording(landmarks)
    faces_right = labels.camera_side == "right"
    truth = true_silhouettes(truth_dir, landmarks)
    rows = []
    for i, (frame, j) in enumerate(frames):
        if frame.landmarks is None or frame.mask is None or j is None:
            continue
        mp_hip = mediapipe_mid(frame.landmarks.image, *HIPS)
        hip, sh = true_mid(labels.keypoints[j], "hip"), true_mid(labels.keypoints[j], "shoulder")
        along = (sh - hip) / float(np.hypot(*(sh - hip)))
        backwards = -np.array([-along[1], along[0]]) * (1 if faces_right else -1)
        drift = float(np.dot(mp_hip - hip, backwards) / np.hypot(*(sh - hip)))
        silhouette = truth[i] if truth is not None else None
        outlines = three_ways(frame, labels.keypoints[j], silhouette, faces_right)
        rows.append((labels.frame_params[j]["lumbar_flexion_deg"],
                     *(back_curve(o) if o is not None else math.nan for o in outlines), drift))
    a = np.array(rows)
    n = max(1, len(a) // FIFTH)
    start, end = median_by_way(a[:n]), median_by_way(a[-n:])

    def r(col: int) -> float:
        ok = np.isfinite(a[:, col])
        return float(np.corrcoef(a[ok, 0], a[ok, col])[0, 1]) if ok.sum() > 2 else math.nan

    return {"clip": stem, "crossed": labels.side,
            "camera": labels.camera_side, "yaw": labels.yaw_deg,
            "far_side": labels.camera_side != labels.side,
            "turn": [float(end[c] - start[c]) for c in (1, 2, 3)], "r": [r(c) for c in (1, 2, 3)],
            "drift": float(end[4] - start[4])}


def _span(values: list[float], spec: str = ".1f") -> str:
    ok = [v for v in values if math.isfinite(v)]
    if not ok:
        return "-"
    return f"{format(float(np.median(ok)), spec)} ({format(min(ok), spec)} to {format(max(ok), spec)})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", help="SET_DIR or SET_DIR=TRUTH_DIR")
    ap.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    args = ap.parse_args()
    rows = []
    for spec in args.sets:
        folder, _, truth = spec.partition("=")
        for path in sorted(Path(folder).glob(PATTERN)):
            rows.append((folder, clip_row(path, Path(truth) if truth else None)))
    lines = heading("Compensated seated glute bends: the side away from the crossed leg",
                    f"python tools/glute_far_side.py {' '.join(args.sets)}", args.out)
    lines += ["Outline turn: `back_curve`, median of the last fifth minus the first fifth of the clip "
              "(neutral back, then 30 deg of lumbar rounding with the pelvis tipped back as far). "
              "r: within the clip, against the lumbar angle set. Hip drift: how far MediaPipe's "
              "mid-hip moved towards the back against the true mid-hip over the same span, in torso "
              "lengths.", "",
              "| set | clip | crossed / camera | yaw | turn: posecheck | turn: true chord | "
              "turn: true silhouette + chord | r: posecheck / true chord / true silhouette | hip drift |",
              "|---|---|---|---:|---:|---:|---:|---|---:|"]
    for folder, c in rows:
        t, r = c["turn"], c["r"]
        lines.append(f"| {Path(folder).name} | {c['clip'].split('_session_')[-1]} | {c['crossed']} / "
                     f"{c['camera']}{' (far side)' if c['far_side'] else ''} | {c['yaw']:.0f} | "
                     f"{cell(t[0], '+.1f')} | {cell(t[1], '+.1f')} | {cell(t[2], '+.1f')} | "
                     f"{cell(r[0], '.2f')} / {cell(r[1], '.2f')} / {cell(r[2], '.2f')} | "
                     f"{cell(c['drift'], '+.3f')} |")
    lines += ["", "| filmed from | clips | median (range) turn: posecheck | turn: true chord "
              "| turn: true silhouette + chord | r: posecheck, median | r: true chord, median | hip drift |",
              "|---|---:|---|---|---|---:|---:|---|"]
    for far, name in ((False, "the crossed leg's side"), (True, "the far side")):
        group = [c for _, c in rows if c["far_side"] is far]
        if not group:
            continue
        lines.append(f"| {name} | {len(group)} | {_span([c['turn'][0] for c in group])} | "
                     f"{_span([c['turn'][1] for c in group])} | {_span([c['turn'][2] for c in group])} | "
                     f"{cell(float(np.nanmedian([c['r'][0] for c in group])), '.2f')} | "
                     f"{cell(float(np.nanmedian([c['r'][1] for c in group])), '.2f')} | "
                     f"{_span([c['drift'] for c in group], '+.3f')} |")
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
