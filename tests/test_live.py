"""Live coaching without a browser: cues and their cooldowns, fps, programmes, routines, sessions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_helpers import frames_of, looped

from posecheck.checker.checker import PoseChecker
from posecheck.errors import RoutineDefinitionError
from posecheck.live.cues import CueCandidate, CuePicker
from posecheck.live.meter import RateMeter
from posecheck.live.programme import StretchProgramme
from posecheck.live.session import LiveSession
from posecheck.poses import load_catalogue
from posecheck.routines import load_routine, load_routines, stretch_order
from posecheck.routines.player import RoutineProgramme, plan
from posecheck.sources.pushed import PushedFrames

CATALOGUE = load_catalogue()
GOOD = CueCandidate("good", "good", "Good form, hold it: 3 of 30 s.", "Good form. Hold it there.")
ARCH = CueCandidate("mistake:arched", "mistake", "Tuck your tailbone under.", "Tuck your tailbone under.")
FEET = CueCandidate("guidance:feet", "guidance", "Step back so your feet are in view.",
                    "Step back so your feet are in view.")


# ---- cues -----------------------------------------------------------------------------------------
def test_a_mistake_interrupts_encouragement_at_once_and_is_spoken() -> None:
    picker = CuePicker()
    first = picker.update(0.0, GOOD)
    assert (first.key, first.speak_id) == ("good", 1)
    cue = picker.update(0.3, ARCH)
    assert (cue.key, cue.since, cue.speak_id) == ("mistake:arched", 0.3, 1)
    assert cue.say == "Tuck your tailbone under."
    # the spoken gap (2.5 s) has not passed: shown now, spoken once the gap is over
    assert picker.update(2.6, ARCH).speak_id == 2


def test_a_cue_stays_on_screen_for_its_minimum_time_before_a_less_important_one() -> None:
    picker = CuePicker(min_show_s=2.0)
    picker.update(0.0, ARCH)
    assert picker.update(1.0, GOOD).key == "mistake:arched"
    assert picker.update(1.99, GOOD).key == "mistake:arched"
    assert picker.update(2.0, GOOD).key == "good"
    # guidance outranks a mistake only the other way round: a mistake beats guidance
    assert picker.update(2.1, FEET).key == "guidance:feet"
    assert picker.update(2.2, ARCH).key == "mistake:arched"


def test_the_same_words_are_not_repeated_within_the_cooldown() -> None:
    picker = CuePicker(min_show_s=0.0, speak_gap_s=0.0, repeat_after_s=10.0)
    ids = []
    for t, cand in [(0, ARCH), (1, GOOD), (2, ARCH), (3, GOOD), (11, ARCH)]:
        ids.append(picker.update(float(t), cand).speak_id)
    # ARCH spoken at 0, GOOD at 1; ARCH at 2 and GOOD at 3 are too soon; ARCH again at 11
    assert ids == [1, 2, 2, 2, 3]


def test_a_counting_message_keeps_its_identity_and_updates_its_text() -> None:
    picker = CuePicker()
    picker.update(0.0, GOOD)
    later = picker.update(5.0, CueCandidate("good", "good", "Good form, hold it: 8 of 30 s.", GOOD.say))
    assert (later.since, later.text, later.speak_id) == (0.0, "Good form, hold it: 8 of 30 s.", 1)


def test_rate_meter_counts_frames_per_second_and_drops_to_zero_when_frames_stop() -> None:
    now = [0.0]
    meter = RateMeter(window_s=2.0, clock=lambda: now[0])
    for _ in range(21):
        meter.tick()
        now[0] += 0.05
    assert meter.rate == pytest.approx(20.0, rel=0.01)
    now[0] += 5.0
    assert meter.rate == 0.0


def test_pushed_frames_continue_after_the_camera_restarts_its_clock() -> None:
    pushed = PushedFrames()
    img = np.zeros((4, 4, 3), np.uint8)
    times = [pushed.push(img, t).timestamp for t in (10.0, 10.1, 0.0, 0.1, 0.2)]
    assert times[:2] == [10.0, 10.1]
    assert np.diff(times[2:]) == pytest.approx([0.1, 0.1])
    assert 10.1 < times[2] < 10.2


# ---- one stretch ------------------------------------------------------------------------------------
def test_stretch_programme_coaches_the_arched_back_and_counts_only_good_form() -> None:
    pose = CATALOGUE["hip_flexor_stretch"]
    session = LiveSession(StretchProgramme(pose), estimator_factory=lambda: pytest.fail("no model needed"))
    frames = frames_of("hip_flexor_stretch__arched_lower_back_comp_25deg_hold__rr")
    for f in frames:
        session.process_pose(f)
    snap = session.snapshot()
    assert snap.frames == len(frames)
    assert snap.status == "mistake" and snap.side == "right"
    assert snap.cue is not None and snap.cue.kind == "mistake"
    assert snap.cue.text == pose.check("arched_lower_back").cue
    summary = session.summary()
    assert [m.title for m in summary.mistakes] == ["Arched lower back"]
    assert summary.mistakes[0].side == "right"
    # the hold stops counting while the mistake stands: less good-form time than time in position
    (hold,) = summary.holds
    assert hold.side == "right" and hold.held_s < frames[-1].timestamp - frames[0].timestamp - 1.0


def test_correct_form_is_encouraged_and_timed() -> None:
    session = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]))
    frames = frames_of("hip_flexor_stretch__correct_1__ll")
    for f in frames:
        session.process_pose(f)
    snap = session.snapshot()
    assert snap.status == "good" and snap.cue is not None and snap.cue.key == "good"
    assert session.summary().mistakes == []
    # in position after the 0.5 s settle; good form every frame after that
    span = frames[-1].timestamp - frames[0].timestamp
    assert snap.hold_s == pytest.approx(span - 0.5, abs=0.15)


def test_stop_for_pain_ends_the_set_and_keeps_the_note() -> None:
    session = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]))
    frames = frames_of("hip_flexor_stretch__correct_1__ll")
    for f in frames[:20]:
        session.process_pose(f)
    summary = session.stop_for_pain("sharp pain, right buttock")
    assert summary.stopped_for_pain
    (note,) = summary.pain_notes
    assert note.note == "sharp pain, right buttock" and note.side == "left"
    assert note.at_s == pytest.approx(frames[19].timestamp - frames[0].timestamp, abs=1e-3)
    for f in frames[20:]:
        session.process_pose(f)
    snap = session.snapshot()
    assert snap.phase == "stopped" and snap.cue is not None and "see a doctor" in snap.cue.text
    assert snap.summary is not None and snap.summary.pain_notes == [note]
    assert snap.summary.duration_s == summary.duration_s  # the clock stopped with the set


def test_two_sessions_share_nothing() -> None:
    a = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]))
    b = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]))
    for f in frames_of("hip_flexor_stretch__arched_lower_back_comp_25deg_hold__rr"):
        a.process_pose(f)
    assert a.snapshot().frames > 0 and a.summary().mistakes
    assert b.snapshot().frames == 0 and b.snapshot().cue is None
    assert b.summary().mistakes == [] and b.summary().holds == []


# ---- routines --------------------------------------------------------------------------------------
ROUTINE_YAML = """
id: quick
name: Quick test routine
summary: Two stretches with short holds.
get_ready_s: 1
switch_sides_s: 1
rest_s: 1.5
give_up_after: 3
steps:
  - {pose: hip_flexor_stretch, hold_s: 2, sides: each}
  - {pose: towel_decompression, hold_s: 2}
