"""MediaPipe 0.10.21's legacy `solutions.pose` with its bundled Full model (offline), tracking mode."""

from __future__ import annotations

import numpy as np

from posecheck.estimators.base import count_extra_people, native_stderr_silenced, quiet_native_logs
from posecheck.frames import ImageFrame, Landmarks, PoseFrame
from posecheck.landmarks import INDEX

QUIET_FRAMES = 300  # frames without anyone in them that are still judged with stderr hidden


class MediaPipePose:
    """Full-model BlazePose in tracking mode; optional person segmentation mask."""

    name = "mediapipe-legacy-full"

    def __init__(self, segmentation: bool = True, min_detection: float = 0.5,
                 min_tracking: float = 0.5) -> None:
        quiet_native_logs()
        from mediapipe.python.solutions import pose as mp_pose

        self.segmentation = segmentation
        # model_complexity=1 is the only model in the wheel; 0 and 2 try to download (no network).
        # The graph starts its models on its own threads and TFLite prints start-up notes from native
        # code as it does: one blank frame, run while stderr is hidden, gets that over with. The
        # first frame with a person prints a warning about square regions: hidden the same way, for
        # up to QUIET_FRAMES frames (not for ever: hiding stderr hides other threads' logs too).
        self._quiet_frames_left = QUIET_FRAMES
        with native_stderr_silenced():
            self._pose = mp_pose.Pose(
                static_image_mode=False,
                model_complexity=1,
                smooth_landmarks=True,
                enable_segmentation=segmentation,
                smooth_segmentation=segmentation,
                min_detection_confidence=min_detection,
                min_tracking_confidence=min_tracking,
            )
            self._pose.process(np.zeros((64, 64, 3), dtype=np.uint8))

    def estimate(self, frame: ImageFrame) -> PoseFrame:
        rgb = frame.rgb
        h, w = rgb.shape[:2]
        if self._quiet_frames_left > 0:
            with native_stderr_silenced():
                result = self._pose.process(rgb)
            self._quiet_frames_left = 0 if result.pose_landmarks is not None else self._quiet_frames_left - 1
        else:
            result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return PoseFrame(frame.timestamp, w, h, None)
        pts = result.pose_landmarks.landmark
        image = np.array([[p.x * w, p.y * h, p.z * w] for p in pts], dtype=np.float64)
        vis = np.array([p.visibility for p in pts], dtype=np.float64)
        world = None
        if result.pose_world_landmarks is not None:
            world = np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks.landmark],
                             dtype=np.float64)
        mask = None
        if self.segmentation and result.segmentation_mask is not None:
            mask = np.asarray(result.segmentation_mask, dtype=np.float32)
        torso = image[[INDEX["left_shoulder"], INDEX["right_shoulder"],
                       INDEX["left_hip"], INDEX["right_hip"]], :2]
        extra = count_extra_people(mask, torso)
        return PoseFrame(frame.timestamp, w, h, Landmarks(image, vis, world), mask, extra)

    def close(self) -> None:
        self._pose.close()
