"""Cost of the rules per frame, for every stretch, beside pose inference, in one run.

For each stretch with generated clips, decodes one clip, runs MediaPipe (Full model, with the person
mask) on every frame, and times it; then replays the same pose frames through that stretch's
`PoseChecker` (features, smoothing, gate, checks, reps) and times that. Prints, per stretch, the
median checker time per frame, its ratio to inference, and the checker's 95th percentile. The
budget (issue 7) is 0.3 ms of rules per frame. Both are measured in the same run, so the ratio
holds on another machine even when absolute times drift.

Usage: python bench/rules_cost.py [POSE ...]   (default: every stretch with a clip in samples/synth)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.estimators import make_estimator
from posecheck.poses import load_catalogue
from posecheck.sources.video import VideoFileSource

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 0.3
REPEATS = 20  # a checker frame is short: replay the clip this many times to time it well


def clip_for(pose_id: str) -> Path | None:
    """A correct-form clip of the stretch (a rep clip for movements), or any clip of it."""
    synth = ROOT / "samples" / "synth"
    for pattern in (f"{pose_id}__reps_full_1__*.mp4", f"{pose_id}__correct_1__*.mp4", f"{pose_id}__*.mp4"):
        found = sorted(synth.glob(pattern))
        if found:
            return found[0]
    return None


def main() -> int:
    catalogue = load_catalogue()
    wanted = sys.argv[1:] or sorted(catalogue)
    estimator = make_estimator("mediapipe", segmentation=True)
    rows = []
    all_infer: list[float] = []
    try:
        for pose_id in wanted:
            clip = clip_for(pose_id)
            if clip is None:
                continue
            frames, infer_ms = [], []
            for image in VideoFileSource(clip):
                t0 = time.perf_counter()
                frames.append(estimator.estimate(image))
                infer_ms.append((time.perf_counter() - t0) * 1e3)
            rule_ms = []
            for _ in range(REPEATS):
                checker = PoseChecker(catalogue[pose_id])
                for frame in frames:
                    t0 = time.perf_counter()
                    checker.update(frame)
                    rule_ms.append((time.perf_counter() - t0) * 1e3)
            all_infer += infer_ms
            rows.append((pose_id, len(frames), float(np.median(infer_ms)), float(np.median(rule_ms)),
                         float(np.percentile(rule_ms, 95)), catalogue[pose_id].needs_mask))
    finally:
        estimator.close()
    print(f"{'stretch':<27} {'frames':>6} {'infer ms':>9} {'rules ms':>9} {'p95 ms':>7} "
          f"{'rules/infer':>11}  mask")
    for pose_id, n, inf, rule, p95, mask in rows:
        print(f"{pose_id:<27} {n:>6} {inf:>9.1f} {rule:>9.3f} {p95:>7.3f} {rule / inf:>11.4f}  "
              f"{'yes' if mask else 'no'}")
    worst = max(rows, key=lambda r: r[3])
    within = [r[0] for r in rows if r[3] > BUDGET_MS]
    print(f"\nInference median over all clips: {np.median(all_infer):.1f} ms/frame. Rules: worst median "
          f"{worst[3]:.3f} ms ({worst[0]}), {worst[3] / np.median(all_infer):.4f} of inference. "
          f"Over the {BUDGET_MS} ms budget: {', '.join(within) or 'none'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
