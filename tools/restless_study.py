"""Flat backs that are never still: do the lumbar checks stay quiet on a body that breathes, sways
and sinks deeper into the stretch?

    python tools/restless_study.py build/restless [more sets] [--sessions SETS] [--out FILE]

The restless clips (`python -m tools.synth.generate --set restless`, tools/synth/README.md) hold each
lumbar stretch in correct form for 8 s while several joint angles keep moving. This runs them through
the shipped pose files and reports:

- every false alarm: the lumbar check and the pose's other checks, on a back whose lumbar angle never
  reaches 5 deg;
- how far the reading the neutral is learned on rises past that neutral, towards the mistake;
- what moves that reading: a least-squares fit, within each clip, of the reading on every angle the
  clip moves (the lumbar angle set among them), pooled per stretch;
- with `--sessions`, what a wider own-neutral level would cost, and what a neutral that settles for
  longer or shorter would: false alarms on the restless clips against the mistakes caught on clips
  that start neutral (the sessions and drawn-bodies sets).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import math
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.labels import ClipLabels, load_labels
from posecheck.poses import load_catalogue
from posecheck.poses.schema import OwnNeutral, PoseDefinition
from posecheck.regress import run_clip
from tools.own_neutral_study import ClipTrace, towards, trace
from tools.spine_study import STUDIED, studied_clips
from tools.study_output import emit, heading

LUMBAR_PARAMS = ("lumbar_flexion_deg", "lumbar_extension_deg")
# the names the restless clips' moving angles have in the tables (tools/synth/matrix.py RESTLESS_HOLDS)
MOVED = {
    "breath_deg": "breath (upper back extension)",
    "hip_hinge_deg": "hip hinge",
    "back_hip_ext_deg": "back hip extension",
    "pelvic_tilt_deg": "pelvic tilt",
    "front_knee_flex_deg": "front knee bend",
    "front_shin_tilt_deg": "front shin tilt",
    "trunk_rotation_deg": "trunk rotation",
}


SOLVED = ("solved_pitch_deg",)  # in the labels' params, but solved for the floor contact, not set


def moved_params(tr: ClipTrace) -> list[str]:
    """The clip's angles that change over its frames (the lumbar angle first, when it moves)."""
    keys = sorted({k for p in tr.params for k in p} - set(SOLVED))
    moving = [k for k in keys if np.ptp([p.get(k, 0.0) for p in tr.params]) > 1e-6]
    return sorted(moving, key=lambda k: (k not in LUMBAR_PARAMS, k))


def rise(tr: ClipTrace) -> list[float]:
    """Per frame after the neutral is learned: the reading past the neutral, towards the mistake."""
    sign = towards(tr.pose)
    return [sign * (v - n) for v, n in zip(tr.own, tr.neutral, strict=True)
            if not (math.isnan(n) or math.isnan(v))]


def by_stretch(traces: list[ClipTrace]) -> list[tuple[str, list[ClipTrace]]]:
    """The traces grouped by stretch, in the stretches' order."""
    groups: dict[str, list[ClipTrace]] = defaultdict(list)
    for tr in traces:
        groups[tr.pose].append(tr)
    return sorted(groups.items())


def learned(tr: ClipTrace) -> tuple[float, float] | None:
    """(when, value) of the neutral the clip's check learned, or None if it learned none."""
    return next(((t, n) for t, n in zip(tr.t, tr.neutral, strict=True) if not math.isnan(n)), None)


def flagged_s(flags: list[bool], t: list[float]) -> float:
    """Seconds flagged (each flagged frame counts one frame interval)."""
    dt = (t[-1] - t[0]) / max(1, len(t) - 1) if len(t) > 1 else 0.0
    return sum(flags) * dt


