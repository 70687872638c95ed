"""Load and validate pose files. Problems are reported as file, field and reason, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

from posecheck.datafiles import load_model
from posecheck.errors import PoseDefinitionError
from posecheck.poses.schema import PoseDefinition


def default_pose_dir() -> Path:
    """`$POSECHECK_POSES`, else the `poses/` folder beside the package."""
    env = os.environ.get("POSECHECK_POSES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "poses"


def load_pose(path: str | Path) -> PoseDefinition:
    """Read one pose file and validate it; raises PoseDefinitionError naming file, field and reason."""
    path = Path(path)
    pose = load_model(path, PoseDefinition, PoseDefinitionError, "pose file")
    if path.suffix in (".yaml", ".yml") and path.stem != pose.id:
        raise PoseDefinitionError(f"{path}: id: {pose.id!r} must match the file name {path.stem!r}.")
    return pose


def load_catalogue(directory: str | Path | None = None) -> dict[str, PoseDefinition]:
    """All pose files in a folder, by id. One bad file stops the load with its own message."""
    folder = Path(directory) if directory else default_pose_dir()
    if not folder.is_dir():
        raise PoseDefinitionError(f"{folder}: no pose folder here (set POSECHECK_POSES).")
    poses: dict[str, PoseDefinition] = {}
    for path in sorted(folder.glob("*.yaml")):
        pose = load_pose(path)
        poses[pose.id] = pose
    return poses


def pose_by_id(pose_id: str, directory: str | Path | None = None) -> PoseDefinition:
    """Look a pose up by id, or load it from a path when `pose_id` is a .yaml file."""
    if pose_id.endswith((".yaml", ".yml")):
        return load_pose(pose_id)
    catalogue = load_catalogue(directory)
    if pose_id not in catalogue:
        raise PoseDefinitionError(f"Unknown pose {pose_id!r}.",
                                  f"Known poses: {', '.join(sorted(catalogue))}.")
    return catalogue[pose_id]
