"""Landmark recordings: what the estimator produced for a video, saved so checks re-run without inference.

Format (`.landmarks.npz`, version 1), a NumPy archive with:
  format        str   "posecheck-landmarks/1"
  meta          str   JSON: source file, width, height, fps, estimator name, creation settings
  timestamps    (N,)  float64 seconds
  present       (N,)  bool: a person was found
  image         (N, 33, 3) float32 pixels x, y and MediaPipe z (NaN where no person)
  visibility    (N, 33) float32
  world         (N, 33, 3) float32 metres (NaN where none)
  extra_people  (N,)  int16
  mask_delta    optional (N, h, w) uint8 person mask, 0..255, at the size it is traced at, stored
                as the first frame then each frame's change from the one before (modulo 256):
                lossless, and a still person's masks compress several times better. Files written
                before it have the masks themselves in `mask` (same shape), which still reads.
  mask_present  optional (N,) bool: False where the frame had no mask (nobody found); the stored
                mask there is blank. Files without it have a real mask on every frame.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from posecheck.errors import UnreadableInput
from posecheck.features.silhouette import EDGE_LEVEL, working_mask
from posecheck.frames import Landmarks, PoseFrame
from posecheck.landmarks import N_LANDMARKS

FORMAT = "posecheck-landmarks/1"


def _shrink_mask(mask: np.ndarray, binary: bool = False) -> np.ndarray:
    """The mask at the size the back outline is traced at, as bytes: replay reads what live read.

    `binary` keeps only inside/outside (0 or 255): about 8 times smaller once compressed, at the
    cost of the edge's sub-pixel position (back_curve reads about 1 deg flatter on average)."""
    small = working_mask(mask)
    if binary:
        return np.where(small >= EDGE_LEVEL, 255, 0).astype(np.uint8)
    return np.clip(small * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _time_deltas(masks: np.ndarray) -> np.ndarray:
    """(N, h, w) uint8 masks as the first one, then each one's change from the previous (mod 256)."""
    out = masks.copy()
    out[1:] -= masks[:-1]  # uint8 arithmetic wraps: np.cumsum(out, axis=0, dtype=np.uint8) undoes it
    return out


def write_recording(path: str | Path, frames: Iterable[PoseFrame], meta: dict[str, Any],
                    binary_mask: bool = False) -> int:
    """Save pose frames to `path`; returns the number of frames written (see `_shrink_mask`)."""
    ts: list[float] = []
    present: list[bool] = []
    image: list[np.ndarray] = []
    vis: list[np.ndarray] = []
    world: list[np.ndarray] = []
    extra: list[int] = []
    masks: list[np.ndarray | None] = []
    width = height = 0
    nan3 = np.full((N_LANDMARKS, 3), np.nan, np.float32)
    for f in frames:
        width, height = f.width, f.height
        ts.append(f.timestamp)
        extra.append(f.extra_people)
        lm = f.landmarks
        present.append(lm is not None)
        image.append(lm.image.astype(np.float32) if lm is not None else nan3)
        vis.append(lm.visibility.astype(np.float32) if lm is not None
                   else np.zeros(N_LANDMARKS, np.float32))
        world.append(lm.world.astype(np.float32) if lm is not None and lm.world is not None
                     else nan3)
        masks.append(_shrink_mask(f.mask, binary_mask) if f.mask is not None else None)
    arrays: dict[str, np.ndarray] = {
        "format": np.array(FORMAT),
        "meta": np.array(json.dumps({**meta, "width": width, "height": height})),
        "timestamps": np.asarray(ts, np.float64),
        "present": np.asarray(present, bool),
        "image": np.stack(image) if image else np.zeros((0, N_LANDMARKS, 3), np.float32),
        "visibility": np.stack(vis) if vis else np.zeros((0, N_LANDMARKS), np.float32),
        "world": np.stack(world) if world else np.zeros((0, N_LANDMARKS, 3), np.float32),
        "extra_people": np.asarray(extra, np.int16),
    }
    kept = [m for m in masks if m is not None]
    if kept and all(m.shape == kept[0].shape for m in kept):
        # frames without a mask (nobody found) get a blank one and mask_present False
        blank = np.zeros_like(kept[0])
        arrays["mask_delta"] = _time_deltas(np.stack([m if m is not None else blank for m in masks]))
        arrays["mask_present"] = np.asarray([m is not None for m in masks], bool)
    path = Path(path)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)
    return len(ts)


