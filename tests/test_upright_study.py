"""tools/upright_study.py: leave-one-out errors, the summary's levels, and readings taken from the
right stretch of a clip."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import upright_study as study  # noqa: E402


def test_leave_one_out_errors_against_a_hand_worked_case() -> None:
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([0.0, 2.0, 4.0, 7.0])
    blind, fitted = study.loo_errors(x, y)
    # without x: each y against the mean of the other three
    assert blind == pytest.approx([0 - 13 / 3, 2 - 11 / 3, 4 - 9 / 3, 7 - 6 / 3])
    # with x: the first three lie on y = 2x, so leaving the fourth out predicts 6 for it
    assert fitted[3] == pytest.approx(1.0)
    # leaving the first out: the line through (1, 2), (2, 4), (3, 7) is y = 2.5x - 0.667, predicting -0.667
    assert fitted[0] == pytest.approx(2.0 / 3.0)


def test_an_upright_reading_that_tells_the_stretch_shrinks_the_error() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(-30, -10, 30)
    y = 0.8 * x + 5.0 + rng.normal(0.0, 0.3, 30)
    blind, fitted = study.loo_errors(x, y)
    assert np.abs(fitted).max() < 1.5 < np.abs(blind).max()


def test_too_few_bodies_to_leave_one_out() -> None:
    with pytest.raises(ValueError, match="too few"):
        study.loo_errors(np.arange(3.0), np.arange(3.0))


def _body(pose: str, i: int, up: float, held: float) -> study.Body:
    nan = {f: math.nan for f in study.FEATURES}
    return study.Body(pose, f"{pose}_{i}", {**nan, "back_curve": up}, {**nan, "back_curve": held})


def test_the_summary_levels_add_the_fixed_levels_margin_to_the_largest_error() -> None:
    ups = [-30.0, -25.0, -20.0, -15.0, -10.0]
    helds = [-28.0, -22.0, -19.0, -13.0, -9.0]
    bodies = [_body("hamstring_stretch", i, u, h) for i, (u, h) in enumerate(zip(ups, helds, strict=True))]
    bodies.append(_body("hamstring_stretch", 9, math.nan, -5.0))  # unseen upright: left out
    (row,) = study.summarise(bodies)  # lower_back_bend is unseen everywhere: no row
    blind, fitted = study.loo_errors(np.array(ups), np.array(helds))
    assert (row.pose, row.feature, row.n) == ("hamstring_stretch", "back_curve", 5)
    assert row.held_mean == pytest.approx(np.mean(helds))
    assert row.r == pytest.approx(np.corrcoef(ups, helds)[0, 1])
    assert row.level_past == pytest.approx(np.abs(fitted).max() + 1.5)
    assert row.level_past_blind == pytest.approx(np.abs(blind).max() + 1.5)
    assert row.level_past < row.level_past_blind
    text = study.table([row])
    assert f"| {row.level_past_blind:.1f} / {row.level_past:.1f} |" in text


def test_readings_come_from_the_still_upright_second_and_the_held_stretch(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A stand-in for run_clip feeds back_curve = the frame's time: the upright median is that of
    0.2..1 s, the stretch's that of 2.8 s to the end."""
    from posecheck.checker.events import Verdict

    class Frame:
        def __init__(self, t: float) -> None:
            self.timestamp = t

    def fake_run(labels: object, pose: object, watch: object) -> None:
        for i in range(60):  # 4 s at 15 fps
            t = i / 15
            verdict = Verdict(t, "good", "", None, None, True, 0.0, 30.0, features={"back_curve": t})
            watch(Frame(t), verdict)  # type: ignore[operator]

    class Labels:
        pose = "hamstring_stretch"

    monkeypatch.setattr(study, "run_clip", fake_run)
    monkeypatch.setattr(study, "load_labels", lambda _p: Labels())
    body = study.read_clip(tmp_path / "x__correct_upright_drawn1_00__ll.labels.json")
    up = [i / 15 for i in range(60) if 0.2 <= i / 15 < 1.0]
    held = [i / 15 for i in range(60) if i / 15 >= study.HOLD_FROM_S]
    assert body.upright["back_curve"] == pytest.approx(np.median(up))
    assert body.held["back_curve"] == pytest.approx(np.median(held))
    assert math.isnan(body.upright["lower_back_bend"])
    assert body.clip == "x__correct_upright_drawn1_00__ll"


def test_each_bodys_table_shows_the_readings_its_stretch_judges() -> None:
    nan = {f: math.nan for f in study.FEATURES}
    glute = study.Body("glute_stretch", "g", {**nan, "back_curve": -20.0, "sacrum_back_bend": -18.0},
                       {**nan, "back_curve": -15.0, "sacrum_back_bend": -19.5})
    ham = study.Body("hamstring_stretch", "h", nan, nan)
    text = study.body_table([glute, ham], "glute_stretch")
    assert "sacrum_back_bend: upright / stretch" in text and "lower_back_bend" not in text
    assert "| g | -20.0 / -15.0 | -18.0 / -19.5 |" in text and "| h |" not in text
