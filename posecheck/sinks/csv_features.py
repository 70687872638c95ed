"""Per-frame CSV: time, status, side, the smoothed features and each check's state."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import IO

from posecheck.checker.events import Verdict
from posecheck.poses.schema import PoseDefinition


class FeatureCSV:
    """Write one row per frame. Columns are fixed up front so every row lines up."""

    def __init__(self, path: str | Path, pose: PoseDefinition, feature_names: tuple[str, ...]) -> None:
        self._fh: IO[str] = Path(path).open("w", newline="", encoding="utf-8")  # noqa: SIM115
        self._features = feature_names
        self._checks = tuple(c.id for c in pose.checks)
        self._w = csv.writer(self._fh)
        self._w.writerow(["time_s", "status", "side", "camera_side", "in_position", "hold_s", "message",
                          *self._features, *(f"check_{c}" for c in self._checks)])

    def write(self, v: Verdict) -> None:
        states = {c.id: c.state for c in v.checks}
        feats = []
        for name in self._features:
            x = v.features.get(name, math.nan)
            feats.append("" if math.isnan(x) else f"{x:.4f}")
        self._w.writerow([f"{v.timestamp:.4f}", v.status, v.side or "", v.camera_side or "",
                          int(v.in_position), f"{v.hold_s:.3f}", v.message, *feats,
                          *(states.get(c, "") for c in self._checks)])

    def close(self) -> None:
        self._fh.close()


class RecognitionCSV:
    """One row per frame when the stretch is recognised: which stretch, and its verdict."""

    def __init__(self, path: str | Path) -> None:
        self._fh: IO[str] = Path(path).open("w", newline="", encoding="utf-8")  # noqa: SIM115
        self._w = csv.writer(self._fh)
        self._w.writerow(["time_s", "stretch", "status", "side", "in_position", "hold_s", "reps",
                          "mistakes", "message"])

    def write(self, v: Verdict, stretch: str) -> None:
        self._w.writerow([f"{v.timestamp:.4f}", stretch, v.status, v.side or "", int(v.in_position),
                          f"{v.hold_s:.3f}", "" if v.reps is None else v.reps,
                          " ".join(v.active_mistakes), v.message])

    def close(self) -> None:
        self._fh.close()
