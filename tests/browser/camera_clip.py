"""Fake-camera clips for the real-browser test and the live bench, with a frame counter burned in.

Chromium's fake camera plays a Y4M file in a loop at the file's frame rate. Each frame carries its
number as a column of black and white blocks at the right edge (clear of the coach's cue banner at
the top and its footer at the bottom): a white and a black reference block, then the bits, most
significant first. The page reads the column back from the camera stream and from the coach's
returned video, and the difference in time between the two sightings of a number is the
camera-to-screen latency (drive_live.py --measure-s).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import av
import cv2
import numpy as np

# Where the counter sits in a 640x480 frame; the page scales it to the size it receives.
COUNTER = {"width": 640, "height": 480, "x": 610, "block_w": 24, "y0": 130, "pitch": 18, "block_h": 14,
           "bits": 14}


def burn_counter(rgb: np.ndarray, n: int) -> np.ndarray:
    """A copy of a 640x480 frame with `n` (modulo 2**bits) burned in."""
    img = rgb.copy()
    c = COUNTER
    levels = [255, 0] + [255 if (n >> (c["bits"] - 1 - i)) & 1 else 0 for i in range(c["bits"])]
    for i, level in enumerate(levels):
        y = c["y0"] + i * c["pitch"]
        img[y:y + c["block_h"], c["x"]:c["x"] + c["block_w"]] = level
    return img


def clip_frames(clip: Path, fps: int, hold_last_s: float = 0.0) -> Iterator[np.ndarray]:
    """A clip's frames at 640x480 and `fps` (each shown for as long as it lasts in the clip), then
    its last frame held for `hold_last_s`."""
    with av.open(str(clip)) as container:
        decoded = [(float(f.time or 0.0), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    if not decoded:
        raise ValueError(f"{clip} has no frames")
    t0 = decoded[0][0]
    step = (decoded[-1][0] - t0) / max(1, len(decoded) - 1) if len(decoded) > 1 else 1.0 / fps
    length = decoded[-1][0] - t0 + step + hold_last_s
    times = [t - t0 for t, _ in decoded]
    for k in range(int(round(length * fps))):
        t = k / fps
        i = max(0, min(len(decoded) - 1, int(np.searchsorted(times, t + 1e-9, side="right")) - 1))
        rgb = decoded[i][1]
        if rgb.shape[:2] != (480, 640):
            rgb = cv2.resize(rgb, (640, 480), interpolation=cv2.INTER_AREA)
        yield rgb


def fidget_then_clip(clip: Path, fps: int, fidget: tuple[float, float], fidget_s: float, still_s: float,
                     hold_last_s: float = 0.0) -> Iterator[np.ndarray]:
    """A person who cannot keep still, then settles and plays the clip: the clip's frames up to
    `fidget[0]` s, then its stretch from `fidget[0]` to `fidget[1]` s played forwards and backwards
    for `fidget_s` seconds, then the frame at `fidget[0]` held for `still_s`, then the clip from
    there to its end, its last frame held for `hold_last_s`."""
    frames = list(clip_frames(clip, fps, hold_last_s))
    start, end = (int(round(s * fps)) for s in fidget)
    if not 0 <= start < end <= len(frames):
        raise ValueError(f"fidget {fidget} lies outside {clip.name}")
    swing = frames[start:end] + frames[start:end][::-1]
    yield from frames[:start]
    for k in range(int(round(fidget_s * fps))):
        yield swing[k % len(swing)]
    for _ in range(int(round(still_s * fps))):
        yield frames[start]
    yield from frames[start:]


def write_y4m(frames: Iterable[np.ndarray], out: Path, fps: int, counter: bool = True) -> int:
    """Write 640x480 RGB frames as a Y4M file for Chromium's fake camera; returns the frame count."""
    n = 0
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W640 H480 F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for rgb in frames:
            if counter:
                rgb = burn_counter(rgb, n)
            f.write(b"FRAME\n")
            f.write(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420).tobytes())
            n += 1
    return n
