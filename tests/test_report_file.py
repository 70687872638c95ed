"""The JSON report file: the timeline streamed from a spool reads back the same as one held in memory."""

from __future__ import annotations

import json
from pathlib import Path

from posecheck.checker.checker import PoseChecker
from posecheck.poses import pose_by_id
from posecheck.sinks.report import TimelineSpool, build_report, write_report
from posecheck.sources.recording import RecordingSource

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_spooled_timeline_matches_the_in_memory_one(tmp_path: Path) -> None:
    pose = pose_by_id("hip_flexor_stretch")
    checker = PoseChecker(pose)
    spool = TimelineSpool()
    verdicts = []
    for frame in RecordingSource(SAMPLES / "starter" / "lunge_arch.landmarks.npz"):
        verdict = checker.update(frame)
        verdicts.append(verdict)
        spool.add(verdict)
    checker.finish()
    in_memory = build_report(checker, {"path": "lunge_arch"}, verdicts)
    write_report(tmp_path / "memory.json", in_memory)
    write_report(tmp_path / "spooled.json", build_report(checker, {"path": "lunge_arch"}), spool.rows())
    spool.close()
    memory = json.loads((tmp_path / "memory.json").read_text())
    spooled = json.loads((tmp_path / "spooled.json").read_text())
    assert spooled == memory
    assert len(spooled["timeline"]) == spool.frames == 24
    assert spooled["timeline"][-1]["status"] == verdicts[-1].status
    assert list(spooled)[-1] == "timeline"  # the long part goes last, after the summary


def test_report_without_a_timeline_is_plain_json(tmp_path: Path) -> None:
    checker = PoseChecker(pose_by_id("hip_flexor_stretch"))
    report = build_report(checker, {"path": "nothing"})
    write_report(tmp_path / "r.json", report)
    assert json.loads((tmp_path / "r.json").read_text()) == json.loads(json.dumps(report))
    assert "timeline" not in report


def test_an_empty_timeline_is_an_empty_list(tmp_path: Path) -> None:
    checker = PoseChecker(pose_by_id("hip_flexor_stretch"))
    write_report(tmp_path / "r.json", build_report(checker, {"path": "x"}), iter([]))
    assert json.loads((tmp_path / "r.json").read_text())["timeline"] == []


def test_a_bad_in_memory_timeline_fails_before_the_file_is_touched(tmp_path: Path) -> None:
    import pytest

    checker = PoseChecker(pose_by_id("hip_flexor_stretch"))
    report = build_report(checker, {"path": "x"})
    report["timeline"] = [{"time_s": float("nan")}]
    target = tmp_path / "r.json"
    with pytest.raises(ValueError):
        write_report(target, report)
    assert not target.exists()
