"""Run a routine on the frame clock: get ready, hold (good form only), switch sides, rest, next.

Each hold is one stretch on one side, judged by its own `PoseChecker` with the side fixed (the
routine says which side comes next). A hold ends when its good-form time is reached, or, so the
routine never stalls, after `give_up_after` times its length; either way the routine moves on.
"""

from __future__ import annotations

from dataclasses import dataclass

from posecheck.checker.checker import AdoptedNeutrals, PoseChecker
from posecheck.checker.events import Verdict
from posecheck.frames import PoseFrame
from posecheck.landmarks import Side
from posecheck.live.cues import CueCandidate
from posecheck.live.programme import (
    STOPPED_CUE,
    HoldRecord,
    MistakeRecord,
    PainNote,
    Phase,
    ProgrammeView,
    SessionSummary,
    checker_records,
    side_label,
    verdict_cue,
)
from posecheck.poses.schema import Hold, PoseDefinition
from posecheck.routines.schema import Routine


@dataclass(frozen=True)
class Segment:
    """One hold of the routine: a step on one side (or both)."""

    step: int
    pose: PoseDefinition  # with the routine's hold time
    side: Side | None  # None: one hold for both sides
    note: str

    @property
    def label(self) -> str:
        return f"{self.pose.name}{side_label(self.side)}"


def plan(routine: Routine, catalogue: dict[str, PoseDefinition]) -> list[Segment]:
    """The routine's holds in order."""
    out: list[Segment] = []
    for n, step in enumerate(routine.steps):
        base = catalogue[step.pose]
        each = step.each_side(base)
        update: dict[str, object] = {"hold": Hold(seconds=step.hold_seconds(base), per_side=each)}
        if step.reps is not None and base.reps is not None:
            update["reps"] = base.reps.model_copy(update={"target": step.reps})
        pose = base.model_copy(update=update)
        sides: tuple[Side | None, ...] = ("left", "right") if each else (None,)
        out += [Segment(n, pose, side, step.note) for side in sides]
    return out


def step_stretches(routine: Routine, catalogue: dict[str, PoseDefinition]) -> dict[str, PoseDefinition]:
    """The routine's stretches with the routine's own holds and reps (a recorded session is judged
    against these); a stretch that appears twice keeps its first step's targets."""
    out: dict[str, PoseDefinition] = {}
    for seg in plan(routine, catalogue):
        out.setdefault(seg.pose.id, seg.pose)
    return out


