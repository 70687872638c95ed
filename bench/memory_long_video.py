"""Peak memory of `posecheck analyze` on a long 720p video against a short one, in one run.

Builds two 1280x720, 30 fps videos from the sample clips (bench/_videos.py): a 1-minute and a
10-minute one. Runs the real command on each, in a child process, with every output on:

    posecheck analyze VIDEO --pose hip_flexor_stretch --json R.json --csv F.csv --annotated A.mp4

and reads the child's peak resident memory (VmHWM) as the command returns, sampling its
resident memory every half second on the way to show whether it climbs. Goal: flat, i.e. the
10-minute peak within a few MB of the 1-minute one. The video is streamed through short queues and
the JSON timeline is spooled to a temporary file, so nothing grows with the length.

The long run takes about as long as the video on a 2-core machine (pose inference is ~25 ms a
frame). Usage: python bench/memory_long_video.py [--short-minutes M] [--long-minutes M] [--stride N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._videos import make_video

STRETCH = "hip_flexor_stretch"  # reads the person mask: the heaviest per-frame work


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# The child reports its own high-water mark (VmHWM) as the command returns. The kernel's ru_maxrss
# would not do: Linux carries it across exec, so it would count the bench's own memory at the fork.
CHILD = ("import sys\nfrom pathlib import Path\nfrom posecheck.cli import main\ncode = main(sys.argv[2:])\n"
         "hwm = next(x for x in open('/proc/self/status') if x.startswith('VmHWM:')).split()[1]\n"
         "Path(sys.argv[1]).write_text(hwm)\nsys.exit(code)\n")


def run(video: Path, out: Path, stride: int) -> tuple[float, list[float], float]:
    """Peak RSS (MB), RSS samples taken every half second (MB) and wall time of one analysis."""
    peak_file = out / "peak_kb.txt"
    cmd = [sys.executable, "-c", CHILD, str(peak_file), "analyze", str(video), "--pose", STRETCH, "--quiet",
           "--json", str(out / "r.json"), "--csv", str(out / "f.csv"), "--annotated", str(out / "a.mp4"),
           "--stride", str(stride)]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    while child.poll() is None:
        rss = rss_mb(child.pid)
        if rss is not None:
            samples.append(rss)
        time.sleep(0.5)
    if child.returncode != 0:
        raise SystemExit(f"analysis of {video.name} failed with exit code {child.returncode}")
    return int(peak_file.read_text()) / 1024, samples, time.perf_counter() - t0


def quartiles(samples: list[float]) -> str:
    if not samples:
        return "-"
    n = len(samples)
    return ", ".join(f"{max(samples[i * n // 4:(i + 1) * n // 4] or samples[-1:]):.0f}" for i in range(4))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short-minutes", type=float, default=1.0)
    parser.add_argument("--long-minutes", type=float, default=10.0)
    parser.add_argument("--stride", type=int, default=1, help="judge every Nth frame (a quicker check)")
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "posecheck-bench"
    work.mkdir(exist_ok=True)
    rows = []
    for minutes in (args.short_minutes, args.long_minutes):
        t0 = time.perf_counter()
        video = make_video(work / f"{STRETCH}_{minutes:g}min_1280x720.mp4", STRETCH, minutes * 60,
                           width=1280, height=720)
        made = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            peak, samples, wall = run(video, Path(tmp), args.stride)
        rows.append((minutes, video.stat().st_size / 1e6, peak, quartiles(samples), wall))
        print(f"{minutes:g} min: video {video.stat().st_size / 1e6:.1f} MB (made in {made:.0f} s), "
              f"analysed in {wall:.0f} s, peak RSS {peak:.0f} MB", flush=True)
    print("\n| video | file | peak RSS | RSS by quarter of the run (MB, highest sample) | time |")
    print("|---|---:|---:|---|---:|")
    for minutes, size, peak, quarters, wall in rows:
        print(f"| {minutes:g} min 1280x720 30 fps | {size:.1f} MB | {peak:.0f} MB | {quarters} "
              f"| {wall:.0f} s |")
    (_, _, short_peak, _, _), (_, _, long_peak, _, _) = rows
    print(f"\nlong / short peak: {long_peak / short_peak:.3f} ({long_peak - short_peak:+.0f} MB); goal: flat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
