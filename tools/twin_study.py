"""Clips judged beside their twins: the same clip rendered again with one thing about the scene changed.

The backrest and room studies (tools/backrest_study.py, tools/room_study.py) each hold a set whose
clips are rendered exactly as their twins of the same name (same body, camera, light and movement)
with something added behind the person. Both run each clip and its twin through MediaPipe and the
checker from their videos, score them as `posecheck regress` scores a clip, and tabulate the pairs:
whether the stretch's lumbar check flagged each, the false-alarm seconds, the onset after the
labelled angle passed 15 deg, when the person's own neutral was learned, and the median change
the scene makes to the two readings the check judges (`camera_quality_study.readings_of`).
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from posecheck.labels import ClipLabels, labels_beside
from tools.camera_quality_study import Run, run_clip
from tools.study_output import cell


@dataclass(frozen=True)
class Wording:
    """How a study names its twins and the thing it adds: `plain` and `dressed` name the twin and
    the clip ("on the stool", "on the chair"), `thing` what was added ("the chair back"), and
    `setting` the column that says how it was added to each clip; `mistakes` names the mistake clips."""

    plain: str
    dressed: str
    thing: str
    setting: str
    mistakes: str = "Mistakes"


@dataclass(frozen=True)
class Pair:
    """One clip (`dressed`) and its twin, with the cell that says how the scene was changed."""

    name: str
    setting: str
    dressed: Run
    twin: Run


def judge(video: Path, catalogue: dict, labels: ClipLabels | None = None) -> Run:
    """One clip run through MediaPipe and the checker from its video, as rendered, and scored as
    regress scores it (camera_quality_study.run_clip)."""
    run = run_clip(video, "as rendered", catalogue, labels=labels)
    assert run is not None, f"{video.name} is not of a lumbar stretch"
    return run


def differences(before: Run, after: Run) -> tuple[list[float], list[float]]:
    """For each of the two readings: (after - before) on every frame both runs judged with a value
    of it, in time order."""
    both = sorted(set(before.readings) & set(after.readings))
    out = []
    for k in range(2):
        out.append([after.readings[t][k] - before.readings[t][k] for t in both
                    if math.isfinite(before.readings[t][k]) and math.isfinite(after.readings[t][k])])
    return out[0], out[1]


def change(dressed: Run, twin: Run) -> tuple[float, ...]:
    """The median of (dressed - twin) of each reading over the frames both judged with a value."""
    return tuple(float(np.median(d)) if d else math.nan for d in differences(twin, dressed))


def pair_row(pair: Pair) -> str:
    d = change(pair.dressed, pair.twin)
    flag = {True: "flagged", False: "silent"}
    twin, dressed = pair.twin, pair.dressed
    return (f"| {pair.name} | {pair.setting} | {flag[twin.flagged]} / {flag[dressed.flagged]} | "
            f"{twin.false_alarm_s:.1f} / {dressed.false_alarm_s:.1f} | "
            f"{cell(twin.onset_s, '+.2f')} / {cell(dressed.onset_s, '+.2f')} | "
            f"{cell(twin.neutral_s, '.1f')} / {cell(dressed.neutral_s, '.1f')} | "
            f"{cell(d[0], '+.2f')} | {cell(d[1], '+.2f')} |")


def header(words: Wording, readings: tuple[str, str], setting_align: str) -> list[str]:
    """The pair table's header; `setting_align`: the setting column's markdown alignment."""
    plain, dressed = words.plain.split()[-1], words.dressed.split()[-1]
    return [f"| clip | {words.setting} | {plain} / {dressed} | false alarm s "
            f"| onset after 15 deg (s) | neutral learned at (s) | {readings[0]} change (deg) "
            f"| {readings[1]} change (deg) |",
            f"|---|{setting_align}|---|---|---|---|---:|---:|"]


def summary(pairs: list[Pair], correct: bool, words: Wording, readings: tuple[str, str]) -> list[str]:
    """Counts over the correct holds (flagged: false alarms) or the mistakes (flagged: caught)."""
    n = len(pairs)
    twins, dressed = sum(p.twin.flagged for p in pairs), sum(p.dressed.flagged for p in pairs)
    changes = [change(p.dressed, p.twin) for p in pairs]
    med = [statistics.median([c[k] for c in changes if math.isfinite(c[k])] or [math.nan]) for k in range(2)]
    worst = [max((c[k] for c in changes if math.isfinite(c[k])), key=abs, default=math.nan) for k in range(2)]
    what = "flagged (false alarms)" if correct else "caught"
    return [f"- {what}: {twins} of {n} {words.plain}, {dressed} of {n} {words.dressed};",
            f"- median change {words.thing} makes: "
            f"{readings[0]} {med[0]:+.2f} deg (largest {worst[0]:+.2f}), "
            f"{readings[1]} {med[1]:+.2f} deg (largest {worst[1]:+.2f})."]


def twins_of(videos_dir: Path, twin_dirs: list[Path]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """Each video of `videos_dir` with its twin of the same name in `twin_dirs` (sorted by name),
    and the names of those that have none."""
    twins = {v.name: v for d in twin_dirs for v in d.glob("*.mp4")}
    videos = sorted(videos_dir.glob("*.mp4"))
    return ([(v, twins[v.name]) for v in videos if v.name in twins],
            [v.name for v in videos if v.name not in twins])


def parse_args(doc: str | None, dressed: str,
               argv: list[str] | None) -> tuple[argparse.Namespace, list[tuple[Path, Path]]]:
    """A twin study's command line: the folder of the set named `dressed` (the attribute of that
    name), the --twins folders and --out; with each clip of that folder and its twin. An argument
    error when a clip has no twin."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument(dressed, type=Path, help=f"the {dressed} set's folder")
    ap.add_argument("--twins", nargs="+", type=Path, required=True, help="folders holding each clip's twin")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    videos, missing = twins_of(getattr(args, dressed), args.twins)
    if missing:
        ap.error(f"no twin for {', '.join(missing)} in {', '.join(map(str, args.twins))}")
    return args, videos


def judge_pairs(videos: list[tuple[Path, Path]], catalogue: dict,
                setting_of: Callable[[ClipLabels], str]) -> list[Pair]:
    """Each (clip, twin) of `videos` judged; `setting_of` writes a clip's setting cell from its labels."""
    pairs = []
    for video, twin in tqdm(videos, desc="clip pairs", unit="pair"):
        labels = labels_beside(video)
        pairs.append(Pair(video.name.removesuffix(".mp4"), setting_of(labels),
                          judge(video, catalogue, labels), judge(twin, catalogue)))
    return pairs


def tables(pairs: list[Pair], words: Wording, readings: tuple[str, str], setting_align: str,
           level: str = "##") -> list[str]:
    """The correct holds' and the mistakes' summaries and pair tables, under `level` headings."""
    lines: list[str] = []
    mistakes = f"{words.mistakes} (must be flagged)"
    for title, correct in (("Correct holds (must stay silent)", True), (mistakes, False)):
        chosen = [p for p in pairs if ("__correct" in p.name) == correct]
        if not chosen:
            continue
        lines += [f"{level} {title}", "", *summary(chosen, correct, words, readings), "",
                  *header(words, readings, setting_align), *(pair_row(p) for p in chosen), ""]
    return lines
