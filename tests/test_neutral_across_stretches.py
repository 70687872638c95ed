"""tools/neutral_across_stretches.py: each clip's correct back, and how far it spreads across bodies,
on the committed sessions clips."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.checker.checker import PoseChecker  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.sources.recording import RecordingSource  # noqa: E402
from tools import neutral_across_stretches as study  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"
CATALOGUE = load_catalogue()


def test_residual_sd_is_the_leave_one_out_error_of_a_least_squares_fit() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 2))
    assert study.residual_sd(x, 2.0 * x[:, 0] - x[:, 1] + 5.0) == pytest.approx(0.0, abs=1e-9)
    y = x[:, 0] + rng.normal(scale=0.5, size=30)
    misses = []
    for i in range(30):  # fit on the others, predict the one left out
        keep = np.arange(30) != i
        a = np.column_stack([x[keep], np.ones(29)])
        coef, *_ = np.linalg.lstsq(a, y[keep], rcond=None)
        misses.append(y[i] - np.append(x[i], 1.0) @ coef)
    assert study.residual_sd(x, y) == pytest.approx(float(np.sqrt(np.mean(np.square(misses)))))
    assert math.isnan(study.residual_sd(x[:4], y[:4]))  # 3 parameters need 6 points


@pytest.fixture(scope="module")
def clips() -> list[study.ClipNeutral]:
    found = [study.clip_neutral(p, "sessions", CATALOGUE) for p in sorted(SESSIONS.glob("*.landmarks.npz"))]
    return [c for c in found if c is not None]


def test_each_sessions_clip_gives_its_bodys_neutral_as_the_checker_learns_it(
        clips: list[study.ClipNeutral]) -> None:
    assert len(clips) == 21
    assert {(c.stretch, c.body) for c in clips} == {(s, b) for s in study.STRETCHES
                                                     for b in {c.body for c in clips}}
    # the hamstring stretch learns its own neutral on lower_back_bend from the same correct start:
    # the median of its first steady second sits within the clip's own steadiness of the whole start's
    for c in clips:
        if c.stretch != "hamstring_stretch":
            continue
        (path,) = SESSIONS.glob(f"hamstring_stretch__*_{c.body}__*.landmarks.npz")
        checker = PoseChecker(CATALOGUE["hamstring_stretch"])
        learned = None
        for frame in RecordingSource(path):
            checker.update(frame)
            learned = learned if learned is not None else checker.own_neutral("lumbar_rounding")
        assert learned is not None
        assert c.reading["lower_back_bend"] == pytest.approx(learned, abs=2.0)
        assert 0.0 <= abs(c.yaw_deg) <= 45.0 and len(c.phenotype) == len(study.PHENOTYPE)


def test_the_spread_is_across_bodies_and_a_fit_on_too_few_bodies_is_not_given(
        clips: list[study.ClipNeutral]) -> None:
    rows = study.spread_rows(clips)
    assert [(r.feature, r.stretch) for r in rows] == [(f, s) for f in study.FEATURES for s in study.STRETCHES]
    for r in rows:
        y = [c.reading[r.feature] for c in clips if c.stretch == r.stretch]
        assert r.bodies == 7 and r.spread == pytest.approx(float(np.std(y)))
        assert math.isnan(r.build)  # six controls and a constant need ten bodies
        assert not math.isnan(r.others)
        assert [o for o, _ in r.r] == [s for s in study.STRETCHES if s != r.stretch]
    text = "\n".join(study.report(clips, ["samples/sessions"], None))
    assert "| lower_back_bend | hamstring_stretch | 7 |" in text
