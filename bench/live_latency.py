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

The server and Chromium share this machine's cores, as on a laptop. `--busy-core` keeps one core
busy with a spinning process for the whole run (both the coach's and the no-coach runs), as a
laptop with something else running would be: that is where delay queues up if anything lets it.
Needs root (or user namespaces) and /usr/bin/chromium (tools/ensure_browser_deps.sh).
Usage: python bench/live_latency.py [--seconds S] [--path PAGE] [--runs N] [--floor] [--busy-core]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
sys.path.insert(0, str(BROWSER))

from camera_clip import clip_frames, write_y4m  # noqa: E402
from drive_live import parse_result  # noqa: E402

CLIP = ROOT / "samples" / "starter" / "lunge_arch.mp4"
CUE = "Tuck your tailbone under"


def run_once(y4m: Path, seconds: float, path: str, tmp: Path, floor: bool = False,
             keep_stale: bool = False) -> dict:
    app, expect = ((ROOT / "bench" / "_floor_app.py", "Frames are flowing") if floor
                   else (ROOT / "app.py", CUE))
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           str(BROWSER / "drive_live.py"), "--app", str(app), "--y4m", str(y4m), "--expect", expect,
           "--screenshot", str(tmp / "live.png"), "--path", "" if floor else path,
           "--measure-s", str(seconds)]
    env = {**os.environ, "POSECHECK_LIVE_KEEP_STALE": "1"} if keep_stale else None
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=seconds + 240, env=env)
    result = parse_result(done.stdout)
    if result is None:
        raise SystemExit(f"the driver printed no result\n{done.stderr[-3000:]}")
    if not result.get("ok") or "live" not in result:
        raise SystemExit(f"the live session failed: {result.get('error')}\n{done.stderr[-3000:]}")
    return dict(result["live"])


@contextlib.contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """While inside, a child process spins on one core (at normal priority) when `on`."""
    if not on:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


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
    parser.add_argument("--busy-core", action="store_true",
                        help="keep one core busy with a spinning process throughout, as when something "
                             "else runs on the laptop")
    parser.add_argument("--ab-stale", action="store_true",
                        help="also run the coach with stale camera frames kept (POSECHECK_LIVE_KEEP_STALE=1, "
                             "posecheck/webui/prompt_track.py), alternating with the shipped setting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="posecheck-live-bench-") as tmp_name:
        tmp = Path(tmp_name)
        y4m = tmp / "camera.y4m"
        frames = write_y4m(clip_frames(CLIP, 30, hold_last_s=7.0), y4m, 30)
        print(f"fake camera: {frames} frames, 640x480 at 30 fps, looped; page /{args.path}"
              + ("; one core kept busy throughout" if args.busy_core else ""))
        runs, floors, stale = [], [], []
        with busy_core(args.busy_core):
            for _ in range(args.runs):
                runs.append(run_once(y4m, args.seconds, args.path, tmp))
                if args.ab_stale:
                    stale.append(run_once(y4m, args.seconds, args.path, tmp, keep_stale=True))
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
    if stale:
        print("\nThe coach with stale camera frames kept (POSECHECK_LIVE_KEEP_STALE=1), "
              "run between the above:\n")
        print("| run | returned fps | latency median | p90 | first third / last third median |")
        print("|---:|---:|---:|---:|---|")
        for n, r in enumerate(stale, start=1):
            print(f"| {n} | {r['returned_fps']} | {r['latency_ms_median']} ms | {r['latency_ms_p90']} ms | "
                  f"{r['latency_ms_first_third_median']} / {r['latency_ms_last_third_median']} ms |")
        s_lat = statistics.median(r["latency_ms_median"] for r in stale)
        c_lat = statistics.median(r["latency_ms_median"] for r in runs)
        wins = sum(r["latency_ms_median"] < k["latency_ms_median"] for r, k in zip(runs, stale, strict=True))
        print(f"\nstale frames kept: latency median {s_lat:.0f} ms; skipped (shipped): {c_lat:.0f} ms "
              f"(skipped / kept {c_lat / s_lat:.2f}; shipped lower in {wins} of {len(runs)} pairs)")
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
