"""Read known-truth label files: the generator's `posecheck-labels/1`, the older starter format, and
`posecheck-labels/hand-1`, written by hand for real footage (docs/own-footage.md).

Each becomes a `ClipLabels`: the pose, the working side, the camera's placement, per-frame
severities in degrees and, for rendered clips, the joint angles set and ground-truth keypoints, so
calibration and regression runs, and the studies in tools/, can compare what posecheck saw with
the truth.
"""

from __future__ import annotations

import json
import math
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
HAND_END_SLACK_S = 0.5  # a span may end this far past the clip's end (a length read by eye)
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
    if not isinstance(d.get("compensated", False), bool):
        raise bad('"compensated" must be true or false')
    video = _hand_video(path, d, bad)
    duration = d.get("duration_s")
    if duration is None:
        if video is None:
            raise bad('give "duration_s", or put the video beside the labels')
        duration = _video_seconds(video, bad)
    if not _seconds(duration) or not 0 < duration < 24 * 3600:
        raise bad('"duration_s" must be the clip\'s length in seconds')
    spans = _hand_spans(d.get("mistakes", []), duration, bad)
    in_position = _hand_in_position(d.get("in_position"), duration, bad)
    times = [k * HAND_STEP_S for k in range(round(duration / HAND_STEP_S) + 1)]
    severity: list[dict[str, float]] = [{} for _ in times]
    for check, start, end, size in spans:
        # every grid point the span covers, and at least the one nearest its middle
        covered = [k for k, t in enumerate(times) if start <= t <= end]
        for k in covered or [min(range(len(times)), key=lambda k: abs(times[k] - (start + end) / 2))]:
            severity[k][check] = max(size, severity[k].get(check, 0.0))  # overlapping spans: the larger
    return ClipLabels(path=path, pose=d["pose"], side=d.get("side"), yaw_deg=_HAND_VIEWS[view],
                      compensated=d.get("compensated", False), frame_times=times,
                      frame_severity=severity, in_position_s=in_position, camera_side=d.get("camera_side"),
                      view_kind=view, raw=d, video=video)


def _seconds(x: object) -> bool:
    """A finite number of seconds (JSON's true/false are not)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _hand_spans(marked: object, duration: float, bad: Callable[[str], UnreadableInput]
                ) -> list[tuple[str, float, float, float]]:
    """The hand labels' mistake spans as (check, start_s, end_s, severity_deg), checked."""
    if not isinstance(marked, list):
        raise bad('"mistakes" must be a list of spans (leave it out for correct form)')
    spans = []
    for m in marked:
        if not isinstance(m, dict) or not {"check", "start_s", "end_s"} <= set(m):
            raise bad('each mistake needs "check", "start_s" and "end_s" (and may give "severity_deg")')
        check, start, end = m["check"], m["start_s"], m["end_s"]
        size = m.get("severity_deg", HAND_MISTAKE_DEG)
        if not isinstance(check, str) or not all(_seconds(x) for x in (start, end, size)):
            raise bad(f"mistake {check!r}: check must be a check's id, and start_s, end_s and "
                      "severity_deg numbers")
        if not 0 <= start < end <= duration + HAND_END_SLACK_S or size < 0:
            raise bad(f"mistake {check!r}: start_s must come before end_s, both within the clip's "
                      f"{duration:.1f} s, and its severity_deg must not be negative")
        spans.append((check, float(start), float(end), float(size)))
    return spans


def _hand_in_position(held: object, duration: float, bad: Callable[[str], UnreadableInput]) -> float | None:
    """Seconds in position from the hand labels' [start_s, end_s] pairs (None when not given)."""
    if held is None:
        return None
    if not isinstance(held, list) or \
            not all(isinstance(p, list) and len(p) == 2 and all(_seconds(x) for x in p) for p in held) or \
            not all(0 <= a < b <= duration + HAND_END_SLACK_S for a, b in held):
        raise bad('"in_position" must be a list of [start_s, end_s] pairs within the clip, each start '
                  "before its end")
    return float(sum(b - a for a, b in held))


def _hand_video(path: Path, d: dict[str, Any], bad: Callable[[str], UnreadableInput]) -> Path | None:
    """The video the hand labels are for: "video" (beside the labels unless a full path), else
    NAME.mp4 (or another video suffix, in either case) beside NAME.labels.json; None when there is none."""
    if "video" in d:
        if not isinstance(d["video"], str) or not d["video"]:
            raise bad('"video" must be the video\'s file name, or left out')
        video = path.parent / d["video"]
        if not video.is_file():
            raise bad(f'"video" names {video}, which is not there')
        return video
    stem = path.name.removesuffix(".labels.json")
    beside = sorted(p for p in path.parent.iterdir() if p.is_file() and p.name.startswith(stem)
                    and p.name[len(stem):].lower() in VIDEO_SUFFIXES)  # a phone's NAME.MOV too
    return beside[0] if beside else None


def _video_seconds(video: Path, bad: Callable[[str], UnreadableInput]) -> float:
    """The video's length, as the decoder reads it (its video stream's, else its container's)."""
    from posecheck.sources.video import VideoFileSource

    try:
        seconds = VideoFileSource(video).info.duration_s
    except UnreadableInput:
        raise bad(f"{video.name} cannot be read as a video") from None
    if not seconds > 0:
        raise bad(f'{video.name} does not say how long it is: give "duration_s"')
    return float(seconds)
