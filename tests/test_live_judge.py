"""Judging live frames on a thread of its own: the video never waits, and delay never builds up."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from live_helpers import frames_of

from posecheck.frames import ImageFrame, PoseFrame
from posecheck.live.judge import LatestFrameJudge
from posecheck.live.programme import StretchProgramme
from posecheck.live.session import LiveSession
from posecheck.poses import load_catalogue

CATALOGUE = load_catalogue()
BLANK = np.zeros((48, 64, 3), np.uint8)


def _frame(t: float) -> ImageFrame:
    return ImageFrame(timestamp=t, rgb=BLANK)


def test_the_newest_frame_replaces_one_waiting_and_the_offer_never_blocks() -> None:
    judged: list[float] = []
    gate = threading.Event()

    def judge(frame: ImageFrame) -> None:
        gate.wait(5)
        judged.append(frame.timestamp)

    j = LatestFrameJudge(judge)
    t0 = time.perf_counter()
    for n in range(6):  # frame 0 is taken at once and held up; 1-5 each replace the one before
        j.offer(_frame(n / 30))
        time.sleep(0.02)
    offered_s = time.perf_counter() - t0
    gate.set()
    assert j.wait_until_idle(5)
    # the first frame the thread took (frame 0, unless it started late), then only the newest
    assert judged[-1] == 5 / 30 and len(judged) in (1, 2)
    assert j.replaced == 6 - len(judged)
    assert offered_s < 2.0  # the judge was stuck for as long as the test liked: no offer waited for it
    j.stop()


def test_a_failing_frame_is_logged_and_judging_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    judged: list[float] = []

    def judge(frame: ImageFrame) -> None:
        if frame.timestamp == 1.0:
            raise RuntimeError("bad frame")
        judged.append(frame.timestamp)

    j = LatestFrameJudge(judge)
    for t in (0.0, 1.0, 2.0):
        j.offer(_frame(t))
        assert j.wait_until_idle(5)
    assert judged == [0.0, 2.0]
    assert "judging a live frame failed" in caplog.text
    j.stop()


def test_idle_and_stopped_judges_free_the_model_and_start_again_with_the_next_frame() -> None:
    freed = threading.Event()
    judged: list[float] = []
    j = LatestFrameJudge(lambda f: judged.append(f.timestamp), on_idle=freed.set, idle_stop_s=0.2,
                         name="judge-under-test")
    j.offer(_frame(0.0))
    assert freed.wait(5)  # nothing more came for 0.2 s: the thread ended and freed the model
    freed.clear()
    j.offer(_frame(1.0))
    assert j.wait_until_idle(5)
    j.stop(wait_s=5)
    assert freed.is_set()  # stopping frees it too
    assert judged == [0.0, 1.0]
    assert not [t for t in threading.enumerate() if t.name == "judge-under-test"]


class _HeldEstimator:
    """Finds the same person in every frame, but only once the test lets it (a model that is slow)."""

    name = "held"

    def __init__(self, pose: PoseFrame) -> None:
        self.pose, self.go, self.closed, self.seen = pose, threading.Event(), False, []

    def estimate(self, frame: ImageFrame) -> PoseFrame:
        assert self.go.wait(10)
        self.seen.append(frame.timestamp)
        p = self.pose
        return PoseFrame(frame.timestamp, p.width, p.height, p.landmarks, p.mask)

    def close(self) -> None:
        self.closed = True


def test_a_slow_model_slows_the_judging_not_the_video() -> None:
    """While the model is busy every camera frame still comes straight back, and only the newest
    one waits to be judged next: no queue, so no delay builds up."""
    pose = frames_of("hip_flexor_stretch__correct_1__ll")[10]
    estimator = _HeldEstimator(pose)
    session = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]),
                          estimator_factory=lambda: estimator, max_judged_fps=None)  # no cap here
    rgb = np.full((pose.height, pose.width, 3), 90, np.uint8)
    outs: list[np.ndarray] = []

    def camera() -> None:
        for n in range(10):
            outs.append(session.process(rgb, n / 30))

    feeding = threading.Thread(target=camera)
    feeding.start()
    feeding.join(10)
    assert not feeding.is_alive() and len(outs) == 10  # all back while the model was still stuck
    # nothing judged yet: every frame says the coach is starting
    assert all(np.array_equal(o, outs[0]) for o in outs) and not np.array_equal(outs[0], rgb)
    estimator.go.set()
    assert session.wait_until_judged()
    # one frame taken as the thread started (whichever was newest then: on a busy machine that can
    # already be the last one), then only the newest
    assert 1 <= len(estimator.seen) <= 2 and estimator.seen[-1] == 9 / 30
    snap = session.snapshot()
    assert snap.frames == len(estimator.seen) and snap.side == "left"
    judged = session.process(rgb, 10 / 30)  # drawn with the latest judgement: skeleton and cue
    assert not np.array_equal(judged, outs[0])
    session.camera_stopped(wait_s=5)
    assert estimator.closed


def test_frames_sooner_than_the_cap_allows_are_not_judged() -> None:
    """A 30 fps camera judged at most 20 times a second, by the frames' own timestamps: every
    other frame."""
    judged: list[float] = []
    j = LatestFrameJudge(lambda f: judged.append(f.timestamp), max_fps=20.0)
    for n in range(12):
        j.offer(_frame(n / 30))
        assert j.wait_until_idle(5)
    j.stop()
    assert judged == [n / 30 for n in range(0, 12, 2)]
    assert j.skipped == 6


@pytest.mark.skipif(not hasattr(threading, "get_native_id") or not hasattr(__import__("os"), "getpriority"),
                    reason="thread priorities are a Linux feature here")
def test_the_judge_runs_below_the_video_in_cpu_priority() -> None:
    """On a machine short of cores the video keeps its pace and the judging takes what is left."""
    import os

    seen: list[int] = []
    j = LatestFrameJudge(lambda f: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    j.offer(_frame(0.0))
    assert j.wait_until_idle(5)
    j.stop()
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen == [min(19, mine + 10)]


def test_a_model_that_cannot_start_is_said_on_the_video_and_the_panel(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> _HeldEstimator:
        raise OSError("no model file")

    session = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]), estimator_factory=broken)
    rgb = np.full((480, 640, 3), 90, np.uint8)
    starting = session.process(rgb, 0.0)
    assert session.wait_until_judged()
    snap = session.snapshot()
    assert snap.cue is not None and snap.cue.key == "model_failed"
    assert "could not start" in snap.cue.text and snap.title == "The coach could not start"
    shown = session.process(rgb, 0.1)
    assert not np.array_equal(shown[:40], starting[:40])  # the banner says so instead of "Starting"
    assert "no model file" in caplog.text  # and the cause is in the server log


def test_a_camera_that_changes_size_gets_no_misplaced_skeleton() -> None:
    """Chromium may send 480x360 mid-session: until a frame of that size is judged, the overlay keeps
    its banner and footer but leaves the body alone."""
    from posecheck.sinks.live_overlay import LiveOverlay

    session = LiveSession(StretchProgramme(CATALOGUE["hip_flexor_stretch"]))
    for f in frames_of("hip_flexor_stretch__correct_1__ll"):
        session.process_pose(f)
    judged = session._judged
    assert judged is not None and (judged.pose.width, judged.pose.height) == (640, 480)
    small = np.random.default_rng(1).integers(0, 255, (360, 480, 3), dtype=np.uint8)
    out = LiveOverlay().draw(small, judged.pose, judged.view, judged.cue, 10.0)
    assert np.array_equal(out[150:300], small[150:300])  # between the banner and the footer: untouched
    full = np.full((480, 640, 3), 90, np.uint8)
    drawn = LiveOverlay().draw(full, judged.pose, judged.view, judged.cue, 10.0)
    assert not np.array_equal(drawn[150:400], full[150:400])  # at the judged size the skeleton is drawn
