"""One browser session's live coach: camera frames in, annotated frames and a state snapshot out.

The camera callback runs on its own thread. It hands each frame to a judge thread (pose model, then
the programme) and returns at once with the latest judgement drawn on the frame, so the video keeps
the camera's pace and its delay does not grow when the model is slower than the camera
(bench/live_latency.py). The page reads `snapshot()` from the script thread and calls `choose`,
`skip` and `stop_for_pain`. One lock guards the programme, the snapshot and the latest judgement.
Each browser session makes its own `LiveSession`: nothing here is module-level or shared.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from posecheck.estimators import PoseEstimator, make_estimator
from posecheck.frames import ImageFrame, PoseFrame
from posecheck.live.cues import Cue, CuePicker
from posecheck.live.judge import LatestFrameJudge
from posecheck.live.meter import RateMeter
from posecheck.live.programme import Phase, Programme, ProgrammeView, SessionSummary
from posecheck.sinks.live_overlay import LiveOverlay
from posecheck.sources.pushed import PushedFrames

EstimatorFactory = Callable[[], PoseEstimator]
MODEL_FAILED = ("The pose model could not start on this computer, so nothing can be judged. "
                "Restart posecheck; if this keeps happening, the server's log says why.")
MAX_JUDGED_FPS = 20.0  # the rules were measured at 15 fps; the rest of the CPU goes to the video


@dataclass(frozen=True)
class LiveSnapshot:
    """What the page shows beside the video. Copied out under the lock; safe to read anywhere."""

    frames: int  # frames judged
    fps: float  # frames judged per second (the pose model and the rules)
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
    video_fps: float = 0.0  # frames sent back to the browser per second, each with the overlay

    @classmethod
    def empty(cls, frames: int = 0, fps: float = 0.0, video_fps: float = 0.0) -> LiveSnapshot:
        """Nothing judged yet (a new session, or a new stretch chosen)."""
        return cls(frames, fps, None, "", None, None, None, 0.0, 0.0, None, 0.0, None, video_fps=video_fps)


@dataclass(frozen=True)
class _Judged:
    """The latest judgement, drawn on every camera frame until the next one."""

    pose: PoseFrame
    view: ProgrammeView
    cue: Cue


class LiveSession:
    """Feeds a programme from camera frames and keeps what the page needs to show."""

    def __init__(self, programme: Programme, estimator_factory: EstimatorFactory | None = None,
                 clock: Callable[[], float] = time.monotonic, max_judged_fps: float | None = MAX_JUDGED_FPS
                 ) -> None:
        self._lock = threading.Lock()  # the programme, cues and snapshot
        # what the camera thread draws: held only for a few assignments, never while judging, so the
        # video never waits behind the (lower-priority) judge thread
        self._shown_lock = threading.Lock()
        self._judged_fps = 0.0
        self._programme = programme
        self._make_estimator = estimator_factory or (lambda: make_estimator("mediapipe", segmentation=True))
        self._estimator: PoseEstimator | None = None
        self._pushed = PushedFrames()
        self._cues = CuePicker()
        self._rate = RateMeter(clock=clock)
        self._video_rate = RateMeter(clock=clock)
        self._frames = 0
        self._snapshot = LiveSnapshot.empty()
        self._judged: _Judged | None = None
        self._model_failure: Cue | None = None  # set when the pose model cannot start
        self._overlay = LiveOverlay()  # camera thread only
        self._judge = LatestFrameJudge(self._judge_frame, on_idle=self._free_model, max_fps=max_judged_fps)

    # ---- camera thread ---------------------------------------------------------------------------
    def process(self, rgb: np.ndarray, timestamp: float) -> np.ndarray:
        """Offer one camera frame for judging and return it at once with the latest judgement drawn
        (the skeleton is the one found on the newest frame judged so far)."""
        image = self._pushed.push(rgb, timestamp)
        self._judge.offer(image)
        with self._shown_lock:
            self._video_rate.tick()
            judged, judged_fps, failure = self._judged, self._judged_fps, self._model_failure
        if judged is None:
            return self._overlay.starting(rgb, failure)
        return self._overlay.draw(rgb, judged.pose, judged.view, judged.cue, judged_fps)

    def wait_until_judged(self, timeout: float = 10.0) -> bool:
        """Block until every frame offered so far has been judged (tests, and feeding a recording
        through `process` frame by frame); False if that took longer than `timeout`."""
        return self._judge.wait_until_idle(timeout)

    # ---- judge thread ----------------------------------------------------------------------------
    def _judge_frame(self, image: ImageFrame) -> None:
        if self._estimator is None:
            try:
                self._estimator = self._make_estimator()
            except Exception as exc:  # said on the video and the panel, not only in the server log
                cue = Cue("model_failed", "guidance", MODEL_FAILED, image.timestamp)
                with self._shown_lock:
                    self._model_failure = cue
                with self._lock:
                    self._snapshot = replace(self._snapshot, cue=cue, title="The coach could not start")
                raise RuntimeError("the pose model could not start") from exc
            with self._shown_lock:
                self._model_failure = None
        self.process_pose(self._estimator.estimate(image))

    def _free_model(self) -> None:
        estimator, self._estimator = self._estimator, None
        if estimator is not None:
            estimator.close()

    def process_pose(self, frame: PoseFrame) -> tuple[ProgrammeView, LiveSnapshot]:
        """Judge an already-estimated frame (tests and recordings feed this directly)."""
        with self._shown_lock:
            video_fps = self._video_rate.rate
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
                v.reps_fraction if v else 0.0, video_fps)
            snap = self._snapshot
            judged = _Judged(frame, view, cue)
            judged_fps = self._rate.rate
        with self._shown_lock:
            self._judged, self._judged_fps = judged, judged_fps
        return view, snap

    def camera_stopped(self, wait_s: float = 0.0) -> None:
        """The browser stopped the camera: end the judge thread and free the model (both start
        again with the next frame). Returns at once (it runs on the WebRTC event loop) unless
        `wait_s` asks to wait for the model to be freed."""
        self._judge.stop(wait_s)
        with self._shown_lock:
            self._judged = None

    # ---- page thread -----------------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        with self._shown_lock:
            video_fps = self._video_rate.rate
        with self._lock:
            return replace(self._snapshot, video_fps=video_fps)

    def choose(self, programme: Programme) -> None:
        """Start something else: a new stretch or routine, with fresh counters and cues."""
        with self._lock:
            self._programme = programme
            self._cues = CuePicker()
            self._snapshot = LiveSnapshot.empty(self._frames, self._snapshot.fps, self._snapshot.video_fps)
        with self._shown_lock:
            self._judged = None

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
