"""Decode video files frame by frame with PyAV, honouring rotation metadata and container timestamps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from posecheck.errors import UnreadableInput
from posecheck.frames import ImageFrame

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv")
_KINDS = ", ".join(s.lstrip(".") for s in VIDEO_SUFFIXES[:-1]) + " or " + VIDEO_SUFFIXES[-1].lstrip(".")


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about the video before decoding."""

    path: Path
    width: int
    height: int
    fps: float
    duration_s: float
    frame_count: int
    rotation: int  # degrees clockwise the frames are turned to display upright


def _rotate(rgb: np.ndarray, rotation: int) -> np.ndarray:
    """Turn a frame so that it displays upright (rotation in degrees, multiples of 90)."""
    turns = (rotation // 90) % 4
    if turns == 0:
        return rgb
    # PyAV reports the display-matrix rotation counter-clockwise; np.rot90 also turns
    # counter-clockwise, so the same number of quarter turns puts the picture upright.
    return np.ascontiguousarray(np.rot90(rgb, k=turns))


class VideoFileSource:
    """Iterate over a video file's frames as `ImageFrame`s with container timestamps (seconds)."""

    def __init__(self, path: str | Path, max_side: int | None = None) -> None:
        """`max_side` shrinks each frame so its longer side is at most that many pixels (`info` keeps
        the video's own size)."""
        self.path = Path(path)
        self.max_side = max_side
        if not self.path.exists():
            raise UnreadableInput(f"No such file: {self.path}.", "Check the path and try again.")
        try:
            container = av.open(str(self.path))
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            raise UnreadableInput(
                f"Cannot open {self.path.name} as a video ({exc.__class__.__name__}).",
                f"Use an {_KINDS} file that plays in a media player.",
            ) from exc
        try:
            if not container.streams.video:
                raise UnreadableInput(f"{self.path.name} has no video stream.",
                                      "Choose a file with video in it.")
            stream = container.streams.video[0]
            fps = float(stream.average_rate or stream.guessed_rate or 0) or 30.0
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            else:
                duration = 0.0
            frames = int(stream.frames or round(duration * fps))
            width, height = int(stream.codec_context.width), int(stream.codec_context.height)
            rotation = self._probe_rotation(container)
        finally:
            container.close()
        if rotation % 180:
            width, height = height, width
        self.info = VideoInfo(self.path, width, height, fps, duration, frames, rotation)

    def _probe_rotation(self, container: av.container.InputContainer) -> int:
        """Rotation from the first frame's display matrix (phones store portrait video sideways)."""
        try:
            for frame in container.decode(video=0):
                return int(round(getattr(frame, "rotation", 0) or 0)) % 360
        except av.error.FFmpegError:
            return 0
        return 0

    def __iter__(self) -> Iterator[ImageFrame]:
        try:
            container = av.open(str(self.path))
        except (av.error.FFmpegError, OSError) as exc:
            raise UnreadableInput(f"Cannot open {self.path.name}: {exc}") from exc
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        decoded = 0
        last_t = -1.0
        try:
            for av_frame in _decode_packets(container, stream):
                if av_frame.pts is None or av_frame.time_base is None:
                    t = last_t + 1.0 / self.info.fps if last_t >= 0 else 0.0
                else:
                    t = float(av_frame.pts * av_frame.time_base)
                if t <= last_t:  # broken or repeated timestamps: keep time moving forward
                    t = last_t + 1e-3
                last_t = t
                rgb = av_frame.to_ndarray(format="rgb24")
                rgb = _rotate(rgb, round(getattr(av_frame, "rotation", 0) or 0))
                if self.max_side and max(rgb.shape[:2]) > self.max_side:
                    rgb = _downscale(rgb, self.max_side)
                decoded += 1
                yield ImageFrame(timestamp=t, rgb=rgb)
        finally:
            container.close()
        if decoded == 0:
            raise UnreadableInput(f"{self.path.name} contains no decodable video frames.",
                                  "Check that the file plays in a media player.")


def _decode_packets(container: av.container.InputContainer, stream: av.video.stream.VideoStream
                    ) -> Iterator[av.VideoFrame]:
    """Decode packet by packet; on a damaged or cut file, flush what the decoder still holds."""
    try:
        for packet in container.demux(stream):
            try:
                yield from packet.decode()
            except av.error.InvalidDataError:
                continue  # one corrupt packet: skip it, keep going
    except av.error.FFmpegError:
        pass  # the file ends early: keep every frame decoded so far
    try:
        yield from stream.codec_context.decode(None)
    except av.error.FFmpegError:
        return


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The frame size after shrinking so the longer side is at most `max_side` (never enlarged)."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _downscale(rgb: np.ndarray, max_side: int) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    return cv2.resize(rgb, scaled_size(w, h, max_side), interpolation=cv2.INTER_AREA)
