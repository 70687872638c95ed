"""Feeding live sessions from labelled recordings: a "user" who follows the routine's instructions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from posecheck.frames import PoseFrame
from posecheck.sources.recording import RecordingSource

SYNTH = Path(__file__).resolve().parents[1] / "samples" / "synth"


def frames_of(name: str) -> list[PoseFrame]:
    """Every frame of a synth recording (name without the .landmarks.npz suffix)."""
    return list(RecordingSource(SYNTH / f"{name}.landmarks.npz"))


def looped(frames: list[PoseFrame], start_t: float) -> Iterator[PoseFrame]:
    """The clip played over and over, re-timed to start at `start_t` and keep its frame spacing."""
    step = frames[1].timestamp - frames[0].timestamp
    t = start_t
    while True:
        for f in frames:
            yield replace(f, timestamp=t)
            t += step
