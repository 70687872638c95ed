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

from posecheck.labels import load_labels  # noqa: E402
from posecheck.sources.recording import RecordingSource  # noqa: E402
from tools.study_output import emit, heading  # noqa: E402
from tools.truth_trace import curve_along, mediapipe_mid, true_mid  # noqa: E402

PATTERN = "glute_stretch_seated__forward_bend_comp_*.landmarks.npz"
FIFTH = 5


def clip_row(landmarks: Path, truth_dir: Path | None) -> dict:
    """One clip's turns, within-clip r and MediaPipe's hip drift."""
    stem = landmarks.name.replace(".landmarks.npz", "")
    labels = load_labels(landmarks.with_name(f"{stem}.labels.json"))
    faces_right = labels.camera_side == "right"
    by_time = {round(t, 3): i for i, t in enumerate(labels.frame_times)}
    truth = None
    if truth_dir is not None:
        path = truth_dir / landmarks.name.replace(".landmarks.npz", ".silhouette.npz")
        truth = np.load(path)["mask"] if path.exists() else None
    rows = []
    for i, frame in enumerate(RecordingSource(landmarks)):
        j = by_time.get(round(frame.timestamp, 3))
        if frame.landmarks is None or frame.mask is None or j is None:
            continue
        p = frame.landmarks.image
        mp_hip, mp_sh = mediapipe_mid(p, 23, 24), mediapipe_mid(p, 11, 12)
        hip, sh = true_mid(labels.keypoints[j], "hip"), true_mid(labels.keypoints[j], "shoulder")
        size = (frame.width, frame.height)
        along = (sh - hip) / float(np.hypot(*(sh - hip)))
        backwards = -np.array([-along[1], along[0]]) * (1 if faces_right else -1)
        drift = float(np.dot(mp_hip - hip, backwards) / np.hypot(*(sh - hip)))
        rows.append((labels.frame_params[j]["lumbar_flexion_deg"],
                     curve_along(frame.mask, mp_hip, mp_sh, faces_right, *size),
                     curve_along(frame.mask, hip, sh, faces_right, *size),
                     curve_along(truth[i].astype(np.float32) / 255.0, hip, sh, faces_right, *size)
                     if truth is not None else math.nan,
                     drift))
    a = np.array(rows)
    n = max(1, len(a) // FIFTH)
    start, end = np.nanmedian(a[:n], axis=0), np.nanmedian(a[-n:], axis=0)

    def r(col: int) -> float:
        ok = np.isfinite(a[:, col])
        return float(np.corrcoef(a[ok, 0], a[ok, col])[0, 1]) if ok.sum() > 2 else math.nan

    return {"clip": stem, "crossed": labels.side,
            "camera": labels.camera_side, "yaw": labels.yaw_deg,
            "far_side": labels.camera_side != labels.side,
            "turn": [float(end[c] - start[c]) for c in (1, 2, 3)], "r": [r(c) for c in (1, 2, 3)],
            "drift": float(end[4] - start[4])}


def _fmt(x: float, spec: str = "+.1f") -> str:
    return "-" if not math.isfinite(x) else format(x, spec)


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
                     f"{_fmt(t[0])} | {_fmt(t[1])} | {_fmt(t[2])} | "
                     f"{_fmt(r[0], '.2f')} / {_fmt(r[1], '.2f')} / {_fmt(r[2], '.2f')} | "
                     f"{_fmt(c['drift'], '+.3f')} |")
    lines += ["", "| filmed from | clips | median (range) turn: posecheck | turn: true chord "
              "| turn: true silhouette + chord | r: posecheck, median | r: true chord, median | hip drift |",
              "|---|---:|---|---|---|---:|---:|---|"]
    for far, name in ((False, "the crossed leg's side"), (True, "the far side")):
        group = [c for _, c in rows if c["far_side"] is far]
        if not group:
            continue
        lines.append(f"| {name} | {len(group)} | {_span([c['turn'][0] for c in group])} | "
                     f"{_span([c['turn'][1] for c in group])} | {_span([c['turn'][2] for c in group])} | "
                     f"{_fmt(float(np.nanmedian([c['r'][0] for c in group])), '.2f')} | "
                     f"{_fmt(float(np.nanmedian([c['r'][1] for c in group])), '.2f')} | "
                     f"{_span([c['drift'] for c in group], '+.3f')} |")
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
