"""A recorded video's key measures over time, and its mistake spans, as plain rows for plotting."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from posecheck.checker.events import Verdict
from posecheck.features.catalogue import limb_feature
from posecheck.poses.schema import PoseDefinition


@dataclass(frozen=True)
class MeasureSeries:
    """One key measure: the smoothed feature a check reads, with its flag level."""

    check_id: str
    label: str  # "Arched lower back: back_curve (deg)"
    flag_level: float
    times: tuple[float, ...]
    values: tuple[float, ...]  # NaN where it could not be measured


def key_measures(verdicts: list[Verdict], pose: PoseDefinition) -> list[MeasureSeries]:
    """Each check's feature over time, read for the working side the checker had at each frame.

    A value shows only where the check was judged (in position, in its camera view); a check never
    judged in the video gets no series.
    """
    out = []
    for check in pose.checks:
        times, values = [], []
        for v in verdicts:
            name = limb_feature(check.feature, check.limb, v.side)
            judged = any(c.id == check.id and c.state != "not_checked" for c in v.checks)
            times.append(round(v.timestamp, 3))
            values.append(v.features.get(name, math.nan) if name and judged else math.nan)
        if not any(math.isfinite(x) for x in values):
            continue
        label = f"{check.title}: {'working ' if check.limb == 'working' else ''}{check.feature}"
        out.append(MeasureSeries(check.id, label, check.enter, tuple(times), tuple(values)))
    return out


def measure_rows(series: list[MeasureSeries]) -> list[dict[str, Any]]:
    """Long-format rows (time, measure, value) with unmeasured frames left out."""
    return [{"time_s": t, "measure": s.label, "value": round(x, 2)}
            for s in series for t, x in zip(s.times, s.values, strict=True) if math.isfinite(x)]


def mistake_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's mistake spans as rows: title, side, start, end, duration, cue."""
    listed = [("", m) for m in report.get("mistakes", [])]
    for one in report.get("stretches", {}).values():  # a recognised-stretch report: each one's own
        listed += [(f"{one['pose']['name']}: ", m) for m in one["mistakes"]]
    rows = [{"check": m["check"], "mistake": prefix + m["title"], "side": m["side"], "start_s": m["start_s"],
             "end_s": m["end_s"] if m["end_s"] is not None else m["start_s"],
             "duration_s": m["duration_s"], "severity": m["severity"], "cue": m["cue"]}
            for prefix, m in listed]
    return sorted(rows, key=lambda r: r["start_s"])

