"""How much does rendering a clip again move what the lumbar checks read?

python tools/render_repeat_study.py FIRST_DIR=AGAIN_DIR ... [--out FILE]

The synthetic renderer (tools/synth) is seeded, but its software rasteriser is not bit-exact: a
clip rendered twice from the same spec gives pictures that differ in a few pixels along the edges.
MediaPipe sees those pictures, so a study run on re-rendered clips can differ from one run on the
first renders without any change in posecheck. This study measures that floor: each clip in
AGAIN_DIR is the same spec rendered a second time (`python -m tools.synth.generate --set SET
[--match NAME]`), and its twin of the same name in FIRST_DIR the first render; each pair of folders
gets its own tables. Both are run through
MediaPipe and the checker from their videos and scored as `posecheck regress` scores a clip
(posecheck/regress.py run_clip). For each pair the table gives:
- how far the pictures differ: the mean absolute difference in 0..255 levels, over the frame's
  three channels (the median frame's and the largest), and the share of pixels that differ by
  more than 8 levels in the median frame;
- the seconds the lumbar check was flagged in each render (for correct holds: false alarms), and
  when its own neutral was learned;
- how far the two readings the check judges moved between the renders, over the frames both runs
  judged in position: the fixed level's reading and the own-neutral level's (the pose file's
  `feature` and `neutral_feature`), each as the median and the largest absolute change.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.sources.video import VideoFileSource  # noqa: E402
from tools.camera_quality_study import Run, readings_of, run_clip  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402
from tools.twin_study import differences, twins_of  # noqa: E402

CHANGED_LEVELS = 8  # a pixel counts as changed past this many levels in any channel


def frame_change(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean absolute difference in levels over every pixel and channel, share of pixels that
    differ by more than CHANGED_LEVELS in some channel) between two pictures of one size."""
    d = np.abs(a.astype(np.int16) - b.astype(np.int16))
    return float(d.mean()), float((d.max(axis=2) > CHANGED_LEVELS).mean())


def picture_change(first: Path, again: Path) -> tuple[float, float, float]:
    """Over the frames of two videos of one clip: the median frame's and the largest frame's mean
    absolute difference, and the median frame's share of changed pixels (NaN for no frames)."""
    pictures = zip(VideoFileSource(first), VideoFileSource(again), strict=False)  # as the model sees them
    changes = [frame_change(a.rgb, b.rgb) for a, b in pictures]
    if not changes:
        return math.nan, math.nan, math.nan
    means = [m for m, _ in changes]
    return statistics.median(means), max(means), statistics.median(s for _, s in changes)


def reading_change(first: Run, again: Run) -> tuple[tuple[float, float], tuple[float, float]]:
    """For each reading (fixed, own-neutral): the median and the largest absolute change between
    the renders over the frames both judged with a value ((NaN, NaN) where none did)."""
    out = []
    for d in differences(first, again):
        d = [abs(x) for x in d]
        out.append((statistics.median(d), max(d)) if d else (math.nan, math.nan))
    return out[0], out[1]


@dataclass(frozen=True)
class Pair:
    clip: str
    stretch: str
    picture: tuple[float, float, float]
    first: Run
    again: Run


def pair_row(p: Pair) -> str:
    fixed, own = reading_change(p.first, p.again)
    mean_med, mean_max, changed = p.picture
    return (f"| {p.clip} | {cell(mean_med, '.2f')} / {cell(mean_max, '.2f')} | "
            f"{cell(100 * changed, '.2f')}% | "
            f"{p.first.false_alarm_s:.1f} / {p.again.false_alarm_s:.1f} | "
            f"{cell(p.first.neutral_s, '.1f')} / {cell(p.again.neutral_s, '.1f')} | "
            f"{cell(fixed[0], '.2f')} / {cell(fixed[1], '.2f')} | "
            f"{cell(own[0], '.2f')} / {cell(own[1], '.2f')} |")


HEADER = ["| clip | picture change, levels: median frame / largest | pixels changed (median frame) "
          "| false alarm s: first / again | neutral learned at (s): first / again "
          "| fixed reading's change (deg): median / largest | own-neutral reading's change (deg): "
          "median / largest |",
          "|---|---|---:|---|---|---|---|"]


def summary(pairs: list[Pair], catalogue: dict) -> list[str]:
    """Per stretch: the readings it judges, how many holds either render flagged falsely, and the
    largest changes."""
    lines = ["| stretch | readings (fixed / own-neutral) | clips "
             "| holds with a false alarm: first / again / either "
             "| largest change of a frame's reading (deg): fixed / own-neutral |",
             "|---|---|---:|---|---|"]
    for stretch in STUDIED:
        ps = [p for p in pairs if p.stretch == stretch]
        if not ps:
            continue
        changes = [reading_change(p.first, p.again) for p in ps]
        worst = [max((c[k][1] for c in changes if math.isfinite(c[k][1])), default=math.nan)
                 for k in range(2)]
        first = sum(p.first.false_alarm_s > 0 for p in ps)
        again = sum(p.again.false_alarm_s > 0 for p in ps)
        either = sum(p.first.false_alarm_s > 0 or p.again.false_alarm_s > 0 for p in ps)
        fixed, own = readings_of(catalogue[stretch])
        lines.append(f"| {stretch} | {fixed} / {own} | {len(ps)} | {first} / {again} / {either} | "
                     f"{cell(worst[0], '.2f')} / {cell(worst[1], '.2f')} |")
    return lines


def folder_pair(text: str) -> tuple[Path, Path]:
    """FIRST_DIR=AGAIN_DIR from the command line."""
    first, sep, again = text.partition("=")
    if not (sep and first and again):
        raise argparse.ArgumentTypeError(f"expected FIRST_DIR=AGAIN_DIR, got {text!r}")
    return Path(first), Path(again)


def compare(videos: list[tuple[Path, Path]], desc: str, catalogue: dict) -> list[Pair]:
    """Every lumbar clip rendered again beside its first render, from (again, first) pairs."""
    pairs = []
    for video, first_video in tqdm(videos, desc=desc, unit="pair"):
        again = run_clip(video, "as rendered", catalogue)
        first = run_clip(first_video, "as rendered", catalogue)
        if again is None or first is None:  # a stretch without a lumbar check
            continue
        pairs.append(Pair(video.name.removesuffix(".mp4"), again.stretch, picture_change(first_video, video),
                          first, again))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("pairs", nargs="+", type=folder_pair, metavar="FIRST_DIR=AGAIN_DIR",
                    help="a folder of first renders and one of the same clips rendered again")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    folders = []
    for first_dir, again_dir in args.pairs:
        videos, missing = twins_of(again_dir, [first_dir])
        if not videos and not missing:
            ap.error(f"no rendered clips (*.mp4) in {again_dir}")
        if missing:
            ap.error(f"no first render of {', '.join(missing)} in {first_dir}")
        folders.append((first_dir, again_dir, videos))
    quiet_native_logs()
    catalogue = load_catalogue()
    command = "python tools/render_repeat_study.py " + " ".join(f"{a}={b}" for a, b in args.pairs)
    lines = heading("The same clips rendered twice", command, args.out)
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), ""]
    for first_dir, again_dir, videos in folders:
        pairs = compare(videos, again_dir.name, catalogue)
        lines += [f"## {again_dir} against {first_dir}", "", *summary(pairs, catalogue), "",
                  *HEADER, *(pair_row(p) for p in pairs), ""]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
