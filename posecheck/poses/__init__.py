"""Pose definitions: stretches described as validated data files in `poses/*.yaml`."""

from posecheck.poses.loader import default_pose_dir, load_catalogue, load_pose, pose_by_id
from posecheck.poses.schema import Check, Condition, PoseDefinition

__all__ = ["Check", "Condition", "PoseDefinition", "default_pose_dir", "load_catalogue", "load_pose",
           "pose_by_id"]
