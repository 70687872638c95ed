"""A recorded video's key measures over time, and its mistake spans, as plain rows for plotting."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from posecheck.checker.events import Verdict
from posecheck.features.catalogue import limb_feature
from posecheck.poses.schema import PoseDefinition
from posecheck.sinks.report import fmt_time


@dataclass(frozen=True)
class MeasureSeries:
    """One key measure: the smoothed feature a check reads, with its flag levels."""

    check_id: str
    label: str  # "Arched lower back: back_curve (deg)"
    flag_level: float  # the pose file's fixed level (NaN: none on this measure)
    times: tuple[float, ...]
    values: tuple[float, ...]  # NaN where it could not be measured
    # the flag level against the person's own neutral at each time (NaN before one is learned);
    # empty when the check learns none on this measure
    own_levels: tuple[float, ...] = ()
    # whether the fixed level judged the check at each time: False once a back it kept flagging was
    # taken as the person's own neutral; empty when it applied throughout
    fixed_applies: tuple[bool, ...] = ()


def key_measures(verdicts: list[Verdict], pose: PoseDefinition) -> list[MeasureSeries]:
    """Each check's feature over time, read for the working side the checker had at each frame.

    A value shows only where the check was judged (in position, in its camera view); a check never
    judged in the video gets no series. A check that also judges the back against the person's own
    neutral carries that level too, on its own measure or, when it learns the neutral on another
    feature, on a second series of that feature.
    """
    out = []
    for check in pose.checks:
        own_feature = check.neutral_feature
        measures = [check.feature]
        if own_feature is not None and own_feature != check.feature:
            measures.append(own_feature)
        for feature in measures:
            times, values, own, fixed = [], [], [], []
            for v in verdicts:
                name = limb_feature(feature, check.limb, v.side)
                status = next((c for c in v.checks if c.id == check.id and c.state != "not_checked"), None)
                times.append(round(v.timestamp, 3))
                values.append(v.features.get(name, math.nan) if name and status else math.nan)
                own.append(status.own_flag if status is not None else math.nan)
                fixed.append(status is None or status.fixed_applies)
            if not any(math.isfinite(x) for x in values):
                continue
            limb = "working " if check.limb == "working" else ""
            if feature == check.feature:
                label, level = f"{check.title}: {limb}{feature}", check.enter
            else:
                label, level = f"{check.title}, against your own neutral: {limb}{feature}", math.nan
            out.append(MeasureSeries(check.id, label, level, tuple(times), tuple(values),
                                     tuple(own) if feature == own_feature else (),
                                     () if all(fixed) else tuple(fixed)))
    return out


@dataclass(frozen=True)
class StretchTimeline:
    """The key measures of one stretch over the part of the video where it was judged."""

    pose_id: str
    heading: str  # "Hip-flexor stretch (half-kneeling), 0:00.0-0:04.2"
    start_s: float
    end_s: float
    measures: tuple[MeasureSeries, ...]


def stretch_timelines(verdicts: list[Verdict], report: dict[str, Any],
                      catalogue: dict[str, PoseDefinition]) -> list[StretchTimeline]:
    """One timeline per stretch in the report: the whole video for a one-stretch analysis, and each
    recognised span for an analysis that recognised the stretches (a stretch done twice gets two).
    A span with nothing measured is left out."""
    spans = report.get("recognised")
    if spans is None:
        pose = catalogue[report["pose"]["id"]]
        times = [v.timestamp for v in verdicts] or [0.0]
        spans = [{"pose": pose.id, "name": pose.name, "start_s": min(times), "end_s": max(times),
                  "whole": True}]
    out = []
    for span in spans:
        start, end = span["start_s"], span["end_s"]
        inside = [v for v in verdicts if start - 1e-6 <= v.timestamp <= end + 1e-6]
        measures = key_measures(inside, catalogue[span["pose"]])
        if measures:
            when = f"{fmt_time(start)}-{fmt_time(end)}"
            heading = span["name"] if span.get("whole") else f"{span['name']}, {when}"
            out.append(StretchTimeline(span["pose"], heading, start, end, tuple(measures)))
    return out


def fixed_level_rows(series: MeasureSeries) -> list[dict[str, Any]]:
    """The fixed flag level as spans (start, end, level) over the times it judged the check: the
    whole series, or up to where the person's own neutral was adopted and again from the next hold
    on. Empty when the measure has no fixed level."""
    if not math.isfinite(series.flag_level) or not series.times:
        return []
    applies = series.fixed_applies or (True,) * len(series.times)
    rows: list[dict[str, Any]] = []
    start: float | None = None
    for i, (t, on) in enumerate(zip(series.times, applies, strict=True)):
        if on and start is None:
            start = t
        if start is not None and (not on or i == len(series.times) - 1):
            rows.append({"start_s": start, "end_s": t, "flag": series.flag_level})
            start = None
    return rows


def own_level_rows(series: MeasureSeries) -> list[dict[str, Any]]:
    """The own-neutral flag level over time as rows (time, level), where one was learned."""
    if not series.own_levels:
        return []
    return [{"time_s": t, "own_level": round(x, 2)}
            for t, x in zip(series.times, series.own_levels, strict=True) if math.isfinite(x)]


def measure_rows(series: list[MeasureSeries]) -> list[dict[str, Any]]:
    """Long-format rows (time, measure, value) with unmeasured frames left out."""
    return [{"time_s": t, "measure": s.label, "value": round(x, 2)}
            for s in series for t, x in zip(s.times, s.values, strict=True) if math.isfinite(x)]


def mistake_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's mistake spans as rows: title, side, start, end, duration, cue."""
    listed = [("", report["pose"]["id"], m) for m in report.get("mistakes", [])]
    for one in report.get("stretches", {}).values():  # a recognised-stretch report: each one's own
        listed += [(f"{one['pose']['name']}: ", one["pose"]["id"], m) for m in one["mistakes"]]
    rows = [{"pose": pose_id, "check": m["check"], "mistake": prefix + m["title"], "side": m["side"],
             "start_s": m["start_s"], "end_s": m["end_s"] if m["end_s"] is not None else m["start_s"],
             "duration_s": m["duration_s"], "severity": m["severity"], "cue": m["cue"]}
            for prefix, pose_id, m in listed]
    return sorted(rows, key=lambda r: r["start_s"])

