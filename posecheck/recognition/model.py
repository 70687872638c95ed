"""The recognition model: a data file of body-shape statistics per stretch variant.

Each class is one way of doing a stretch (a stretch can have several: the figure-4 lying or seated,
side or front view). It holds, per feature, the mean and spread measured on the generated clips
(`tools/train_recognizer.py` writes the file). A frame's score for a class is the mean Gaussian
log-density over the features seen in that frame, so unseen joints neither help nor hurt.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from posecheck.datafiles import load_model as load_data_model
from posecheck.errors import PoseDefinitionError
from posecheck.recognition.vector import NAMES

DEFAULT_MODEL = Path(__file__).with_name("model.json")
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class RecognitionDataError(PoseDefinitionError):
    """The recognition model file is missing or malformed."""


class ClassStats(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pose: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    variant: str
    frames: int = Field(ge=1)
    mean: list[float | None]
    std: list[float | None]


class MovementSplit(BaseModel):
    """Two stretches of the same shape told apart by how they move: `above` when the feature is
    over `split`, `below` otherwise (shoulder rolls lift the shoulders, squeezes do not)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    above: str
    below: str
    feature: str
    split: float


class RecognitionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = Field(pattern=r"^posecheck-recognition/1$")
    features: list[str]
    min_std: list[float]
    reject_z2: float = Field(gt=0)  # mean squared z above this: not a stretch in the catalogue
    trained_on: str = ""
    classes: list[ClassStats] = Field(min_length=1)
    splits: list[MovementSplit] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shapes(self) -> RecognitionModel:
        if tuple(self.features) != NAMES:
            raise ValueError("features: the model was trained on other features than this version "
                             "measures; retrain it with tools/train_recognizer.py")
        n = len(self.features)
        if len(self.min_std) != n:
            raise ValueError(f"min_std: needs {n} values")
        for k, c in enumerate(self.classes):
            if len(c.mean) != n or len(c.std) != n:
                raise ValueError(f"classes[{k}]: mean and std need {n} values each")
        for k, s in enumerate(self.splits):
            if s.feature not in self.features:
                raise ValueError(f"splits[{k}].feature: {s.feature!r} is not one of the model's features")
        return self

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Means and spreads as (classes, features) arrays; NaN where a class never saw a feature."""
        mean = np.array([[math.nan if v is None else v for v in c.mean] for c in self.classes])
        std = np.array([[math.nan if v is None else v for v in c.std] for c in self.classes])
        std = np.maximum(std, np.asarray(self.min_std)[None, :])
        return mean, std

    @property
    def poses(self) -> list[str]:
        return [c.pose for c in self.classes]

    def only(self, poses: set[str]) -> RecognitionModel:
        """The model choosing among these stretches only (a routine's, or a trimmed catalogue)."""
        kept = [c for c in self.classes if c.pose in poses]
        if not kept:
            raise RecognitionDataError(f"the recognition model knows none of these stretches: "
                                       f"{', '.join(sorted(poses))}; retrain it (tools/train_recognizer.py)")
        splits = [s for s in self.splits if s.above in poses and s.below in poses]
        return self.model_copy(update={"classes": kept, "splits": splits})


class Scorer:
    """Scores frames against every class of a model."""

    def __init__(self, model: RecognitionModel) -> None:
        self.model = model
        self.mean, self.std = model.arrays()
        self.poses = model.poses

    def score(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per class: the log-density summed over every feature, and the mean squared z of those seen.

        A feature the frame does not show (or the class never saw) counts as one spread off its
        mean, so neither side gains from a missing joint, and one feature far off its class (a
        chest turned 35 deg for a stretch done square) weighs in full, not diluted by the others."""
        z = (x[None, :] - self.mean) / self.std
        seen = np.isfinite(z)
        n = np.maximum(seen.sum(axis=1), 1)
        z2 = np.where(seen, z * z, 1.0)
        logstd = np.where(np.isfinite(self.std), np.log(self.std), np.log(np.asarray(self.model.min_std)))
        log_density = (-0.5 * z2 - logstd - HALF_LOG_2PI).sum(axis=1)
        return log_density, np.where(seen, z2, 0.0).sum(axis=1) / n


def load_model(path: str | Path | None = None) -> RecognitionModel:
    return load_data_model(Path(path or DEFAULT_MODEL), RecognitionModel, RecognitionDataError,
                           "recognition model")
