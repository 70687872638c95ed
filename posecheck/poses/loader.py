"""Load and validate pose files. Problems are reported as file, field and reason, never a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from posecheck.errors import PoseDefinitionError
from posecheck.poses.schema import PoseDefinition


def default_pose_dir() -> Path:
    """`$POSECHECK_POSES`, else the `poses/` folder beside the package."""
    env = os.environ.get("POSECHECK_POSES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "poses"


def _field_path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def load_pose(path: str | Path) -> PoseDefinition:
    """Read one pose file and validate it; raises PoseDefinitionError naming file, field and reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PoseDefinitionError(f"{path}: no such pose file.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PoseDefinitionError(f"{path}: cannot be read ({exc.__class__.__name__}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PoseDefinitionError(f"{path}:{where}: not valid YAML: {problem}.") from exc
    if not isinstance(data, dict):
        raise PoseDefinitionError(f"{path}: (top level): expected a mapping of fields, "
                                  f"got {type(data).__name__}.")
    try:
        pose = PoseDefinition.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            where = _field_path(err["loc"])
            # Cross-field rules name the offending field first ("clear_below: ..."): extend the path.
            named = re.match(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): (.*)$", msg, flags=re.S)
            if named:
                sub = named.group(1)
                where = sub if where == "(top level)" else f"{where}{'' if sub.startswith('[') else '.'}{sub}"
                msg = named.group(2)
            lines.append(f"{path}: {where}: {msg}")
        raise PoseDefinitionError("\n".join(lines)) from exc
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
