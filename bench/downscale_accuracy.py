"""What `--max-side` (shrinking frames before the pose model) costs in accuracy, and what it saves.

Runs the labelled clips through pose inference and the rules, as `posecheck regress SAMPLES` does,
once at the clips' own size and once per --max-side value, in one run. For each it prints the
headline numbers of the regress table and the time taken, as a ratio to the full-size run:

- mistakes caught: must-flag clip/check pairs that were flagged;
- silent where they must be: must-be-silent pairs left silent;
- working side right, hold time within 0.5 s of the label, reps counted exactly.

Then it times the whole analysis (JSON, CSV and annotated video, as the CLI writes them) of a
1920x1080 video made from the sample clips, at its own size and at each --max-side value: the pose
model looks at 256x256 whatever it is given, so shrinking saves time only on large pictures
(decoding, the person mask, drawing and encoding).

Usage: python bench/downscale_accuracy.py [SAMPLES] [--sizes 480 320] [--skip-accuracy]
(default samples/heldout: clips the thresholds were not tuned on)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck import regress


def headline(outcomes: list[regress.ClipOutcome]) -> dict[str, str]:
    m = regress.metrics(outcomes)
    checks = [v for k, v in m.items() if not k.startswith("(all)/") and not k.endswith("/reps")
              and "(compensated)" not in k]
    caught = sum(v["detected"] for v in checks)
    must = sum(v["must_flag"] for v in checks)
    silent = sum(v["silent"] for v in checks)
    quiet = sum(v["must_be_silent"] for v in checks)
    reps = [o for o in outcomes if o.reps_expected is not None and not o.error]
    exact = sum(o.reps_counted == o.reps_expected for o in reps)

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.0f}%"

    return {"caught": f"{caught} of {must}", "silent": f"{silent} of {quiet}",
            "side": pct(m["(all)/side"]["side_correct"]),
            "hold": pct(m["(all)/hold"]["hold_within_tolerance"]),
            "reps": f"{exact} of {len(reps)}", "errors": str(sum(1 for o in outcomes if o.error))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", type=Path, default=Path("samples/heldout"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[480, 320])
    parser.add_argument("--skip-accuracy", action="store_true", help="only time the 1080p video")
    parser.add_argument("--hd-seconds", type=float, default=10.0)
    args = parser.parse_args()
    if not args.skip_accuracy:
        accuracy(args)
    hd_speed(args)
    return 0


def hd_speed(args: argparse.Namespace) -> None:
    import tempfile

    from bench._videos import make_video
    from posecheck.analysis import Outputs, analyze
    from posecheck.poses import pose_by_id

    work = Path(tempfile.gettempdir()) / "posecheck-bench"
    work.mkdir(exist_ok=True)
    stretch = "hip_flexor_stretch"
    video = make_video(work / f"{stretch}_{args.hd_seconds:g}s_1920x1080.mp4", stretch, args.hd_seconds,
                       width=1920, height=1080)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for size in (None, 640, *args.sizes):
            outputs = Outputs(json=out / "r.json", csv=out / "f.csv", annotated=out / "a.mp4")
            t0 = time.perf_counter()
            report = analyze(video, pose_by_id(stretch), outputs=outputs, keep_verdicts=False,
                             max_side=size).report
            times.append((size, time.perf_counter() - t0, report["frames"]))
    print(f"\n{video.name} ({times[0][2]} frames), whole analysis with JSON, CSV and annotated video:\n")
    print("| frames given to the model | time | ms per frame | ratio to own size |")
    print("|---|---:|---:|---:|")
    for size, took, frames in times:
        label = "own size (1920x1080)" if size is None else f"--max-side {size}"
        print(f"| {label} | {took:.1f} s | {took / frames * 1e3:.1f} | {took / times[0][1]:.2f} |")


def accuracy(args: argparse.Namespace) -> None:
    rows = []
    base_s = None
    for size in (None, *args.sizes):
        t0 = time.perf_counter()
        outcomes = regress.run(args.samples, from_landmarks=False, max_side=size)
        took = time.perf_counter() - t0
        base_s = base_s or took
        rows.append((size, headline(outcomes), took))
        print(f"max side {size or 'own size'}: {took:.0f} s", flush=True)
    print(f"\n{args.samples}: {len(outcomes)} clips\n")
    print("| frames given to the model | mistakes caught | silent where they must be | working side "
          "| hold within 0.5 s | reps exact | clips that failed | time (ratio to own size) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size, h, took in rows:
        label = "own size (640x480)" if size is None else f"--max-side {size}"
        print(f"| {label} | {h['caught']} | {h['silent']} | {h['side']} | {h['hold']} | {h['reps']} "
              f"| {h['errors']} | {took / base_s:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
