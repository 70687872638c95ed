"""Measure and validate the lumbar checks' second level: the change from the person's own neutral.

A fixed back_curve level must sit past every body's neutral hollow (docs/spine.md), so small
mistakes on a deep-backed person go unflagged. Each lumbar check also learns the person's own
neutral reading at the start of a hold (`from_own_neutral` in its pose file,
posecheck/checker/neutral.py) and flags a change past it. This script:

1. **Derives** that level on the calibration clips (the curated set, `root`). The lumbar checks
   run with their fixed levels only. A neutral is learned from each clip's smoothed reading of
   the check's neutral feature (back_curve, or the pose file's `feature:`) the way the checker
   learns it (first steady `learn_s` while the check is clear, then settling for `settles_for_s`). Then:
   - `neutral_range` bounds a learned neutral on the side away from the mistake, at the 1st
     percentile (99th for an arch) of the neutral feature on correct-form frames (severity <=
     SILENT_DEG); towards the mistake it is open (the fixed level still applies there);
   - `flag_past` is MARGIN_DEG past the larger of the 99th percentile of the change towards the
     mistake on correct-form frames once learned (the person deepening the lunge, moving the
     other leg, twisting) and MASK_NOISE_DEG (the most that folds, fingertips, hair and coarse
     mask edges move the feature: tests/test_silhouette.py);
   - `clear_within` is 2 deg back from the flag, like the fixed levels.
2. **Validates** the shipped pose files on every set given (the curated set and held-out sets, among
   them the sessions set, whose clips start with 1.8 s of neutral back): Pearson r of the change
   from the learned neutral against the lumbar angle set, pooled within each pose over bodies,
   views and sides, beside r of back_curve itself on the same frames; and per clip the neutral
   learned, when, and the lumbar angle at which the check first flagged.

Usage: python tools/own_neutral_study.py samples/synth --validate samples/sessions samples/heldout
           --out docs/measurements/own_neutral.md
"""

from __future__ import annotations

import argparse
import functools
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.checker.latch import Latch
from posecheck.checker.neutral import NeutralReading
from posecheck.poses import load_catalogue
from posecheck.poses.schema import Check, OwnNeutral, PoseDefinition
from posecheck.regress import SILENT_DEG
from posecheck.sources.recording import RecordingSource
from tools.spine_study import STUDIED, lumbar_angle, studied_clips

# the largest move of each feature under the mask noise pinned in tests/test_silhouette.py
MASK_NOISE_DEG = {"back_curve": 3.0, "lower_back_bend": 3.5, "sacrum_back_bend": 3.0}
MARGIN_DEG = 1.5  # the same margin the fixed levels keep past correct form (docs/accuracy.md)
HYSTERESIS_DEG = 2.0  # clear this far back from the flag, like the fixed levels
FLAT_DEG = 5.0  # "flat back" in docs/spine.md: correct form and compensations of 5 deg or less
SETTLED_S = 1.0  # ...held this long: a flag in the second after a mistake ends is the check's lag
LONG_SET = 30  # clips: a larger set lists only its notable clips
MISTAKE_DEG = 15.0  # a mistake the checks must tell: the regress tables score severities from 15 deg


@dataclass
class ClipTrace:
    """One clip run through its pose's checker: per frame in position, the truth and the readings."""

    clip: str
    pose: str
    body: str
    compensated: bool
    t: list[float] = field(default_factory=list)
    truth: list[float] = field(default_factory=list)  # lumbar angle set, deg (flexion +)
    severity: list[float] = field(default_factory=list)  # the check's labelled severity
    reading: list[float] = field(default_factory=list)  # smoothed back_curve (the check's feature)
    own: list[float] = field(default_factory=list)  # smoothed feature the neutral is learned on
    neutral: list[float] = field(default_factory=list)  # learned neutral so far (NaN: not yet)
    flagged: list[bool] = field(default_factory=list)
    params: list[dict[str, float]] = field(default_factory=list)  # the joint angles set
    others: list[tuple[str, ...]] = field(default_factory=list)  # the pose's other checks flagged


