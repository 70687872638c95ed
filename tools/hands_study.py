"""Hands on the hips or on the lower back: what they do to the lumbar checks, with and without the arm guard.

    python tools/hands_study.py build/hands-hips build/hands-back --twins build/restless
        [--blind build/hands-b] [--also samples/sessions build/sessions-b samples/starter]
        [--out docs/measurements/hands.md]

Every rendered stretch puts the hands where its instructions do (on the front thigh, towards the
shin, on the crossed knee), away from the back. People often rest them on their hips instead, or
hold the lower back, and an arm or a hand behind the trunk can become the edge the back's outline
is traced on. The `hands-hips` and `hands-back` sets (tools/synth/matrix.py, with_hands) are every
other restless correct hold, each exactly as its twin of the same name in `--twins` but with the
hands elsewhere (tools/synth/poses.py, HANDS).

Each clip and its twin are replayed from their landmark recordings and scored as `posecheck
regress` scores them, twice: without the arm guard (the back's outline is read whatever the arms
do) and as shipped (`skeleton.ARM_BEHIND_BACK`: with an elbow, wrist or hand that far behind the
hip-shoulder chord, level with the trunk, the outline is not read and the person is asked to move
their hands). Per set and stretch: flat holds flagged, and the share of the frames in position on
which the lumbar check could judge. A table gives how deep the arms lie behind the chord in each
folder, which the guard's level was set from. `--also` folders (clips with the hands where the
stretch puts them, mistakes among them) are scored the same two ways, for what the guard costs where
there is no hand on the back. `--blind` folders (the `hands-b` set: other bodies, the hands at the
waist with the elbows out, or one hand alone on the lower back) were rendered after the level was
set, and are scored the same two ways without twins. Rows name where the hands are.

The sets are rendered and extracted as tools/synth/README.md says (about 20 minutes on two cores).
"""

from __future__ import annotations

import argparse
import math
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from posecheck.checker.events import Verdict
from posecheck.features import skeleton
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.frames import PoseFrame
from posecheck.labels import ClipLabels, load_labels
from posecheck.landmarks import INDEX
from posecheck.poses import load_catalogue
from posecheck.regress import run_clip
from tools.restless_study import studied_labels
from tools.spine_study import STUDIED
from tools.study_output import emit, heading

# tools/synth/poses.py HANDS, in words: the `hands` setting a clip's labels give (for the settings
# that move one hand, hands_of says which, near the camera or far from it)
HANDS_WORDS = {1.0: "on the hips", 2.0: "on the lower back", 3.0: "at the waist, elbows out",
               4.0: "one hand on the lower back", 5.0: "one hand on the lower back"}
ONE_HAND_SIDE = {4.0: "right", 5.0: "left"}  # poses.ONE_HAND, for a body working its left side
SHIPPED_LEVEL = skeleton.ARM_BEHIND_BACK
GUARDS = {"without the guard": math.inf, "as shipped": SHIPPED_LEVEL}


@dataclass(frozen=True)
class Run:
    """One clip's lumbar check, with or without the arm guard."""

    folder: str
    pose: str
    clip: str
    guard: str
    expected: str
    flagged: bool
    false_alarm_s: float
    judged: int  # frames in position on which the lumbar check had a reading
    in_position: int
    arm_hint: int  # frames in position on which the check was unseen because of an arm
    depths: tuple[float, ...] = ()  # per frame in position: the deepest arm point behind the chord
    far_arm_lost: int = 0  # frames in position whose far arm's elbow and wrist are both under MIN_VISIBILITY


def hands_of(labels: ClipLabels) -> str | None:
    """Where the clip's generator put the hands, in words (None: where the stretch puts them)."""
    spec = labels.raw.get("generator", {}).get("params", {}).get("spec", {})
    hands = spec.get("overrides", {}).get("hands")
    if not hands:
        return None
    words = HANDS_WORDS[float(hands)]
    if float(hands) in ONE_HAND_SIDE:  # the pose is mirrored for a body working its right side
        moved = ONE_HAND_SIDE[float(hands)]
        if labels.side == "right":
            moved = "left" if moved == "right" else "right"
        words += ", the near one" if moved == labels.camera_side else ", the far one"
    return words