class RoutineProgramme:
    """A guided routine driven by frame timestamps."""

    def __init__(self, routine: Routine, catalogue: dict[str, PoseDefinition]) -> None:
        self.routine = routine
        self.segments = plan(routine, catalogue)
        self.index = 0
        self.phase: Phase = "get_ready"
        self._phase_t: float | None = None  # when the current phase began
        self._t0: float | None = None
        self._last_t: float | None = None
        self.checker: PoseChecker | None = None
        self._holds: list[HoldRecord] = []
        self._mistakes: list[MistakeRecord] = []
        self._pain: list[PainNote] = []
        self._hold_started: float = 0.0
        # backs taken as the person's neutral on earlier holds, by stretch: a later hold of the same
        # stretch and side judges the same back against them at once (OwnNeutral.adopt_after_s)
        self._adopted: dict[str, AdoptedNeutrals] = {}

    # ------------------------------------------------------------------------------------------
    @property
    def segment(self) -> Segment:
        return self.segments[min(self.index, len(self.segments) - 1)]

    def _title(self) -> str:
        return f"Step {self.segment.step + 1} of {len(self.routine.steps)}: {self.segment.label}"

    def _countdown(self) -> float:
        return {"get_ready": self.routine.get_ready_s, "switch_sides": self.routine.switch_sides_s,
                "rest": self.routine.rest_s}.get(self.phase, 0.0)

    def _progress(self) -> float:
        done = self.index + (self.phase not in ("get_ready", "switch_sides", "rest"))
        return min(1.0, done / len(self.segments)) if self.phase != "done" else 1.0

    def update(self, frame: PoseFrame) -> ProgrammeView:
        t = frame.timestamp
        if self._t0 is None:
            self._t0 = self._phase_t = t
        assert self._phase_t is not None
        seg = self.segment
        if self.phase not in ("done", "stopped"):  # the session's clock stops when the routine ends
            self._last_t = t
        else:
            cue = STOPPED_CUE if self.phase == "stopped" else CueCandidate(
                "done", "done", "Routine complete. Well done!", "Routine complete. Well done.")
            return ProgrammeView(self.phase, self.routine.name, seg.pose, cue, progress=self._progress())
        if self.phase != "hold":
            left = self._countdown() - (t - self._phase_t)
            if left > 0:
                return ProgrammeView(self.phase, self._title(), seg.pose, self._countdown_cue(left),
                                     countdown_s=left, progress=self._progress(), side=seg.side or "both")
            self._start_hold(t)
        assert self.checker is not None
        verdict = self.checker.update(frame)
        gave_up = t - self._hold_started >= self.routine.give_up_after * seg.pose.hold.seconds
        if self.checker.done(seg.side or "both") or gave_up:
            self._end_hold(t)
            return self.update(frame) if self.phase != "hold" else self._hold_view(verdict)
        return self._hold_view(verdict)

    def _hold_view(self, verdict: Verdict) -> ProgrammeView:
        return ProgrammeView("hold", self._title(), self.segment.pose, verdict_cue(verdict), verdict,
                             progress=self._progress())

    def _countdown_cue(self, left: float) -> CueCandidate:
        seg, n = self.segment, int(left + 0.999)
        if self.phase == "switch_sides":
            return CueCandidate(f"switch:{self.index}", "routine",
                                f"Switch sides: now your {seg.side} side. Starting in {n} s.",
                                f"Switch sides. Now your {seg.side} side.")
        lead = "Get ready" if self.phase == "get_ready" else "Rest"
        text = f"{lead}. Next: {seg.label}. {seg.pose.position.cue} Starting in {n} s."
        return CueCandidate(f"{self.phase}:{self.index}", "routine", text,
                            f"{lead}. Next: {seg.label}. {seg.pose.position.cue}")

    def _start_hold(self, t: float) -> None:
        seg = self.segment
        self.checker = PoseChecker(seg.pose, side=seg.side, adopted=self._adopted.setdefault(seg.pose.id, {}))
        self.phase = "hold"
        self._phase_t = self._hold_started = t

    def _end_hold(self, t: float) -> None:
        """Book the hold just ended and move to the next phase."""
        self._book_hold()
        self.index += 1
        self._phase_t = t
        if self.index >= len(self.segments):
            self.phase = "done"
        else:
            same_step = self.segments[self.index].step == self.segments[self.index - 1].step
            self.phase = "switch_sides" if same_step else "rest"

    def _book_hold(self) -> None:
        if self.checker is None:
            return
        seg = self.segment
        self.checker.finish()
        assert self._t0 is not None
        holds, mistakes = checker_records(self.checker, seg.pose.name, self._t0,
                                          self._hold_started - self._t0, (seg.side or "both",))
        self._holds += holds
        self._mistakes += mistakes
        self.checker = None

    # ------------------------------------------------------------------------------------------
    def skip(self) -> None:
        """Move on now: end the current hold (booked as it stands) or cut the countdown short."""
        if self.phase in ("done", "stopped") or self._last_t is None:
            return
        if self.phase == "hold":
            self._end_hold(self._last_t)
        else:
            self._start_hold(self._last_t)

    def stop_for_pain(self, note: str) -> None:
        if self.phase in ("done", "stopped"):
            return
        at = 0.0 if self._t0 is None or self._last_t is None else self._last_t - self._t0
        self._pain.append(PainNote(round(at, 3), self.segment.pose.name, self.segment.side or "both", note))
        if self.phase == "hold":
            self._book_hold()
        self.phase = "stopped"

    def summary(self) -> SessionSummary:
        holds, mistakes = list(self._holds), list(self._mistakes)
        if self.checker is not None and self._t0 is not None:  # a hold in progress
            seg = self.segment
            h, m = checker_records(self.checker, seg.pose.name, self._t0, self._hold_started - self._t0,
                                   (seg.side or "both",))
            holds += h
            mistakes += m
        duration = 0.0 if self._t0 is None or self._last_t is None else self._last_t - self._t0
        return SessionSummary(self.routine.name, "routine", round(duration, 3), self.phase == "done",
                              self.phase == "stopped", holds, mistakes, list(self._pain))