def fixed_only(pose: PoseDefinition) -> PoseDefinition:
    """The pose with its lumbar check judged on its fixed levels only."""
    checks = [c.model_copy(update={"from_own_neutral": None}) for c in pose.checks]
    return pose.model_copy(update={"checks": checks})


def unbounded(shipped: OwnNeutral | None) -> OwnNeutral:
    """An own-neutral spec that learns (and settles) as `shipped` does, or with the defaults when
    there is none, but keeps any neutral and adopts none: for measuring the change from it before
    levels exist. Every learning field of `shipped` carries over, whatever fields it gains."""
    free = {"flag_past": 1.0, "clear_within": 0.0, "neutral_range": (-math.inf, math.inf)}
    if shipped is None:
        return OwnNeutral(**free)
    return shipped.model_copy(update={**free, "adopt_after_s": None})


class StudyNeutral:
    """A neutral learned beside checks that run on their fixed levels only, as the checker would learn
    it: the settling (`settles_for_s`) skips the frames on which the pose's own-neutral level would
    be flagged or pending, told by a latch at the shipped levels on the change from the neutral.
    `spec`: how to learn (default `unbounded` of the shipped one)."""

    def __init__(self, pose_id: str, spec: OwnNeutral | None = None) -> None:
        check = _studied_check(pose_id)
        shipped = check.from_own_neutral
        self.learner = NeutralReading(spec or unbounded(shipped))
        self._sign = towards(pose_id)
        self._own = (None if shipped is None else
                     Latch(True, shipped.flag_past, shipped.clear_within, check.min_duration_s,
                           check.clear_duration_s))

    @property
    def value(self) -> float | None:
        return self.learner.value

    def update(self, t: float, reading: float, fixed_clear: bool) -> None:
        """One frame's smoothed reading; `fixed_clear`: the fixed levels are clear."""
        own = self._own
        own_clear = own is None or self.learner.value is None or not (own.is_on or own.pending)
        self.learner.update(t, reading, may_learn=fixed_clear and own_clear)
        if own is not None and self.learner.value is not None:
            own.update(t, self._sign * (reading - self.learner.value))

    def reset(self) -> None:
        self.learner.reset()
        if self._own is not None:
            self._own.reset()


def trace(root: Path, shipped: bool) -> list[ClipTrace]:
    """Every studied clip under `root`. With `shipped` the pose files run as they are and the
    neutral is the checker's own; otherwise the checks run on their fixed levels and the neutral
    is learned beside them, unclipped, with the shipped learning window (or the default one)."""
    catalogue = load_catalogue()
    out: list[ClipTrace] = []
    for clip, labels, rec_path in studied_clips(root):
        pose = catalogue[labels["pose"]]
        check_id = STUDIED[pose.id][0]
        own_feature = neutral_feature(pose.id)
        learner = None
        if not shipped:
            learner = StudyNeutral(pose.id)
            pose = fixed_only(pose)
        checker = PoseChecker(pose, side=labels["side"], also_measure=(own_feature,))
        tr = ClipTrace(clip, pose.id, labels["body"]["phenotype"]["name"], bool(labels.get("compensated")))
        camera_side = None
        for frame_labels, frame in zip(labels["frames"], RecordingSource(rec_path), strict=False):
            verdict = checker.update(frame)
            status = next((s for s in verdict.checks if s.id == check_id), None)
            turned = verdict.camera_side is not None and verdict.camera_side != camera_side
            camera_side = verdict.camera_side or camera_side
            judged = verdict.in_position and status is not None and status.state != "not_checked"
            if learner is not None and (turned or not judged):
                learner.reset()  # as the checker forgets its own: learn afresh
            if not judged or status is None:
                continue
            own = verdict.features.get(own_feature, math.nan)
            if learner is not None:  # fed even when unseen, as the checker's is (NaN breaks a steady run)
                learner.update(verdict.timestamp, own, fixed_clear=status.state == "ok")
            if math.isnan(status.value):
                continue
            neutral = learner.value if learner is not None else checker.own_neutral(check_id)
            tr.t.append(verdict.timestamp)
            tr.truth.append(lumbar_angle(frame_labels["params"]))
            tr.severity.append(float(frame_labels.get("active_mistakes", {}).get(check_id, 0.0)))
            tr.reading.append(status.value)
            tr.own.append(own)
            tr.neutral.append(math.nan if neutral is None else neutral)
            tr.flagged.append(status.state == "mistake")
            tr.params.append(frame_labels["params"])
            tr.others.append(tuple(c for c in verdict.active_mistakes if c != check_id))
        if tr.t:
            out.append(tr)
    return out


