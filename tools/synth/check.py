"""Sanity check of rendered clips with MediaPipe Pose: detection rate and keypoint error.

python -m tools.synth.check DIR [--match TEXT] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from posecheck.landmarks import INDEX  # no dependencies: importable from the synth venv

BODY = [
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
]


def check_clip(mp4: Path, pose_model) -> dict:
    """Run MediaPipe on every frame; compare with the label keypoints."""
    import av

    labels = json.loads(mp4.with_name(mp4.stem + ".labels.json").read_text())
    hits, errs = 0, []
    with av.open(str(mp4)) as f:
        for i, frame in enumerate(f.decode(video=0)):
            img = frame.to_ndarray(format="rgb24")
            res = pose_model.process(img)
            if res.pose_landmarks is None:
                continue
            hits += 1
            lm = res.pose_landmarks.landmark
            truth = labels["frames"][i]["kp2d"]
            h, w = img.shape[:2]
            for k in BODY:
                p = lm[INDEX[k]]
                errs.append(float(np.hypot(p.x * w - truth[k][0], p.y * h - truth[k][1])))
    n = labels["clip"]["n_frames"]
    return {
        "clip": mp4.name,
        "pose": labels["pose"],
        "frames": n,
        "detected": hits,
        "rate": hits / n,
        "median_err_px": float(np.median(errs)) if errs else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--match", default="")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    import mediapipe as mp

    rows = []
    for mp4 in sorted(a.dir.glob("*.mp4")):
        if a.match not in mp4.name:
            continue
        # a fresh tracker per clip, as a new session would have
        with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pm:
            rows.append(check_clip(mp4, pm))
        r = rows[-1]
        err = r["median_err_px"] if r["median_err_px"] is not None else float("nan")
        print(f"{r['clip']:80s} {r['detected']:3d}/{r['frames']:3d} err {err:.1f}px", flush=True)
    by_pose: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_pose[r["pose"]].append(r)
    summary = {}
    for pose, rs in sorted(by_pose.items()):
        det = sum(r["detected"] for r in rs)
        tot = sum(r["frames"] for r in rs)
        errs = [r["median_err_px"] for r in rs if r["median_err_px"] is not None]
        summary[pose] = {
            "clips": len(rs),
            "frames": tot,
            "detected": det,
            "rate": round(det / tot, 4),
            "median_err_px": round(float(np.median(errs)), 2) if errs else None,
        }
        print(f"{pose:28s} {det}/{tot} = {det / tot:.1%}  median err {summary[pose]['median_err_px']} px")
    if a.json:
        a.json.write_text(json.dumps({"summary": summary, "clips": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