def summary_table(traces: list[ClipTrace]) -> str:
    rows = ["| stretch | clips | lumbar check: clips flagged / seconds | other checks: clips flagged (which) "
            "| neutral learned: clips / median time (s) | rise past the neutral, per clip's largest: "
            "median / max (deg) |",
            "|---|---|---|---|---|---|"]
    for pose_id, trs in by_stretch(traces):
        lumbar = [tr for tr in trs if any(tr.flagged)]
        seconds = sum(flagged_s(tr.flagged, tr.t) for tr in trs)
        others: dict[str, int] = defaultdict(int)
        for tr in trs:
            for check in {c for frame in tr.others for c in frame}:
                others[check] += 1
        other_text = (f"{sum(any(tr.others) for tr in trs)} ("
                      + ", ".join(f"{c} {n}" for c, n in sorted(others.items())) + ")") if others else "0"
        when = [w[0] for w in map(learned, trs) if w is not None]
        peaks = [max(r) for r in map(rise, trs) if r]
        learned_text = f"{len(when)} / {np.median(when):.1f}" if when else "0 / -"
        peak_text = f"{np.median(peaks):.1f} / {max(peaks):.1f}" if peaks else "-"
        rows.append(f"| {pose_id} | {len(trs)} | {len(lumbar)} / {seconds:.1f} | {other_text} | "
                    f"{learned_text} | {peak_text} |")
    return "\n".join(rows)


def gains_table(traces: list[ClipTrace]) -> str:
    """Per stretch, the reading (towards the mistake) fitted on every moving angle, within clips."""
    rows = ["| stretch | angle | deg of reading per deg | its swing in a clip: median (deg) | "
            "reading moved by it: median (deg) |",
            "|---|---|---|---|---|"]
    for pose_id, trs in by_stretch(traces):
        sign = towards(pose_id)
        names = sorted({k for tr in trs for k in moved_params(tr)}, key=lambda k: (k not in LUMBAR_PARAMS, k))
        xs, ys, swings = [], [], defaultdict(list)
        for tr in trs:
            keep = [i for i, v in enumerate(tr.own) if not math.isnan(v)]
            if len(keep) < 3:
                continue
            x = np.array([[tr.params[i].get(k, 0.0) for k in names] for i in keep])
            y = sign * np.array([tr.own[i] for i in keep])
            for j, k in enumerate(names):
                swings[k].append(float(np.ptp(x[:, j])))
            xs.append(x - x.mean(0))
            ys.append(y - y.mean())
        if not xs:
            continue
        x_all, y_all = np.vstack(xs), np.concatenate(ys)
        coef, *_ = np.linalg.lstsq(x_all, y_all, rcond=None)
        resid = y_all - x_all @ coef
        r2 = 1.0 - float(resid.var() / y_all.var()) if y_all.var() > 0 else math.nan
        for j, k in enumerate(names):
            label = "lumbar angle set" if k in LUMBAR_PARAMS else MOVED.get(k, k)
            swing = float(np.median(swings[k]))
            moved = abs(coef[j]) * swing
            rows.append(f"| {pose_id} | {label} | {coef[j]:+.2f} | {swing:.1f} | {moved:.1f} |")
        rows.append(f"| {pose_id} | (what is left: sd; share of the variance fitted) | | | "
                    f"{resid.std():.1f}; R² {r2:.2f} |")
    return "\n".join(rows)


def clip_table(traces: list[ClipTrace]) -> str:
    rows = ["| clip | lumbar set: min / max (deg) | neutral (learned at, s) | largest rise past it (deg) "
            "| lumbar check flagged (s) | other checks flagged |",
            "|---|---|---|---|---|---|"]
    for tr in traces:
        when = learned(tr)
        r = rise(tr)
        others = sorted({c for frame in tr.others for c in frame})
        neutral = f"{when[1]:.1f} ({when[0]:.1f})" if when else "not learned"
        peak = f"{max(r):.1f}" if r else "-"
        rows.append(f"| {tr.clip} | {min(tr.truth):+.1f} / {max(tr.truth):+.1f} | {neutral} | {peak} | "
                    f"{flagged_s(tr.flagged, tr.t):.1f} | {', '.join(others) or '-'} |")
    return "\n".join(rows)


WIDER_BY = (0.0, 1.0, 2.0, 4.0)  # deg added to each own-neutral flag (and clear) level in the what-if
SETTLES_FOR = (0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)  # s a learned neutral keeps settling, in the what-if
# the grid of the second settling what-if: s of settling, and deg it may move the neutral from its first value
GRID_SETTLES_FOR = (2.0, 3.0, 4.0, 6.0)
GRID_SETTLES_WITHIN = (2.0, 3.0, 4.0)
# one row of a what-if: its label, the pose changed that way, and whether that is the shipped pose
Variant = tuple[str, Callable[[PoseDefinition], PoseDefinition], bool]


