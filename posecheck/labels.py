"""Read known-truth label files: the generator's `posecheck-labels/1`, the older starter format, and
`posecheck-labels/hand-1`, written by hand for real footage (docs/own-footage.md).

Each becomes a `ClipLabels`: the pose, the working side, the camera's placement, per-frame
severities in degrees and, for rendered clips, the joint angles set and ground-truth keypoints, so
calibration and regression runs, and the studies in tools/, can compare what posecheck saw with
the truth.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posecheck.errors import UnreadableInput
from posecheck.sources.video import VIDEO_SUFFIXES

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
    video: Path | None = None  # the clip's video, where the labels name one (hand labels)

    def severity_at(self, i: int, check: str) -> float:
        return self.frame_severity[i].get(check, 0.0)


def load_labels(path: str | Path) -> ClipLabels:
    path = Path(path)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UnreadableInput(f"{path.name}: not a readable label file ({exc.__class__.__name__}).") from exc
    if not isinstance(data, dict):
        raise UnreadableInput(f"{path.name}: a label file holds one JSON object, "
                              f"not a {type(data).__name__}.")
    if data.get("format") == "posecheck-labels/1":
        return _from_v1(path, data)
    if data.get("format") == HAND_FORMAT:
        return _from_hand(path, data)
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


HAND_FORMAT = "posecheck-labels/hand-1"
HAND_STEP_S = 1.0 / 15.0  # hand labels are spans of time: severities are laid on a 15 fps grid
HAND_MISTAKE_DEG = 30.0  # a mistake marked by hand without a size: a clear one
_HAND_VIEWS = {"side": 0.0, "front": 90.0}  # the yaw regress tells side from front views by


def is_hand(labels: ClipLabels) -> bool:
    """Whether the labels were written by hand (for real footage)."""
    return labels.raw.get("format") == HAND_FORMAT


def _from_hand(path: Path, d: dict[str, Any]) -> ClipLabels:
    """Labels written by hand for a real clip: the stretch, the view, the working side, and the
    spans of time a mistake was made (none: the whole clip is correct form)."""
    def bad(why: str) -> UnreadableInput:
        return UnreadableInput(f"{path.name}: {why} (docs/own-footage.md shows the format).")

    if not isinstance(d.get("pose"), str):
        raise bad('"pose" must name a stretch, e.g. "hamstring_stretch"')
    view = d.get("view", "side")
    if view not in _HAND_VIEWS:
        raise bad(f'"view" must be "side" or "front", not {view!r}')
    for key in ("side", "camera_side"):
        if d.get(key) not in (None, "left", "right"):
            raise bad(f'"{key}" must be "left" or "right", or left out')
    video = _hand_video(path, d, bad)
    duration = d.get("duration_s")
    if duration is None:
        if video is None:
            raise bad('give "duration_s", or put the video beside the labels')
        duration = _video_seconds(video, bad)
    if not isinstance(duration, int | float) or not 0 < duration < 24 * 3600:
        raise bad('"duration_s" must be the clip\'s length in seconds')
    spans = []
    if not isinstance(d.get("mistakes", []), list):
        raise bad('"mistakes" must be a list of spans (leave it out for correct form)')
    for m in d.get("mistakes", []):
        try:
            span = (str(m["check"]), float(m["start_s"]), float(m["end_s"]),
                    float(m.get("severity_deg", HAND_MISTAKE_DEG)))
        except (KeyError, TypeError, ValueError):
            raise bad('each mistake needs "check", "start_s" and "end_s" (and may give "severity_deg")'
                      ) from None
        if not 0 <= span[1] < span[2] or span[3] < 0:
            raise bad(f"mistake {span[0]!r}: start_s must come before end_s, both from 0 s, and its "
                      "severity_deg must not be negative")
        spans.append(span)
    held = d.get("in_position")
    try:
        in_position = None if held is None else sum(float(b) - float(a) for a, b in held)
    except (TypeError, ValueError):
        raise bad('"in_position" must be a list of [start_s, end_s] pairs') from None
    times = [k * HAND_STEP_S for k in range(int(duration / HAND_STEP_S) + 1)]
    severity = [{check: size for check, a, b, size in spans if a <= t <= b} for t in times]
    return ClipLabels(path=path, pose=d["pose"], side=d.get("side"), yaw_deg=_HAND_VIEWS[view],
                      compensated=bool(d.get("compensated", False)), frame_times=times,
                      frame_severity=severity, in_position_s=in_position, camera_side=d.get("camera_side"),
                      view_kind=view, raw=d, video=video)


def _hand_video(path: Path, d: dict[str, Any], bad: Callable[[str], UnreadableInput]) -> Path | None:
    """The video the hand labels are for: "video" (beside the labels unless a full path), else
    NAME.mp4 (or another video suffix, in either case) beside NAME.labels.json; None when there is none."""
    if "video" in d:
        video = path.parent / str(d["video"])
        if not video.is_file():
            raise bad(f'"video" names {video}, which is not there')
        return video
    stem = path.name.removesuffix(".labels.json")
    beside = sorted(p for p in path.parent.iterdir() if p.is_file() and p.name[:len(stem)] == stem
                    and p.name[len(stem):].lower() in VIDEO_SUFFIXES)  # a phone's NAME.MOV too
    return beside[0] if beside else None


def _video_seconds(video: Path, bad: Callable[[str], UnreadableInput]) -> float:
    """The video's length, from its container or its stream."""
    import av

    try:
        with av.open(str(video)) as container:
            if container.duration:
                return float(container.duration / av.time_base)
            stream = container.streams.video[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, IndexError, OSError):
        raise bad(f"{video.name} cannot be read as a video") from None
    raise bad(f'{video.name} does not say how long it is: give "duration_s"')
