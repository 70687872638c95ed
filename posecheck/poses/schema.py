"""The schema every pose file must satisfy. Thresholds live here as data, never in code."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from posecheck.features.catalogue import MASK_FEATURES, PLAIN_FEATURES, SIDED_FEATURES

Limb = Literal["working", "other"]
WorkingLegRule = Literal["most_flexed_hip", "least_flexed_hip", "highest_leg", "ankle_over_other_knee",
                         "knees_fall_side", "chest_turn_side"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_feature(feature: str, limb: str | None) -> None:
    if feature in SIDED_FEATURES:
        if limb is None:
            raise ValueError(f"limb: feature {feature!r} is measured per leg: add `limb: working` "
                             f"or `limb: other`")
    elif feature in PLAIN_FEATURES:
        if limb is not None:
            raise ValueError(f"limb: feature {feature!r} is not per leg: remove `limb`")
    else:
        known = ", ".join(sorted(PLAIN_FEATURES + SIDED_FEATURES))
        raise ValueError(f"feature: unknown feature {feature!r}; known features: {known}")


def _check_hysteresis(up: float | None, up_exit: float | None, down: float | None,
                      down_exit: float | None, names: tuple[str, str, str, str]) -> None:
    """Exactly one direction, with its exit level on the far side of its entry level.

    Errors start with the offending field's name, which the loader adds to the field path.
    """
    n_up, n_up_exit, n_down, n_down_exit = names
    if (up is None) == (down is None):
        raise ValueError(f"{n_up}: give exactly one of `{n_up}` or `{n_down}`")
    if up is not None:
        if up_exit is None or down_exit is not None:
            raise ValueError(f"{n_up_exit}: `{n_up}` needs `{n_up_exit}` (the hysteresis exit), "
                             f"and no `{n_down_exit}`")
        if up_exit > up:
            raise ValueError(f"{n_up_exit}: {up_exit} must not exceed `{n_up}` ({up})")
        return
    assert down is not None
    if down_exit is None or up_exit is not None:
        raise ValueError(f"{n_down_exit}: `{n_down}` needs `{n_down_exit}` (the hysteresis exit), "
                         f"and no `{n_up_exit}`")
    if down_exit < down:
        raise ValueError(f"{n_down_exit}: {down_exit} must not be below `{n_down}` ({down})")


class _Crossing(_Strict):
    """A level with hysteresis: reached past `above` (or `below`), left again past `until_*`."""

    above: float | None = None
    until_below: float | None = None
    below: float | None = None
    until_above: float | None = None

    @model_validator(mode="after")
    def _hysteresis(self) -> _Crossing:
        _check_hysteresis(self.above, self.until_below, self.below, self.until_above,
                          ("above", "until_below", "below", "until_above"))
        return self

    @property
    def rising(self) -> bool:
        """True when it is reached by large values."""
        return self.above is not None

    @property
    def enter(self) -> float:
        return float(self.above if self.above is not None else self.below)  # type: ignore[arg-type]

    @property
    def exit(self) -> float:
        return float(self.until_below if self.above is not None else self.until_above)  # type: ignore[arg-type]


class Condition(_Crossing):
    """Part of the position gate: true once `above`/`below` is crossed, false again past `until_*`."""

    feature: str
    limb: Limb | None = None
    views: list[Literal["side", "front"]] = Field(default_factory=lambda: ["side", "front"])

    @model_validator(mode="after")
    def _feature_known(self) -> Condition:
        _check_feature(self.feature, self.limb)
        return self


class Guard(_Strict):
    """A plain test (no hysteresis) that decides whether a check applies, e.g. only when seated."""

    feature: str
    limb: Limb | None = None
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Guard:
        _check_feature(self.feature, self.limb)
        if (self.above is None) == (self.below is None):
            raise ValueError("above: give exactly one of `above` or `below`")
        return self


class OwnNeutral(_Strict):
    """Also flag when the feature moves `flag_past` beyond the person's own neutral reading.

    The neutral is learned in each session, at the start of each hold: the median of the first
    `learn_s` seconds in which the check is clear and the reading stays within `steady_within`.
    It is kept inside `neutral_range`, and it can only tighten the check, never loosen it: the flag
    level is whichever of the pose's own level and "neutral + flag_past" comes first. The shipped
    files bound the range on the side away from the mistake only (correct form's 1st percentile
    there, `.inf` towards the mistake): that keeps a back held unusually far from the mistake while
    the neutral is learned from making the level too tight, without flagging a person whose own
    correct back simply reads further towards the mistake than the rendered bodies do.

    `feature` names a different feature to learn and judge against the neutral (a plain one, read
    in the same direction as the check's): one that follows a change more evenly across bodies can
    serve the own-neutral level while the check's own feature keeps the fixed levels. The levels
    of this block are then in that feature's units.

    `adopt_after_s`: a body whose correct back reads past the pose's fixed level is flagged from
    the start of the hold, so no neutral could be learned and the cue would never stop. With this
    set, when the fixed level's flag has stayed on this long before any neutral was learned, the
    median of the back over that time is taken as the person's neutral (kept within
    `neutral_range`): the flag ends and, for the rest of that hold, the back is judged against that
    neutral alone (the fixed level no longer applies). The cost: a person who starts bent and stays
    bent is told for this long, then no more. The adopted neutral is kept for the rest of the
    session (one per working side and side facing the camera): on a later hold, a back the fixed
    level would flag but that is short of the adopted neutral's own flag level is judged against
    that neutral at once, so the person is not told the same thing for this long on every hold.

    `settles_for_s`: people settle into a stretch over its first seconds (they sink a little deeper,
    find their balance, breathe), and a neutral taken in the first steady second can catch one
    moment of that. With this set, for this long after the neutral is learned, every frame on
    which the check is clear (neither level flagged nor pending) joins the frames it was learned
    from, and the neutral is their median. It stays within `settles_within` (by default
    `steady_within`) of the value first learned, so the flag level moves out by that much at most:
    a back that starts rounding as soon as the neutral is learned is flagged no more than that
    further on than without settling. An adopted neutral does not settle.
    """

    flag_past: float = Field(gt=0.0)
    feature: str | None = None
    clear_within: float = Field(ge=0.0)
    neutral_range: tuple[float, float]
    learn_s: float = Field(default=1.0, gt=0.0, le=5.0)
    steady_within: float = Field(default=2.0, gt=0.0)
    adopt_after_s: float | None = Field(default=None, gt=0.0, le=30.0)
    settles_for_s: float = Field(default=0.0, ge=0.0, le=30.0)
    settles_within: float | None = Field(default=None, gt=0.0)

    @property
    def settling_reach(self) -> float:
        """How far settling may move the neutral from its first value (`settles_within`, by
        default `steady_within`)."""
        return self.steady_within if self.settles_within is None else self.settles_within

    @model_validator(mode="after")
    def _consistent(self) -> OwnNeutral:
        if self.clear_within >= self.flag_past:
            raise ValueError(f"clear_within: {self.clear_within} must be below `flag_past` "
                             f"({self.flag_past})")
        if self.neutral_range[0] > self.neutral_range[1]:
            raise ValueError(f"neutral_range: {list(self.neutral_range)} must be [low, high]")
        if self.feature is not None:
            _check_feature(self.feature, None)
        return self


class Check(_Strict):
    """One mistake: flagged when the feature passes `flag_*` for `min_duration_s`, cleared past `clear_*`."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    feature: str
    limb: Limb | None = None
    flag_above: float | None = None
    clear_below: float | None = None
    flag_below: float | None = None
    clear_above: float | None = None
    min_duration_s: float = Field(default=0.5, ge=0.0, le=10.0)
    clear_duration_s: float = Field(default=0.3, ge=0.0, le=10.0)
    severity: Literal["major", "minor"] = "major"
    cue: str = Field(min_length=3)
    views: list[Literal["side", "front"]] = Field(default_factory=lambda: ["side", "front"])
    applies_if: list[Guard] = Field(default_factory=list)
    from_own_neutral: OwnNeutral | None = None
    evidence: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Check:
        _check_feature(self.feature, self.limb)
        if self.from_own_neutral is not None and self.from_own_neutral.feature is not None and self.limb:
            raise ValueError("from_own_neutral.feature: only a check on a plain feature (no `limb`) can "
                             "judge a second feature against the person's neutral")
        _check_hysteresis(self.flag_above, self.clear_below, self.flag_below, self.clear_above,
                          ("flag_above", "clear_below", "flag_below", "clear_above"))
        return self

    @property
    def rising(self) -> bool:
        return self.flag_above is not None

    @property
    def enter(self) -> float:
        return float(self.flag_above if self.flag_above is not None else self.flag_below)  # type: ignore[arg-type]

    @property
    def exit(self) -> float:
        return float(self.clear_below if self.flag_above is not None else self.clear_above)  # type: ignore[arg-type]

    @property
    def neutral_feature(self) -> str | None:
        """The feature judged against the person's own neutral (None: the check learns none)."""
        if self.from_own_neutral is None:
            return None
        return self.from_own_neutral.feature or self.feature


