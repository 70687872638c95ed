"""tools/restless_study.py: false alarms on flat backs that move, and what moves the reading."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.own_neutral_study import ClipTrace  # noqa: E402
from tools.restless_study import (  # noqa: E402
    clip_table,
    gains_table,
    main,
    moved_params,
    reach_variants,
    rise,
    settling,
    settling_variants,
    summary_table,
    what_if_table,
    wider_variants,
)


def _trace(clip: str, lumbar_gain: float, breath_gain: float, seed: int,
           flag_from: float = math.inf) -> ClipTrace:
    """A hamstring clip (rounding raises the reading) whose reading is made from the angles moved."""
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, 8.0, 1 / 15)
    lumbar = 2.0 * np.sin(2 * np.pi * t / rng.uniform(5, 9))
    breath = 1.5 * np.sin(2 * np.pi * t / rng.uniform(3.5, 5.5) + 1.0)
    hinge = 40.0 + np.clip(t - 2.0, 0.0, 2.0) * 3.0  # sinks 6 deg deeper; it should not matter
    reading = -20.0 + lumbar_gain * lumbar + breath_gain * breath
    neutral = np.where(t >= 1.0, -20.0, math.nan)
    tr = ClipTrace(clip, "hamstring_stretch", "body", False)
    tr.t, tr.truth, tr.own, tr.reading = list(t), list(lumbar), list(reading), list(reading)
    tr.severity, tr.neutral = [0.0] * len(t), list(neutral)
    tr.flagged = [bool(x >= flag_from) for x in t]
    tr.params = [{"lumbar_flexion_deg": float(a), "breath_deg": float(b), "hip_hinge_deg": float(h),
                  "front_leg_deg": 50.0} for a, b, h in zip(lumbar, breath, hinge, strict=True)]
    tr.others = [()] * len(t)
    return tr


def test_the_fit_recovers_how_far_each_moved_angle_moves_the_reading() -> None:
    traces = [_trace(f"c{i}", 0.6, -0.85, seed=i) for i in range(4)]
    # the lumbar angle first; angles that stay still are left out
    assert moved_params(traces[0]) == ["lumbar_flexion_deg", "breath_deg", "hip_hinge_deg"]
    rows = {row.split(" | ")[1]: row for row in gains_table(traces).splitlines()[2:]}
    assert "| +0.60 |" in rows["lumbar angle set"]
    assert "| -0.85 |" in rows["breath (upper back extension)"]
    assert "| +0.00 |" in rows["hip hinge"] or "| -0.00 |" in rows["hip hinge"]
    assert "R² 1.00" in rows["(what is left: sd; share of the variance fitted)"]


def test_false_alarms_are_counted_per_clip_and_in_seconds() -> None:
    quiet, loud = _trace("quiet", 0.6, -0.85, seed=1), _trace("loud", 0.6, -0.85, seed=2, flag_from=6.0)
    loud.others = [("other_check",) if t > 7.0 else () for t in loud.t]
    row = summary_table([quiet, loud]).splitlines()[2]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:3] == ["hamstring_stretch", "2", "1 / 2.0"]  # frames from 6.0 s to 7.93 s: 2.0 s
    assert cells[3] == "1 (other_check 1)"
    assert cells[4] == "2 / 1.0"  # both learned their neutral at 1 s
    largest = max(rise(loud))  # past -20, after 1 s: at most both swings' peaks added
    assert 1.0 < largest <= 0.6 * 2.0 + 0.85 * 1.5 + 1e-9
    table = clip_table([loud])
    assert "| loud | -2.0 / +2.0 | -20.0 (1.0) |" in table and "| 2.0 | other_check |" in table


def test_a_folder_without_restless_clips_is_a_clear_error(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    clip = "hip_flexor_stretch__correct_1__ll"
    shutil.copy(ROOT / "samples" / "synth" / f"{clip}.labels.json", tmp_path / f"{clip}.labels.json")
    assert main([str(tmp_path)]) == 2  # a label file but no landmarks: nothing to trace
    assert "render and extract them first" in capsys.readouterr().err


def test_the_what_ifs_change_only_the_lumbar_checks_own_neutral() -> None:
    from posecheck.poses import load_catalogue

    pose = load_catalogue()["glute_stretch"]
    own = pose.check("forward_bend").from_own_neutral
    assert own is not None and own.settles_for_s > 0
    longer = settling(pose, 10.0)
    changed = longer.check("forward_bend").from_own_neutral
    assert changed is not None and changed.settles_for_s == 10.0
    assert changed.model_copy(update={"settles_for_s": own.settles_for_s}) == own
    others = [c for c in pose.checks if c.id != "forward_bend"]
    assert [c for c in longer.checks if c.id != "forward_bend"] == others
    # one row per value, the shipped one marked, and each row's pose settles for what its label says
    rows = settling_variants(own)
    assert [label for label, _, shipped in rows if shipped] == [f"{own.settles_for_s:g} s"]
    for label, change, _ in rows:
        got = change(pose).check("forward_bend").from_own_neutral
        assert got is not None and f"{got.settles_for_s:g} s" == label
    # the reach rows change how far the neutral may settle, and nothing else
    reach = reach_variants(own)
    assert [label for label, _, shipped in reach if shipped] == [
        f"{own.settles_for_s:g} s, {own.settling_reach:g} deg"]
    for label, change, _ in reach:
        got = change(pose).check("forward_bend").from_own_neutral
        assert got is not None and f"{got.settles_for_s:g} s, {got.settling_reach:g} deg" == label
        assert got.model_copy(update={"settles_within": own.settles_within,
                                      "settles_for_s": own.settles_for_s}) == own
    # the wider levels keep the settling and move flag and clear together
    for label, change, shipped in wider_variants(own):
        got = change(pose).check("forward_bend").from_own_neutral
        assert got is not None and got.settles_for_s == own.settles_for_s
        assert label == f"{got.flag_past:g} / {got.clear_within:g}"
        assert got.flag_past - got.clear_within == own.flag_past - own.clear_within
        assert shipped == (got == own)


def test_a_stretch_without_restless_clips_gets_no_what_if_rows(tmp_path: Path) -> None:
    # the sessions clips score the catches, but none of their stretches has a restless hold here
    sessions = ROOT / "samples" / "sessions"
    table = what_if_table([tmp_path], [sessions], "neutral settles for", settling_variants)
    assert table.splitlines()[2:] == []


def test_the_what_if_counts_restless_flags_and_catches_and_gives_each_sets_onset(tmp_path: Path) -> None:
    # stand-ins: three hamstring mistakes copied as "restless" holds (each must count as flagged),
    # and the sessions set itself, in two folders, for the catches and the onsets per set
    sessions = ROOT / "samples" / "sessions"
    restless, again = tmp_path / "restless", tmp_path / "again"
    restless.mkdir()
    again.mkdir()
    clips = sorted(p.name.removesuffix(".labels.json")
                   for p in sessions.glob("hamstring_stretch__*.labels.json"))
    for i, clip in enumerate(clips):
        for suffix in (".labels.json", ".landmarks.npz"):
            if i < 3:
                (restless / f"{clip}{suffix}").symlink_to(sessions / f"{clip}{suffix}")
            (again / f"{clip}{suffix}").symlink_to(sessions / f"{clip}{suffix}")

    def as_shipped(own: object) -> list:
        return [("as shipped", lambda pose: pose, True)]

    table = what_if_table([restless], [sessions, again], "variant", as_shipped)
    header, _, *rows = table.splitlines()
    assert "median (sessions / again) and latest (s)" in header
    (row,) = rows  # only the hamstring stretch has restless holds here
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "hamstring_stretch" and cells[1] == "as shipped (shipped)"
    assert cells[2].startswith("3 of 3 (")
    n, comp = 2 * len(clips), 2 * sum("_comp_" in clip for clip in clips)
    assert cells[3] == f"{n} of {n} ({comp} of {comp})"  # every sessions mistake is caught
    medians, latest = cells[4].split("; ")
    first, second = (float(x) for x in medians.split(" / "))
    assert first == second  # the same clips in both folders
    assert float(latest) >= first
