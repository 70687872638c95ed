"""Regression runs: judge every labelled sample and compare verdicts with the known truth.

Scoring, per clip and per check (severities are the labelled joint angles, in degrees):
- A check *must flag* a clip when some frame's labelled severity is >= MUST_FLAG_DEG; it is
  *detected* when the checker flags that check within TOLERANCE_S of those frames.
- A check *must stay silent* on a clip when no frame's severity exceeds SILENT_DEG (correct clips
  and below-threshold clips); any flag of that check there is a false alarm.
- Between the two (the grey zone) a clip is not scored for that check.
- False-alarm seconds: flagged time outside the must-flag frames (widened by the tolerance).
- Side: the working side the checker booked the most in-position time for, against the label.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.errors import PosecheckError, PoseDefinitionError, UnreadableInput
from posecheck.frames import ImageFrame, PoseFrame
from posecheck.labels import ClipLabels, is_hand, load_labels
from posecheck.poses import load_catalogue
from posecheck.poses.schema import PoseDefinition

MUST_FLAG_DEG = 15.0
SILENT_DEG = 8.0
TOLERANCE_S = 0.6  # flag start may lag the labelled plateau by the smoothing + min duration
HOLD_TOLERANCE_S = 0.5  # hold time against labelled in-position time less the settle delay
# (label, test on the clip's worst labelled severity): the same edges as the flag/silent rule
SEVERITY_BUCKETS: tuple[tuple[str, Callable[[float], bool]], ...] = (
    (f"<={SILENT_DEG:g}", lambda s: s <= SILENT_DEG),
    ("grey", lambda s: SILENT_DEG < s < MUST_FLAG_DEG),
    (f"{MUST_FLAG_DEG:g} to <25", lambda s: MUST_FLAG_DEG <= s < 25.0),
    (">=25", lambda s: s >= 25.0),
)
# (label, lo, hi) of labels' yaw_deg (0 exactly side-on, 90 facing the camera)
YAW_BUCKETS = (("yaw 0-10", 0.0, 10.0), ("yaw 10-45", 10.0, 45.0), ("front view", 45.0, 180.0))


@dataclass
class CheckOutcome:
    pose: str
    check: str
    clip: str
    expected: str  # "flag", "silent" or "grey"
    flagged: bool
    severity_deg: float
    yaw_deg: float
    compensated: bool
    false_alarm_s: float
    onset_error_s: float | None

    @property
    def wrong(self) -> bool:
        """Flagged where the check must stay silent, or silent where it must flag (never in the grey zone)."""
        return self.expected != "grey" and self.flagged != (self.expected == "flag")


@dataclass
class ClipOutcome:
    clip: str
    pose: str
    side_expected: str | None
    side_found: str | None
    in_position_s: float
    hold_s: float
    checks: list[CheckOutcome] = field(default_factory=list)
    error: str = ""
    hold_expected_s: float | None = None  # only for clips with no mistake that must be flagged
    reps_expected: int | None = None  # clips of a movement in reps: full-depth cycles labelled
    reps_counted: int | None = None
    direction_expected: str | None = None  # circles: the labelled direction, and the one most counted
    direction_found: str | None = None


# a change made to every decoded picture before the model sees it (RGB uint8 in, the same out)
Picture = Callable[[np.ndarray], np.ndarray]


def _frames(clip_labels: ClipLabels, from_landmarks: bool, max_side: int | None = None,
            picture: Picture | None = None) -> Iterator[PoseFrame]:
    """The clip's pose frames: replayed from its recording, or estimated from its video (shrunk to
    `max_side` pixels first, when given, then changed by `picture`, when given)."""
    rec = clip_labels.path.with_name(clip_labels.path.name.replace(".labels.json", ".landmarks.npz"))
    if from_landmarks:
        from posecheck.sources.recording import RecordingSource

        yield from RecordingSource(rec)
        return
    video = clip_labels.video or rec.with_name(rec.name.replace(".landmarks.npz", ".mp4"))
    from posecheck.analysis import estimate_frames
    from posecheck.estimators import make_estimator
    from posecheck.sources.video import VideoFileSource

    estimator = make_estimator()
    images: Iterable[ImageFrame] = VideoFileSource(video, max_side=max_side)
    if picture is not None:
        images = (ImageFrame(image.timestamp, picture(image.rgb)) for image in images)
    try:
        for _, pose_frame in estimate_frames(images, estimator):
            yield pose_frame
    finally:
        estimator.close()


def run_clip(clip_labels: ClipLabels, pose: PoseDefinition, from_landmarks: bool = True,
             stride: int = 1, max_side: int | None = None, picture: Picture | None = None,
             checker: PoseChecker | None = None,
             watch: Callable[[PoseFrame, Verdict], None] | None = None,
             alter: Callable[[PoseFrame], PoseFrame] | None = None) -> ClipOutcome:
    """Judge one labelled clip and score every check of its pose. From its video
    (`from_landmarks=False`), `picture` changes every decoded picture first (a poorer camera).
    `alter` changes every pose frame before it is judged (a study's loose top over the back).
    `checker`: a new checker of `pose` to judge with (by default one is made), for a caller that
    reads its events afterwards; `watch` is shown each frame judged with its verdict."""
    checker = PoseChecker(pose) if checker is None else checker
    flags: dict[str, list[float]] = defaultdict(list)  # check -> times it was flagged
    times: list[float] = []
    for n, frame in enumerate(_frames(clip_labels, from_landmarks, max_side, picture)):
        if n % stride:  # --stride: judge every Nth frame only, as a slow machine would
            continue
        if alter is not None:
            frame = alter(frame)
        verdict = checker.update(frame)
        if watch is not None:
            watch(frame, verdict)
        times.append(frame.timestamp)
        for cid in verdict.active_mistakes:
            flags[cid].append(frame.timestamp)
    checker.finish()
    sides = checker.books.sides
    side_found = max(sides, key=lambda s: sides[s].in_position_s) if sides else None
    two_sided = pose.sides.working_leg == "none"  # booked as "both": no side to score
    outcome = ClipOutcome(clip_labels.path.name.replace(".labels.json", ""), pose.id,
                          None if two_sided else clip_labels.side,
                          side_found, sum(b.in_position_s for b in sides.values()),
                          sum(b.hold_s for b in sides.values()))
    t0 = times[0] if times else 0.0
    label_t = [t0 + t for t in clip_labels.frame_times]
    dt = (times[-1] - times[0]) / max(1, len(times) - 1) if len(times) > 1 else 0.0
    clip_view = "side" if clip_labels.yaw_deg < 45 else "front"
    for check in pose.checks:
        if clip_view not in check.views:
            continue  # this clip's camera cannot judge the check: it scores nothing either way
        sev = [clip_labels.severity_at(i, check.id) for i in range(len(clip_labels.frame_severity))]
        worst = max(sev, default=0.0)
        must = [t for t, s in zip(label_t, sev, strict=False) if s >= MUST_FLAG_DEG]
        expected = "flag" if worst >= MUST_FLAG_DEG else "silent" if worst <= SILENT_DEG else "grey"
        flagged_t = flags.get(check.id, [])
        if must:
            windows = _must_windows(label_t, sev)
            caught = [any(lo <= t <= hi for lo, hi in windows) for t in flagged_t]
            hits = [t for t, c in zip(flagged_t, caught, strict=True) if c]
            flagged = bool(hits)
            outside = [t for t, c in zip(flagged_t, caught, strict=True) if not c]
            onset = (min(hits) - min(must)) if hits else None
        else:
            flagged, outside, onset = bool(flagged_t), flagged_t, None
        outcome.checks.append(CheckOutcome(
            pose.id, check.id, outcome.clip, expected, flagged, worst, clip_labels.yaw_deg,
            clip_labels.compensated, len(outside) * dt, onset))
    must_flag_major = any(c.expected == "flag" and pose.check(c.check).severity == "major"
                          for c in outcome.checks)
    if clip_labels.in_position_s is not None and not must_flag_major:
        outcome.hold_expected_s = max(0.0, clip_labels.in_position_s - pose.position.settle_s)
    if checker.reps is not None and clip_labels.reps_full is not None:
        outcome.reps_expected, outcome.reps_counted = clip_labels.reps_full, checker.reps.counted
        if clip_labels.reps_direction:
            outcome.direction_expected = clip_labels.reps_direction
            found = [r.direction for r in checker.reps.reps if r.counted and r.direction]
            outcome.direction_found = max(set(found), key=found.count) if found else None
    return outcome


def _must_windows(label_t: list[float], sev: list[float]) -> list[tuple[float, float]]:
    """Each unbroken run of frames labelled at MUST_FLAG_DEG or more, widened by TOLERANCE_S either
    side: a flag inside one is a catch, a flag between two (form was right there) a false alarm."""
    windows: list[tuple[float, float]] = []
    start = end = None
    for t, s in zip(label_t, sev, strict=False):
        if s >= MUST_FLAG_DEG:
            start, end = (t if start is None else start), t
        elif start is not None and end is not None:
            windows.append((start - TOLERANCE_S, end + TOLERANCE_S))
            start = end = None
    if start is not None and end is not None:
        windows.append((start - TOLERANCE_S, end + TOLERANCE_S))
    return windows


def run(root: Path, from_landmarks: bool = True, progress: Any = None, stride: int = 1,
        max_side: int | None = None) -> list[ClipOutcome]:
    """Judge every `*.labels.json` under root."""
    outcomes: list[ClipOutcome] = []
    paths = sorted(root.rglob("*.labels.json"))
    catalogue = load_catalogue()
    for n, path in enumerate(paths, start=1):
        try:
            labels = load_labels(path)
            if labels.pose not in catalogue:
                raise PoseDefinitionError(f"Unknown pose {labels.pose!r}.")
            if is_hand(labels):
                _known_checks(labels, catalogue[labels.pose])
            outcomes.append(run_clip(labels, catalogue[labels.pose], from_landmarks, stride, max_side))
        except PosecheckError as exc:
            outcomes.append(ClipOutcome(path.name, "?", None, None, 0.0, 0.0, error=str(exc)))
        if progress:
            progress(n, len(paths))
    return outcomes


def _known_checks(labels: ClipLabels, pose: PoseDefinition) -> None:
    """Hand labels may mark only the stretch's own checks: a misspelt one would score as correct form."""
    ids = [c.id for c in pose.checks]
    unknown = sorted({m["check"] for m in labels.raw.get("mistakes", [])} - set(ids))
    if unknown:
        raise UnreadableInput(f"{labels.path.name}: {pose.id} has no check "
                              f"{', '.join(map(repr, unknown))}; its checks are {', '.join(ids)}.")


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def metrics(outcomes: list[ClipOutcome]) -> dict[str, dict[str, Any]]:
    """Per pose/check: sensitivity, specificity, false-alarm seconds and counts."""
    groups: dict[str, list[CheckOutcome]] = defaultdict(list)
    for o in outcomes:
        for c in o.checks:
            groups[f"{c.pose}/{c.check}"].append(c)
            if c.compensated:
                groups[f"{c.pose}/{c.check} (compensated)"].append(c)
    out: dict[str, dict[str, Any]] = {}
    for key, cs in sorted(groups.items()):
        pos = [c for c in cs if c.expected == "flag"]
        neg = [c for c in cs if c.expected == "silent"]
        out[key] = {
            "must_flag": len(pos), "detected": sum(c.flagged for c in pos),
            "sensitivity": _rate(sum(c.flagged for c in pos), len(pos)),
            "must_be_silent": len(neg), "silent": sum(not c.flagged for c in neg),
            "specificity": _rate(sum(not c.flagged for c in neg), len(neg)),
            "false_alarm_s": round(sum(c.false_alarm_s for c in cs), 3),
        }
    sides = [o for o in outcomes if o.side_expected and not o.error]
    right_side = sum(o.side_found == o.side_expected for o in sides)
    out["(all)/side"] = {"clips": len(sides), "side_correct": _rate(right_side, len(sides))}
    holds = [o for o in outcomes if o.hold_expected_s is not None and not o.error]
    within = sum(abs(o.hold_s - o.hold_expected_s) <= HOLD_TOLERANCE_S for o in holds)  # type: ignore[operator]
    out["(all)/hold"] = {"clips": len(holds), "hold_within_tolerance": _rate(within, len(holds))}
    reps = [o for o in outcomes if o.reps_expected is not None and not o.error]
    for pose in sorted({o.pose for o in reps}):
        mine = [o for o in reps if o.pose == pose]
        directed = [o for o in mine if o.direction_expected]
        out[f"{pose}/reps"] = {
            "clips": len(mine), "reps_exact": _rate(sum(o.reps_counted == o.reps_expected for o in mine),
                                                    len(mine)),
            **({"direction_right": _rate(sum(o.direction_found == o.direction_expected for o in directed),
                                         len(directed))} if directed else {}),
        }
    return out


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def markdown(outcomes: list[ClipOutcome], m: dict[str, dict[str, Any]]) -> str:
    """The regress table, with breakdowns by severity bucket and camera angle."""
    lines = ["| pose/check | must flag | sensitivity | must be silent | specificity | false alarm (s) |",
             "|---|---|---|---|---|---|"]
    for key, v in m.items():
        if key.startswith("(all)/") or key.endswith("/reps"):
            continue
        lines.append(f"| {key} | {v['must_flag']} | {_pct(v['sensitivity'])} | {v['must_be_silent']} | "
                     f"{_pct(v['specificity'])} | {v['false_alarm_s']:.1f} |")
    side = m.get("(all)/side", {})
    lines += ["", f"Working side correct: {_pct(side.get('side_correct'))} of "
              f"{side.get('clips', 0)} clips.",
              f"Hold time within {HOLD_TOLERANCE_S:g} s of the labelled good-form time: "
              f"{_pct(m.get('(all)/hold', {}).get('hold_within_tolerance'))} of "
              f"{m.get('(all)/hold', {}).get('clips', 0)} clips without a major mistake.", ""]
    lines += ["By severity bucket and camera yaw (flagged / clips):", "",
              "| pose/check | " + " | ".join(b[0] for b in SEVERITY_BUCKETS) + " | "
              + " | ".join(b[0] for b in YAW_BUCKETS) + " |",
              "|---|" + "---|" * (len(SEVERITY_BUCKETS) + len(YAW_BUCKETS))]
    by: dict[str, list[CheckOutcome]] = defaultdict(list)
    for o in outcomes:
        for c in o.checks:
            by[f"{c.pose}/{c.check}"].append(c)
    for key, cs in sorted(by.items()):
        cells = []
        for _, in_bucket in SEVERITY_BUCKETS:
            b = [c for c in cs if in_bucket(c.severity_deg)]
            cells.append(f"{sum(c.flagged for c in b)}/{len(b)}" if b else "-")
        for _, lo, hi in YAW_BUCKETS:
            b = [c for c in cs if lo <= c.yaw_deg < hi and c.expected != "grey"]
            ok = sum(not c.wrong for c in b)
            cells.append(f"{ok}/{len(b)} right" if b else "-")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    reps = [o for o in outcomes if o.reps_expected is not None and not o.error]
    if reps:
        lines += ["", "Reps counted (a rep counts only when both ends reach full depth):", "",
                  "| clip | full-depth reps labelled | counted | direction labelled | found |",
                  "|---|---|---|---|---|"]
        lines += [f"| {o.clip} | {o.reps_expected} | {o.reps_counted} | {o.direction_expected or '-'} | "
                  f"{o.direction_found or '-'} |" for o in reps]
        exact = sum(o.reps_counted == o.reps_expected for o in reps)
        lines += ["", f"Exact counts: {exact} of {len(reps)} clips."]
    wrong = [(o.clip, c) for o in outcomes for c in o.checks if c.wrong]
    if wrong:
        lines += ["", "Clips judged wrong (flagged where the check must stay silent, or missed where it "
                  "must flag):", "", "| clip | check | labelled | judged | false alarm (s) |",
                  "|---|---|---|---|---|"]
        lines += [f"| {clip} | {c.check} | {'mistake' if c.expected == 'flag' else 'correct'} | "
                  f"{'flagged' if c.flagged else 'silent'} | {c.false_alarm_s:.1f} |" for clip, c in wrong]
    errors = [o for o in outcomes if o.error]
    if errors:
        lines += ["", "Clips that could not be run:", ""] + [f"- {o.clip}: {o.error}" for o in errors]
    return "\n".join(lines)


def compare(current: dict[str, dict[str, Any]], baseline: dict[str, dict[str, Any]],
            slack: float = 1e-9) -> list[str]:
    """Everything that got worse than the baseline."""
    worse = []
    for key, base in baseline.items():
        cur = current.get(key)
        if cur is None:
            worse.append(f"{key}: no longer measured")
            continue
        for metric in ("sensitivity", "specificity", "side_correct", "hold_within_tolerance", "reps_exact",
                       "direction_right"):
            b, c = base.get(metric), cur.get(metric)
            if b is not None and (c is None or c < b - slack):
                worse.append(f"{key}: {metric} {_pct(c)} < baseline {_pct(b)}")
        b_fa, c_fa = base.get("false_alarm_s"), cur.get("false_alarm_s")
        if b_fa is not None and c_fa is not None and c_fa > b_fa + 0.25:
            worse.append(f"{key}: false alarms {c_fa:.2f} s > baseline {b_fa:.2f} s")
    return worse


def save_baseline(path: Path, m: dict[str, dict[str, Any]]) -> None:
    path.write_text(json.dumps(m, indent=1, sort_keys=True), encoding="utf-8")


def outcomes_json(outcomes: list[ClipOutcome]) -> list[dict[str, Any]]:
    return [asdict(o) for o in outcomes]