@functools.cache
def _studied_check(pose_id: str) -> Check:
    """The pose's lumbar check as its shipped pose file has it (read once: a catalogue load is slow)."""
    return load_catalogue()[pose_id].check(STUDIED[pose_id][0])


def towards(pose_id: str) -> float:
    """+1 when the check's mistake raises back_curve (rounding), -1 when it lowers it (arching)."""
    return 1.0 if _studied_check(pose_id).rising else -1.0


def flag_past_from(drift_p99: float, feature: str = "back_curve") -> float:
    """The own-neutral flag level: MARGIN_DEG past the larger of the flat-back drift once learned and
    the feature's mask noise, rounded up to 0.5 deg."""
    return math.ceil((max(drift_p99, MASK_NOISE_DEG[feature]) + MARGIN_DEG) * 2) / 2


def neutral_feature(pose_id: str) -> str:
    """The feature the pose's lumbar check learns the person's neutral on."""
    check = _studied_check(pose_id)
    return check.neutral_feature or check.feature


def derive(traces: list[ClipTrace]) -> dict[str, dict[str, float]]:
    """Per pose: the measured correct-form range, the noise once learned, and the levels derived."""
    by_pose: dict[str, list[ClipTrace]] = defaultdict(list)
    for tr in traces:
        by_pose[tr.pose].append(tr)
    out: dict[str, dict[str, float]] = {}
    for pose_id, trs in sorted(by_pose.items()):
        sign = towards(pose_id)
        correct = np.array([v for tr in trs for v, s in zip(tr.own, tr.severity, strict=True)
                            if s <= SILENT_DEG and not math.isnan(v)])
        drift = np.array([sign * (v - n) for tr in trs
                          for v, n, a in zip(tr.own, tr.neutral, tr.truth, strict=True)
                          if not math.isnan(n) and not math.isnan(v) and abs(a) <= FLAT_DEG])
        p99 = float(np.percentile(drift, 99))
        feature = neutral_feature(pose_id)
        flag = flag_past_from(p99, feature)
        learned = sum(not math.isnan(tr.neutral[-1]) for tr in trs)
        out[pose_id] = {"low": float(np.percentile(correct, 1)), "high": float(np.percentile(correct, 99)),
                        "drift_p99": p99, "drift_max": float(drift.max()), "drift_frames": len(drift),
                        "flag_past": flag, "clear_within": flag - HYSTERESIS_DEG,
                        "clips": len(trs), "learned": learned}
    return out


def neutral_range_from(pose_id: str, derived: dict[str, float]) -> tuple[float, float]:
    """The range a learned neutral is kept in: bounded away from the mistake only (see `OwnNeutral`),
    at correct form's 1st percentile (99th for an arch)."""
    if towards(pose_id) > 0:
        return derived["low"], math.inf
    return -math.inf, derived["high"]


