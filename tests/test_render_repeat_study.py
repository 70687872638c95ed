"""tools/render_repeat_study.py: how far a second render of the same clip moves the lumbar readings."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.poses import load_catalogue  # noqa: E402
from tools import render_repeat_study as study  # noqa: E402
from tools.camera_quality_study import Run, run_clip  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"


def test_a_picture_change_is_a_mean_level_and_a_share_of_pixels_past_8_levels() -> None:
    a = np.full((2, 2, 3), 100, np.uint8)
    assert study.frame_change(a, a.copy()) == (0.0, 0.0)
    b = a.copy()
    b[0, 0, 1] = 110  # one channel of one pixel of four, 10 levels up
    mean, share = study.frame_change(a, b)
    assert mean == pytest.approx(10 / 12) and share == pytest.approx(0.25)
    b[0, 0, 1] = 92  # 8 levels down: not counted as changed
    assert study.frame_change(a, b)[1] == 0.0


def _run(false_alarm_s: float, neutral_s: float | None, readings: dict[float, tuple[float, float]]) -> Run:
    return Run("x.mp4", "hamstring_stretch", "as rendered", False, false_alarm_s, None, 8.0, neutral_s,
               readings=readings)


def test_the_reading_change_is_taken_over_frames_both_runs_judged() -> None:
    first = _run(0.0, 1.0, {0.0: (-10.0, -20.0), 0.1: (-10.0, -20.0), 0.2: (-10.0, -20.0)})
    again = _run(0.7, 1.1, {0.1: (-9.0, -20.5), 0.2: (-13.0, math.nan), 0.3: (0.0, 0.0)})
    # frames 0.1 and 0.2 are in both; the NaN is left out of the second reading
    assert study.reading_change(first, again) == ((2.0, 3.0), (0.5, 0.5))
    nothing = _run(0.0, None, {})
    fixed, own = study.reading_change(first, nothing)
    assert all(math.isnan(x) for x in (*fixed, *own))
    pair = study.Pair("a", "hamstring_stretch", (0.5, 1.25, 0.0123), first, again)
    row = "| a | 0.50 / 1.25 | 1.23% | 0.0 / 0.7 | 1.0 / 1.1 | 2.00 / 3.00 | 0.50 / 0.50 |"
    assert study.pair_row(pair) == row
    rows = study.summary([pair], load_catalogue())
    assert rows[2] == "| hamstring_stretch | back_curve / lower_back_bend | 1 | 0 / 1 / 1 | 3.00 / 0.50 |"


def test_the_same_video_judged_twice_reads_the_same() -> None:
    """The floor the study measures is the renderer's: MediaPipe and the checker give the same
    readings on the same video."""
    video = sorted(SESSIONS.glob("hamstring_stretch__lumbar_rounding_30deg_session_*.mp4"))[0]
    catalogue = load_catalogue()
    one, two = run_clip(video, "as rendered", catalogue), run_clip(video, "as rendered", catalogue)
    assert one is not None and two is not None and one.stretch == "hamstring_stretch"
    assert len(one.readings) > 40 and one.neutral_s is not None
    assert study.reading_change(one, two) == ((0.0, 0.0), (0.0, 0.0))
    assert study.picture_change(video, video) == (0.0, 0.0, 0.0)


def test_a_clip_without_a_first_render_is_an_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    again = tmp_path / "again"
    again.mkdir()
    video = sorted(SESSIONS.glob("hamstring_stretch__*.mp4"))[0]
    shutil.copy(video, again)
    with pytest.raises(SystemExit):
        study.main([f"{tmp_path / 'first'}={again}"])
    assert f"no first render of {video.name}" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        study.main([str(again)])
    assert "expected FIRST_DIR=AGAIN_DIR" in capsys.readouterr().err
