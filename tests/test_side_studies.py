"""The seated glute stretch's side studies (tools/figure4_side_study.py, tools/glute_far_side.py),
run on the committed sessions clips."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.poses import load_catalogue  # noqa: E402
from tools import figure4_side_study, glute_far_side  # noqa: E402
from tools.study_output import cell  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"


def test_a_pair_is_swapped_when_it_sits_closer_to_the_truth_the_other_way_round() -> None:
    p = np.zeros((33, 3))
    p[27, :2], p[28, :2] = (10.0, 50.0), (30.0, 52.0)  # MediaPipe's left and right ankles
    truth = {"left_ankle": [11.0, 51.0], "right_ankle": [29.0, 50.0]}
    assert not figure4_side_study._swapped(p, truth, "ankle")
    crossed = {"left_ankle": truth["right_ankle"], "right_ankle": truth["left_ankle"]}
    assert figure4_side_study._swapped(p, crossed, "ankle")


def test_the_figure4_study_counts_every_seated_side_clip_and_finds_the_crossed_ankle_higher() -> None:
    pose = load_catalogue()["glute_stretch"]
    paths = sorted(SESSIONS.glob(figure4_side_study.PATTERN))
    rows = [figure4_side_study.clip_row(p, pose) for p in paths]
    assert len(paths) == 7 and all(r is not None for r in rows)
    for r in rows:
        assert r is not None
        assert all(0.0 <= r[k] <= 1.0 for k in ("ankles", "knees", "higher"))
        # the crossed leg rests on the other knee: its ankle is the higher one in every frame
        assert r["higher"] == 1.0
        assert not (r["side_right"] and r["side_none"])


def test_the_figure4_study_writes_one_row_per_camera_group(tmp_path: Path) -> None:
    out = tmp_path / "figure4.md"
    sys_argv = sys.argv
    sys.argv = ["figure4_side_study.py", str(SESSIONS), "--out", str(out)]
    try:
        assert figure4_side_study.main() == 0
    finally:
        sys.argv = sys_argv
    rows = [line for line in out.read_text().splitlines() if line.startswith(("| near", "| far"))]
    assert sum(int(line.split("|")[2]) for line in rows) == 7


def test_a_compensated_seated_bend_turns_the_outline_and_follows_the_lumbar_angle() -> None:
    paths = sorted(SESSIONS.glob(glute_far_side.PATTERN))
    assert len(paths) == 3  # the committed sessions set compensates three seated glute bends
    for path in paths:
        row = glute_far_side.clip_row(path, None)
        turn_mp, turn_chord, turn_true = row["turn"]
        # 30 deg of rounding, the pelvis tipped back as far: the outline turns with it, and
        # rounds further as the angle grows (the measurement's smallest turn over 33 rendered
        # clips was +3.8 deg)
        assert turn_mp > 3.0 and turn_chord > 3.0 and row["r"][0] > 0.0 and row["r"][1] > 0.0
        assert math.isnan(turn_true)  # no true silhouettes given: not traced
        assert row["far_side"] is (row["camera"] != row["crossed"])


def test_the_far_side_table_formats_missing_values_as_a_dash() -> None:
    # its turn cells (tools/study_output.py cell, with the spec the table gives them)
    assert cell(math.nan, "+.1f") == "-" and cell(1.25, "+.1f") == "+1.2"
    assert glute_far_side._span([math.nan]) == "-"
    assert glute_far_side._span([1.0, 3.0, math.nan, 2.0]) == "2.0 (1.0 to 3.0)"


@pytest.mark.parametrize("name", ["figure4_side_study", "glute_far_side"])
def test_each_study_names_its_command_in_its_output(name: str, tmp_path: Path) -> None:
    module = {"figure4_side_study": figure4_side_study, "glute_far_side": glute_far_side}[name]
    out = tmp_path / "t.md"
    sys_argv = sys.argv
    sys.argv = [f"{name}.py", str(SESSIONS), "--out", str(out)]
    try:
        assert module.main() == 0
    finally:
        sys.argv = sys_argv
    assert f"python tools/{name}.py {SESSIONS}" in out.read_text()