def derivation_table(derived: dict[str, dict[str, float]]) -> str:
    rows = ["| pose | neutral learned on (mask noise) | clips (neutral learned) | correct form 1%-99% | "
            f"change towards the mistake at <= {FLAT_DEG:g} deg once learned: frames / 99th pct / max | "
            "derived: range / flag past / clear within | in the pose file |", "|---|---|---|---|---|---|---|"]
    for pose_id, d in derived.items():
        spec = _studied_check(pose_id).from_own_neutral
        shipped = (f"range [{spec.neutral_range[0]:g}, {spec.neutral_range[1]:g}], flag past "
                   f"{spec.flag_past:g} / clear within {spec.clear_within:g}" if spec else "**none**")
        feature = neutral_feature(pose_id)
        low, high = (round(x, 1) for x in neutral_range_from(pose_id, d))
        rows.append(f"| {pose_id} | {feature} ({MASK_NOISE_DEG[feature]:g} deg) | "
                    f"{d['clips']:.0f} ({d['learned']:.0f}) | "
                    f"{d['low']:.1f} to {d['high']:.1f} | "
                    f"{d['drift_frames']:.0f} / {d['drift_p99']:.1f} / {d['drift_max']:.1f} | "
                    f"[{low:g}, {high:g}] / {d['flag_past']:g} / {d['clear_within']:g} | {shipped} |")
    return "\n".join(rows)


def _r(x: list[float], y: list[float]) -> str:
    if len(x) < 3 or np.ptp(x) < 1e-9 or np.ptp(y) < 1e-9:
        return "-"
    return f"{float(np.corrcoef(x, y)[0, 1]):+.2f}"


def _pairs(trs: list[ClipTrace], keep: bool | None = None) -> tuple[list[float], list[float], list[float]]:
    """(change from the neutral, back_curve, lumbar angle) on frames after the neutral was learned;
    `keep` True / False: compensated clips / plain clips only."""
    ch, bc, truth = [], [], []
    for tr in trs:
        if keep is not None and tr.compensated != keep:
            continue
        for o, v, n, a in zip(tr.own, tr.reading, tr.neutral, tr.truth, strict=True):
            if not math.isnan(n) and not math.isnan(o):
                ch.append(o - n)
                bc.append(v)
                truth.append(a)
    return ch, bc, truth