def _own_neutral_changed(pose: PoseDefinition, **update: float) -> PoseDefinition:
    """The pose with its lumbar check's `from_own_neutral` fields set as in `update`."""
    check_id = STUDIED[pose.id][0]
    checks = []
    for c in pose.checks:
        if c.id == check_id and c.from_own_neutral is not None:
            c = c.model_copy(update={"from_own_neutral": c.from_own_neutral.model_copy(update=update)})
        checks.append(c)
    return pose.model_copy(update={"checks": checks})


def widened(pose: PoseDefinition, by: float) -> PoseDefinition:
    """The pose with its lumbar check's own-neutral flag and clear levels moved `by` deg outwards."""
    own = pose.check(STUDIED[pose.id][0]).from_own_neutral
    if own is None or not by:
        return pose
    return _own_neutral_changed(pose, flag_past=own.flag_past + by, clear_within=own.clear_within + by)


def settling(pose: PoseDefinition, seconds: float, deg: float | None = None) -> PoseDefinition:
    """The pose with its lumbar check's neutral settling for `seconds` after it is learned, and
    with `deg` allowed to move that far from its first value (otherwise as far as the pose says)."""
    if deg is None:
        return _own_neutral_changed(pose, settles_for_s=seconds)
    return _own_neutral_changed(pose, settles_for_s=seconds, settles_within=deg)


def wider_variants(own: OwnNeutral) -> list[Variant]:
    """The what-if's rows for the own-neutral flag / clear level moved outwards."""
    return [(f"{own.flag_past + by:g} / {own.clear_within + by:g}", functools.partial(widened, by=by),
             by == 0) for by in WIDER_BY]


def settling_variants(own: OwnNeutral) -> list[Variant]:
    """The what-if's rows for the learned neutral settling for longer or shorter."""
    values = sorted({*SETTLES_FOR, own.settles_for_s})
    return [(f"{s:g} s", functools.partial(settling, seconds=s), s == own.settles_for_s) for s in values]


def reach_variants(own: OwnNeutral) -> list[Variant]:
    """The what-if's rows for the neutral settling for longer or shorter and allowed to move
    further or less far (a grid, with the shipped pair in it)."""
    pairs = sorted({*itertools.product(GRID_SETTLES_FOR, GRID_SETTLES_WITHIN),
                    (own.settles_for_s, own.settling_reach)})
    return [(f"{s:g} s, {d:g} deg", functools.partial(settling, seconds=s, deg=d),
             (s, d) == (own.settles_for_s, own.settling_reach)) for s, d in pairs]


def what_if_table(restless: list[Path], sessions: list[Path], column: str,
                  variants: Callable[[OwnNeutral], list[Variant]]) -> str:
    """Per stretch and variant of its own-neutral level: restless clips falsely flagged, and mistakes
    of 15 deg or more caught on the sessions sets (`posecheck regress` scoring, from the recorded
    landmarks)."""
    catalogue = load_catalogue()
    rows = [f"| stretch | {column} | restless clips flagged (seconds) | "
            "mistakes caught on the sessions sets (compensated) | onset after 15 deg: median "
            f"({' / '.join(p.name for p in sessions)}) and latest (s) |",
            "|---|---|---|---|---|"]
    clips: dict[str, list[tuple[Path, ClipLabels]]] = defaultdict(list)
    for root in [*restless, *sessions]:
        for labels in studied_labels(root):
            clips[labels.pose].append((root, labels))
    for pose_id in sorted(clips):
        shipped = catalogue[pose_id]
        own = shipped.check(STUDIED[pose_id][0]).from_own_neutral
        if own is None or not any(root in restless for root, _ in clips[pose_id]):
            continue  # (a stretch with no restless clip says nothing about false alarms)
        for label, change, is_shipped in variants(own):
            pose = change(shipped)
            flagged, seconds, caught, must, comp_caught, comp_must = 0, 0.0, 0, 0, 0, 0
            onsets: dict[Path, list[float]] = {root: [] for root in sessions}
            for root, labels in clips[pose_id]:
                outcome = run_clip(labels, pose)
                c = next(c for c in outcome.checks if c.check == STUDIED[pose_id][0])
                if root in restless:
                    flagged += c.flagged
                    seconds += c.false_alarm_s
                elif c.expected == "flag":
                    must += 1
                    caught += c.flagged
                    comp_must += c.compensated
                    comp_caught += c.flagged and c.compensated
                    if c.onset_error_s is not None:
                        onsets[root].append(c.onset_error_s)
            n_restless = sum(root in restless for root, _ in clips[pose_id])
            every = [x for xs in onsets.values() for x in xs]
            onset = " / ".join(f"{np.median(xs):+.2f}" if xs else "-" for xs in onsets.values())
            onset += f"; {max(every):+.2f}" if every else ""
            mark = " (shipped)" if is_shipped else ""
            rows.append(f"| {pose_id} | {label}{mark} | {flagged} of {n_restless} ({seconds:.1f}) | "
                        f"{caught} of {must} ({comp_caught} of {comp_must}) | {onset} |")
    return "\n".join(rows)


