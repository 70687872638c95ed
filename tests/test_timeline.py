"""The recorded-video timeline: one set of charts per stretch, over the span where it was judged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.poses import load_catalogue
from posecheck.sinks.timeline import MeasureSeries, fixed_level_rows, mistake_rows, stretch_timelines
from posecheck.sources.recording import RecordingSource

SESSIONS = Path(__file__).resolve().parents[1] / "samples" / "sessions"
HIP = "hip_flexor_stretch__arched_lower_back_30deg_session_female_slim__lr"
HAM = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr"


def _judged(clip: str, pose_id: str, shift_s: float = 0.0) -> list[Verdict]:
    checker = PoseChecker(load_catalogue()[pose_id])
    return [dataclasses.replace(checker.update(f), timestamp=f.timestamp + shift_s)
            for f in RecordingSource(SESSIONS / f"{clip}.landmarks.npz")]


def test_each_recognised_stretch_gets_its_own_timeline_over_its_own_span() -> None:
    catalogue = load_catalogue()
    first = _judged(HIP, "hip_flexor_stretch")
    gap = first[-1].timestamp + 1.0
    second = _judged(HAM, "hamstring_stretch", shift_s=gap)
    report = {"pose": {"id": "auto", "name": "Recognised automatically"},
              "recognised": [{"pose": "hip_flexor_stretch", "name": "Hip flexor", "start_s": 0.0,
                              "end_s": first[-1].timestamp},
                             {"pose": "hamstring_stretch", "name": "Hamstring", "start_s": gap,
                              "end_s": second[-1].timestamp}]}
    hip, ham = stretch_timelines(first + second, report, catalogue)
    assert (hip.pose_id, ham.pose_id) == ("hip_flexor_stretch", "hamstring_stretch")
    assert hip.heading.startswith("Hip flexor, 0:00.0-") and ham.heading.startswith("Hamstring, 0:")
    assert {s.check_id for s in hip.measures} >= {"arched_lower_back"}
    assert {s.check_id for s in ham.measures} >= {"lumbar_rounding"}
    for part, verdicts in ((hip, first), (ham, second)):
        for series in part.measures:  # every sample of a series lies inside its own span
            assert series.times == tuple(round(v.timestamp, 3) for v in verdicts)


def test_a_one_stretch_report_gets_one_timeline_named_after_the_stretch() -> None:
    catalogue = load_catalogue()
    verdicts = _judged(HIP, "hip_flexor_stretch")
    (only,) = stretch_timelines(verdicts, {"pose": {"id": "hip_flexor_stretch"}}, catalogue)
    assert only.heading == catalogue["hip_flexor_stretch"].name
    assert (only.start_s, only.end_s) == (verdicts[0].timestamp, verdicts[-1].timestamp)
    assert stretch_timelines([], {"pose": {"id": "hip_flexor_stretch"}}, catalogue) == []


def test_mistake_rows_name_the_stretch_they_belong_to() -> None:
    mistake = {"check": "lumbar_rounding", "title": "Rounded back", "side": "right", "start_s": 1.0,
               "end_s": None, "duration_s": 0.0, "severity": "major", "cue": "Hinge"}
    auto = {"pose": {"id": "auto"}, "stretches": {"hamstring_stretch": {
        "pose": {"id": "hamstring_stretch", "name": "Hamstring"}, "mistakes": [mistake]}}}
    (row,) = mistake_rows(auto)
    assert (row["pose"], row["mistake"]) == ("hamstring_stretch", "Hamstring: Rounded back")
    assert row["end_s"] == 1.0  # still open at the end: drawn from its start
    (row,) = mistake_rows({"pose": {"id": "hamstring_stretch"}, "mistakes": [mistake]})
    assert (row["pose"], row["mistake"]) == ("hamstring_stretch", "Rounded back")


def test_the_fixed_level_is_drawn_only_while_it_judged_the_check() -> None:
    times = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    values = (1.0,) * len(times)
    throughout = MeasureSeries("c", "C: f", 4.0, times, values)
    assert fixed_level_rows(throughout) == [{"start_s": 0.0, "end_s": 3.0, "flag": 4.0}]
    # taken as the neutral at 1.0; a new hold from 2.5 is judged by the fixed level again
    gap = dataclasses.replace(throughout, fixed_applies=(True, True, False, False, False, True, True))
    assert fixed_level_rows(gap) == [{"start_s": 0.0, "end_s": 1.0, "flag": 4.0},
                                     {"start_s": 2.5, "end_s": 3.0, "flag": 4.0}]
    # a measure with no fixed level (the own-neutral feature's series) draws none
    assert fixed_level_rows(dataclasses.replace(throughout, flag_level=float("nan"))) == []
