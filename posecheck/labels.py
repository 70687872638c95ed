"""Read known-truth label files: the generator's `posecheck-labels/1` and the older starter format.

Both become a `ClipLabels`: the pose, the working side, the camera's placement, per-frame
severities in degrees, the joint angles set and ground-truth keypoints, so calibration and
regression runs, and the studies in tools/, can compare what posecheck saw with the truth.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posecheck.errors import UnreadableInput

# The starter clips name mistakes differently from the pose files' check ids.
_STARTER_NAMES = {"lumbar_rounding": "lumbar_rounding", "lumbar_hyperextension": "arched_lower_back"}
_STARTER_POSES = {"lunge": "hip_flexor_stretch", "standing_forward_bend": "hamstring_stretch",
                  "supine_hamstring": "hamstring_stretch_supine",
}


@dataclass
class ClipLabels:
    """The truth about one clip."""

    path: Path
    pose: str
    side: str | None
    yaw_deg: float
    compensated: bool
    frame_times: list[float]
    frame_severity: list[dict[str, float]]  # per frame: check id -> severity in degrees
    keypoints: list[dict[str, list[float]]] = field(default_factory=list)
    in_position_s: float | None = None  # labelled time in position, when the format gives it
    reps_full: int | None = None  # a clip of repeated movement: cycles done at full depth
    reps_direction: str | None = None  # circles: "forward" or "backward"
    camera_side: str | None = None  # the body side facing the camera ("left"/"right"), when known
    view_kind: str | None = None  # "side", "front", ... when the format gives it
    frame_params: list[dict[str, float]] = field(default_factory=list)  # per frame: joint angles set
    mistake_parameters: dict[str, str] = field(default_factory=dict)  # check id -> the angle it sets
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # the file as read (generator details)

    def severity_at(self, i: int, check: str) -> float:
        return self.frame_severity[i].get(check, 0.0)


def load_labels(path: str | Path) -> ClipLabels:
    path = Path(path)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UnreadableInput(f"{path.name}: not a readable label file ({exc.__class__.__name__}).") from exc
    if data.get("format") == "posecheck-labels/1":
        return _from_v1(path, data)
    if "frames" in data and "fps" in data:
        return _from_starter(path, data)
    raise UnreadableInput(f"{path.name}: unknown label format.")


def labels_beside(video: str | Path) -> ClipLabels:
    """The labels of a rendered clip: NAME.labels.json beside its NAME.mp4."""
    video = Path(video)
    return load_labels(video.with_name(video.name.replace(".mp4", ".labels.json")))


def _from_v1(path: Path, d: dict[str, Any]) -> ClipLabels:
    frames = d["frames"]
    return ClipLabels(
        path=path, pose=d["pose"], side=d.get("side"),
        yaw_deg=float(d.get("view", {}).get("yaw_deg", 0.0)), compensated=bool(d.get("compensated")),
        frame_times=[float(f["t"]) for f in frames],
        frame_severity=[{k: float(v) for k, v in f.get("active_mistakes", {}).items()} for f in frames],
        keypoints=[f.get("kp2d", {}) for f in frames],
        in_position_s=sum(float(p["end_s"]) - float(p["start_s"]) for p in d["in_position"])
        if "in_position" in d else None,
        reps_full=int(d["reps"]["full_count"]) if d.get("reps") else None,
        reps_direction=d["reps"].get("direction") if d.get("reps") else None,
        camera_side=d.get("camera_side"), view_kind=d.get("view", {}).get("kind"),
        frame_params=[{k: float(v) for k, v in f.get("params", {}).items()} for f in frames],
        mistake_parameters={m["check"]: m["parameter"] for m in d.get("mistakes", []) if "parameter" in m},
        raw=d,
    )


def _from_starter(path: Path, d: dict[str, Any]) -> ClipLabels:
    frames = d["frames"]
    fps = float(d["fps"])
    first = frames[0]
    pose = _STARTER_POSES.get(first.get("pose", ""), first.get("pose", ""))
    sev = []
    for f in frames:
        check = _STARTER_NAMES.get(f.get("label", ""))
        sev.append({check: abs(float(f.get("severity_deg", 0.0)))} if check else {})
    return ClipLabels(path=path, pose=pose, side=None, yaw_deg=0.0, compensated=False,
                      frame_times=[f["frame"] / fps for f in frames], frame_severity=sev,
                      keypoints=[f.get("gt_kp2d", {}) for f in frames], raw=d)
