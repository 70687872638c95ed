"""Does a chair back behind a seated person change how the glute stretch's lumbar check reads?

python tools/backrest_study.py CHAIR_DIR --twins DIR ... [--out FILE]

The seated figure-4 is rendered on a stool; at home most people will sit on a chair with a back.
The back's outline is the edge of the person mask, and a thing that touches the back can reshape
that edge (docs/spine.md: a hand on the low back, a shirt bridging the hollow). CHAIR_DIR holds the
`backrest` set (tools/synth/matrix.py, with_backrest): seated glute clips each rendered exactly as
its twin of the same name in a --twins folder (the restless set's correct holds, the sessions
set's forward bends), but with a chair back 0 to 4 cm behind the back of the pelvis, 45 cm high.

Each clip and its twin are run through MediaPipe and the checker from their videos and scored as
`posecheck regress` scores a clip (posecheck/regress.py run_clip). The tables give, for each pair:
whether the forward-bend check flagged it (a correct hold must stay silent, a bend must be
flagged), the false-alarm seconds, the onset after the labelled angle passed 15 deg, when the
person's own neutral was learned, and the median change the chair back makes to the two readings
the check judges (back_curve for the fixed level, sacrum_back_bend against the neutral) over the
frames both runs judged in position.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.labels import ClipLabels, labels_beside  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.camera_quality_study import Run, run_clip  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402

# the two readings the glute stretch's lumbar check judges, as camera_quality_study.run_clip keeps
# them (readings_of: its fixed level's feature, then its own neutral's; a test keeps them equal)
READINGS = ("back_curve", "sacrum_back_bend")


def backrest_gap_m(labels: ClipLabels) -> float:
    """How far behind the pelvis the clip's chair back stands (m), from the generator's labels."""
    return float(labels.raw["generator"]["params"]["spec"]["backrest_gap_m"])


def judge(video: Path, catalogue: dict, labels: ClipLabels | None = None) -> Run:
    """One clip run through MediaPipe and the checker from its video, as rendered, and scored as
    regress scores it (camera_quality_study.run_clip)."""
    run = run_clip(video, "as rendered", catalogue, labels=labels)
    assert run is not None and run.stretch == "glute_stretch", video.name
    return run


def change(chair: Run, twin: Run) -> tuple[float, ...]:
    """The median of (chair - twin) of each reading over the frames both judged with a value."""
    both = sorted(set(chair.readings) & set(twin.readings))
    out = []
    for k in range(len(READINGS)):
        d = [chair.readings[t][k] - twin.readings[t][k] for t in both
             if math.isfinite(chair.readings[t][k]) and math.isfinite(twin.readings[t][k])]
        out.append(float(np.median(d)) if d else math.nan)
    return tuple(out)


def pair_row(name: str, gap_m: float, chair: Run, twin: Run) -> str:
    d = change(chair, twin)
    flag = {True: "flagged", False: "silent"}
    return (f"| {name} | {100 * gap_m:.1f} | {flag[twin.flagged]} / {flag[chair.flagged]} | "
            f"{twin.false_alarm_s:.1f} / {chair.false_alarm_s:.1f} | "
            f"{cell(twin.onset_s, '+.2f')} / {cell(chair.onset_s, '+.2f')} | "
            f"{cell(twin.neutral_s, '.1f')} / {cell(chair.neutral_s, '.1f')} | "
            f"{cell(d[0], '+.2f')} | {cell(d[1], '+.2f')} |")


HEADER = ["| clip | chair back behind the pelvis (cm) | stool / chair | false alarm s "
          "| onset after 15 deg (s) | neutral learned at (s) | back_curve change (deg) "
          "| sacrum_back_bend change (deg) |",
          "|---|---:|---|---|---|---|---:|---:|"]


def summary(pairs: list[tuple[str, float, Run, Run]], correct: bool) -> list[str]:
    """Counts over the correct holds (flagged: false alarms) or the bends (flagged: caught)."""
    n = len(pairs)
    twins, chairs = sum(p[3].flagged for p in pairs), sum(p[2].flagged for p in pairs)
    changes = [change(p[2], p[3]) for p in pairs]
    med = [statistics.median([c[k] for c in changes if math.isfinite(c[k])] or [math.nan])
           for k in range(len(READINGS))]
    worst = [max((c[k] for c in changes if math.isfinite(c[k])), key=abs, default=math.nan)
             for k in range(len(READINGS))]
    what = "flagged (false alarms)" if correct else "caught"
    return [f"- {what}: {twins} of {n} on the stool, {chairs} of {n} on the chair;",
            f"- median change the chair back makes: back_curve {med[0]:+.2f} deg (largest {worst[0]:+.2f}), "
            f"sacrum_back_bend {med[1]:+.2f} deg (largest {worst[1]:+.2f})."]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("chairs", type=Path, help="the backrest set's folder")
    ap.add_argument("--twins", nargs="+", type=Path, required=True, help="folders holding each clip's twin")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    quiet_native_logs()
    catalogue = load_catalogue()
    twins = {v.name: v for d in args.twins for v in d.glob("*.mp4")}
    videos = sorted(args.chairs.glob("*.mp4"))
    missing = [v.name for v in videos if v.name not in twins]
    if missing:
        ap.error(f"no twin for {', '.join(missing)} in {', '.join(map(str, args.twins))}")
    pairs = []
    for video in tqdm(videos, desc="clip pairs", unit="pair"):
        chair = labels_beside(video)
        pairs.append((video.name.removesuffix(".mp4"), backrest_gap_m(chair), judge(video, catalogue, chair),
                      judge(twins[video.name], catalogue)))
    command = (f"python tools/backrest_study.py {args.chairs} --twins "
               + " ".join(map(str, args.twins)))
    lines = heading("A chair back behind the seated glute stretch", command, args.out)
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), ""]
    for title, correct in (("Correct holds (must stay silent)", True),
                           ("Forward bends (must be flagged)", False)):
        chosen = [p for p in pairs if ("__correct" in p[0]) == correct]
        if not chosen:
            continue
        lines += [f"## {title}", "", *summary(chosen, correct), "", *HEADER,
                  *(pair_row(*p) for p in chosen), ""]
    lines += ["Each pair's cells read stool / chair: the twin without the chair back, then the clip with it."]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
