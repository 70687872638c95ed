"""Estimators turn an RGB image into a `PoseFrame`. MediaPipe's bundled model is the default."""

from __future__ import annotations

from posecheck.estimators.base import PoseEstimator


def make_estimator(backend: str = "mediapipe", *, segmentation: bool = True,
                   task_file: str | None = None) -> PoseEstimator:
    """Build an estimator by name: "mediapipe" (bundled Full model) or "tasks" (a user's .task file)."""
    if backend == "mediapipe":
        from posecheck.estimators.mediapipe_legacy import MediaPipePose

        return MediaPipePose(segmentation=segmentation)
    if backend == "tasks":
        from posecheck.estimators.mediapipe_tasks import TasksPose

        if not task_file:
            raise ValueError("the tasks backend needs a .task model file (--task-file)")
        return TasksPose(task_file, segmentation=segmentation)
    raise ValueError(f"unknown estimator backend {backend!r}; use 'mediapipe' or 'tasks'")


__all__ = ["PoseEstimator", "make_estimator"]
