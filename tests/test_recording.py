"""Landmark recordings: write -> read round trip, and malformed files refused with a clear message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import frames, heel_on_step, irregular_times, no_person, standing

from posecheck.checker import PoseChecker
from posecheck.cli import main
from posecheck.errors import UnreadableInput
from posecheck.features.silhouette import WORK_SIDE
from posecheck.frames import PoseFrame
from posecheck.landmarks import N_LANDMARKS
from posecheck.poses import pose_by_id
from posecheck.sources.recording import FORMAT, RecordingSource, write_recording


def _with_mask(f: PoseFrame, mask: np.ndarray | None) -> PoseFrame:
    return PoseFrame(f.timestamp, f.width, f.height, f.landmarks, mask, f.extra_people, f.meta)


def sample_frames(mask_shape: tuple[int, int] | None = (90, 120)) -> list[PoseFrame]:
    """Five frames at irregular times: a person, a gap with nobody, one without world landmarks,
    one with another person in view. Random masks (0..1 float32) on every frame when mask_shape is
    given, none at all when it is None."""
    rng = np.random.default_rng(5)
    out = [
        standing().frame(0.0),
        heel_on_step("left").frame(0.07),
        no_person(0.31),
        standing(lean=-10).without_world().frame(0.33),
        heel_on_step("right").mirrored().frame(0.9, extra_people=2),
    ]
    if mask_shape is None:
        return [_with_mask(f, None) for f in out]
    return [_with_mask(f, rng.random(mask_shape, dtype=np.float32)) for f in out]


def test_round_trip_keeps_timestamps_landmarks_gaps_and_masks(tmp_path: Path) -> None:
    original = sample_frames()
    path = tmp_path / "clip.landmarks.npz"
    assert write_recording(path, original, {"source": "clip.mp4", "fps": 30.0, "estimator": "hand"}) == 5
    rec = RecordingSource(path)
    assert len(rec) == 5 and rec.has_mask
    assert (rec.width, rec.height) == (1200, 900)
    assert rec.meta == {"source": "clip.mp4", "fps": 30.0, "estimator": "hand", "width": 1200, "height": 900}
    replay = list(rec)
    assert [f.timestamp for f in replay] == [0.0, 0.07, 0.31, 0.33, 0.9]  # float64: exact
    assert [f.extra_people for f in replay] == [0, 0, 0, 0, 2]
    assert [f.has_person for f in replay] == [True, True, False, True, True]
    for a, b in zip(original, replay, strict=True):
        assert (b.width, b.height) == (1200, 900)
        # masks are stored as 0..255 bytes: within half a step
        assert b.mask is not None and b.mask.dtype == np.float32 and b.mask.shape == (90, 120)
        assert np.abs(b.mask - a.mask).max() <= 0.5 / 255 + 1e-6  # type: ignore[operator]
        if a.landmarks is None:
            assert b.landmarks is None
            continue
        assert b.landmarks is not None
        # landmarks are stored as float32: pixels to 1e-4, metres to 1e-6
        np.testing.assert_allclose(b.landmarks.image, a.landmarks.image, atol=1e-4)
        np.testing.assert_allclose(b.landmarks.visibility, a.landmarks.visibility, atol=1e-6)
        if a.landmarks.world is None:
            assert b.landmarks.world is None
        else:
            assert b.landmarks.world is not None
            np.testing.assert_allclose(b.landmarks.world, a.landmarks.world, atol=1e-6)


def test_masks_are_stored_as_changes_from_frame_to_frame_and_read_back_exactly(tmp_path: Path) -> None:
    frames = sample_frames()
    write_recording(tmp_path / "r.npz", frames, {})
    with np.load(tmp_path / "r.npz") as z:
        assert "mask" not in z.files and z["mask_delta"].dtype == np.uint8
        stored = z["mask_delta"]
    expected = np.stack([np.clip(f.mask * 255.0 + 0.5, 0, 255).astype(np.uint8) for f in frames])  # type: ignore[operator]
    np.testing.assert_array_equal(stored[0], expected[0])
    np.testing.assert_array_equal((stored[1] + expected[0]).astype(np.uint8), expected[1])
    replay = np.stack([f.mask for f in RecordingSource(tmp_path / "r.npz")])  # type: ignore[misc]
    np.testing.assert_array_equal(np.rint(replay * 255).astype(np.uint8), expected)
    # a file written before, with the masks themselves, reads the same
    with np.load(tmp_path / "r.npz") as z:
        old = {k: z[k] for k in z.files if k != "mask_delta"}
    np.savez_compressed(tmp_path / "old.npz", **old, mask=expected)
    before = np.stack([f.mask for f in RecordingSource(tmp_path / "old.npz")])  # type: ignore[misc]
    np.testing.assert_array_equal(before, replay)


def test_large_masks_are_shrunk_and_missing_ones_stay_missing(tmp_path: Path) -> None:
    big = [_with_mask(f, np.full((900, 1200), 0.5, np.float32)) for f in sample_frames(None)[:2]]
    write_recording(tmp_path / "big.npz", big, {})
    (first, _) = list(RecordingSource(tmp_path / "big.npz"))
    assert first.mask is not None and first.mask.shape == (240, WORK_SIDE)  # 900x1200 scaled by 320/1200
    assert np.allclose(first.mask, 128 / 255)  # 0.5 * 255 rounded
    # a mask on only some frames (nobody found in the others): kept where it was, None elsewhere
    some = sample_frames(None)
    some[0] = _with_mask(some[0], np.ones((90, 120), np.float32))
    write_recording(tmp_path / "some.npz", some, {})
    rec = RecordingSource(tmp_path / "some.npz")
    replay = list(rec)
    assert rec.has_mask and replay[0].mask is not None and np.allclose(replay[0].mask, 1.0)
    assert all(f.mask is None for f in replay[1:])


def test_a_frame_without_anyone_keeps_the_rest_of_the_masks(tmp_path: Path) -> None:
    """Walking into the picture must not cost the whole recording its back checks."""
    pose = pose_by_id("hamstring_stretch")
    times = [k / 10 for k in range(21)]
    fig = heel_on_step("left", lean=40.0).with_back(5.0)
    live = frames(times, lambda t: None if t < 0.15 else fig)
    write_recording(tmp_path / "r.npz", live, {})
    replay = list(RecordingSource(tmp_path / "r.npz"))
    assert replay[0].mask is None and replay[1].mask is None and all(f.mask is not None for f in replay[2:])
    last = [v for v in map(PoseChecker(pose).update, replay)][-1]
    assert last.active_mistakes == ("lumbar_rounding",)


def test_empty_recording_round_trip(tmp_path: Path) -> None:
    assert write_recording(tmp_path / "empty.npz", [], {"source": "none"}) == 0
    rec = RecordingSource(tmp_path / "empty.npz")
    assert len(rec) == 0 and list(rec) == []


def test_replayed_recording_gets_the_same_verdicts(tmp_path: Path) -> None:
    pose = pose_by_id("hamstring_stretch")
    times = irregular_times(0.0, 4.0, seed=2)
    # the back rounds from 2.0: the check reads the person mask, which the recording must carry
    live = frames(times, lambda t: heel_on_step("left", lean=40.0).with_back(5.0 if t > 2.0 else -20.0))
    write_recording(tmp_path / "r.npz", live, {})
    a, b = PoseChecker(pose), PoseChecker(pose)
    va = [(v.status, v.active_mistakes, round(v.hold_s, 4)) for v in map(a.update, live)]
    replay = RecordingSource(tmp_path / "r.npz")
    vb = [(v.status, v.active_mistakes, round(v.hold_s, 4)) for v in map(b.update, replay)]
    assert va == vb
    assert ("mistake", ("lumbar_rounding",)) in {(s, m) for s, m, _ in va}


def test_cli_analyze_reads_a_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    times = [k / 10 for k in range(31)]
    write_recording(tmp_path / "r.landmarks.npz", frames(times, lambda t: heel_on_step("left")), {"fps": 10})
    report = tmp_path / "report.json"
    assert main(["analyze", str(tmp_path / "r.landmarks.npz"), "--pose", "hamstring_stretch",
                 "--json", str(report), "-q"]) == 0
    data = json.loads(report.read_text())
    assert data["frames"] == 31 and data["frames_with_person"] == 31
    assert data["sides"]["left"]["hold_s"] == pytest.approx(2.5, abs=1e-3)  # in position from 0.5
    assert data["mistakes"] == []
    assert "Hamstring stretch" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# Malformed files
def valid_arrays(n: int = 3) -> dict[str, np.ndarray]:
    return {
        "format": np.array(FORMAT),
        "meta": np.array(json.dumps({"width": 1200, "height": 900})),
        "timestamps": np.arange(n, dtype=np.float64) / 10,
        "present": np.ones(n, bool),
        "image": np.zeros((n, N_LANDMARKS, 3), np.float32),
        "visibility": np.zeros((n, N_LANDMARKS), np.float32),
        "world": np.zeros((n, N_LANDMARKS, 3), np.float32),
        "extra_people": np.zeros(n, np.int16),
    }


def npz_with(**changes: Any) -> Callable[[Path], None]:
    """Writer of a recording that is valid except for `changes` (None deletes a field)."""
    def write(path: Path) -> None:
        arrays = valid_arrays()
        for k, v in changes.items():
            if v is None:
                arrays.pop(k)
            else:
                arrays[k] = v
        np.savez(path, **arrays)
    return write


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def truncated(path: Path) -> None:
    npz_with()(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


MALFORMED: list[tuple[str, Callable[[Path], None], str]] = [
    ("random_bytes", raw(np.random.default_rng(0).bytes(4096)), "is not a readable landmark recording"),
    ("empty_file", raw(b""), "is not a readable landmark recording"),
    ("truncated_zip", truncated, "is not a readable landmark recording (BadZipFile)"),
    ("text_file", raw(b"time,x,y\n0,1,2\n"), "is not a readable landmark recording"),
    ("no_format", npz_with(format=None), "is not a posecheck landmark recording (format 'missing'"),
    ("other_format", npz_with(format=np.array("other/2")),
     "(format 'other/2', expected 'posecheck-landmarks/1')"),
    ("missing_fields", npz_with(timestamps=None, world=None), "lacks the fields timestamps, world"),
    ("image_shape", npz_with(image=np.zeros((3, 17, 3), np.float32)),
     "field 'image' has shape (3, 17, 3), expected (3, 33, 3)"),
    ("visibility_rows", npz_with(visibility=np.zeros((4, 33), np.float32)),
     "field 'visibility' has shape (4, 33), expected (3, 33)"),
    ("present_rows", npz_with(present=np.ones(2, bool)), "field 'present' has shape (2,), expected (3,)"),
    ("world_shape", npz_with(world=np.zeros((3, 33), np.float32)), "field 'world' has shape (3, 33)"),
    ("decreasing_timestamps", npz_with(timestamps=np.array([0.0, 0.2, 0.1])), "timestamps do not increase"),
    ("repeated_timestamps", npz_with(timestamps=np.array([0.0, 0.1, 0.1])), "timestamps do not increase"),
    ("meta_not_json", npz_with(meta=np.array("{width: 1200")), "meta field is not valid JSON"),
]


@pytest.mark.parametrize(("case", "write", "message"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_recording_is_refused(tmp_path: Path, case: str, write: Callable[[Path], None],
                                        message: str) -> None:
    path = tmp_path / f"{case}.landmarks.npz"
    write(path)
    with pytest.raises(UnreadableInput) as exc:
        RecordingSource(path)
    assert message in str(exc.value)
    assert path.name in str(exc.value)
    assert exc.value.exit_code == 3


@pytest.mark.parametrize(("case", "write", "message"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_cli_analyze_of_malformed_recording_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   case: str, write: Callable[[Path], None],
                                                   message: str) -> None:
    path = tmp_path / f"{case}.landmarks.npz"
    write(path)
    assert main(["analyze", str(path), "--pose", "hamstring_stretch", "-q"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("posecheck: ") and message in err and "Traceback" not in err


def test_missing_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gone.landmarks.npz"
    with pytest.raises(UnreadableInput, match="No such file"):
        RecordingSource(path)
    assert main(["analyze", str(path), "--pose", "hamstring_stretch", "-q"]) == 3
    assert "No such file" in capsys.readouterr().err


def _npy_named_npz(path: Path) -> None:
    with path.open("wb") as fh:
        np.save(fh, np.zeros(3))


# Malformed inputs that currently escape as a Python exception (a traceback from the CLI, exit 1)
# or are accepted silently.
UNCAUGHT: list[tuple[str, Callable[[Path], None]]] = [
    # np.load returns a bare ndarray for NPY data, and `with ndarray` raises TypeError
    ("npy_file_named_npz", _npy_named_npz),
    # timestamps (3, 2): the shape is never checked; float() of a row raises TypeError on replay
    ("timestamps_2d", npz_with(timestamps=np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]))),
    # NaN compares false, so `np.diff(t) <= 0` lets it through; the checker then gets NaN times
    ("nan_timestamp", npz_with(timestamps=np.array([0.0, np.nan, 0.2]))),
    # valid JSON that is not an object: `self.meta.get` raises AttributeError
    ("meta_json_list", npz_with(meta=np.array("[1200, 900]"))),
    # optional fields are not shape-checked: IndexError part way through the replay
    ("short_extra_people", npz_with(extra_people=np.zeros(2, np.int16))),
    ("short_mask", npz_with(mask=np.zeros((2, 9, 12), np.uint8))),
    ("short_mask_delta", npz_with(mask_delta=np.zeros((2, 9, 12), np.uint8))),
    ("float_mask_delta", npz_with(mask_delta=np.zeros((3, 9, 12), np.float32))),
    ("mask_and_mask_delta", npz_with(mask=np.zeros((3, 9, 12), np.uint8),
                                     mask_delta=np.zeros((3, 9, 12), np.uint8))),
]


@pytest.mark.parametrize(("case", "write"), UNCAUGHT, ids=[c[0] for c in UNCAUGHT])
def test_malformed_recording_edge_cases_are_refused(tmp_path: Path, case: str,
                                                    write: Callable[[Path], None]) -> None:
    path = tmp_path / f"{case}.landmarks.npz"
    write(path)
    with pytest.raises(UnreadableInput):
        list(RecordingSource(path))
