"""Cost of the back-outline feature per frame, beside pose inference, in one run.

Decodes 640x480 clips, runs MediaPipe (Full model, with the person mask) on every frame, and on the
same frames times the contour work: shrinking the mask to its working size, tracing the trunk's
outlines and reducing them to back_curve, lower_back_bend and sacrum_back_bend (each lumbar check
reads two of them at most, so this is dearer than any stretch). Prints per-frame
medians and 95th percentiles and the ratio contour / inference. The budget is 3 ms per frame at 640x480.

Usage: python bench/silhouette_cost.py [CLIP.mp4 ...]   (default: the starter and a few sample clips)
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.estimators import make_estimator
from posecheck.features import silhouette
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.sources.video import VideoFileSource

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLIPS = [
    ROOT / "samples/starter/fwdbend_lumbar.mp4",
    ROOT / "samples/starter/lunge_arch.mp4",
    *sorted((ROOT / "samples/synth").glob("hamstring_stretch__lumbar_rounding_*_ramp__*.mp4")),
    *sorted((ROOT / "samples/synth").glob("hip_flexor_stretch__arched_lower_back_*_ramp__*.mp4")),
]
BUDGET_MS = 3.0
REPEATS = 5  # the contour step is short: repeat it to time it above the clock's resolution


def main() -> int:
    clips = [Path(p) for p in sys.argv[1:]] or [p for p in DEFAULT_CLIPS if p.exists()]
    estimator = make_estimator("mediapipe", segmentation=True)
    infer_ms: list[float] = []
    contour_ms: list[float] = []
    sizes = set()
    try:
        for clip in clips:
            for frame in VideoFileSource(clip):
                t0 = time.perf_counter()
                pose = estimator.estimate(frame)
                infer_ms.append((time.perf_counter() - t0) * 1e3)
                if pose.landmarks is None or pose.mask is None:
                    continue
                sizes.add((pose.width, pose.height))
                t0 = time.perf_counter()
                for _ in range(REPEATS):
                    sk = Skeleton(pose.landmarks, pose.width, pose.height, "left", pose.mask)
                    with contextlib.suppress(Unseen):
                        outline = sk.trunk_outline
                        silhouette.back_curve(outline)
                        silhouette.lower_back_bend(outline)
                        silhouette.sacrum_back_bend(outline)
                contour_ms.append((time.perf_counter() - t0) * 1e3 / REPEATS)
    finally:
        estimator.close()
    inf, con = np.array(infer_ms), np.array(contour_ms)
    print(f"clips: {len(clips)}, frames: {len(inf)}, frame sizes: {sorted(sizes)}")
    print(f"pose inference (with mask): median {np.median(inf):.2f} ms, "
          f"95th pct {np.percentile(inf, 95):.2f} ms")
    print(f"back outline + three bends: median {np.median(con):.3f} ms, "
          f"95th pct {np.percentile(con, 95):.3f} ms (budget {BUDGET_MS:g} ms)")
    print(f"ratio contour / inference (medians): {np.median(con) / np.median(inf):.3f}")
    return 0 if np.percentile(con, 95) <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
