"""How long must the back stay past its level before the lumbar checks tell? Their `min_duration_s`,
shipped beside shorter and longer ones.

    python tools/min_duration_study.py --flat build/restless build/room build/backrest
        --start-neutral samples/sessions build/sessions-b --start-bent samples/synth samples/heldout
        [--blind build/camera/dim ... build/sessions-c build/bodies-c] [--out FILE]

A flag needs the reading past its level (fixed or own-neutral) for the check's `min_duration_s`
(the pose file says how long). A longer wait lets a short swing of the mask's edge
pass unsaid (a breath, a chair back, a sofa behind the back), and tells a real rounding later. This
replays every studied clip (side-view hamstring, hip flexor and seated glute clips with a landmark
recording) through `posecheck regress`'s scoring with each wait, and prints per stretch and wait:

- flat holds flagged: clips whose lumbar angle never passes 8 deg on which the lumbar check flags,
  per folder (`--flat`: correct holds that keep moving, in a room, on a chair), and the flagged
  seconds;
- mistakes of 15 deg or more caught, on clips that start with a neutral back (`--start-neutral`,
  where the own neutral can be learned) and on clips that start in the mistake (`--start-bent`, where
  only the fixed level can judge), and the onset after the 15 deg point (median and latest) on the
  first group;
- the same for `--blind` folders, in a table of their own: sets looked at only after the wait was
  chosen (the poor-camera runs kept by `tools/camera_quality_study.py --keep build/camera`, sets
  rendered afterwards);
- the wait a written rule picks per stretch on the choosing sets (`chosen_wait`).

The build/ sets are rendered and extracted as tools/synth/README.md says (about an hour on two
cores for restless, room, backrest and sessions-b; the camera runs another 30 minutes); the study
itself replays landmark recordings and takes about two minutes.

Nothing in poses/ is changed: each wait is set on a copy of the loaded pose.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.events import Verdict
from posecheck.frames import PoseFrame
from posecheck.labels import ClipLabels
from posecheck.poses import load_catalogue
from posecheck.poses.schema import Check, PoseDefinition
from posecheck.regress import run_clip
from tools.restless_study import studied_labels
from tools.spine_study import STUDIED
from tools.study_output import cell, emit, heading

WAITS_S = (0.3, 0.5, 0.8, 1.0, 1.5, 2.0)
# the rule a lumbar check's wait is chosen by (`chosen_wait`): lengthened from the house's default
# only to remove false alarms, and only as far as a clear mistake is still told within this long
# (the median over the mistakes that start neutral, after their labelled angle passes 15 deg)
HOUSE_WAIT_S = Check.model_fields["min_duration_s"].default
ONSET_BOUND_S = 1.0


@dataclass(frozen=True)
class Scored:
    """One clip's lumbar check, judged with one wait."""

    pose: str
    wait_s: float
    group: str  # "flat", "neutral", "bent" or "blind": the option its folder was given with
    folder: str
    clip: str
    expected: str
    flagged: bool
    false_alarm_s: float
    onset_s: float | None
    # when the clip ended the reading was past its level and the wait was still running
    pending_at_end: bool = False


def waiting(pose: PoseDefinition, seconds: float) -> PoseDefinition:
    """The pose with its lumbar check's `min_duration_s` set to `seconds`."""
    check_id = STUDIED[pose.id][0]
    checks = [c.model_copy(update={"min_duration_s": seconds}) if c.id == check_id else c
              for c in pose.checks]
    return pose.model_copy(update={"checks": checks})


def _score(job: tuple[str, str, ClipLabels, float]) -> Scored:
    group, folder, labels, wait = job
    pose = waiting(_catalogue()[labels.pose], wait)
    check_id = STUDIED[labels.pose][0]
    last: list[str] = []  # the lumbar check's state in the last frame judged

    def watch(_frame: PoseFrame, verdict: Verdict) -> None:
        last[:] = [c.state for c in verdict.checks if c.id == check_id]

    outcome = run_clip(labels, pose, watch=watch)
    c = next(c for c in outcome.checks if c.check == check_id)
    return Scored(labels.pose, wait, group, folder, c.clip, c.expected, c.flagged, c.false_alarm_s,
                  c.onset_error_s, last == ["pending"])


