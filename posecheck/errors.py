"""Errors the user can act on. Each carries a plain message and the CLI exit code it maps to."""

from __future__ import annotations


class PosecheckError(Exception):
    """Base class: a problem with the user's input, explained in plain words."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UnreadableInput(PosecheckError):
    """The video or landmark file cannot be opened or decoded."""

    exit_code = 3


class PoseDefinitionError(PosecheckError):
    """A pose file is malformed, or the pose id is unknown."""

    exit_code = 4


class NoPersonFound(PosecheckError):
    """No person was detected in the whole input."""

    exit_code = 5


class UnsuitableInput(PosecheckError):
    """A person was found but never in a state the checks can judge (wrong view, half out of frame)."""

    exit_code = 6


class RoutineDefinitionError(PoseDefinitionError):
    """A routine file is malformed or names a stretch posecheck does not know."""
