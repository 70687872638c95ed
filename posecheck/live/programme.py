"""What a live session is running: one stretch, or a guided routine. Both turn pose frames into views.

A programme owns the checkers and the clock (frame timestamps only). The session feeds it frames;
the overlay and the page read the `ProgrammeView` it returns. No drawing and no Streamlit here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.frames import PoseFrame
from posecheck.live.cues import CueCandidate
from posecheck.poses.schema import PoseDefinition
from posecheck.recognition.coach import AutoCoach
from posecheck.recognition.model import RecognitionModel

Phase = Literal["get_ready", "hold", "switch_sides", "rest", "done", "stopped"]

STOPPED_CUE = CueCandidate("stopped", "done", "Set stopped. Rest now; if the pain stays, see a doctor.",
                           "Set stopped. Rest now. If the pain stays, see a doctor.")


@dataclass(frozen=True)
class ProgrammeView:
    """Everything the overlay and the page show for one frame."""

    phase: Phase
    title: str  # "Hamstring stretch, left side" or "Step 2 of 5: ..."
    pose: PoseDefinition | None  # None while recognition has not named a stretch
    cue: CueCandidate
    verdict: Verdict | None = None  # None outside a hold (counting down, finished)
    countdown_s: float | None = None  # seconds left in a get-ready, switch or rest phase
    progress: float = 0.0  # 0..1 through the routine (a single stretch: through its holds)
    side: str | None = None  # the working side announced (a routine's next side), when known


@dataclass(frozen=True)
class HoldRecord:
    """One hold: a stretch on one side, the good-form time reached against its target."""

    stretch: str
    pose: str
    side: str
    target_s: float
    held_s: float
    started_s: float  # from the start of the session
    reps: int | None = None  # a movement done in reps: reps counted, the target, whether done
    reps_target: int | None = None
    reps_done: bool | None = None
    target_text: str = ""  # the target in words ("5 full-range reps", "30 s of circles each way")

    @property
    def achieved(self) -> bool:
        if self.reps_done is not None:
            return self.reps_done
        return self.held_s >= self.target_s - 1e-6


@dataclass(frozen=True)
class MistakeRecord:
    """A mistake span, timed from the start of the session."""

    stretch: str
    side: str
    title: str
    severity: str
    cue: str
    start_s: float
    duration_s: float


@dataclass(frozen=True)
class PainNote:
    """The user pressed "Stop — it hurts"."""

    at_s: float
    stretch: str
    side: str
    note: str


@dataclass
class SessionSummary:
    """What the session achieved: holds, mistakes with their times, pain notes."""

    name: str
    kind: Literal["stretch", "routine", "recognised"]
    duration_s: float
    finished: bool
    stopped_for_pain: bool
    holds: list[HoldRecord] = field(default_factory=list)
    mistakes: list[MistakeRecord] = field(default_factory=list)
    pain_notes: list[PainNote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["schema"] = "posecheck-session/1"
        for h, rec in zip(d["holds"], self.holds, strict=True):
            h["achieved"] = rec.achieved
        return d


class Programme(Protocol):
    """One stretch or a routine, fed frames in time order."""

    def update(self, frame: PoseFrame) -> ProgrammeView: ...

    def stop_for_pain(self, note: str) -> None: ...

    def skip(self) -> None: ...

    def summary(self) -> SessionSummary: ...


def verdict_cue(verdict: Verdict) -> CueCandidate:
    """The cue a checker verdict asks for. Keys name the message, not the changing numbers."""
    s = verdict.status
    if s == "mistake":
        check = next((c for c in verdict.checks if c.state == "mistake"), None)
        key = f"mistake:{check.id if check else verdict.message}"
        return CueCandidate(key, "mistake", verdict.message, verdict.message)
    if s in ("guidance", "no_person"):
        return CueCandidate(f"guidance:{verdict.message}", "guidance", verdict.message, verdict.message)
    if s == "not_in_position":
        return CueCandidate(f"position:{verdict.message}", "position", verdict.message, verdict.message)
    if verdict.reps_target is not None:
        if verdict.reps_done:
            return CueCandidate("complete", "good", verdict.message, "Set complete. Well done.")
        return CueCandidate("good", "good", verdict.message, "Good. Keep going.")
    if verdict.hold_s >= verdict.hold_target_s - 1e-6:
        return CueCandidate("complete", "good", "Hold complete. Well done.", "Hold complete. Well done.")
    if verdict.neutral_note is not None:  # why a cue stopped, or what keeps the back from being learned
        return CueCandidate(verdict.neutral_note, "good", verdict.message, verdict.message)
    return CueCandidate("good", "good", verdict.message, "Good form. Hold it there.")


def side_label(side: str | None) -> str:
    return f", {side} side" if side in ("left", "right") else ""


def checker_records(checker: PoseChecker, stretch: str, t0: float, offset_s: float = 0.0,
                    sides: tuple[str, ...] | None = None) -> tuple[list[HoldRecord], list[MistakeRecord]]:
    """Holds and mistakes from one checker's books, timed from the session start `t0`.

    `sides` lists the sides to report even when never reached (a routine's planned sides).
    """
    books = checker.books
    target = books.hold_target_s
    names = sides if sides is not None else tuple(books.sides) or (checker.working_side,)
    reps = checker.reps
    holds = [HoldRecord(stretch, checker.pose.id, side, target,
                        round(books.sides[side].hold_s if side in books.sides else 0.0, 3),
                        round(offset_s, 3),
                        reps.counted if reps else None, reps.spec.target if reps else None,
                        reps.complete if reps else None, checker.pose.target_text())
             for side in names]
    last = books.last_t if books.last_t is not None else t0
    mistakes = [MistakeRecord(stretch, m.side, m.title, m.severity, m.cue, round(m.start_s - t0, 3),
                              round((m.end_s if m.end_s is not None else last) - m.start_s, 3))
                for m in books.mistakes]
    return holds, mistakes


class _FreeProgramme:
    """What a programme without a routine clock shares: the session's time, the pain stop."""

    def __init__(self) -> None:
        self._t0: float | None = None
        self._last_t: float | None = None
        self._stopped = False
        self._pain: list[PainNote] = []

    def _tick(self, t: float) -> bool:
        """Note a frame's time; False once the set was stopped (the session's clock stops with it)."""
        self._t0 = t if self._t0 is None else self._t0
        if self._stopped:
            return False
        self._last_t = t
        return True

    def _elapsed(self) -> float:
        return 0.0 if self._t0 is None or self._last_t is None else self._last_t - self._t0

    def _stop(self, stretch: str, side: str, note: str) -> None:
        self._stopped = True
        self._pain.append(PainNote(round(self._elapsed(), 3), stretch, side, note))

    def skip(self) -> None:
        """Nothing to skip to without a routine."""


class StretchProgramme(_FreeProgramme):
    """One stretch, free-form: the working side is detected, holds are counted on each side."""

    def __init__(self, pose: PoseDefinition) -> None:
        super().__init__()
        self.pose = pose
        self.checker = PoseChecker(pose)

    def update(self, frame: PoseFrame) -> ProgrammeView:
        if not self._tick(frame.timestamp):
            return ProgrammeView("stopped", self.pose.name, self.pose, STOPPED_CUE)
        verdict = self.checker.update(frame)
        progress = self.checker.progress(2 if self.pose.holds_each_side else 1)
        return ProgrammeView("hold", self.pose.name, self.pose, verdict_cue(verdict), verdict, None, progress)

    def stop_for_pain(self, note: str) -> None:
        if self._stopped:
            return
        self.checker.finish()
        self._stop(self.pose.name, self.checker.working_side, note)

    def summary(self) -> SessionSummary:
        holds, mistakes = checker_records(self.checker, self.pose.name, self._t0 or 0.0)
        if self._t0 is None:
            holds = []
        return SessionSummary(self.pose.name, "stretch", round(self._elapsed(), 3), False, self._stopped,
                              holds, mistakes, list(self._pain))


class AutoProgramme(_FreeProgramme):
    """No stretch chosen: posecheck recognises which catalogue stretch is being done and coaches it."""

    def __init__(self, catalogue: dict[str, PoseDefinition], model: RecognitionModel) -> None:
        super().__init__()
        self.coach = AutoCoach(catalogue, model)

    def update(self, frame: PoseFrame) -> ProgrammeView:
        if not self._tick(frame.timestamp):
            return ProgrammeView("stopped", "Stretch stopped", self.coach.pose, STOPPED_CUE)
        verdict = self.coach.update(frame)
        pose, checker = self.coach.pose, self.coach.checker
        if pose is None or checker is None:
            cue = CueCandidate("recognising", "position", verdict.message, verdict.message)
            return ProgrammeView("hold", "Recognising your stretch...", None, cue, verdict)
        progress = checker.progress(2 if pose.holds_each_side else 1)
        return ProgrammeView("hold", f"Recognised: {pose.name}", pose, verdict_cue(verdict), verdict,
                             None, progress)

    def stop_for_pain(self, note: str) -> None:
        if self._stopped:
            return
        self.coach.finish()
        pose, checker = self.coach.pose, self.coach.checker
        self._stop(pose.name if pose else "(no stretch recognised)",
                   checker.working_side if checker else "both", note)

    def summary(self) -> SessionSummary:
        holds: list[HoldRecord] = []
        mistakes: list[MistakeRecord] = []
        for pose_id, checker in self.coach.checkers.items():
            h, m = checker_records(checker, self.coach.catalogue[pose_id].name, self._t0 or 0.0)
            holds += h
            mistakes += m
        return SessionSummary("Recognised stretches", "recognised", round(self._elapsed(), 3), False,
                              self._stopped, holds, mistakes, list(self._pain))