class RecordingSource:
    """Replay a landmark recording as `PoseFrame`s, exactly as the estimator produced them."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            loaded = np.load(self.path, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):
                raise ValueError("a single array, not an archive")
            with loaded as data:
                arrays = {k: data[k] for k in data.files}
        except FileNotFoundError as exc:
            raise UnreadableInput(f"No such file: {self.path}.") from exc
        except (OSError, ValueError, TypeError, zipfile.BadZipFile, EOFError) as exc:
            raise UnreadableInput(
                f"{self.path.name} is not a readable landmark recording ({exc.__class__.__name__}).",
                "Record one with `posecheck extract VIDEO -o FILE.landmarks.npz`.",
            ) from exc
        fmt = str(arrays.get("format", ""))
        if fmt != FORMAT:
            raise UnreadableInput(f"{self.path.name} is not a posecheck landmark recording "
                                  f"(format {fmt or 'missing'!r}, expected {FORMAT!r}).")
        required = ("meta", "timestamps", "present", "image", "visibility", "world")
        missing = [k for k in required if k not in arrays]
        if missing:
            raise UnreadableInput(f"{self.path.name} lacks the fields {', '.join(missing)}.")
        ts = arrays["timestamps"]
        if ts.ndim != 1 or not np.issubdtype(ts.dtype, np.number) or not np.all(np.isfinite(ts)):
            raise UnreadableInput(f"{self.path.name}: timestamps must be one finite number per frame.")
        n = len(ts)
        shapes = {"present": (n,), "image": (n, N_LANDMARKS, 3), "visibility": (n, N_LANDMARKS),
                  "world": (n, N_LANDMARKS, 3)}
        if "extra_people" in arrays:
            shapes["extra_people"] = (n,)
        if "mask_delta" in arrays:
            if "mask" in arrays:
                raise UnreadableInput(f"{self.path.name}: holds both 'mask' and 'mask_delta'; keep one.")
            delta = arrays.pop("mask_delta")
            if delta.dtype != np.uint8 or delta.ndim != 3:
                raise UnreadableInput(f"{self.path.name}: field 'mask_delta' must hold one 2D byte mask "
                                      "per frame.")
            arrays["mask"] = np.cumsum(delta, axis=0, dtype=np.uint8)
        if "mask" in arrays and (arrays["mask"].ndim != 3 or arrays["mask"].shape[0] != n):
            raise UnreadableInput(f"{self.path.name}: field 'mask' must hold one 2D mask per frame.")
        if "mask_present" in arrays:
            shapes["mask_present"] = (n,)
        for key, shape in shapes.items():
            if arrays[key].shape != shape:
                raise UnreadableInput(f"{self.path.name}: field {key!r} has shape "
                                      f"{arrays[key].shape}, expected {shape}.")
        if n and np.any(np.diff(arrays["timestamps"]) <= 0):
            raise UnreadableInput(f"{self.path.name}: timestamps do not increase.")
        try:
            self.meta: dict[str, Any] = json.loads(str(arrays["meta"]))
        except json.JSONDecodeError as exc:
            raise UnreadableInput(f"{self.path.name}: its meta field is not valid JSON.") from exc
        if not isinstance(self.meta, dict):
            raise UnreadableInput(f"{self.path.name}: its meta field must be a JSON object.")
        self._a = arrays
        self.width = int(self.meta.get("width", 0))
        self.height = int(self.meta.get("height", 0))
        self.has_mask = "mask" in arrays

    def __len__(self) -> int:
        return len(self._a["timestamps"])

    def __iter__(self) -> Iterator[PoseFrame]:
        a = self._a
        extra = a.get("extra_people", np.zeros(len(self), np.int16))
        mask_present = a.get("mask_present")  # absent in older files: every stored mask is real
        for i, t in enumerate(a["timestamps"]):
            lm = None
            if a["present"][i]:
                world = a["world"][i].astype(np.float64)
                lm = Landmarks(
                    image=a["image"][i].astype(np.float64),
                    visibility=a["visibility"][i].astype(np.float64),
                    world=None if np.isnan(world).all() else world,
                )
            mask = (a["mask"][i].astype(np.float32) / 255.0
                    if self.has_mask and (mask_present is None or mask_present[i]) else None)
            yield PoseFrame(timestamp=float(t), width=self.width, height=self.height,
                            landmarks=lm, mask=mask, extra_people=int(extra[i]))