class Camera(_Strict):
    """The camera views this stretch can be judged from; the first is the one to suggest."""

    views: list[Literal["side", "front"]] = Field(min_length=1)
    placement: str = Field(min_length=3)
    # Every feature the stretch reads is measured in MediaPipe's 3D world frame, so no camera angle
    # is refused (the seated twist: its turned shoulders and folded legs confuse the body's yaw).
    any_angle: bool = False

    @property
    def view(self) -> str:
        return self.views[0]


class Sides(_Strict):
    """How the working side is found. `none`: a both-sided stretch, booked under "both"."""

    working_leg: WorkingLegRule | Literal["none"] = "none"
    switch_after_s: float = Field(default=1.0, ge=0.0, le=10.0)


class Hold(_Strict):
    seconds: float = Field(gt=0, le=3600)
    per_side: bool = True


class Position(_Strict):
    """The gate: is the user doing this stretch now? All conditions must hold."""

    when: list[Condition] = Field(min_length=1)
    settle_s: float = Field(default=0.5, ge=0.0, le=10.0)
    leave_s: float = Field(default=0.8, ge=0.0, le=10.0)
    cue: str = Field(min_length=3)
    needs_in_view: list[Literal["head", "shoulders", "hands", "hips", "knees", "feet"]] = Field(
        default_factory=lambda: ["shoulders", "hips"])