def _run(job: tuple[str, ClipLabels, str]) -> Run:
    folder, labels, guard = job
    if (hands := hands_of(labels)) is not None:
        folder = f"{folder}: {hands}"
    skeleton.ARM_BEHIND_BACK = GUARDS[guard]  # this worker's setting for this clip
    pose = load_catalogue()[labels.pose]
    check_id = STUDIED[labels.pose][0]
    counts = [0, 0, 0]

    depths: list[float] = []
    lost = [0]

    def watch(frame: PoseFrame, verdict: Verdict) -> None:
        if not verdict.in_position:
            return
        depths.append(arm_depth(frame, verdict.camera_side))
        lost[0] += far_arm_lost(frame, verdict.camera_side)
        counts[1] += 1
        (status,) = [c for c in verdict.checks if c.id == check_id]
        if status.state in ("ok", "pending", "mistake"):
            counts[0] += 1
        elif status.state == "unseen" and "arm_on_back" in verdict.unseen_regions:
            counts[2] += 1

    try:
        outcome = run_clip(labels, pose, watch=watch)
    finally:
        skeleton.ARM_BEHIND_BACK = SHIPPED_LEVEL
    c = next(c for c in outcome.checks if c.check == check_id)
    return Run(folder, labels.pose, c.clip, guard, c.expected, c.flagged, c.false_alarm_s, *counts,
               depths=tuple(d for d in depths if math.isfinite(d)), far_arm_lost=lost[0])


def far_arm_lost(frame: PoseFrame, camera_side: str | None) -> bool:
    """Whether MediaPipe scores both the elbow and the wrist of the arm away from the camera under
    the visibility a landmark needs to be trusted (skeleton.MIN_VISIBILITY)."""
    if frame.landmarks is None or camera_side not in ("left", "right"):
        return False
    far = "left" if camera_side == "right" else "right"
    vis = frame.landmarks.visibility
    return bool(max(vis[INDEX[f"{far}_elbow"]], vis[INDEX[f"{far}_wrist"]]) < skeleton.MIN_VISIBILITY)


def arm_depth(frame: PoseFrame, camera_side: str | None) -> float:
    """The frame's deepest arm point behind the hip-shoulder chord (Skeleton.arm_depth), with the
    side facing the camera the checker decided; NaN where it cannot be measured."""
    if frame.landmarks is None or camera_side not in ("left", "right"):
        return math.nan
    try:
        return Skeleton(frame.landmarks, frame.width, frame.height, camera_side).arm_depth  # type: ignore[arg-type]
    except Unseen:
        return math.nan


def depth_table(runs: list[Run]) -> str:
    """Per folder: how far behind the hip-shoulder chord the deepest elbow, wrist or hand lies."""
    rows = ["| folder | frames in position | deepest arm point behind the chord: least / 1st pct / median / "
            "99th pct / most (torso lengths) | far arm lost |", "|---|---|---|---|"]
    for folder in dict.fromkeys(r.folder for r in runs):
        d = np.array([x for r in runs if r.folder == folder and r.guard == "as shipped" for x in r.depths])
        if not len(d):
            continue
        cells = " / ".join(f"{v:+.3f}" for v in (d.min(), *np.percentile(d, [1, 50, 99]), d.max()))
        mine = [r for r in runs if r.folder == folder and r.guard == "as shipped"]
        lost = _share(sum(r.far_arm_lost for r in mine), sum(r.in_position for r in mine))
        rows.append(f"| {folder} | {len(d)} | {cells} | {lost} |")
    return "\n".join(rows)


def clips_in(root: Path) -> list[ClipLabels]:
    """The side-view lumbar stretch clips under `root` with a landmark recording, whatever their
    labels' format (the starter clips' included)."""
    out = []
    for path in sorted(root.glob("*.labels.json")):
        if not path.with_name(path.name.replace(".labels.json", ".landmarks.npz")).exists():
            continue
        labels = load_labels(path)
        if (labels.pose in STUDIED and labels.view_kind in (None, "side")
                and (labels.pose != "glute_stretch" or "seated" in path.name)):
            out.append(labels)
    return out


