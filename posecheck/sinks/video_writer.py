"""Write browser-playable H.264 MP4 with PyAV (OpenCV's wheels cannot encode H.264)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


class H264Writer:
    """Encode RGB frames with their own timestamps (variable frame rate is kept)."""

    def __init__(self, path: str | Path, width: int, height: int, fps: float = 30.0, crf: int = 23) -> None:
        self._container = av.open(str(path), mode="w")
        self._stream = self._container.add_stream("libx264", rate=Fraction(round(fps * 1000), 1000))
        # yuv420p needs even dimensions.
        self.width, self.height = width - width % 2, height - height % 2
        self._stream.width, self._stream.height = self.width, self.height
        self._stream.pix_fmt = "yuv420p"
        self._stream.options = {"crf": str(crf), "preset": "veryfast", "movflags": "+faststart"}
        self._stream.codec_context.time_base = Fraction(1, 1000)
        self._last_pts = -1

    def write(self, rgb: np.ndarray, timestamp: float) -> None:
        rgb = np.ascontiguousarray(rgb[: self.height, : self.width])
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        pts = max(round(timestamp * 1000), self._last_pts + 1)
        self._last_pts = pts
        frame.pts = pts
        frame.time_base = Fraction(1, 1000)
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()
