"""Video decoding: common containers, container timestamps (variable frame rate), phone rotation."""

from __future__ import annotations

import itertools
import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from posecheck.errors import UnreadableInput
from posecheck.sources.pushed import PushedFrames
from posecheck.sources.video import VideoFileSource


def _stripe_frame(w: int = 64, h: int = 32) -> np.ndarray:
    img = np.zeros((h, w, 3), np.uint8)
    img[:, : w // 4] = 255  # a white stripe down the left edge
    return img


def _write(path: Path, codec: str, times: list[float], pix_fmt: str = "yuv420p", noisy: bool = False) -> None:
    rng = np.random.default_rng(0)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 32, pix_fmt
        stream.codec_context.time_base = Fraction(1, 1000)
        for t in times:
            img = rng.integers(0, 255, (32, 64, 3), dtype=np.uint8) if noisy else _stripe_frame()
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts, frame.time_base = round(t * 1000), Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _set_display_rotation(path: Path, out: Path) -> None:
    """Write a 90-degree display matrix into the mp4's track header, as phones do for portrait."""
    data = bytearray(path.read_bytes())
    i = data.find(b"tkhd")
    version = data[i + 4]
    offset = i + 8 + (32 if version == 1 else 20) + 8 + 8
    data[offset:offset + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    out.write_bytes(bytes(data))


@pytest.mark.parametrize(("suffix", "codec", "pix_fmt"), [
    (".mp4", "libx264", "yuv420p"), (".mov", "libx264", "yuv420p"), (".mkv", "libx264", "yuv420p"),
    (".avi", "mpeg4", "yuv420p"), (".webm", "libvpx", "yuv420p"),
])
def test_containers_decode_with_timestamps(tmp_path: Path, suffix: str, codec: str, pix_fmt: str) -> None:
    path = tmp_path / f"clip{suffix}"
    times = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    _write(path, codec, times, pix_fmt)
    frames = list(VideoFileSource(path))
    assert len(frames) == len(times)
    got = [f.timestamp - frames[0].timestamp for f in frames]
    assert got == pytest.approx(times, abs=0.04)  # avi stores frame numbers at the nominal rate
    assert frames[0].rgb.shape == (32, 64, 3)


def test_variable_frame_rate_keeps_container_times(tmp_path: Path) -> None:
    path = tmp_path / "vfr.mkv"
    times = [0.0, 0.033, 0.2, 0.233, 0.9, 1.5]  # dropped frames, as from a phone under load
    _write(path, "libx264", times)
    got = [f.timestamp for f in VideoFileSource(path)]
    assert got == pytest.approx(times, abs=0.002)
    assert all(b > a for a, b in itertools.pairwise(got))


def test_phone_rotation_is_honoured(tmp_path: Path) -> None:
    plain, rotated = tmp_path / "plain.mp4", tmp_path / "portrait.mp4"
    _write(plain, "libx264", [0.0, 0.1, 0.2])
    _set_display_rotation(plain, rotated)
    source = VideoFileSource(rotated)
    assert (source.info.width, source.info.height) == (32, 64)
    frame = next(iter(source))
    assert frame.rgb.shape == (64, 32, 3)
    # Turned clockwise for display: the stripe that was on the left is now along the top.
    assert frame.rgb[:12, :, 0].mean() > 200
    assert frame.rgb[20:, :, 0].mean() < 40


def test_missing_and_non_video_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="No such file"):
        VideoFileSource(tmp_path / "nope.mp4")
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video")
    with pytest.raises(UnreadableInput) as err:
        list(VideoFileSource(text))
    assert "notes.mp4" in str(err.value)


def test_truncated_video_keeps_the_decodable_part(tmp_path: Path) -> None:
    path = tmp_path / "cut.mkv"
    _write(path, "libx264", [i / 10 for i in range(30)], noisy=True)
    data = path.read_bytes()
    cut = tmp_path / "cut_short.mkv"
    cut.write_bytes(data[: len(data) * 2 // 3])  # a download that stopped two thirds of the way
    frames = list(VideoFileSource(cut))
    assert 5 <= len(frames) < 30


def test_pushed_frames_never_go_back_in_time() -> None:
    pushed = PushedFrames()
    img = np.zeros((4, 4, 3), np.uint8)
    times = [pushed.push(img, t).timestamp for t in (1.0, 1.1, 1.05, 1.1, 2.0)]
    assert times[0:2] == [1.0, 1.1]
    assert times[2] > 1.1 and times[3] > times[2] and times[4] == 2.0
    with pytest.raises(ValueError, match="RGB"):
        pushed.push(np.zeros((4, 4)), 3.0)


def test_scaled_size_keeps_the_shape_and_never_enlarges() -> None:
    from posecheck.sources.video import scaled_size

    assert scaled_size(1920, 1080, 640) == (640, 360)
    assert scaled_size(720, 1280, 480) == (270, 480)  # portrait: the height is the longer side
    assert scaled_size(640, 480, 640) == (640, 480)
    assert scaled_size(320, 240, 640) == (320, 240)
    assert scaled_size(640, 480, None) == (640, 480)