"""
CLIPS = {("hip_flexor_stretch", "left"): "hip_flexor_stretch__correct_1__ll",
         ("hip_flexor_stretch", "right"): "hip_flexor_stretch__correct_2__rl",
         ("towel_decompression", None): "towel_decompression__correct_1__ll"}


def _routine(tmp_path: Path, text: str = ROUTINE_YAML) -> RoutineProgramme:
    path = tmp_path / "quick.yaml"
    path.write_text(text)
    return RoutineProgramme(load_routine(path, CATALOGUE), CATALOGUE)


def _follow(player: RoutineProgramme, clips: dict[tuple[str, str | None], str], until_s: float = 60.0
            ) -> list[tuple[float, str, int]]:
    """A user who always does what the routine asks; returns (time, phase, segment) per frame."""
    trace: list[tuple[float, str, int]] = []
    t, current, stream = 0.0, None, None
    while t < until_s and player.phase not in ("done", "stopped"):
        seg = player.segment
        key = (seg.pose.id, seg.side)
        if key != current:
            current, stream = key, looped(frames_of(clips[key]), t)
        assert stream is not None
        frame = next(stream)
        t = frame.timestamp
        view = player.update(frame)
        trace.append((t, view.phase, player.index))
    return trace


def _phase_spans(trace: list[tuple[float, str, int]]) -> list[tuple[str, float, float]]:
    spans: list[tuple[str, float, float]] = []
    for t, phase, _ in trace:
        if spans and spans[-1][0] == phase:
            spans[-1] = (phase, spans[-1][1], t)
        else:
            spans.append((phase, t, t))
    return spans


def test_routine_runs_the_clock_switches_sides_rests_and_finishes(tmp_path: Path) -> None:
    player = _routine(tmp_path)
    trace = _follow(player, CLIPS)
    spans = _phase_spans(trace)
    assert [p for p, _, _ in spans] == ["get_ready", "hold", "switch_sides", "hold", "rest", "hold", "done"]
    starts = [s for _, s, _ in spans]
    assert starts[1] == pytest.approx(1.0, abs=0.07)  # get ready for 1 s
    assert starts[3] - starts[2] == pytest.approx(1.0, abs=0.07)  # switch sides for 1 s
    assert starts[5] - starts[4] == pytest.approx(1.5, abs=0.07)  # rest for 1.5 s
    summary = player.summary()
    assert summary.finished and not summary.stopped_for_pain and summary.mistakes == []
    assert [(h.pose, h.side, h.achieved) for h in summary.holds] == [
        ("hip_flexor_stretch", "left", True), ("hip_flexor_stretch", "right", True),
        ("towel_decompression", "both", True)]
    for (_, start, end), hold in zip([s for s in spans if s[0] == "hold"], summary.holds, strict=True):
        # the hold ends once 2 s of good form are in, after settling into position (well under 2 s)
        assert 2.0 <= end - start + 0.07 < 4.0
        assert hold.started_s == pytest.approx(start, abs=0.07)


def test_routine_books_a_mistake_and_gives_up_on_an_unreached_hold(tmp_path: Path) -> None:
    player = _routine(tmp_path)
    clips = dict(CLIPS)
    clips[("hip_flexor_stretch", "left")] = "hip_flexor_stretch__arched_lower_back_30deg_hold__lr"
    spans = _phase_spans(_follow(player, clips))
    summary = player.summary()
    first_hold = spans[1]
    mistakes = [m for m in summary.mistakes if m.side == "left"]
    assert mistakes and all(m.title == "Arched lower back" for m in mistakes)
    assert first_hold[1] <= mistakes[0].start_s <= first_hold[2]
    left = summary.holds[0]
    assert left.side == "left" and not left.achieved
    # gave up after 3 x 2 s and moved on to the right side, which was done well
    assert first_hold[2] - first_hold[1] == pytest.approx(6.0, abs=0.1)
    assert [h.achieved for h in summary.holds] == [False, True, True] and summary.finished


def test_routine_holds_of_one_stretch_share_the_backs_adopted_on_earlier_holds(tmp_path: Path) -> None:
    """Each hold has its own checker; the neutrals adopted on one hold reach the next hold of the
    same stretch (PoseChecker's `adopted`), and no other stretch's."""
    player = _routine(tmp_path, ROUTINE_YAML.replace(
        "  - {pose: towel_decompression, hold_s: 2}",
        "  - {pose: towel_decompression, hold_s: 2}\n  - {pose: hip_flexor_stretch, hold_s: 2, sides: each}"))
    checkers: dict[int, PoseChecker] = {}
    frames = looped(frames_of(CLIPS[("hip_flexor_stretch", "left")]), 0.0)
    while player.phase != "done" and len(checkers) < 5:
        player.update(next(frames))
        if player.checker is not None:
            checkers.setdefault(player.index, player.checker)
        if player.phase in ("get_ready", "switch_sides", "rest"):
            player.skip()
    assert sorted(checkers) == [0, 1, 2, 3, 4]
    hip = [checkers[i] for i in (0, 1, 3, 4)]
    assert all(c.pose.id == "hip_flexor_stretch" for c in hip)
    assert all(c.adopted is hip[0].adopted for c in hip) and "arched_lower_back" in hip[0].adopted
    assert checkers[2].pose.id == "towel_decompression" and checkers[2].adopted is not hip[0].adopted
    assert len({id(c) for c in checkers.values()}) == 5


def test_skip_cuts_a_countdown_short_and_pain_stops_the_routine(tmp_path: Path) -> None:
    player = _routine(tmp_path)
    frames = looped(frames_of(CLIPS[("hip_flexor_stretch", "left")]), 0.0)
    assert player.update(next(frames)).phase == "get_ready"
    player.skip()
    assert player.update(next(frames)).phase == "hold"
    for _ in range(10):
        player.update(next(frames))
    player.stop_for_pain("knee hurts")
    view = player.update(next(frames))
    assert view.phase == "stopped" and "see a doctor" in view.cue.text
    summary = player.summary()
    assert summary.stopped_for_pain and not summary.finished
    assert [(n.stretch, n.side, n.note) for n in summary.pain_notes] == [
        ("Hip-flexor stretch (half-kneeling)", "left", "knee hurts")]
    assert [h.side for h in summary.holds] == ["left"]


def test_shipped_routines_follow_the_articles() -> None:
    routines = load_routines(CATALOGUE)
    relief = routines["back_relief_routine"]
    assert [s.pose for s in relief.steps] == ["hamstring_stretch", "hip_flexor_stretch", "glute_stretch",
                                              "bed_decompression", "towel_decompression"]
    segments = plan(relief, CATALOGUE)
    # seed 003: each hip stretch 30 s on each side, then the two decompressions
    assert [(s.pose.id, s.side, s.pose.hold.seconds) for s in segments[:6]] == [
        (p, side, 30.0) for p in ("hamstring_stretch", "hip_flexor_stretch", "glute_stretch")
        for side in ("left", "right")]
    assert [s.side for s in segments[6:]] == [None, None]
    floor = routines["floor_stretches_routine"]
    assert [s.pose for s in floor.steps] == ["hamstring_stretch_supine", "knee_to_chest",
                                             "lower_back_rotation", "legs_up_the_wall"]
    # seed 004: 30 s each side, then five minutes with the legs up the wall
    assert [s.pose.hold.seconds for s in plan(floor, CATALOGUE)] == [30.0] * 6 + [300.0]
    upper = routines["upper_back_routine"]
    assert [(s.pose, s.reps) for s in upper.steps] == [("cat_cow", 10), ("wall_angels", 20)]
    assert [s.pose.reps.target for s in plan(upper, CATALOGUE) if s.pose.reps] == [10, 20]
    # seed 002, in the article's order: child's pose up to 1 min, knee to chest each leg, cat-cow
    # five to seven times, a passive backbend of at least three minutes, shoulder rolls both ways
    mid = routines["mid_back_routine"]
    assert [s.pose for s in mid.steps] == ["childs_pose", "knee_to_chest", "cat_cow", "passive_backbend",
                                           "shoulder_roll"]
    segs = plan(mid, CATALOGUE)
    assert [(s.pose.id, s.side) for s in segs[:3]] == [("childs_pose", None), ("knee_to_chest", "left"),
                                                       ("knee_to_chest", "right")]
    assert segs[3].pose.reps is not None and segs[3].pose.reps.target == 5
    assert segs[4].pose.hold.seconds == 180.0
    roll = segs[5].pose.reps
    assert roll is not None and roll.per_direction_s == 30.0
    order = stretch_order(CATALOGUE, routines)
    assert order[:3] == ["hamstring_stretch", "hip_flexor_stretch", "glute_stretch"]
    assert sorted(order) == sorted(CATALOGUE)


@pytest.mark.parametrize(("text", "message"), [
    ("id: quick\nname: Quick\nsummary: Short.\nsteps: []\n", "steps: List should have at least 1 item"),
    ("id: quick\nname: Quick\nsummary: Short.\nsteps:\n  - {pose: cartwheel}\n",
     "steps[0].pose: unknown stretch 'cartwheel'"),
    ("id: quick\nname: Quick\nsummary: Short.\nrest_s: -3\nsteps:\n  - {pose: knee_to_chest}\n",
     "rest_s: Input should be greater than or equal to 0"),
    ("id: other\nname: Quick\nsummary: Short.\nsteps:\n  - {pose: knee_to_chest}\n",
     "must match the file name"),
    ("steps: [\n", "not valid YAML"),
    ("id: quick\nname: Quick\nsummary: Short.\nsteps:\n  - {pose: knee_to_chest, reps: 5}\n",
     "steps[0].reps: 'knee_to_chest' is a hold, not done in reps"),
])
def test_a_bad_routine_file_is_named_with_its_field_and_reason(tmp_path: Path, text: str,
                                                               message: str) -> None:
    path = tmp_path / "quick.yaml"
    path.write_text(text)
    with pytest.raises(RoutineDefinitionError) as err:
        load_routine(path, CATALOGUE)
    assert str(path) in err.value.message and message in err.value.message


REPS_ROUTINE_YAML = """
id: quick
name: Quick reps routine
summary: Cat-cows counted to four.
get_ready_s: 1
give_up_after: 3
steps:
  - {pose: cat_cow, reps: 4, hold_s: 8}
"""


@pytest.mark.parametrize(("clip", "reps", "achieved", "ends_by_s"), [
    ("cat_cow__reps_full_1__lr", 4, True, 16.0),  # full cycles: the set ends on the 4th rep
    ("cat_cow__reps_partial__ll", 0, False, 26.0),  # half-depth cycles never count: given up at 3x8 s
])
def test_a_set_in_reps_ends_when_its_reps_are_counted(tmp_path: Path, clip: str, reps: int, achieved: bool,
                                                      ends_by_s: float) -> None:
    player = _routine(tmp_path, REPS_ROUTINE_YAML)
    trace = _follow(player, {("cat_cow", None): clip}, until_s=40.0)
    assert player.phase == "done" and trace[-1][0] <= ends_by_s
    (hold,) = player.summary().holds
    assert (hold.reps, hold.reps_target, hold.achieved) == (reps, 4, achieved)
    views_cues = [player.update(f).cue.text for f in frames_of(clip)[:1]]
    assert views_cues == ["Routine complete. Well done!"]


def test_any_stretch_programme_books_each_recognised_stretch_and_the_pain_stop() -> None:
    from posecheck.live.programme import AutoProgramme
    from posecheck.recognition import load_model

    player = AutoProgramme(CATALOGUE, load_model())
    frames = looped(frames_of("hamstring_stretch__correct_1__ll"), 0.0)
    views = [player.update(next(frames)) for _ in range(60)]  # 4 s
    assert views[-1].title == "Recognised: Hamstring stretch" and views[-1].progress > 0
    knee = looped(frames_of("knee_to_chest__correct_2__rl"), 4.0)
    views = [player.update(next(knee)) for _ in range(60)]
    assert views[-1].title == "Recognised: Knee to chest"
    player.stop_for_pain("sharp pain")
    assert player.update(next(knee)).phase == "stopped"
    summary = player.summary()
    assert summary.kind == "recognised" and summary.stopped_for_pain
    assert [h.stretch for h in summary.holds] == ["Hamstring stretch", "Knee to chest"]
    assert all(h.held_s > 1.0 for h in summary.holds)
    assert [(n.stretch, n.note) for n in summary.pain_notes] == [("Knee to chest", "sharp pain")]
    assert summary.duration_s == pytest.approx(8.0 - 1 / 15, abs=0.1)