class RepEnd(_Crossing):
    """One end of a repeated movement: reached past `above`/`below`, left again past `until_*`."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    cue: str = Field(min_length=3)  # said when a swing turns back short of this end


class Baseline(_Strict):
    """Measure the movement against the person's own level instead of absolute values.

    `mid`: the middle of the last `window_s` seconds' lowest and highest value (each back's
    neutral bend, each neck's length differ from body to body). The window should hold at least
    one whole cycle; the first window is held back and judged once it has shown the range.
    """

    kind: Literal["mid"] = "mid"
    window_s: float = Field(default=5.0, gt=0.5, le=30.0)


class Reps(_Strict):
    """A movement done in repetitions. One rep: the feature reaches one end, then the other.

    A swing that turns back before reaching an end is not a rep, and its end's cue is said. With
    `direction_feature` (circles) each rep is also given a direction from the loop it traces in
    (direction_feature, feature): "forward" when the feature rises while the direction feature
    is high, "backward" the other way. For shoulder rolls (feature shoulder_to_ear, which grows
    as the shoulders drop; direction shoulders_forward_world) that is: down at the front of the
    circle. `direction_views` are the camera views the direction can be judged from.
    `per_direction_s`: the set is done after this many seconds of counted reps each way.
    """

    target: int = Field(ge=1, le=200)
    feature: str
    ends: list[RepEnd] = Field(min_length=2, max_length=2)
    baseline: Baseline | None = None
    direction_feature: str | None = None
    direction_views: list[Literal["side", "front"]] = Field(default_factory=lambda: ["side"])
    per_direction_s: float | None = Field(default=None, gt=0, le=600)
    max_rep_s: float = Field(default=12.0, gt=0.5, le=60.0)
    # The resting position lies between the two ends (cat-cow's flat back): once the person has
    # been seen still there, each end must also lie beyond it, so a swing to one side and back
    # (a cat with no cow) is not taken for a rep. Not for movements that rest at one end (a
    # squeeze rests released).
    rests_between_ends: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Reps:
        for name in (self.feature, self.direction_feature):
            if name is not None and name not in PLAIN_FEATURES:
                raise ValueError(f"feature: {name!r} is not a whole-body feature; reps count one of: "
                                 f"{', '.join(sorted(PLAIN_FEATURES))}")
        a, b = self.ends
        if a.rising == b.rising:
            raise ValueError("ends: one end must be reached going up (`above`) and the other going "
                             "down (`below`)")
        high, low = (a, b) if a.rising else (b, a)
        if high.exit <= low.exit:
            raise ValueError(f"ends: the upper end's exit ({high.exit}) must be above the lower end's "
                             f"exit ({low.exit}), or one position would count as both ends")
        if a.name == b.name:
            raise ValueError("ends: the two ends need different names")
        if self.rests_between_ends and self.baseline is None:
            raise ValueError("rests_between_ends: needs a `baseline` (with fixed ends the middle is known)")
        if self.per_direction_s is not None and self.direction_feature is None:
            raise ValueError("per_direction_s: needs `direction_feature` to tell the directions apart")
        return self

    @property
    def high(self) -> RepEnd:
        return self.ends[0] if self.ends[0].rising else self.ends[1]

    @property
    def low(self) -> RepEnd:
        return self.ends[1] if self.ends[0].rising else self.ends[0]


class PoseDefinition(_Strict):
    """A whole stretch: what the camera must see, how to tell the user is in it, and what to check."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    source: str = ""
    camera: Camera
    sides: Sides = Sides()
    hold: Hold  # for a movement in reps: about how long the set takes (a routine's time limit)
    position: Position
    checks: list[Check] = Field(default_factory=list)
    reps: Reps | None = None
    smoothing_s: float = Field(default=0.15, ge=0.0, le=2.0)

    @model_validator(mode="after")
    def _unique_checks(self) -> PoseDefinition:
        ids = [c.id for c in self.checks]
        for n, check_id in enumerate(ids):
            if check_id in ids[:n]:
                raise ValueError(f"checks[{n}].id: check id {check_id!r} is used twice; ids must be unique")
        uses_limb = (any(c.limb for c in self.checks) or any(c.limb for c in self.position.when)
                     or any(g.limb for c in self.checks for g in c.applies_if))
        if uses_limb and self.sides.working_leg == "none":
            raise ValueError("sides.working_leg: checks use `limb:` but `sides.working_leg` is none: "
                             "say how to find the working leg")
        return self

    @property
    def needs_mask(self) -> bool:
        """Whether any check, condition or guard reads the person mask (the estimator must give it)."""
        used = {c.feature for c in self.checks} | {c.feature for c in self.position.when}
        used |= {g.feature for c in self.checks for g in c.applies_if}
        used |= {c.neutral_feature or "" for c in self.checks}
        if self.reps is not None:
            used |= {self.reps.feature, self.reps.direction_feature or ""}
        return bool(used & MASK_FEATURES)

    @property
    def holds_each_side(self) -> bool:
        """Whether the hold is done once per working side (a working leg and a per-side hold)."""
        return self.hold.per_side and self.sides.working_leg != "none"

    def target_text(self, hold_s: float | None = None, reps: int | None = None,
                    each_side: bool | None = None) -> str:
        """The set's target in words ("5 full-range reps", "30 s hold each side"); a routine step
        passes its own hold, reps and sides."""
        if self.reps is not None and self.reps.per_direction_s is not None:
            return f"{self.reps.per_direction_s:g} s of circles each way"
        if self.reps is not None:
            return f"{reps or self.reps.target} full-range reps"
        each = self.holds_each_side if each_side is None else each_side
        return f"{hold_s or self.hold.seconds:g} s hold" + (" each side" if each else "")

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)
