"""Coaching whichever catalogue stretch the person is doing: a recogniser names it, and that
stretch's own checker judges the frame. Each stretch keeps its checker for the whole session,
so a stretch left and taken up again carries on with its holds, reps and mistakes."""

from __future__ import annotations

from posecheck.checker import guidance
from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.frames import PoseFrame
from posecheck.poses.schema import PoseDefinition
from posecheck.recognition.model import RecognitionModel
from posecheck.recognition.recognizer import Recognizer

WAITING = "Start any stretch from the catalogue: posecheck will recognise it."
NO_PERSON = guidance.NO_PERSON


class AutoCoach:
    """Feed frames in time order; each verdict comes from the stretch recognised in that frame."""

    def __init__(self, catalogue: dict[str, PoseDefinition], model: RecognitionModel) -> None:
        self.catalogue = catalogue
        self.recognizer = Recognizer(model.only(set(catalogue)))
        self.checkers: dict[str, PoseChecker] = {}
        self.current: str | None = None
        self.frames = 0
        self.frames_with_person = 0

    @property
    def pose(self) -> PoseDefinition | None:
        return self.catalogue[self.current] if self.current else None

    @property
    def checker(self) -> PoseChecker | None:
        return self.checkers.get(self.current) if self.current else None

    def update(self, frame: PoseFrame) -> Verdict:
        named = self.recognizer.update(frame)
        self.frames += 1
        self.frames_with_person += frame.landmarks is not None
        if named != self.current and self.current in self.checkers:
            self.checkers[self.current].pause(frame.timestamp)
        self.current = named
        if named is None:
            message = NO_PERSON if frame.landmarks is None else WAITING
            status = "no_person" if frame.landmarks is None else "not_in_position"
            return Verdict(frame.timestamp, status, message, None, None, False, 0.0, 0.0)  # type: ignore[arg-type]
        checker = self.checkers.get(named)
        if checker is None:
            checker = self.checkers[named] = PoseChecker(self.catalogue[named])
        return checker.update(frame)

    def finish(self) -> None:
        for checker in self.checkers.values():
            checker.finish()