def table(runs: list[Run]) -> str:
    head = ["folder", "stretch", "guard", "flat holds flagged", "mistakes caught",
            "frames in position judged", "frames told to move the hands"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for folder in dict.fromkeys(r.folder for r in runs):
        for pose in sorted({r.pose for r in runs if r.folder == folder}):
            for guard in GUARDS:
                mine = [r for r in runs if r.folder == folder and r.pose == pose and r.guard == guard]
                flat = [r for r in mine if r.expected == "silent"]
                must = [r for r in mine if r.expected == "flag"]
                frames = sum(r.in_position for r in mine)
                rows.append(f"| {folder} | {pose} | {guard} | "
                            f"{_count(flat)} | {sum(r.flagged for r in must)} of {len(must)} | "
                            f"{_share(sum(r.judged for r in mine), frames)} | "
                            f"{_share(sum(r.arm_hint for r in mine), frames)} |")
    return "\n".join(rows)


def _count(flat: list[Run]) -> str:
    return f"{sum(r.flagged for r in flat)} of {len(flat)} ({sum(r.false_alarm_s for r in flat):.1f} s)"


def _share(n: int, of: int) -> str:
    return f"{100 * n / of:.0f}% ({n} of {of})" if of else "-"


def flagged_table(runs: list[Run]) -> str:
    """Every flat hold flagged with either setting."""
    names = sorted({(r.folder, r.clip) for r in runs if r.expected == "silent" and r.flagged})
    rows = ["| folder | clip | flagged s: without the guard / as shipped |", "|---|---|---|"]
    for folder, clip in names:
        by = {r.guard: r for r in runs if r.folder == folder and r.clip == clip}
        rows.append(f"| {folder} | {clip} | " + " / ".join(
            f"{by[g].false_alarm_s:.1f}" if by[g].flagged else "silent" for g in GUARDS) + " |")
    return "\n".join(rows) if len(rows) > 2 else "None."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+", help="the hands sets' folders (build/hands-hips ...)")
    parser.add_argument("--twins", type=Path, nargs="+", required=True, help="their twins (build/restless)")
    parser.add_argument("--blind", type=Path, nargs="*", default=[],
                        help="hands sets rendered after the level was set, without twins (build/hands-b)")
    parser.add_argument("--also", type=Path, nargs="*", default=[],
                        help="folders with the hands where the stretch puts them (samples/sessions)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    todo: list[tuple[str, ClipLabels, str]] = []
    names: set[str] = set()
    for root in args.sets:
        labels = studied_labels(root)
        if not labels:
            print(f"{root}: no clips with a landmark recording (render and extract them first: "
                  "tools/synth/README.md)", file=sys.stderr)
            return 2
        names |= {lab.path.name for lab in labels}
        todo += [(root.name, lab, g) for lab in labels for g in GUARDS]
    twins = [lab for root in args.twins for lab in studied_labels(root) if lab.path.name in names]
    if len(twins) != len(names):
        print(f"{len(names) - len(twins)} clips have no twin with a landmark recording in "
              f"{', '.join(map(str, args.twins))}", file=sys.stderr)
        return 2
    todo += [("twins", lab, g) for lab in twins for g in GUARDS]
    for root in args.blind:
        todo += [(f"{root.name} (blind)", lab, g) for lab in studied_labels(root) for g in GUARDS]
    for root in args.also:
        todo += [(root.name, lab, g) for lab in clips_in(root) for g in GUARDS]
    print(f"{len(todo)} runs", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        runs = list(pool.map(_run, todo, chunksize=4))
    command = " ".join(["python tools/hands_study.py", *map(str, args.sets), "--twins", *map(str, args.twins),
                        *(["--blind", *map(str, args.blind)] if args.blind else []),
                        *(["--also", *map(str, args.also)] if args.also else [])])
    lines = heading("Hands on the hips or on the lower back", command, args.out)
    lines += [INTRO, "", table(runs), "", "## How deep the arms lie", "", DEPTHS, "", depth_table(runs), "",
              "## Flat holds flagged", "", flagged_table(runs), ""]
    return emit(lines, args.out)


INTRO = (f"Each clip replayed from its landmark recording and scored as `posecheck regress` scores it, "
         f"without the arm guard and as shipped (ARM_BEHIND_BACK {SHIPPED_LEVEL:g} torso lengths). "
         "Flat holds: clips whose lumbar angle never passes 8 deg; mistakes: clips that reach 15 deg or "
         "more. "
         "Judged: frames in position on which the lumbar check had a reading (not unseen); told to move "
         "the hands: frames on which it was unseen because an arm lay along the back's edge. `twins` are "
         "the same clips with the hands where the stretch puts them.")


DEPTHS = ("Per frame in position, the elbow, wrist or hand (index and little finger landmarks), of either "
          "arm, that lies furthest behind the hip-shoulder chord while level with the trunk, in torso "
          "lengths (negative: in front of it): what `ARM_BEHIND_BACK` is set from. The back's outline runs "
          "about 0.2 to 0.3 behind the chord. Far arm lost: frames on which MediaPipe scores both the "
          "elbow and the wrist of the arm away from the camera under the visibility a landmark needs to "
          "be trusted, so the guard cannot place that arm.")


if __name__ == "__main__":
    raise SystemExit(main())
