"""Live coaching speed in a real Chromium: returned fps and camera-to-screen latency at 640x480.

Runs the same driver as the browser test (tests/browser/drive_live.py) inside a loopback-only network
namespace. The fake camera plays a 30 fps, 640x480 clip of an arched half-kneeling lunge whose
every frame carries its number in a column of blocks (tests/browser/camera_clip.py). Once the coach
is cueing the arch, the page reads the numbers for --seconds from the camera stream it sends and
from the video the coach sends back, on every frame each shows, and prints:

- returned fps: frames of the coach's video shown per second (goal: at least 28);
- camera-to-screen latency: from a frame's capture to its return on screen, median and 90th
  percentile (goal: median at most 100 ms), and the medians of the first and last third of the run
  (equal when no delay builds up);
- the judged fps and the video fps that the coach panel itself shows.

The server and Chromium share this machine's cores, as on a laptop. Needs root (or user namespaces)
and /usr/bin/chromium (tools/ensure_browser_deps.sh).
Usage: python bench/live_latency.py [--seconds S] [--path PAGE] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
sys.path.insert(0, str(BROWSER))

from camera_clip import clip_frames, write_y4m  # noqa: E402
from drive_live import parse_result  # noqa: E402

CLIP = ROOT / "samples" / "starter" / "lunge_arch.mp4"
CUE = "Tuck your tailbone under"


def run_once(y4m: Path, seconds: float, path: str, tmp: Path, floor: bool = False) -> dict:
    app, expect = ((ROOT / "bench" / "_floor_app.py", "Frames are flowing") if floor
                   else (ROOT / "app.py", CUE))
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           str(BROWSER / "drive_live.py"), "--app", str(app), "--y4m", str(y4m), "--expect", expect,
           "--screenshot", str(tmp / "live.png"), "--path", "" if floor else path,
           "--measure-s", str(seconds)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=seconds + 240)
    result = parse_result(done.stdout)
    if result is None:
        raise SystemExit(f"the driver printed no result\n{done.stderr[-3000:]}")
    if not result.get("ok") or "live" not in result:
        raise SystemExit(f"the live session failed: {result.get('error')}\n{done.stderr[-3000:]}")
    return dict(result["live"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="how long to measure in each run")
    parser.add_argument("--path", default="live?stretch=hip_flexor_stretch",
                        help="page to open (live?stretch=any for the Any-stretch mode)")
    parser.add_argument("--floor", action="store_true",
                        help="also time the same video path with no coach in it (bench/_floor_app.py), "
                             "alternating with the coach: what WebRTC and the browser cost on this machine")
    parser.add_argument("--runs", type=int, default=3, help="fresh server and browser each run; the "
                        "summary is the median over runs (this machine's speed varies from run to run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="posecheck-live-bench-") as tmp_name:
        tmp = Path(tmp_name)
        y4m = tmp / "camera.y4m"
        frames = write_y4m(clip_frames(CLIP, 30, hold_last_s=7.0), y4m, 30)
        print(f"fake camera: {frames} frames, 640x480 at 30 fps, looped; page /{args.path}")
        runs, floors = [], []
        for _ in range(args.runs):
            runs.append(run_once(y4m, args.seconds, args.path, tmp))
            if args.floor:
                floors.append(run_once(y4m, args.seconds, args.path, tmp, floor=True))
    print("\n| run | returned size | camera fps | returned fps | latency median | p90 | max "
          "| first third / last third median | page: video fps, judged fps |")
    print("|---:|---|---:|---:|---:|---:|---:|---|---|")
    for n, r in enumerate(runs, start=1):
        print(f"| {n} | {r['returned_size']} | {r['camera_fps']} | {r['returned_fps']} | "
              f"{r['latency_ms_median']} ms | {r['latency_ms_p90']} ms | {r['latency_ms_max']} ms | "
              f"{r['latency_ms_first_third_median']} / {r['latency_ms_last_third_median']} ms | "
              f"{r.get('page_video_fps')}, {r.get('page_judged_fps')} |")
    if floors:
        print("\nThe same video path with no coach in it (bench/_floor_app.py), run between the above:\n")
        print("| run | returned fps | latency median | p90 |")
        print("|---:|---:|---:|---:|")
        for n, r in enumerate(floors, start=1):
            print(f"| {n} | {r['returned_fps']} | {r['latency_ms_median']} ms | {r['latency_ms_p90']} ms |")
        f_fps = statistics.median(r["returned_fps"] for r in floors)
        f_lat = statistics.median(r["latency_ms_median"] for r in floors)
        c_lat = statistics.median(r["latency_ms_median"] for r in runs)
        print(f"\nno coach: returned fps {f_fps:.1f}, latency median {f_lat:.0f} ms; the coach adds "
              f"{c_lat - f_lat:.0f} ms (coach / no coach latency {c_lat / f_lat:.2f})")
    fps = statistics.median(r["returned_fps"] for r in runs)
    latency = statistics.median(r["latency_ms_median"] for r in runs)
    print(f"\nreturned fps {fps:.1f} (goal >= 28); camera-to-screen median {latency:.0f} ms (goal <= 100); "
          f"camera times are capture times: {all(r['camera_times_are_capture_times'] for r in runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
