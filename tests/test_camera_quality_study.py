"""tools/camera_quality_study.py: the poor-camera conditions (and that every picture study's
conditions keep the frame's size and repeat), one committed clip run through the estimator, and
its tables."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck import regress  # noqa: E402
from posecheck.checker.events import Event  # noqa: E402
from posecheck.features import silhouette  # noqa: E402
from posecheck.labels import labels_beside  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools import camera_distance_study as distance  # noqa: E402
from tools import camera_quality_study as study  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"


def _picture() -> np.ndarray:
    """A 640x480 test picture: a grey ramp with a dark figure on it."""
    rgb = np.tile(np.linspace(40, 220, 640, dtype=np.uint8)[None, :, None], (480, 1, 3))
    rgb[100:400, 250:350] = 30
    return rgb


# every picture study's conditions: this tool's and tools/camera_distance_study.py's
ALL_CONDITIONS = {**study.CONDITIONS, **distance.CONDITIONS}


@pytest.mark.parametrize("name", list(ALL_CONDITIONS))
def test_each_condition_keeps_the_frame_and_repeats_with_the_same_seed(name: str) -> None:
    rgb = _picture()
    # (a fresh copy per run, as run_clip takes: some conditions count frames)
    a = copy.deepcopy(ALL_CONDITIONS[name])(rgb.copy(), np.random.default_rng(1))
    assert a.shape == rgb.shape and a.dtype == np.uint8
    assert np.array_equal(a, copy.deepcopy(ALL_CONDITIONS[name])(rgb.copy(), np.random.default_rng(1)))


def test_the_conditions_do_what_they_say() -> None:
    rgb = _picture()
    rng = np.random.default_rng(0)
    assert study.as_rendered(rgb, rng) is rgb
    flat = np.full((480, 640, 3), 100, np.uint8)
    grainy = study.dim(flat, rng).astype(float)
    # the gain restores the brightness (100 x 0.4 x 2.5) and lifts the noise with it (5 x 2.5)
    assert grainy.mean() == pytest.approx(100.0, abs=0.5) and grainy.std() == pytest.approx(12.5, rel=0.05)
    washed = study.washed_out(rgb, rng).astype(float)
    assert np.ptp(washed) == pytest.approx(0.5 * float(np.ptp(rgb)), abs=1.0) and washed.min() >= 110.0
    # the soft picture loses the sharp edge of the figure: the step is spread over several pixels
    edge = study.soft(rgb, rng)[250, 240:260, 0].astype(float)
    steps = np.abs(np.diff(edge))
    assert steps.max() < 0.8 * abs(float(rgb[250, 249, 0]) - float(rgb[250, 250, 0]))


def test_the_hunting_exposure_swings_30_percent_over_60_frames() -> None:
    flat = np.full((48, 64, 3), 100, np.uint8)
    hunt, rng = study.HuntingExposure(), np.random.default_rng(0)
    means = [float(hunt(flat, rng).mean()) for _ in range(60)]
    assert means[0] == pytest.approx(100.0, abs=0.5)
    assert means[15] == pytest.approx(130.0, abs=0.5) and means[45] == pytest.approx(70.0, abs=0.5)
    assert float(hunt(flat, rng).mean()) == pytest.approx(100.0, abs=0.5)  # frame 60: a new swing


def test_blur_and_jitter_smears_a_step_across_two_frames_and_compresses_each_differently() -> None:
    dark, light = np.full((64, 64, 3), 40, np.uint8), np.full((64, 64, 3), 200, np.uint8)
    blur, rng = study.BlurAndJitter(), np.random.default_rng(0)
    assert float(blur(dark, rng).mean()) == pytest.approx(40.0, abs=2.0)
    assert float(blur(light, rng).mean()) == pytest.approx(120.0, abs=2.0)  # half of each
    assert float(blur(light, rng).mean()) == pytest.approx(200.0, abs=2.0)
    # the quality differs between frames: the same picture comes back in different JPEGs
    busy, blur = _picture(), study.BlurAndJitter()
    outs = [blur(busy, rng) for _ in range(6)]  # the same picture each frame: only the JPEG changes
    assert len({o.tobytes() for o in outs}) > 1


def test_a_sessions_mistake_is_flagged_through_the_estimator_after_its_labelled_onset(tmp_path: Path) -> None:
    video = sorted(SESSIONS.glob("hamstring_stretch__lumbar_rounding_30deg_session_*.mp4"))[0]
    run = study.run_clip(video, "as rendered", load_catalogue(), keep=tmp_path)
    assert run is not None and run.stretch == "hamstring_stretch" and run.condition == "as rendered"
    # the labels: 1.8 s of neutral back, then 30 deg over 1.5 s (15 deg after 0.75 s), held 1 s, in
    # a 4.3 s clip; flagged within a second of passing 15 deg, and in position most of the clip
    assert run.flagged and run.onset_s is not None and abs(run.onset_s) < 1.0
    assert run.false_alarm_s == 0.0 and 3.0 < run.in_position_s <= 4.3
    # its own neutral is learned in the neutral start, read from the events of the checker regress used
    assert run.neutral_s is not None and 0.5 < run.neutral_s < 1.8
    # after a steady second in position (learn_s: 1 s), counted from the checker's position_entered
    assert run.entered_s is not None and run.learning_s is not None and 1.0 <= run.learning_s < 1.8
    # found in every frame; the torso it traced on is the labelled one, at half the frame's size
    labels = labels_beside(video)

    def mid(k: dict, part: str) -> np.ndarray:
        return np.mean([k[f"left_{part}"][:2], k[f"right_{part}"][:2]], axis=0)

    true_torso = [0.5 * float(np.hypot(*(mid(k, "shoulder") - mid(k, "hip")))) for k in labels.keypoints]
    assert run.found_share == 1.0 and run.torso_px == pytest.approx(float(np.median(true_torso)), rel=0.1)
    # the run was kept: its recording, beside a copy of the labels, replays to the same verdict
    kept = labels_beside(tmp_path / "as-rendered" / video.name)
    replayed = regress.run_clip(kept, load_catalogue()["hamstring_stretch"])
    check = next(c for c in replayed.checks if c.check == "lumbar_rounding")
    assert check.flagged and check.onset_error_s == pytest.approx(run.onset_s, abs=0.07)


def test_a_picture_change_reaches_the_model_through_regress() -> None:
    """regress.run_clip changes every decoded picture before the model sees it: a black picture
    shows nobody, so nothing is in position and nothing is flagged."""
    video = sorted(SESSIONS.glob("hamstring_stretch__lumbar_rounding_30deg_session_*.mp4"))[0]
    labels = labels_beside(video)
    seen: list[tuple[int, ...]] = []

    def black(rgb: np.ndarray) -> np.ndarray:
        seen.append(rgb.shape)
        return np.zeros_like(rgb)

    outcome = regress.run_clip(labels, load_catalogue()["hamstring_stretch"], from_landmarks=False,
                               picture=black)
    assert len(seen) == len(labels.frame_times) and set(seen) == {(480, 640, 3)}
    assert outcome.in_position_s == 0.0 and not any(c.flagged for c in outcome.checks)


def test_the_tables_count_flat_backs_flagged_and_mistakes_caught() -> None:
    runs = [study.Run("a.mp4", "glute_stretch", "as rendered", False, 0.0, None, 8.0),
            study.Run("a.mp4", "glute_stretch", "dim", True, 1.5, None, 8.0),
            study.Run("b.mp4", "glute_stretch", "as rendered", False, 0.0, None, 7.0),
            study.Run("b.mp4", "glute_stretch", "dim", False, 0.0, None, 7.0)]
    text = "\n".join(study.flat_rows(runs))
    assert "| glute_stretch | as rendered | 100% | - | - | 0 of 2 | 0.0 / 15 |" in text
    assert "| glute_stretch | dim | 100% | - | - | 1 of 2 | 1.5 / 15 |" in text
    assert study.flagged_clips(runs)[2] == "| a | 0.0 | 1.5 | - | - | - | - |"
    assert study.flagged_clips(runs[2:]) == ["No flat back is flagged under any condition."]
    caught = [study.Run("c.mp4", "hamstring_stretch", "soft", True, 0.0, 0.4, 4.0),
              study.Run("d.mp4", "hamstring_stretch", "soft", False, 0.0, None, 4.0),
              study.Run("e.mp4", "hamstring_stretch", "soft", True, 0.0, -0.3, 4.0)]
    caught_rows = "\n".join(study.mistake_rows(caught))
    assert "| hamstring_stretch | soft | 100% | - | 2 of 3 | +0.05 | +0.40 |" in caught_rows
    assert study.missed_clips(caught)[2:] == ["- d: soft (no neutral learned; in position 4.0 s)"]
    assert study.missed_clips([caught[0]]) == ["Every mistake is caught under every condition."]


def test_the_missed_list_says_when_the_neutral_was_learned_and_how_often_anyone_was_found() -> None:
    runs = [study.Run("a.mp4", "hamstring_stretch", "dim", False, 0.0, None, 3.5, None),
            study.Run("b.mp4", "hamstring_stretch", "dim", False, 0.0, None, 3.6, 4.2),
            study.Run("c.mp4", "hamstring_stretch", "dim", False, 0.0, None, 0.0, None, 0.25, 11.0)]
    assert study.missed_clips(runs)[2:] == [
        "- a: dim (no neutral learned; in position 3.5 s)",
        "- b: dim (neutral learned at 4.2 s; in position 3.6 s)",
        "- c: dim (no neutral learned; in position 0.0 s; person found in 25% of frames)"]


def test_how_well_the_person_was_seen_is_a_mean_share_and_a_median_torso() -> None:
    runs = [study.Run("a.mp4", "hip_flexor_stretch", "far", False, 0.0, None, 1.0, None, 1.0, 30.0),
            study.Run("b.mp4", "hip_flexor_stretch", "far", False, 0.0, None, 0.0, None, 0.5, 20.0),
            study.Run("c.mp4", "hip_flexor_stretch", "far", False, 0.0, None, 0.0, None, 0.0)]
    assert "| hip_flexor_stretch | far | 50% | 25 | - | 0 of 3 | 0.0 / 1 |" in study.flat_rows(runs)


def test_the_scoring_text_names_the_tracer_s_own_sizes() -> None:
    assert f"({silhouette.WORK_SIDE} pixels on its longest side; below {silhouette.MIN_CHORD_PX:.0f} " \
        "the outline is not traced)" in " ".join(study.SCORING.split())


def test_the_flat_backs_say_how_long_the_neutral_took_from_coming_into_position() -> None:
    def run(clip: str, neutral: float | None, entered: float | None) -> study.Run:
        return study.Run(clip, "hamstring_stretch", "dim", False, 0.0, None, 8.0, neutral, 1.0, 30.0, entered)

    runs = [run("a.mp4", 2.5, 1.0), run("b.mp4", 4.0, 0.5), run("c.mp4", 6.0, 0.4),
            run("d.mp4", None, 0.7), run("e.mp4", None, None)]
    assert [r.learning_s for r in runs] == pytest.approx([1.5, 3.5, 5.6, None, None])
    # the median and longest wait over those that learned one; d came into position and learned
    # none, e never came into position
    row = "| hamstring_stretch | dim | 100% | 30 | 3.5 / 5.6; none in 1 | 0 of 5 | 0.0 / 40 |"
    assert row in study.flat_rows(runs)


def test_the_wait_is_counted_from_the_last_time_the_person_came_into_position() -> None:
    events = [Event(1.0, "position_entered", "In position."), Event(3.0, "position_left", "Out."),
              Event(4.0, "position_entered", "In position."), Event(4.5, "neutral_learned", "..."),
              Event(9.0, "position_entered", "In position.")]
    assert study.entered_at(events, 5.2) == 4.0
    assert study.entered_at(events, 4.0) == 4.0
    assert study.entered_at(events, 2.0) == 1.0
    assert study.entered_at(events, None) == 1.0
    assert study.entered_at(events, 0.5) is None
    assert study.entered_at([], None) is None
