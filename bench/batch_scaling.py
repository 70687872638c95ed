"""How batch analysis throughput scales with worker processes, measured side by side in one run.

Analyses the same set of videos (with pose inference) with 1, 2, ... worker processes and prints
files per minute and frames per second for each, and the speed-up over one worker. Worker start-up
(a fresh interpreter and model each) is included, as a user would see it.

Usage: python bench/batch_scaling.py [--jobs 1 2 4] [VIDEO ...]   (default: 8 generated clips)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.batch import run_batch
from posecheck.poses import load_catalogue
from posecheck.sources.video import VideoFileSource

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("videos", nargs="*", type=Path)
    ap.add_argument("--jobs", nargs="+", type=int, default=sorted({1, 2, os.cpu_count() or 1}))
    args = ap.parse_args()
    videos = args.videos or sorted((ROOT / "samples" / "synth").glob("*__correct_1__*.mp4"))[:8]
    frames = sum(VideoFileSource(v).info.frame_count for v in videos)
    catalogue = load_catalogue()
    print(f"{len(videos)} videos, {frames} frames, {os.cpu_count()} CPUs; stretch recognised (--pose auto)")
    print(f"{'workers':>7} {'seconds':>8} {'files/min':>10} {'frames/s':>9} {'speed-up':>9}")
    base = None
    for jobs in args.jobs:
        t0 = time.perf_counter()
        rows = run_batch(videos, None, catalogue, jobs=jobs)
        took = time.perf_counter() - t0
        failed = [r for r in rows if r.exit_code]
        base = base or took
        print(f"{jobs:>7} {took:>8.1f} {60 * len(videos) / took:>10.1f} {frames / took:>9.1f} "
              f"{base / took:>9.2f}" + (f"  ({len(failed)} failed)" if failed else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
