"""The recorded-video timeline: each key measure over time, with its flag levels and mistake spans shaded."""

from __future__ import annotations

from typing import Any

import altair as alt

from posecheck.sinks.timeline import MeasureSeries, fixed_level_rows, measure_rows, own_level_rows


def measure_chart(series: MeasureSeries, spans: list[dict[str, Any]]) -> alt.LayerChart:
    """Line of one measure; red dashed rule at its fixed flag level while that judged the check;
    orange dashed steps at the level against the person's own neutral, once learned; red bands where
    its mistake was flagged."""
    rows = measure_rows([series])
    base = alt.Chart(alt.Data(values=rows)).mark_line(color="#2c3e50").encode(
        x=alt.X("time_s:Q", title="time (s)"),
        y=alt.Y("value:Q", title=series.label.split(": ", 1)[-1], scale=alt.Scale(zero=False)))
    layers: list[alt.Chart] = []
    mine = [s for s in spans if s["check"] == series.check_id]
    if mine:
        layers.append(alt.Chart(alt.Data(values=mine)).mark_rect(color="#e74c3c", opacity=0.18).encode(
            x="start_s:Q", x2="end_s:Q"))
    layers.append(base)
    fixed = fixed_level_rows(series)
    if fixed:  # only while the fixed level judged the check (not once the back was adopted)
        layers.append(alt.Chart(alt.Data(values=fixed)).mark_rule(
            color="#e74c3c", strokeDash=[6, 4]).encode(x="start_s:Q", x2="end_s:Q", y="flag:Q"))
    own = own_level_rows(series)
    if own:
        layers.append(alt.Chart(alt.Data(values=own)).mark_line(
            color="#e67e22", strokeDash=[3, 3], interpolate="step-after").encode(
                x="time_s:Q", y="own_level:Q"))
    return alt.layer(*layers).properties(height=180, title=series.label)