def studied_labels(root: Path) -> list[ClipLabels]:
    """The labels of the clips under `root` that the lumbar studies trace (see `studied_clips`)."""
    return [load_labels(rec.with_name(f"{clip}.labels.json")) for clip, _, rec in studied_clips(root)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", type=Path, nargs="+", help="folders of restless clips (build/restless)")
    parser.add_argument("--sessions", type=Path, nargs="*", default=[],
                        help="sets of clips that start neutral, to score wider levels on (samples/sessions)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    command = "python tools/restless_study.py " + " ".join(map(str, args.roots)) + (
        " --sessions " + " ".join(map(str, args.sessions)) if args.sessions else "")
    lines = heading("Flat backs that are never still", command, args.out)
    for root in args.roots:
        traces = trace(root, shipped=True)
        if not traces:
            print(f"{root}: no restless clips with landmarks (render and extract them first: "
                  f"tools/synth/README.md)", file=sys.stderr)
            return 2
        flagged = [tr for tr in traces if any(tr.flagged) or any(tr.others)]
        lines += [f"## {root}: the shipped pose files", "",
                  "Frames in position. Rise: the reading the check learns its neutral on, minus that "
                  "neutral, towards the mistake (the check flags at its `flag_past`).", "",
                  summary_table(traces), "",
                  "### What moves the reading", "",
                  "The reading, towards the mistake, fitted within each clip (each clip's means taken off) "
                  "on every angle the clips move, pooled per stretch. Swing: the angle's range within a "
                  "clip. The lumbar angle set is the only one that should move it.", "",
                  gains_table(traces), "",
                  "### Clips with a false alarm", "",
                  clip_table(flagged) if flagged else "None.", ""]
    if args.sessions:
        lines += ["## What a wider own-neutral level would cost", "",
                  f"The lumbar checks' own-neutral flag and clear levels moved outwards by "
                  f"{', '.join(f'{b:g}' for b in WIDER_BY[1:])} deg, everything else as shipped, scored as "
                  f"`posecheck regress` scores: restless clips ({', '.join(map(str, args.roots))}) flagged "
                  f"at all, and mistakes of 15 deg or more caught on {', '.join(map(str, args.sessions))}. "
                  f"Those clips hold the full mistake for only 1 s.", "",
                  what_if_table(args.roots, args.sessions, "own-neutral flag / clear level", wider_variants),
                  "", "## How long the neutral should settle", "",
                  "The lumbar checks' learned neutral left to settle for longer or shorter after it is "
                  "learned (`settles_for_s`: the median of the frames it was learned from and every clear "
                  "frame since, within `settles_within` of its first value), everything else as shipped, "
                  "scored the same way. A neutral taken in the first steady second can catch the body "
                  "before it has settled into the stretch: the restless clips sink 3 to 10 deg deeper "
                  "with a flat back between 2 and 5.5 s in.", "",
                  what_if_table(args.roots, args.sessions, "neutral settles for", settling_variants), "",
                  "## How long and how far the neutral should settle", "",
                  "The neutral settling for longer or shorter (`settles_for_s`) and allowed to move further "
                  "or less far from the value first learned (`settles_within`), everything else as "
                  "shipped, scored the same way. The longer and further it settles, the later a back that "
                  "starts rounding slowly as soon as the neutral is learned is flagged (a creep set among "
                  "the sessions sets shows it, in the onset column).",
                  "", what_if_table(args.roots, args.sessions, "neutral settles for, within",
                                    reach_variants), ""]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
