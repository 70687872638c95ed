"""One browser session's live coach: camera frames in, annotated frames and a state snapshot out.

The camera callback runs on its own thread; the page reads `snapshot()` from the script thread and
calls `choose`, `skip` and `stop_for_pain`. One lock guards the programme and the snapshot. Each
browser session makes its own `LiveSession`: nothing here is module-level or shared.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from posecheck.estimators import PoseEstimator, make_estimator
from posecheck.frames import PoseFrame
from posecheck.live.cues import Cue, CuePicker
from posecheck.live.meter import RateMeter
from posecheck.live.programme import Phase, Programme, ProgrammeView, SessionSummary
from posecheck.sources.pushed import PushedFrames

EstimatorFactory = Callable[[], PoseEstimator]


@dataclass(frozen=True)
class LiveSnapshot:
    """What the page shows beside the video. Copied out under the lock; safe to read anywhere."""

    frames: int
    fps: float
    phase: Phase | None
    title: str
    cue: Cue | None
    status: str | None  # the checker's status this frame ("good", "mistake", ...), None outside a hold
    side: str | None
    hold_s: float
    hold_target_s: float
    countdown_s: float | None
    progress: float
    summary: SessionSummary | None  # set once the programme has ended (done or stopped)
    reps_text: str | None = None  # a movement in reps: the count in words, and how far through
    reps_fraction: float = 0.0

    @classmethod
    def empty(cls, frames: int = 0, fps: float = 0.0) -> LiveSnapshot:
        """Nothing judged yet (a new session, or a new stretch chosen)."""
        return cls(frames, fps, None, "", None, None, None, 0.0, 0.0, None, 0.0, None)


class LiveSession:
    """Feeds a programme from camera frames and keeps what the page needs to show."""

    def __init__(self, programme: Programme, estimator_factory: EstimatorFactory | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._programme = programme
        self._make_estimator = estimator_factory or (lambda: make_estimator("mediapipe", segmentation=True))
        self._estimator: PoseEstimator | None = None
        self._pushed = PushedFrames()
        self._cues = CuePicker()
        self._rate = RateMeter(clock=clock)
        self._frames = 0
        self._snapshot = LiveSnapshot.empty()

    # ---- camera thread ---------------------------------------------------------------------------
    def process(self, rgb: np.ndarray, timestamp: float) -> np.ndarray:
        """Judge one camera frame; return it with the overlay drawn."""
        from posecheck.sinks.live_overlay import draw_live

        image = self._pushed.push(rgb, timestamp)
        if self._estimator is None:
            self._estimator = self._make_estimator()
        pose_frame = self._estimator.estimate(image)
        view, snap = self.process_pose(pose_frame)
        assert snap.cue is not None
        return draw_live(rgb, pose_frame, view, snap.cue, snap.fps)

    def process_pose(self, frame: PoseFrame) -> tuple[ProgrammeView, LiveSnapshot]:
        """Judge an already-estimated frame (tests and recordings feed this directly)."""
        with self._lock:
            view = self._programme.update(frame)
            cue = self._cues.update(frame.timestamp, view.cue)
            self._rate.tick()
            self._frames += 1
            v = view.verdict
            ended = view.phase in ("done", "stopped")
            summary = (self._snapshot.summary or self._programme.summary()) if ended else None
            self._snapshot = LiveSnapshot(
                self._frames, self._rate.rate, view.phase, view.title, cue, v.status if v else None,
                v.side if v else view.side, v.hold_s if v else 0.0, v.hold_target_s if v else 0.0,
                view.countdown_s, view.progress, summary, v.reps_text if v else None,
                v.reps_fraction if v else 0.0)
            return view, self._snapshot

    def camera_stopped(self) -> None:
        """The browser stopped the camera: free the model (a new one starts with the next frame)."""
        estimator, self._estimator = self._estimator, None
        if estimator is not None:
            estimator.close()

    # ---- page thread -----------------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        with self._lock:
            return self._snapshot

    def choose(self, programme: Programme) -> None:
        """Start something else: a new stretch or routine, with fresh counters and cues."""
        with self._lock:
            self._programme = programme
            self._cues = CuePicker()
            self._snapshot = LiveSnapshot.empty(self._frames, self._snapshot.fps)

    def skip(self) -> None:
        with self._lock:
            self._programme.skip()

    def stop_for_pain(self, note: str) -> SessionSummary:
        """End the set now and record the pain note; returns the summary so far."""
        with self._lock:
            self._programme.stop_for_pain(note)
            summary = self._programme.summary()
            self._snapshot = replace(self._snapshot, phase="stopped", summary=summary)
            return summary

    def summary(self) -> SessionSummary:
        with self._lock:
            return self._programme.summary()
