"""End-to-end `posecheck analyze` against pose inference alone, on the same video, in one run.

Builds a 640x480, 30 fps test video from the sample clips of one stretch (bench/_videos.py), decodes
it once into memory, and then, alternating, times:

- inference alone: a fresh MediaPipe estimator (Full model with the person mask, as analyze uses)
  over the already-decoded frames;
- the whole analysis: `posecheck.analysis.analyze` writing the JSON report (with its timeline),
  the CSV of features and the annotated H.264 video, exactly what
  `posecheck analyze VIDEO --pose P --json --csv --annotated` does after start-up.

Both include building the model. The ratio end-to-end / inference is the figure that matters
(goal: at most 1.1); it is printed per round and for the best round of each, so drift on a shared
machine shows. The serial cost of the other stages (decoding, rules, drawing and encoding), measured
on their own, is printed as well: the pipeline hides them behind inference when the ratio is near 1.

Usage: python bench/analysis_overhead.py [--stretch ID] [--seconds S] [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._videos import make_video
from posecheck.analysis import Outputs, analyze
from posecheck.checker.checker import PoseChecker
from posecheck.estimators import make_estimator
from posecheck.frames import ImageFrame, PoseFrame
from posecheck.poses import pose_by_id
from posecheck.sinks.overlay import draw_overlay
from posecheck.sinks.video_writer import H264Writer
from posecheck.sources.video import VideoFileSource


def infer_only(frames: list[ImageFrame]) -> tuple[float, list[PoseFrame]]:
    t0 = time.perf_counter()
    estimator = make_estimator("mediapipe", segmentation=True)
    poses = [estimator.estimate(f) for f in frames]
    estimator.close()
    return time.perf_counter() - t0, poses


def end_to_end(video: Path, pose_id: str, out: Path) -> float:
    pose = pose_by_id(pose_id)
    outputs = Outputs(json=out / "report.json", csv=out / "features.csv", annotated=out / "annotated.mp4")
    t0 = time.perf_counter()
    analyze(video, pose, outputs=outputs, keep_verdicts=True)
    return time.perf_counter() - t0


def serial_stages(frames: list[ImageFrame], poses: list[PoseFrame], pose_id: str, out: Path
                  ) -> tuple[float, float]:
    """Rules alone, and drawing + encoding alone, over the same frames (seconds)."""
    pose = pose_by_id(pose_id)
    checker = PoseChecker(pose)
    t0 = time.perf_counter()
    verdicts = [checker.update(p) for p in poses]
    t1 = time.perf_counter()
    h, w = frames[0].rgb.shape[:2]
    writer = H264Writer(out / "draw_only.mp4", w, h, 30.0)
    for image, p, v in zip(frames, poses, verdicts, strict=True):
        writer.write(draw_overlay(image.rgb, p, v, pose), image.timestamp)
    writer.close()
    return t1 - t0, time.perf_counter() - t1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stretch", default="hip_flexor_stretch",
                        help="stretch of the test video (default: one that reads the person mask)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "posecheck-bench"
    work.mkdir(exist_ok=True)
    video = make_video(work / f"{args.stretch}_{args.seconds:g}s_640x480.mp4", args.stretch, args.seconds)
    t0 = time.perf_counter()
    frames = list(VideoFileSource(video))
    decode_s = time.perf_counter() - t0
    n = len(frames)
    print(f"video: {video.name}, {n} frames at 640x480")
    infer, e2e = [], []
    poses: list[PoseFrame] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for r in range(args.rounds):
            t_inf, poses = infer_only(frames)
            t_e2e = end_to_end(video, args.stretch, out)
            infer.append(t_inf)
            e2e.append(t_e2e)
            print(f"round {r + 1}: inference {t_inf:.2f} s ({t_inf / n * 1e3:.1f} ms/frame), "
                  f"end-to-end {t_e2e:.2f} s ({t_e2e / n * 1e3:.1f} ms/frame), ratio {t_e2e / t_inf:.3f}")
        rules_s, draw_s = serial_stages(frames, poses, args.stretch, out)
    best_inf, best_e2e = min(infer), min(e2e)
    print("\nstage costs measured on their own (ms/frame): "
          f"decode {decode_s / n * 1e3:.1f}, inference {best_inf / n * 1e3:.1f}, "
          f"rules {rules_s / n * 1e3:.2f}, "
          f"draw + encode {draw_s / n * 1e3:.1f}; serial sum "
          f"{(decode_s + best_inf + rules_s + draw_s) / best_inf:.2f} x inference")
    print(f"end-to-end / inference alone (best round of each): {best_e2e / best_inf:.3f}  (goal <= 1.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