def correlation_table(traces: list[ClipTrace], unclipped: list[ClipTrace]) -> str:
    """Pooled r within each pose, on the frames after the neutral was learned: with the checker's
    own neutral (kept within the pose file's range) and with the neutral learned unclipped."""
    by_pose: dict[str, list[ClipTrace]] = defaultdict(list)
    for tr in traces:
        by_pose[tr.pose].append(tr)
    free: dict[str, list[ClipTrace]] = defaultdict(list)
    for tr in unclipped:
        free[tr.pose].append(tr)
    rows = ["| pose | clips | bodies | frames after learning | r change from own neutral | r same, neutral "
            "not kept in range | r back_curve (same frames) | r change, compensated clips | "
            "r change, plain clips | within one clip: r min / median, slope min / max (deg per deg) |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for pose_id, trs in sorted(by_pose.items()):
        ch, bc, truth = _pairs(trs)
        comp, _, comp_truth = _pairs(trs, True)
        plain, _, plain_truth = _pairs(trs, False)
        free_ch, _, free_truth = _pairs(free[pose_id])
        inner = []
        for tr in trs:
            c, _, a = _pairs([tr])
            if len(a) >= 3 and np.ptp(a) > 1e-9:
                inner.append((float(np.corrcoef(c, a)[0, 1]), float(np.polyfit(a, c, 1)[0])))
        within = (f"{min(r for r, _ in inner):+.2f} / {float(np.median([r for r, _ in inner])):+.2f}, "
                  f"{min(abs(s) for _, s in inner):.2f} / {max(abs(s) for _, s in inner):.2f} "
                  f"({len(inner)} clips)" if inner else "-")
        rows.append(f"| {pose_id} | {len(trs)} | {len({tr.body for tr in trs})} | {len(ch)} | "
                    f"{_r(ch, truth)} | {_r(free_ch, free_truth)} | {_r(bc, truth)} | "
                    f"{_r(comp, comp_truth)} | {_r(plain, plain_truth)} | {within} |")
    return "\n".join(rows)


def clip_table(traces: list[ClipTrace]) -> str:
    """Per clip: the neutral learned and when, the lumbar angle at the first flag, flat frames flagged."""
    rows = ["| clip | body | neutral learned (at s) | lumbar angle at first flag | most set | "
            "flat-back frames flagged |", "|---|---|---|---|---|---|"]
    for tr in sorted(traces, key=lambda x: x.clip):
        learned = next(((t, n) for t, n in zip(tr.t, tr.neutral, strict=True) if not math.isnan(n)), None)
        first = _first_flag(tr)
        peak = max(tr.truth, key=abs)
        flat = _flat_flags(tr)
        rows.append(f"| {tr.clip} | {tr.body} | "
                    f"{f'{learned[1]:.1f} ({learned[0]:.1f})' if learned else 'not learned'} | "
                    f"{f'{first:+.0f}' if first is not None else 'never'} | {peak:+.0f} | "
                    f"{sum(flat)} of {len(flat)} |")
    return "\n".join(rows)


def _flat_mask(tr: ClipTrace) -> list[bool]:
    """Per frame: a settled flat back, the lumbar angle FLAT_DEG or less for the last SETTLED_S (a
    flag just after a mistake ended is the check's lag, not an alarm)."""
    out = []
    last_bent: float | None = None  # the latest time so far the lumbar angle was past FLAT_DEG
    for t, a in zip(tr.t, tr.truth, strict=True):
        if abs(a) > FLAT_DEG:
            last_bent = t
        out.append(last_bent is None or last_bent < t - SETTLED_S)
    return out


def _flat_flags(tr: ClipTrace) -> list[bool]:
    """Whether the check flagged, on each frame of a settled flat back."""
    return [f for f, flat in zip(tr.flagged, _flat_mask(tr), strict=True) if flat]


def _first_flag(tr: ClipTrace) -> float | None:
    """The lumbar angle set when the check first flagged, None if it never did."""
    return next((a for a, f in zip(tr.truth, tr.flagged, strict=True) if f), None)


def _notable(tr: ClipTrace) -> bool:
    """A false alarm on a flat back, or a mistake of MISTAKE_DEG or more never told."""
    flat_flag = any(_flat_flags(tr))
    return flat_flag or (max(abs(a) for a in tr.truth) >= MISTAKE_DEG and _first_flag(tr) is None)


def summary_table(sets: list[tuple[Path, list[ClipTrace]]]) -> str:
    """Per set and pose, the shipped checks in one row: r of the change from the learned neutral, false
    alarms on a flat back, mistakes of MISTAKE_DEG or more never told, and how far they had gone."""
    rows = ["| set | pose | clips (bodies) | r change from own neutral | clips with a flat-back frame "
            f"flagged (flat frames flagged) | clips reaching {MISTAKE_DEG:g} deg never flagged "
            "(compensated) | lumbar angle at first flag: median / max |", "|---|---|---|---|---|---|---|"]
    for root, traces in sets:
        by_pose: dict[str, list[ClipTrace]] = defaultdict(list)
        for tr in traces:
            by_pose[tr.pose].append(tr)
        for pose_id, trs in sorted(by_pose.items()):
            ch, _, truth = _pairs(trs)
            flat = [_flat_flags(tr) for tr in trs]
            alarmed = sum(any(f) for f in flat)
            flat_frames = [f for fs in flat for f in fs]
            mistakes = [tr for tr in trs if max(abs(a) for a in tr.truth) >= MISTAKE_DEG]
            missed = [tr for tr in mistakes if _first_flag(tr) is None]
            onsets = [abs(a) for tr in mistakes if (a := _first_flag(tr)) is not None]
            onset = f"{float(np.median(onsets)):.0f} / {max(onsets):.0f}" if onsets else "-"
            bodies = len({tr.body for tr in trs})
            rows.append(f"| {root} | {pose_id} | {len(trs)} ({bodies}) | {_r(ch, truth)} | "
                        f"{'**' if alarmed else ''}{alarmed}{'**' if alarmed else ''} "
                        f"({100 * float(np.mean(flat_frames)) if flat_frames else 0:.1f}%) | "
                        f"{len(missed)} of {len(mistakes)} ({sum(tr.compensated for tr in missed)}) | "
                        f"{onset} |")
    return "\n".join(rows)


def new_body_table(traces: list[ClipTrace]) -> str:
    """The fixed levels' rule (MARGIN_DEG past correct form's 99th percentile, 1st for an arch)
    applied with each body left out: how far past that level the left-out body's own flat back
    (FLAT_DEG or less) reads, and on how many of its frames; beside it, the shipped flag level. What a
    person unlike every rendered body risks. Bodies that cross neither level are counted, not listed."""
    rows = ["| pose | body left out | its flat-back frames | level from the other bodies | its flat "
            "back: 99th pct / most towards the mistake | its flat-back frames past that level | past the "
            "shipped level |", "|---|---|---|---|---|---|---|"]
    by_pose: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for tr in traces:
        for v, a in zip(tr.reading, tr.truth, strict=True):
            if abs(a) <= FLAT_DEG:
                by_pose[tr.pose][tr.body].append(v)
    for pose_id, bodies in sorted(by_pose.items()):
        sign = towards(pose_id)
        shipped = sign * _studied_check(pose_id).enter
        quiet = 0
        for body, values in sorted(bodies.items()):
            own = sign * np.array(values)
            others = np.concatenate([sign * np.array(v) for b, v in bodies.items() if b != body])
            level = float(np.percentile(others, 99)) + MARGIN_DEG
            past, past_shipped = float(np.mean(own > level)), float(np.mean(own > shipped))
            if not past and not past_shipped:
                quiet += 1
                continue
            rows.append(f"| {pose_id} | {body} | {len(own)} | {sign * level:+.1f} | "
                        f"{sign * float(np.percentile(own, 99)):+.1f} / {sign * float(own.max()):+.1f} | "
                        f"{100 * past:.0f}% | {100 * past_shipped:.0f}% |")
        rows.append(f"| {pose_id} | the other {quiet} of {len(bodies)} bodies | | | | 0% | 0% "
                    f"(level {sign * shipped:+g}) |")
    return "\n".join(rows)


def clearing_level_table(traces: list[ClipTrace]) -> str:
    """Per pose: the fixed flag level that would clear every clip's settled flat back (MARGIN_DEG past
    the most any clip's 99th percentile reads towards the mistake), beside the shipped one, and the
    clips whose flat back crosses the shipped level."""
    rows = ["| pose | clips with a settled flat back | shipped flag level | clips whose flat back's 99th pct "
            "is past it | level that clears every clip |", "|---|---|---|---|---|"]
    by_pose: dict[str, list[tuple[float, ClipTrace]]] = defaultdict(list)
    for tr in traces:
        sign = towards(tr.pose)
        flat = [sign * v for v, f in zip(tr.reading, _flat_mask(tr), strict=True) if f]
        if len(flat) >= 5:
            by_pose[tr.pose].append((float(np.percentile(flat, 99)), tr))
    for pose_id, clips in sorted(by_pose.items()):
        sign = towards(pose_id)
        shipped = sign * _studied_check(pose_id).enter
        past = sorted(((p, tr) for p, tr in clips if p > shipped), key=lambda x: -x[0])
        listed = "; ".join(f"{tr.body} ({sign * p:+.1f})" for p, tr in past) or "none"
        worst = max(p for p, _ in clips)
        rows.append(f"| {pose_id} | {len(clips)} | {sign * shipped:+g} | {listed} | "
                    f"{sign * (worst + MARGIN_DEG):+.1f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="calibration clips (the curated set)")
    parser.add_argument("--derive-also", type=Path, nargs="*", default=[],
                        help="more calibration sets: their bodies widen the neutral's range (bodies-a)")
    parser.add_argument("--validate", type=Path, nargs="*", default=[], help="held-out sets to score")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    calibration = [args.root, *args.derive_also]
    roots = [*calibration, *args.validate]
    free = {root: trace(root, shipped=False) for root in roots}  # fixed levels only, neutral unclipped
    derived = derive([tr for root in calibration for tr in free[root]])
    parts = [f"# The lumbar checks against the person's own neutral\n\nGenerated by `python "
             f"tools/own_neutral_study.py {args.root}"
             + (" --derive-also " + " ".join(map(str, args.derive_also)) if args.derive_also else "")
             + (" --validate " + " ".join(map(str, args.validate)) if args.validate else "")
             + (f" --out {args.out}`" if args.out else "`") + ".\n",
             f"## Levels derived on {', '.join(map(str, calibration))}\n\nA neutral is learned from "
             f"each clip's smoothed reading of the feature the check learns it on (back_curve, or the "
             f"pose file's `feature:`), as the "
             f"checker learns it; change is that reading minus the neutral, signed towards the mistake. "
             f"Flag past = {MARGIN_DEG:g} deg beyond the larger of the 99th percentile of that change on "
             f"flat-back frames and the most that mask noise moves the feature (tests/test_silhouette.py), "
             f"rounded up to 0.5; clear {HYSTERESIS_DEG:g} deg back from it.\n\n"
             f"{derivation_table(derived)}\n"]
    shipped: list[tuple[Path, list[ClipTrace]]] = []
    for root in roots:
        traces = trace(root, shipped=True)
        shipped.append((root, traces))
        table = correlation_table(traces, free[root])
        many = len(traces) > LONG_SET
        clips = clip_table([tr for tr in traces if not many or _notable(tr)])
        parts.append(f"## {root}: the shipped pose files\n\nPooled within each pose over bodies, views and "
                     f"sides; frames in position after the neutral was learned. Only clips that start with a "
                     f"neutral back test the change from it: the sessions set does; most curated and "
                     f"held-out clips are holds that start in the mistake (their neutral is the mistake, "
                     f"and the fixed level judges them).\n\n{table}\n\n"
                     + (f"{len(traces)} clips; listed: those flagged on a flat back or never flagged at "
                        f"{MISTAKE_DEG:g} deg or more.\n\n" if many else "")
                     + f"{clips}\n")
        print(f"{root}:\n{table}\n")
    parts.insert(2, f"## Every set in one table\n\nThe shipped pose files (fixed and own-neutral levels). "
                    f"A flat back is a lumbar angle of {FLAT_DEG:g} deg or less, held for "
                    f"the last {SETTLED_S:g} s (correct form, compensations that small and the start of a "
                    f"ramp; not the second after a mistake ends, when a flag is the check's lag). r as in "
                    f"the sections below.\n\n"
                    f"{summary_table(shipped)}\n")
    every = [tr for root in roots for tr in free[root]]
    parts.append(f"## A body the fixed levels never saw\n\nThe fixed levels sit {MARGIN_DEG:g} deg past "
                 f"correct form's 99th percentile (1st for an arch) over the bodies they were set on. Here "
                 f"that rule is applied to the flat-back frames (lumbar angle {FLAT_DEG:g} deg or less) of "
                 f"every set above, each body left out in turn: does the left-out body's own flat back "
                 f"cross the level the others give, or the shipped level? Readings are the checker's "
                 f"smoothed back_curve.\n\n{new_body_table(every)}\n")
    parts.append(f"## A fixed level that clears every clip\n\nPer clip, the 99th percentile of the settled "
                 f"flat back (as in the first table) towards the mistake; the level {MARGIN_DEG:g} deg past "
                 f"the most any clip reads would flag none of them. What it would cost is in docs/spine.md."
                 f"\n\n{clearing_level_table(every)}\n")
    text = "\n".join(parts)
    print(derivation_table(derived))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
