"""Several recordings in one `posecheck analyze`: a worker process each, a summary table, a JSON
report per file, and a file that cannot be read reported without stopping the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posecheck.batch import expand
from posecheck.cli import main

HELDOUT = Path(__file__).resolve().parents[1] / "samples" / "heldout"
SESSIONS = HELDOUT.parent / "sessions"


def test_folders_and_globs_expand_to_recordings_once(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"x")
    (tmp_path / "b.landmarks.npz").write_bytes(b"x")
    (tmp_path / "c.M4V").write_bytes(b"x")  # every container the decoder opens, in any case
    (tmp_path / "notes.txt").write_text("x")
    got = expand([str(tmp_path), str(tmp_path / "*.mp4")])
    assert [p.name for p in got] == ["a.mp4", "b.landmarks.npz", "c.M4V"]


def test_a_batch_reports_every_file_and_carries_on_past_a_broken_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    out = tmp_path / "reports"
    code = main(["analyze", str(HELDOUT / "cat_cow__reps_full__lr.landmarks.npz"),
                 str(HELDOUT / "knee_to_chest__correct_*.landmarks.npz"), str(broken),
                 "--pose", "auto", "--jobs", "2", "--out-dir", str(out), "-q"])
    assert code == 3  # the broken file's exit code; the others were still analysed
    table = capsys.readouterr().out
    rows = {line.split()[0]: line for line in table.splitlines()[1:-2]}
    assert rows["cat_cow__reps_full__lr.landmarks.npz"].split()[1] == "ok" and "Cat-cow: 3 reps" in table
    assert "Knee to chest: left" in table and "Knee to chest: right" in table
    assert "broken.mp4" in table and "error 3" in table and "Cannot open broken.mp4" in table
    assert "3 of 4 files analysed." in table
    summary = json.loads((out / "summary.json").read_text())
    assert [r["exit_code"] for r in summary] == [0, 0, 0, 3]
    report = json.loads((out / "cat_cow__reps_full__lr.json").read_text())
    assert report["stretches"]["cat_cow"]["reps"]["counted"] == 3


def test_one_file_options_are_refused_for_a_batch(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(HELDOUT / "knee_to_chest__correct_*.landmarks.npz"), "--pose",
                 "knee_to_chest", "--json", "x.json", "-q"])
    assert code == 2 and "use --out-dir" in capsys.readouterr().err


def test_nothing_matched_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(HELDOUT / "no_such_*.mp4"), "--pose", "auto", "-q"]) == 3
    assert "no videos or recordings found" in capsys.readouterr().err


def test_stride_judges_every_nth_frame_and_keeps_the_verdict(tmp_path: Path) -> None:
    from posecheck.analysis import analyze

    # a neutral start, then a rounding held to the clip's end
    clip = SESSIONS / "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr.landmarks.npz"
    full = analyze(clip, None, stride=1).report
    half = analyze(clip, None, stride=2).report
    assert half["frames"] == (full["frames"] + 1) // 2
    assert [s["pose"] for s in half["recognised"]] == [s["pose"] for s in full["recognised"]]
    for report in (full, half):  # the rounding is still caught on half the frames
        mistakes = report["stretches"]["hamstring_stretch"]["mistakes"]
        assert [m["check"] for m in mistakes] == ["lumbar_rounding"]
    with pytest.raises(ValueError, match="stride"):
        analyze(clip, None, stride=0)


def test_a_batch_passes_the_speed_options_to_every_file(tmp_path: Path) -> None:
    """--stride (and the other analysis options) reach each worker, not only a single-file run."""
    clips = sorted(HELDOUT.glob("knee_to_chest__correct_*.landmarks.npz"))
    out = tmp_path / "reports"
    assert main(["analyze", *map(str, clips), "--pose", "knee_to_chest", "--stride", "3",
                 "--jobs", "1", "--out-dir", str(out), "-q"]) == 0
    from posecheck.sources.recording import RecordingSource

    for clip in clips:
        report = json.loads((out / clip.name.replace(".landmarks.npz", ".json")).read_text())
        assert report["frames"] == (len(RecordingSource(clip)) + 2) // 3


def test_report_names_are_the_clip_names_and_never_collide() -> None:
    from posecheck.batch import report_names

    names = report_names([Path("a/clip.mp4"), Path("a/clip.landmarks.npz"), Path("a/other.mov"),
                          Path("b/x/take.mp4"), Path("c/x/take.mp4"), Path("d/take.MOV")])
    assert names[Path("a/other.mov")] == "other.json"
    assert names[Path("a/clip.mp4")] == "clip.mp4.json"
    assert names[Path("a/clip.landmarks.npz")] == "clip.landmarks.npz.json"
    assert len(set(names.values())) == len(names) == 6
    assert names[Path("d/take.MOV")] != names[Path("b/x/take.mp4")] != names[Path("c/x/take.mp4")]
    assert names[Path("b/x/take.mp4")].endswith("take.mp4.json") and "b" in names[Path("b/x/take.mp4")]


def test_two_recordings_of_one_name_in_two_folders_keep_both_reports(tmp_path: Path) -> None:
    """A folder is searched with its subfolders: two sessions' clip.landmarks.npz must not share a report."""
    clips = sorted(HELDOUT.glob("knee_to_chest__correct_*.landmarks.npz"))
    for folder, clip in zip(("monday", "tuesday"), clips, strict=False):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "clip.landmarks.npz").write_bytes(clip.read_bytes())
    out = tmp_path / "reports"
    assert main(["analyze", str(tmp_path / "in"), "--pose", "knee_to_chest", "--jobs", "1",
                 "--out-dir", str(out), "-q"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert [Path(r["file"]).parent.name for r in summary] == ["monday", "tuesday"]
    reports = [r["report"] for r in summary]
    assert len(set(reports)) == 2 and all((out / name).exists() for name in reports)
    sides = [json.loads((out / name).read_text())["sides"] for name in reports]
    assert sides[0] != sides[1]  # each report is its own clip's (one left side, one right)