_CATALOGUE: dict[str, PoseDefinition] = {}


def _catalogue() -> dict[str, PoseDefinition]:
    """The shipped pose files, loaded once per worker process."""
    if not _CATALOGUE:
        _CATALOGUE.update(load_catalogue())
    return _CATALOGUE


def shipped_wait(pose: str) -> float:
    """The wait `pose`'s lumbar check has in its pose file."""
    return _catalogue()[pose].check(STUDIED[pose][0]).min_duration_s


def jobs(groups: dict[str, list[Path]], waits: Iterable[float]) -> list[tuple[str, str, ClipLabels, float]]:
    out = []
    for group, roots in groups.items():
        for root in roots:
            labels = studied_labels(root)
            if not labels:
                raise SystemExit(f"{root}: no studied clip with a landmark recording (extract them first: "
                                 "posecheck extract VIDEO -o CLIP.landmarks.npz)")
            out += [(group, root.name, lab, w) for lab in labels for w in waits]
    return out


def _flagged(rows: list[Scored]) -> str:
    silent = [r for r in rows if r.expected == "silent"]
    if not silent:
        return "-"
    flagged = [r for r in silent if r.flagged]
    return f"{len(flagged)} of {len(silent)} ({sum(r.false_alarm_s for r in silent):.1f} s)"


def _caught(rows: list[Scored]) -> str:
    must = [r for r in rows if r.expected == "flag"]
    return f"{sum(r.flagged for r in must)} of {len(must)}" if must else "-"


def _onset(rows: list[Scored]) -> str:
    xs = [r.onset_s for r in rows if r.expected == "flag" and r.onset_s is not None]
    if not xs:
        return "-"
    return f"{cell(_median_onset(rows), '+.2f')} / {cell(max(xs), '+.2f')}"


