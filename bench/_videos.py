"""Longer test videos for the benches, made from the sample clips so any checkout can rebuild them.

The generated sample clips are 2.4 s at 15 fps. A bench video plays the clips of one stretch one
after another, each forwards then backwards (so the body never jumps), at the asked frame rate and
size, until it is long enough. It is encoded with x264 like a phone or webcam recording would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def clip_frames(stretch: str) -> list[np.ndarray]:
    """Every frame of every generated clip of one stretch, each clip forwards then backwards."""
    clips = sorted((ROOT / "samples" / "synth").glob(f"{stretch}__*.mp4"))
    if not clips:
        raise SystemExit(f"no sample clips of {stretch!r} in samples/synth")
    frames: list[np.ndarray] = []
    for clip in clips:
        with av.open(str(clip)) as container:
            one = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        frames += one + one[::-1]
    return frames


def _looped(frames: list[np.ndarray], n: int, repeat: int) -> Iterator[np.ndarray]:
    for i in range(n):
        yield frames[(i // repeat) % len(frames)]


def make_video(path: Path, stretch: str, seconds: float, width: int = 640, height: int = 480,
               fps: int = 30, source_fps: int = 15) -> Path:
    """Write `seconds` of video of one stretch to `path` (kept if it is already there)."""
    if path.exists():
        return path
    frames = clip_frames(stretch)
    n = int(round(seconds * fps))
    repeat = max(1, fps // source_fps)  # each generated frame shown this many times
    tmp = path.with_suffix(".part.mp4")
    with av.open(str(tmp), mode="w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        stream.codec_context.time_base = Fraction(1, fps)
        for i, rgb in enumerate(_looped(frames, n, repeat)):
            if rgb.shape[1] != width or rgb.shape[0] != height:
                rgb = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_LINEAR)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    tmp.rename(path)
    return path
