"""MediaPipe Tasks `PoseLandmarker` with a `.task` model file the user supplies (none ships offline)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecheck.errors import UnreadableInput
from posecheck.frames import ImageFrame, Landmarks, PoseFrame


class TasksPose:
    """PoseLandmarker in video mode. It can see two people, which the legacy API cannot."""

    name = "mediapipe-tasks"

    def __init__(self, task_file: str | Path, segmentation: bool = True) -> None:
        path = Path(task_file)
        if not path.is_file():
            raise UnreadableInput(f"No model file at {path}.",
                                  "Give the path of a pose_landmarker_*.task file.")
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=2,
            output_segmentation_masks=segmentation,
        )
        try:
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise UnreadableInput(f"{path.name} is not a usable pose landmarker model: {exc}") from exc
        self._mp = mp
        self.segmentation = segmentation
        self._last_ms = -1

    def estimate(self, frame: ImageFrame) -> PoseFrame:
        h, w = frame.rgb.shape[:2]
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB,
                               data=np.ascontiguousarray(frame.rgb))
        ms = max(int(round(frame.timestamp * 1000)), self._last_ms + 1)
        self._last_ms = ms
        result = self._landmarker.detect_for_video(image, ms)
        if not result.pose_landmarks:
            return PoseFrame(frame.timestamp, w, h, None)
        pts = result.pose_landmarks[0]
        img = np.array([[p.x * w, p.y * h, p.z * w] for p in pts], dtype=np.float64)
        vis = np.array([p.visibility or 0.0 for p in pts], dtype=np.float64)
        world = None
        if result.pose_world_landmarks:
            world = np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks[0]])
        mask = None
        if self.segmentation and result.segmentation_masks:
            mask = np.asarray(result.segmentation_masks[0].numpy_view(), dtype=np.float32)
        return PoseFrame(frame.timestamp, w, h, Landmarks(img, vis, world), mask,
                         extra_people=len(result.pose_landmarks) - 1)

    def close(self) -> None:
        self._landmarker.close()