def table(scored: list[Scored], flat_folders: list[str], neutral_groups: tuple[str, ...],
          bent: bool = True) -> str:
    """Per stretch and wait: flat holds flagged in each of `flat_folders`, mistakes caught on the
    clips of `neutral_groups` (and, with `bent`, on those that start in the mistake), and onset."""
    head = ["stretch", "wait (s)", *(f"flat holds flagged: {f}" for f in flat_folders),
            "mistakes caught, start neutral", *(["mistakes caught, start in the mistake"] if bent else []),
            "onset after 15 deg, start neutral: median / latest (s)"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for pose in sorted({r.pose for r in scored}):
        for wait in sorted({r.wait_s for r in scored}):
            mine = [r for r in scored if r.pose == pose and r.wait_s == wait]
            flat = [_flagged([r for r in mine if r.folder == f and r.group in neutral_groups])
                    for f in flat_folders]
            neutral = [r for r in mine if r.group in neutral_groups]
            mark = " (shipped)" if wait == shipped_wait(pose) else ""
            cells = [pose, f"{wait:g}{mark}", *flat, _caught(neutral)]
            if bent:
                cells.append(_caught([r for r in mine if r.group == "bent"]))
            rows.append("| " + " | ".join([*cells, _onset(neutral)]) + " |")
    return "\n".join(rows)


def _median_onset(rows: list[Scored]) -> float | None:
    xs = [r.onset_s for r in rows if r.expected == "flag" and r.onset_s is not None]
    return float(np.median(xs)) if xs else None


def chosen_wait(scored: list[Scored], pose: str, groups: tuple[str, ...] = ("flat", "neutral")) -> float:
    """The wait the rule picks for `pose` from the clips of `groups`: of the waits from HOUSE_WAIT_S
    up whose median onset on the mistakes is within ONSET_BOUND_S, the one that flags the fewest flat
    holds (then the fewest seconds); on a tie the shortest, since a longer wait only tells later."""
    mine = [r for r in scored if r.pose == pose and r.group in groups]
    candidates = []
    for wait in sorted({r.wait_s for r in mine if r.wait_s >= HOUSE_WAIT_S - 1e-9}):
        rows = [r for r in mine if r.wait_s == wait]
        onset = _median_onset(rows)
        if onset is None or onset > ONSET_BOUND_S:
            continue
        silent = [r for r in rows if r.expected == "silent"]
        candidates.append((sum(r.flagged for r in silent), sum(r.false_alarm_s for r in silent), wait))
    if not candidates:
        raise ValueError(f"{pose}: no wait tells the mistakes within {ONSET_BOUND_S:g} s")
    return min(candidates)[2]


def choice_table(scored: list[Scored]) -> str:
    """Per stretch: the wait shipped and the one the rule picks on the choosing sets."""
    rows = ["| stretch | wait shipped (s) | wait the rule picks (s) | flat holds flagged there | "
            "median onset there (s) |", "|---|---|---|---|---|"]
    for pose in sorted({r.pose for r in scored}):
        wait = chosen_wait(scored, pose)
        there = [r for r in scored if r.pose == pose and r.wait_s == wait and r.group in ("flat", "neutral")]
        rows.append(f"| {pose} | {shipped_wait(pose):g} | {wait:g} | {_flagged(there)} | "
                    f"{cell(_median_onset(there), '+.2f')} |")
    return "\n".join(rows)


def flagged_table(scored: list[Scored]) -> str:
    """Every flat hold flagged with any wait, and how long at each wait that flags it."""
    flat = [r for r in scored if r.group != "bent" and r.expected == "silent" and r.flagged]
    by_clip: dict[tuple[str, str, str], list[Scored]] = {}
    for r in flat:
        by_clip.setdefault((r.pose, r.folder, r.clip), []).append(r)
    rows = ["| stretch | folder | clip | flagged at waits (s): seconds flagged |", "|---|---|---|---|"]
    for (pose, folder, clip), rs in sorted(by_clip.items()):
        waits = ", ".join(f"{r.wait_s:g}: {r.false_alarm_s:.1f}" for r in sorted(rs, key=lambda r: r.wait_s))
        rows.append(f"| {pose} | {folder} | {clip} | {waits} |")
    return "\n".join(rows) if len(rows) > 2 else "None."


def missed_table(scored: list[Scored]) -> str:
    """Every mistake some wait misses, and the waits that catch it: what a longer wait costs."""
    must = [r for r in scored if r.expected == "flag"]
    by_clip: dict[tuple[str, str, str, str], list[Scored]] = {}
    for r in must:
        by_clip.setdefault((r.pose, r.group, r.folder, r.clip), []).append(r)
    rows = ["| stretch | start | folder | clip | caught at waits (s) | missed at waits (s) |",
            "|---|---|---|---|---|---|"]
    for (pose, group, folder, clip), rs in sorted(by_clip.items()):
        rs = sorted(rs, key=lambda r: r.wait_s)
        missed = [r for r in rs if not r.flagged]
        if not missed or len(missed) == len(rs):
            continue  # caught with every wait, or with none: the wait does not decide it
        caught = ", ".join(f"{r.wait_s:g}" for r in rs if r.flagged)
        missed_at = ", ".join(f"{r.wait_s:g}{' (still waiting at the end)' if r.pending_at_end else ''}"
                              for r in missed)
        rows.append(f"| {pose} | {GROUP_NAMES[group]} | {folder} | {clip} | {caught} | {missed_at} |")
    return "\n".join(rows) if len(rows) > 2 else "None."


GROUP_NAMES = {"flat": "neutral", "neutral": "neutral", "bent": "in the mistake", "blind": "blind"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flat", type=Path, nargs="+", required=True,
                        help="folders of correct holds, and maybe mistakes that start neutral (build/room)")
    parser.add_argument("--start-neutral", type=Path, nargs="+", required=True,
                        help="folders of clips that start with a neutral back (samples/sessions)")
    parser.add_argument("--start-bent", type=Path, nargs="*", default=[],
                        help="folders of clips that start in the mistake (samples/synth)")
    parser.add_argument("--blind", type=Path, nargs="*", default=[],
                        help="folders looked at only after the wait was chosen (build/camera/dim)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    command = " ".join(["python tools/min_duration_study.py --flat", *map(str, args.flat),
                        "--start-neutral", *map(str, args.start_neutral),
                        *(["--start-bent", *map(str, args.start_bent)] if args.start_bent else []),
                        *(["--blind", *map(str, args.blind)] if args.blind else [])])
    todo = jobs({"flat": args.flat, "neutral": args.start_neutral, "bent": args.start_bent,
                 "blind": args.blind}, WAITS_S)
    print(f"{len(todo)} runs ({len(todo) // len(WAITS_S)} clips x {len(WAITS_S)} waits)", file=sys.stderr)
    scored: list[Scored] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for n, s in enumerate(pool.map(_score, todo, chunksize=4), start=1):
            scored.append(s)
            if n % 100 == 0:
                print(f"  {n} of {len(todo)}", file=sys.stderr)
    lines = heading("How long the back must stay past its level", command, args.out)
    lines += [INTRO, "", "## The sets the wait is chosen on", "",
              table([r for r in scored if r.group != "blind"], [p.name for p in args.flat],
                    ("flat", "neutral"), bent=bool(args.start_bent)), "",
              "### The rule's choice", "", RULE, "", choice_table(scored), ""]
    if args.blind:
        lines += ["## The blind check", "",
                  "Folders run only after the wait was picked on the sets above. A folder of the same "
                  "clips run through the estimator another way (a poorer camera) holds both flat holds "
                  "and mistakes that start neutral; a set rendered afterwards may hold mistakes only.", "",
                  table([r for r in scored if r.group == "blind"], [p.name for p in args.blind],
                        ("blind",), bent=False), ""]
    lines += ["## Flat holds flagged", "", flagged_table(scored), "",
              "## Mistakes some waits miss", "",
              "Mistakes that one wait catches and another misses (those every wait catches, or none "
              "does, are left out). *Still waiting at the end*: when the clip ended the reading was "
              "past its level and the wait was still running, so the clip ran out before the wait "
              "did; in a longer hold the flag would have come.", "", missed_table(scored), ""]
    return emit(lines, args.out)


