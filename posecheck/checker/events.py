"""What the checker tells its sinks: a verdict per frame, events, and mistake spans."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["no_person", "guidance", "not_in_position", "good", "mistake"]
# what a "good" message says about the person's own neutral back (see PoseChecker)
NeutralNote = Literal["adopted", "still_learning"]
CheckState = Literal["ok", "pending", "mistake", "unseen", "not_checked"]
EventKind = Literal["mistake_started", "mistake_ended", "hold_complete", "side_switched",
                    "not_in_view", "back_in_view", "position_entered", "position_left",
                    "rep_counted", "rep_not_counted", "rep_partial", "neutral_learned"]


@dataclass(frozen=True)
class CheckStatus:
    """One check's state in one frame."""

    id: str
    title: str
    severity: str
    state: CheckState
    value: float
    cue: str
    # the flag level against this person's own neutral, in the units of the check's neutral feature
    # (`Check.neutral_feature`, else its feature); NaN while none is learned or the check has none
    own_flag: float = math.nan
    # False once the person's own neutral was adopted (the fixed level kept flagging their back):
    # for the rest of that hold the pose file's fixed level no longer judges this check
    fixed_applies: bool = True


@dataclass(frozen=True)
class Verdict:
    """Everything the user should see for one frame."""

    timestamp: float
    status: Status
    message: str  # the one thing the user hears now: a cue, guidance, or encouragement
    side: str | None  # working side ("left", "right", "both"), None before it is known
    camera_side: str | None
    in_position: bool
    hold_s: float
    hold_target_s: float
    checks: tuple[CheckStatus, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    unseen_regions: tuple[str, ...] = ()
    reps: int | None = None  # reps counted so far, for a movement done in reps
    reps_target: int | None = None
    reps_done: bool = False  # the set's reps (or each direction's time) reached
    reps_text: str | None = None  # the count in words: "reps 3/10", or each direction's time
    reps_fraction: float = 0.0  # how far through the set, 0..1
    # the message says the back was just taken as the person's neutral ("adopted"), or that it has
    # not been learned after NEUTRAL_PATIENCE_S of trying ("still_learning")
    neutral_note: NeutralNote | None = None

    @property
    def active_mistakes(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.checks if c.state == "mistake")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["active_mistakes"] = list(self.active_mistakes)
        return d


@dataclass(frozen=True)
class Event:
    """Something that happened at a moment: a mistake began or ended, a hold completed, ..."""

    timestamp: float
    kind: EventKind
    message: str
    check: str | None = None
    side: str | None = None


@dataclass
class MistakeSpan:
    """One stretch of time a mistake was present, from first crossing to clearing."""

    check: str
    title: str
    severity: str
    side: str
    start_s: float
    end_s: float | None
    cue: str
    worst_value: float

    @property
    def duration_s(self) -> float:
        return (self.end_s if self.end_s is not None else self.start_s) - self.start_s
