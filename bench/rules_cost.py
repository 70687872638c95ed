"""Cost of the checker per frame, for every stretch, beside pose inference, in one run; the back
outline (silhouette) apart from the rules.

For each stretch with generated clips, decodes one clip, runs MediaPipe (Full model, with the person
mask) on every frame, and times it; then replays the same pose frames through that stretch's
`PoseChecker` (features, smoothing, gate, checks, reps) and times each `update` call.

Issue 7 budgets the two parts separately: 0.3 ms per frame for the rules, 3 ms for the silhouette
features. The stretches whose checks read the person mask (`catalogue.MASK_FEATURES`: the back
outline's bends) spend part of each update on the outline, so this bench measures that part inside
the same `update` calls: while the checker is replayed, each mask feature's function in the
feature catalogue is wrapped in a timer. The first one measured in a frame also shrinks the mask
and traces the trunk's outlines (the skeleton keeps them for the frame), so the timers cover the
whole outline. Per frame:

- checker: the whole `update` call;
- outline: the time spent inside the mask features during that call (0 for the landmark-only
  stretches, which never read them);
- rules: checker minus outline, for that call. The timers' own overhead (well under a microsecond
  a frame) stays in the rules.

`bench/silhouette_cost.py` times the same outline work on its own, plus building a skeleton, on
its own clips. The table gives per-frame medians, the rules' 95th percentile, and the ratios of
the rules and the outline to inference. Inference and the checker are timed in the same run, so
the ratios hold on another machine even when absolute times drift.

Usage: python bench/rules_cost.py [POSE ...]   (default: every stretch with a clip in samples/synth)
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.estimators import make_estimator
from posecheck.features import catalogue as feature_catalogue
from posecheck.poses import load_catalogue
from posecheck.sources.video import VideoFileSource

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 0.3  # rules
OUTLINE_BUDGET_MS = 3.0  # silhouette features (bench/silhouette_cost.py)
REPEATS = 20  # a checker frame is short: replay the clip this many times to time it well


def clip_for(pose_id: str) -> Path | None:
    """A correct-form clip of the stretch (a rep clip for movements), or any clip of it."""
    synth = ROOT / "samples" / "synth"
    for pattern in (f"{pose_id}__reps_full_1__*.mp4", f"{pose_id}__correct_1__*.mp4", f"{pose_id}__*.mp4"):
        found = sorted(synth.glob(pattern))
        if found:
            return found[0]
    return None


class OutlineClock:
    """Adds up the time spent in the mask features (the back outline) while it is installed."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def _timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[OutlineClock]:
        # the checker measures every feature through the catalogue's FEATURES table
        originals = {name: feature_catalogue.FEATURES[name] for name in feature_catalogue.MASK_FEATURES}
        for name, feature in originals.items():
            feature_catalogue.FEATURES[name] = dataclasses.replace(feature, fn=self._timed(feature.fn))
        try:
            yield self
        finally:
            feature_catalogue.FEATURES.update(originals)


def main() -> int:
    catalogue = load_catalogue()
    wanted = sys.argv[1:] or sorted(catalogue)
    estimator = make_estimator("mediapipe", segmentation=True)
    rows = []
    all_infer: list[float] = []
    clock = OutlineClock()
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
            checker_ms, outline_ms = [], []
            with clock.installed():
                for _ in range(REPEATS):
                    checker = PoseChecker(catalogue[pose_id])
                    for frame in frames:
                        clock.seconds = 0.0
                        t0 = time.perf_counter()
                        checker.update(frame)
                        checker_ms.append((time.perf_counter() - t0) * 1e3)
                        outline_ms.append(clock.seconds * 1e3)
            rules_ms = np.array(checker_ms) - np.array(outline_ms)
            all_infer += infer_ms
            rows.append((pose_id, len(frames), float(np.median(infer_ms)), float(np.median(checker_ms)),
                         float(np.median(outline_ms)), float(np.median(rules_ms)),
                         float(np.percentile(rules_ms, 95)), catalogue[pose_id].needs_mask))
    finally:
        estimator.close()
    print(f"{'stretch':<27} {'frames':>6} {'infer ms':>9} {'checker ms':>10} {'outline ms':>10} "
          f"{'rules ms':>9} {'rules p95':>9} {'rules/infer':>11} {'outline/infer':>13}")
    for pose_id, n, inf, total, outline, rule, p95, mask in rows:
        out, out_ratio = (f"{outline:.3f}", f"{outline / inf:.4f}") if mask else ("-", "-")
        print(f"{pose_id:<27} {n:>6} {inf:>9.1f} {total:>10.3f} {out:>10} {rule:>9.3f} {p95:>9.3f} "
              f"{rule / inf:>11.4f} {out_ratio:>13}")
    infer = float(np.median(all_infer))
    worst = max(rows, key=lambda r: r[5])
    over = [r[0] for r in rows if r[5] > BUDGET_MS]
    masked = [r for r in rows if r[7]]
    print(f"\nInference median over all clips: {infer:.1f} ms/frame.")
    print(f"Rules: worst median {worst[5]:.3f} ms ({worst[0]}), {worst[5] / infer:.4f} of inference. "
          f"Over the {BUDGET_MS} ms budget: {', '.join(over) or 'none'}.")
    if masked:
        worst_out = max(masked, key=lambda r: r[4])
        print(f"Back outline (silhouette): worst median {worst_out[4]:.3f} ms ({worst_out[0]}), "
              f"{worst_out[4] / infer:.4f} of inference; budget {OUTLINE_BUDGET_MS:g} ms.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