INTRO = ("Each lumbar check's `min_duration_s` (the wait) is set on a copy of the shipped pose, everything "
         "else as shipped, and each clip is scored as `posecheck regress` scores it, from its landmark "
         "recording. Flat holds: clips whose lumbar angle never passes 8 deg (seconds: the time flagged). "
         "Mistakes: clips that reach 15 deg or more, caught when a flag falls within 0.6 s of the "
         "mistake's frames; those in the `--flat` folders count with the start-neutral ones. Onset: the "
         "first such flag after the labelled angle passes 15 deg (negative: before it). The sessions-style "
         "clips end about 1 s after their mistake reaches 30 deg, so a wait past about 1 s misses them by "
         "the clip's end, not by the reading: the rows past 1 s say nothing about mistakes.")


RULE = (f"A lumbar check keeps the house's {HOUSE_WAIT_S:g} s wait unless a longer one flags fewer flat "
        f"holds on these sets; it then takes the wait that flags the fewest (then the fewest seconds), "
        f"the shortest on a tie, among those whose median onset on the mistakes that start neutral is "
        f"within {ONSET_BOUND_S:g} s of the 15 deg point: a clear mistake is still told within a second. "
        f"`chosen_wait` applies it. It was written down after the tables were read: the blind check "
        f"below was run after its choice on the sets above had been made, and does not enter it.")


if __name__ == "__main__":
    raise SystemExit(main())
