"""tools/room_study.py: the lumbar stretches judged in a furnished room beside their plain-wall twins."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.labels import labels_beside  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools import room_study as study  # noqa: E402
from tools.camera_quality_study import Run  # noqa: E402
from tools.twin_study import Pair  # noqa: E402


def _labels(tmp_path: Path, top: str, sofa_rgb: list[int], sofas: int = 1) -> Path:
    video = tmp_path / "x.mp4"
    seat = {"kind": "box", "center": [1.0, 0.0, 0.22], "size": [0.9, 2.0, 0.44], "rgb": sofa_rgb}
    stool = {"kind": "box", "center": [0.0, 0.5, 0.23], "size": [0.45, 0.4, 0.46], "rgb": [150, 110, 70]}
    (tmp_path / "x.labels.json").write_text(json.dumps(
        {"format": "posecheck-labels/1", "pose": "glute_stretch", "frames": [],
         "generator": {"params": {"look": {"top_color": top}, "props": [stool, *[seat] * sofas]}}}))
    return video


def test_the_sofa_is_told_from_the_labels(tmp_path: Path) -> None:
    assert study.sofa_like_top(labels_beside(_labels(tmp_path, "navy", [35, 45, 90])))  # CLOTH["navy"]
    assert not study.sofa_like_top(labels_beside(_labels(tmp_path, "navy", [70, 70, 75])))
    with pytest.raises(ValueError, match="0 sofas"):  # a clip of another set
        study.sofa_like_top(labels_beside(_labels(tmp_path, "navy", [70, 70, 75], sofas=0)))


def _run(stretch: str, flagged: bool) -> Run:
    return Run("x.mp4", stretch, "as rendered", flagged, 0.0, None, 8.0, 1.0)


def test_the_overview_counts_each_stretch_by_the_wall_and_in_the_room() -> None:
    def pair(name: str, sofa: str, room: bool, wall: bool) -> Pair:
        stretch = name.split("__")[0].removesuffix("_seated")
        return Pair(name, sofa, _run(stretch, room), _run(stretch, wall))

    pairs = [pair("hamstring_stretch__correct_a", "yes", True, False),
             pair("hamstring_stretch__correct_b", "no", False, False),
             pair("hamstring_stretch__lumbar_c", "yes", True, True),
             pair("hamstring_stretch__lumbar_d", "no", False, True),
             pair("glute_stretch_seated__correct_e", "no", False, True)]
    rows = study.overview(pairs, load_catalogue())
    assert len(rows) == 4  # header, rule, and the two stretches with clips (none of the hip flexor)
    ham, glute = rows[2].split(" | "), rows[3].split(" | ")
    # hamstring: the room flagged one of two correct holds (on the shirt-coloured sofa) and caught
    # one of two mistakes; of the two sofa clips, one went wrong in the room
    assert ham[1:] == ["0 / 1 of 2", "2 / 1 of 2", "1 of 2 |"]
    assert glute[1:] == ["1 / 0 of 1", "0 / 0 of 0", "0 of 0 |"]

