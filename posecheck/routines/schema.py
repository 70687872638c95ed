"""The schema every routine file must satisfy: steps that name stretches, with the timings between them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from posecheck.poses.schema import PoseDefinition


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoutineStep(_Strict):
    """One stretch of the routine.

    hold_s: the good-form hold wanted, per side (default: the stretch's own hold). For a stretch
    done in reps it is the time allowed for the set.
    reps: the reps wanted, for a stretch done in reps (default: the stretch's own target).
    sides: `each` does the left side then the right; `both` is one hold for a two-sided stretch.
    Default: `each` when the stretch has a working leg and holds per side, else `both`.
    """

    pose: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    hold_s: float | None = Field(default=None, gt=0, le=1800)
    reps: int | None = Field(default=None, ge=1, le=200)
    sides: Literal["each", "both"] | None = None
    note: str = ""

    def each_side(self, pose: PoseDefinition) -> bool:
        """Whether this step holds left then right (`pose` is the stretch the step names)."""
        return self.sides == "each" or (self.sides is None and pose.holds_each_side)

    def hold_seconds(self, pose: PoseDefinition) -> float:
        return self.hold_s or pose.hold.seconds

    def target_text(self, pose: PoseDefinition) -> str:
        return pose.target_text(self.hold_seconds(pose), self.reps, self.each_side(pose))


class Routine(_Strict):
    """A guided routine. Every timing is in seconds; posecheck runs the clock so the user need not."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    source: str = ""
    how_often: str = ""
    get_ready_s: float = Field(default=10.0, ge=0, le=120)  # before the first stretch
    switch_sides_s: float = Field(default=8.0, ge=0, le=120)  # between the two sides of a stretch
    rest_s: float = Field(default=15.0, ge=0, le=600)  # between two stretches
    # A hold not reached after this many times its length (plus the get-ready time) is given up and
    # the routine moves on, so the clock never stalls.
    give_up_after: float = Field(default=3.0, ge=1.0, le=20.0)
    steps: list[RoutineStep] = Field(min_length=1)
