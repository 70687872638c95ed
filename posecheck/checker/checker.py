"""PoseChecker: the one object that judges a stretch, the same for live video, files and regression runs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from posecheck.checker import guidance
from posecheck.checker.books import Books
from posecheck.checker.events import CheckStatus, Event, MistakeSpan, NeutralNote, Status, Verdict
from posecheck.checker.latch import Latch
from posecheck.checker.neutral import NeutralReading
from posecheck.checker.reps import RepCounter, RepEvent
from posecheck.checker.sides import (
    WORKING_LEG_RULES,
    CameraSide,
    SideLatch,
    ViewKind,
    working_leg_score,
)
from posecheck.checker.smoothing import SmoothedFeatures
from posecheck.features.catalogue import FEATURES, limb_feature, measure_all
from posecheck.frames import PoseFrame
from posecheck.landmarks import REGIONS, Side
from posecheck.poses.schema import Check, Condition, PoseDefinition

PARTIAL_CUE_S = 2.5  # how long "go further" stays up after a swing stopped short
RECENT_S = 1.0  # a rep event older than this when it is judged is booked but not said
MAX_CREDIT_GAP_S = 1.0  # longest gap between two good frames that still counts towards a hold
EXTRA_PEOPLE_AFTER_S = 1.0
LEARNING_NEUTRAL = "Good. Hold still with your back long for a moment: learning how your back looks."
STILL_LEARNING_NEUTRAL = ("Keep still with your back long so I can learn how it looks. If you are already "
                          "still, add light in front of you.")
# How long the check tries to learn the person's neutral back before it asks again, naming what
# may be in the way: past the longest any of the 60 restless holds of the first restless set took
# as rendered (4.6 s; docs/measurements/camera_quality.md, "neutral learned" column), so a person
# in good light seldom hears it, while a dim room's noise can keep the reading from ever holding
# steady for the second it needs (2 of 20 hamstring holds there, dim; far away but well lit, every
# hold that came into position learned one within 4.6 s: docs/measurements/camera_distance.md).
# Only time the check was clear counts: a person told to straighten a bent back and who then does
# has not been failing to keep still, and hears the learning message first, as anyone does.
NEUTRAL_PATIENCE_S = 5.0
ADOPTED_NEUTRAL = "OK: that is taken as how your back looks. Keep it there."
# how long the form message says so after a flagged back was taken as the neutral: the coach
# speaks it (live/programme.py), and its 11 words take about 4 s at a speaking rate of 160 words
# a minute; the next cue spoken would cut it off
ADOPTED_SHOW_S = 5.0


# the neutrals a session's checks adopted (see OwnNeutral.adopt_after_s): check id -> (working side,
# side facing the camera) -> neutral; kept for the rest of the session, and shared by the checkers
# a guided routine starts for each of its holds
AdoptedNeutrals = dict[str, dict[tuple[str, str | None], float]]


@dataclass
class _CheckRuntime:
    check: Check
    latch: Latch
    span: MistakeSpan | None = None
    neutral: NeutralReading | None = None  # the person's own neutral, for a check that learns one
    # neutrals adopted on earlier holds, by (working side, side facing the camera): kept for the session
    adopted_before: dict[tuple[str, str | None], float] = field(default_factory=dict)
    told_adopted_at: float | None = None  # when a cue last stopped because its back was adopted

    def forget_neutral(self) -> None:
        """Learn this hold's neutral afresh (the neutrals adopted on earlier holds are kept)."""
        if self.neutral is not None:
            self.neutral.reset()
        self.told_adopted_at = None


class PoseChecker:
    """Judges one stretch for one person. Feed it `PoseFrame`s in time order; read verdicts and events.

    Pass `side="left"|"right"` to fix the working side instead of detecting it, `also_measure`
    to have features the pose does not read measured and smoothed beside it (studies read them
    from `Verdict.features`), and `adopted` to share the neutrals adopted on earlier holds of the
    same session with the checker that judged them (by default the checker keeps its own).
    """

    def __init__(self, pose: PoseDefinition, side: Side | None = None,
                 also_measure: tuple[str, ...] = (), adopted: AdoptedNeutrals | None = None) -> None:
        self.pose = pose
        self._also = also_measure
        self.forced_side = side
        self.books = Books(hold_target_s=pose.hold.seconds)
        self.events: list[Event] = []
        self._smooth = SmoothedFeatures(pose.smoothing_s)
        self._camera = CameraSide()
        rule = pose.sides.working_leg
        margin = WORKING_LEG_RULES[rule][2] if rule != "none" else 0.0
        self._working = SideLatch(pose.sides.switch_after_s, margin=margin)
        if side is not None:
            self._working.side = side
        self._view = ViewKind()
        self._gate_parts = [Latch(c.rising, c.enter, c.exit) for c in pose.position.when]
        self._gate = Latch(True, 0.5, 0.5, pose.position.settle_s, pose.position.leave_s)
        self._extra = Latch(True, 0.5, 0.5, EXTRA_PEOPLE_AFTER_S, 0.5)
        self.adopted: AdoptedNeutrals = {} if adopted is None else adopted
        self._checks = [
            _CheckRuntime(c, self._check_latch(c),
                          neutral=NeutralReading(c.from_own_neutral) if c.from_own_neutral else None,
                          adopted_before=self.adopted.setdefault(c.id, {}))
            for c in pose.checks]
        self._camera_side_seen: str | None = None
        self._not_checked = tuple(CheckStatus(c.id, c.title, c.severity, "not_checked", math.nan, c.cue)
                                  for c in pose.checks)
        self._last_t: float | None = None
        # Time is credited as a left sum: the interval up to each frame counts for the state the
        # previous frame was in, so a transition is timed at the frame that shows it, whatever the
        # frame rate.
        self._prev_good: tuple[float, str] | None = None  # (time, side) of the previous good frame
        self._prev_in_position: tuple[float, str] | None = None
        self._last_guidance: str | None = None
        self._features = self._needed_features()
        self.reps = RepCounter(pose.reps) if pose.reps is not None else None
        self._rep_cue: tuple[float, str] | None = None  # (until, words) after a partial rep

    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _check_latch(c: Check) -> Latch:
        """A check's hysteresis. One that also judges against the person's own neutral reads its
        value in level units (0 clear, 1 flag; `level_units`), so the fixed and the own levels, on
        one feature or two, drive a single latch."""
        if c.from_own_neutral is not None:
            return Latch(True, 1.0, 0.0, c.min_duration_s, c.clear_duration_s)
        return Latch(c.rising, c.enter, c.exit, c.min_duration_s, c.clear_duration_s)

    def _needed_features(self) -> tuple[str, ...]:
        names = {"camera_side_score", "view_yaw", *self._also}
        refs: list[tuple[str, str | None]] = [(c.feature, c.limb) for c in self.pose.checks]
        refs += [(c.feature, c.limb) for c in self.pose.position.when]
        refs += [(g.feature, g.limb) for c in self.pose.checks for g in c.applies_if]
        refs += [(c.neutral_feature, c.limb) for c in self.pose.checks if c.neutral_feature]
        for feature, limb in refs:
            if limb is None:
                names.add(feature)
            else:
                names.update({f"left_{feature}", f"right_{feature}"})
        if self.pose.reps is not None:
            names.update({self.pose.reps.feature, self.pose.reps.direction_feature or ""})
        rule = self.pose.sides.working_leg
        if rule != "none":
            base = WORKING_LEG_RULES[rule][0]
            names.update({f"left_{base}", f"right_{base}"})
        return tuple(sorted(n for n in names if n in FEATURES))

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The features this pose reads, in a fixed order (the CSV's columns)."""
        return self._features

    def own_neutral(self, check_id: str) -> float | None:
        """The person's neutral reading a check has learned this hold (None: none learned, or the
        check does not learn one)."""
        for rt in self._checks:
            if rt.check.id == check_id and rt.neutral is not None:
                return rt.neutral.value
        return None

    @property
    def working_side(self) -> str:
        if self.pose.sides.working_leg == "none":
            return "both"
        return self._working.side or "unknown"

    def _resolve(self, feature: str, limb: str | None) -> str:
        return limb_feature(feature, limb, self._working.side) or ""

    def _value(self, values: dict[str, float], feature: str, limb: str | None) -> float:
        """A feature's smoothed value for the limb named (NaN before the working side is known)."""
        name = self._resolve(feature, limb)
        return values.get(name, math.nan) if name else math.nan

    def _emit(self, t: float, kind: str, message: str, check: str | None = None) -> None:
        self.events.append(Event(t, kind, message, check, self.working_side))  # type: ignore[arg-type]

    # ------------------------------------------------------------------------------------------
    def update(self, frame: PoseFrame) -> Verdict:
        """Judge one frame. Frames must arrive in increasing time order."""
        t = frame.timestamp
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        self._credit(t)
        b = self.books
        b.frames += 1
        b.first_t = t if b.first_t is None else b.first_t
        b.last_t = t

        if frame.landmarks is None:
            return self._no_verdict(t, dt, "no_person", guidance.NO_PERSON)
        b.frames_with_person += 1
        self._extra.update(t, float(frame.extra_people > 0))
        if self._extra.is_on:
            return self._no_verdict(t, dt, "guidance", guidance.TWO_PEOPLE)

        sk = self._camera.skeleton(frame, frame.mask)
        camera_side = sk.camera_side
        if camera_side != self._camera_side_seen:  # the other edge is the back now: learn afresh
            self._camera_side_seen = camera_side
            self._forget_neutrals()
        raw, unseen = measure_all(sk, self._features)
        values = self._smooth.update(t, raw)

        # Camera angle: no verdict from the wrong view.
        view = self._view.update(values.get("view_yaw", math.nan)) or self.pose.camera.view
        if self.pose.camera.any_angle:
            view = self.pose.camera.view
        if view not in self.pose.camera.views:
            return self._no_verdict(t, dt, "guidance", guidance.view_hint(self.pose.camera.view),
                                    values=values, camera_side=camera_side)

        # Framing: the regions this stretch needs must be in the picture.
        missing = tuple(r for r in self.pose.position.needs_in_view
                        if not any(map(sk.trusted, REGIONS[r])))
        if missing:
            return self._no_verdict(t, dt, "guidance", guidance.framing_hint(missing), values=values,
                                    camera_side=camera_side, regions=missing)

        # Working side.
        rule = self.pose.sides.working_leg
        if (self.forced_side is None and rule != "none"
                and self._working.update(t, working_leg_score(rule, values))):
            self._end_all(t)
            self._emit(t, "side_switched", f"Now working the {self._working.side} side.")

        # Position gate.
        gate_ok = self._update_gate(t, values, view)
        was_in = self._gate.is_on
        change = self._gate.update(t, 1.0 if gate_ok else 0.0)
        if change == "on":
            self._emit(t, "position_entered", "In position.")
        elif change in ("off", "lost") and was_in:
            self._emit(t, "position_left", "Out of position.")
        if not self._gate.is_on:
            # reps are not fed out of position; the counter starts afresh after a gap of over a
            # second (a dropped frame or two does not lose the movement)
            self._end_all(t)
            return self._no_verdict(t, dt, "not_in_position", self.pose.position.cue, values=values,
                                    camera_side=camera_side, count_guidance=False)

        side_book = b.side(self.working_side)
        self._prev_in_position = (t, self.working_side)

        statuses = self._run_checks(t, values, view)
        active = [s for s in statuses if s.state == "mistake"]
        blind = [s for s in statuses if s.state == "unseen" and s.severity == "major"]
        major_active = [s for s in active if s.severity == "major"]
        # Good form: in position (every condition still holding, not just within the leave delay),
        # no major mistake, and every major check could be judged.
        good = gate_ok and not major_active and not blind
        self._prev_good = (t, self.working_side) if good else None
        if side_book.hold_complete_at is None and side_book.hold_s >= self.pose.hold.seconds - 1e-6:
            side_book.hold_complete_at = t
            self._emit(t, "hold_complete", f"Hold complete on the {self.working_side} side.")

        self._count_reps(t, values, view, major_active, blind)

        regions: tuple[str, ...] = ()
        note: NeutralNote | None = None
        rep_cue = self._rep_cue[1] if self._rep_cue is not None and t < self._rep_cue[0] else None
        if active:
            status: Status = "mistake"
            message = sorted(active, key=lambda s: s.severity != "major")[0].cue
        elif blind:
            status = "guidance"
            names = tuple(n for s in blind for n in unseen.get(self._feature_of(s.id), ()))
            regions = guidance.missing_regions(names)
            message = guidance.framing_hint(regions)
            b.add_guidance(message, dt)
        elif rep_cue is not None:
            status, message = "mistake", rep_cue
        else:
            status = "good"
            if self.reps is not None:
                message = self._reps_message()
            elif side_book.hold_complete_at is not None:
                message = "Hold complete. Well done."
            elif (trying_s := self._learning_for(statuses)) is not None:
                if trying_s >= NEUTRAL_PATIENCE_S - 1e-9:
                    message, note = STILL_LEARNING_NEUTRAL, "still_learning"
                    b.add_guidance(message, dt)  # the report says how long, beside the other advice
                else:
                    message = LEARNING_NEUTRAL
            elif self._just_adopted(t):
                message, note = ADOPTED_NEUTRAL, "adopted"
            else:
                message = f"Good form, hold it: {side_book.hold_s:.0f} of {self.pose.hold.seconds:.0f} s."
        self._note_guidance(t, status == "guidance", message)
        return Verdict(t, status, message, self.working_side, camera_side, True, side_book.hold_s,
                       self.pose.hold.seconds, tuple(statuses), values, regions, *self._rep_numbers(),
                       neutral_note=note)

    # ------------------------------------------------------------------------------------------
    def _count_reps(self, t: float, values: dict[str, float], view: str,
                    major_active: list[CheckStatus], blind: list[CheckStatus]) -> None:
        if self.reps is None or self.pose.reps is None:
            return
        spec = self.pose.reps
        blocked = None
        if major_active:
            blocked = major_active[0].title.lower()
        elif blind:
            blocked = "part of the body is out of view"
        dir_value = values.get(spec.direction_feature, math.nan) if spec.direction_feature else math.nan
        for ev in self.reps.update(t, values.get(spec.feature, math.nan), dir_value, blocked,
                                   judge_direction=view in spec.direction_views):
            self._rep_event(t, ev)

    def _rep_event(self, t: float, ev: RepEvent) -> None:
        self.events.append(Event(ev.timestamp, ev.kind, ev.message, None,  # type: ignore[arg-type]
                                 self.working_side))
        if t - ev.timestamp > RECENT_S:  # judged late (a held-back first window): booked, not said
            return
        if ev.kind == "rep_partial":
            self._rep_cue = (t + PARTIAL_CUE_S, ev.message)
        elif ev.kind == "rep_counted":
            self._rep_cue = None

    def _reps_message(self) -> str:
        assert self.reps is not None and self.pose.reps is not None
        spec = self.pose.reps
        if spec.per_direction_s is not None:
            fwd, back = self.reps.seconds_in("forward"), self.reps.seconds_in("backward")
            if self.reps.complete:
                return "Both directions done. Well done."
            return (f"Keep circling: forward {fwd:.0f} of {spec.per_direction_s:.0f} s, "
                    f"backward {back:.0f} of {spec.per_direction_s:.0f} s.")
        if self.reps.complete:
            return f"All {spec.target} reps done. Well done."
        return f"Good: {self.reps.counted} of {spec.target} reps."

    def _rep_numbers(self) -> tuple[int | None, int | None, bool, str | None, float]:
        """For the verdict: reps counted, target, done, the count in words, and how far along."""
        if self.reps is None or self.pose.reps is None:
            return None, None, False, None, 0.0
        spec = self.pose.reps
        if spec.per_direction_s is not None:
            fwd, back = self.reps.seconds_in("forward"), self.reps.seconds_in("backward")
            goal = spec.per_direction_s
            text = f"forward {fwd:.0f}/{goal:.0f} s, backward {back:.0f}/{goal:.0f} s"
        else:
            text = f"reps {self.reps.counted}/{spec.target}"
        return self.reps.counted, spec.target, self.reps.complete, text, self.progress()

    def done(self, side: str) -> bool:
        """Whether the set is finished on `side`: its reps counted, or its good-form hold reached."""
        if self.reps is not None:
            return self.reps.complete
        book = self.books.sides.get(side)
        return book is not None and book.hold_s >= self.pose.hold.seconds - 1e-6

    def progress(self, sides: int = 1) -> float:
        """0..1 through the set: reps (or each direction's time) or the good-form hold on `sides` sides."""
        if self.reps is not None and self.pose.reps is not None:
            spec = self.pose.reps
            if spec.per_direction_s is not None:
                return sum(min(self.reps.seconds_in(d), spec.per_direction_s)
                           for d in ("forward", "backward")) / (2 * spec.per_direction_s)
            return min(1.0, self.reps.counted / spec.target)
        held = sum(min(b.hold_s, self.pose.hold.seconds) for b in self.books.sides.values())
        return min(1.0, held / (sides * self.pose.hold.seconds))

    def _credit(self, t: float) -> None:
        """Credit the time since the previous frame to the state that frame was in."""
        if self._prev_in_position is not None:
            t0, side = self._prev_in_position
            self.books.side(side).in_position_s += min(t - t0, MAX_CREDIT_GAP_S)
        if self._prev_good is not None:
            t0, side = self._prev_good
            self.books.side(side).hold_s += min(t - t0, MAX_CREDIT_GAP_S)
        self._prev_in_position = self._prev_good = None

    def _feature_of(self, check_id: str) -> str:
        c = self.pose.check(check_id)
        return self._resolve(c.feature, c.limb)

    def _update_gate(self, t: float, values: dict[str, float], view: str) -> bool:
        ok = True
        for cond, latch in zip(self.pose.position.when, self._gate_parts, strict=True):
            if view not in cond.views:
                latch.reset()
                continue
            latch.update(t, self._value(values, cond.feature, cond.limb))
            ok = ok and latch.is_on
        return ok

    def _applies(self, check: Check, values: dict[str, float]) -> bool:
        for g in check.applies_if:
            x = self._value(values, g.feature, g.limb)
            if math.isnan(x) or (g.above is not None and x <= g.above) or (
                    g.below is not None and x >= g.below):
                return False
        return True

    def _run_checks(self, t: float, values: dict[str, float], view: str) -> list[CheckStatus]:
        out: list[CheckStatus] = []
        for rt, not_checked in zip(self._checks, self._not_checked, strict=True):
            c = rt.check
            if view not in c.views or not self._applies(c, values):
                self._stop_judging(rt, t)
                out.append(not_checked)
                continue
            value = self._value(values, c.feature, c.limb)
            judged = value
            if rt.neutral is not None:
                own = self._value(values, c.neutral_feature or c.feature, c.limb)
                self._learn_neutral(rt, t, own)
                judged = rt.neutral.judged(c.rising, c.enter, c.exit, value, own)
            change = rt.latch.update(t, judged)
            if change == "on":
                start = rt.latch.started_at if rt.latch.started_at is not None else t
                rt.span = MistakeSpan(c.id, c.title, c.severity, self.working_side, start, None,
                                      c.cue, value)
                self.books.mistakes.append(rt.span)
                self._emit(start, "mistake_started", c.cue, c.id)
            elif change in ("off", "lost") and rt.span is not None:
                end = rt.latch.offset_t if change == "off" and rt.latch.offset_t is not None else t
                rt.span.end_s = end
                self._emit(end, "mistake_ended", f"{c.title}: corrected.", c.id)
                rt.span = None
            if rt.span is not None and not math.isnan(value):
                worse = value > rt.span.worst_value if c.rising else value < rt.span.worst_value
                if worse:
                    rt.span.worst_value = value
            if math.isnan(value):
                state = "unseen"
            elif rt.latch.is_on:
                state = "mistake"
            elif rt.latch.pending:
                state = "pending"
            else:
                state = "ok"
            levels = rt.neutral.levels(c.rising) if rt.neutral is not None else None
            own_flag = levels[0] if levels is not None else math.nan
            fixed_applies = rt.neutral is None or not rt.neutral.adopted
            out.append(CheckStatus(c.id, c.title, c.severity, state, value, c.cue,  # type: ignore[arg-type]
                                   own_flag, fixed_applies))
        return out

    def _learn_neutral(self, rt: _CheckRuntime, t: float, own: float) -> None:
        """Learn the person's neutral reading of the check's neutral feature while the check is
        clear; take a back the fixed level keeps flagging as the neutral (see `OwnNeutral`)."""
        assert rt.neutral is not None
        c = rt.check
        where = (self.working_side, self._camera_side_seen)
        known = rt.adopted_before.get(where)
        flagging = rt.latch.is_on or rt.latch.pending
        if flagging and known is not None and rt.neutral.recall(t, known, own, c.rising):
            # this back was adopted on an earlier hold: judge it against that at once, not after
            # another adopt_after_s of the cue
            self._adopt(rt, t, "reads as it did on an earlier hold, so it is taken as how your back "
                        "looks", f"{c.title}: took your back as your own neutral reading ({known:.1f}), "
                        "as on an earlier hold; you are judged against it alone.")
            return
        if not rt.neutral.update(t, own, may_learn=not flagging, flagged=rt.latch.is_on):
            return
        if not rt.neutral.adopted:
            self._emit(t, "neutral_learned", f"{c.title}: learned your own neutral reading "
                       f"({rt.neutral.value:.1f}); from now on it is also judged against it.", c.id)
            return
        # The fixed level has kept flagging this back since the cue: take it as this person's own
        # neutral rather than repeat the cue for the whole hold, and on later holds.
        assert rt.neutral.value is not None
        rt.adopted_before[where] = rt.neutral.value
        self._adopt(rt, t, "still read this way since the cue, so it is taken as how your back looks",
                    f"{c.title}: took your back since the cue as your own neutral reading "
                    f"({rt.neutral.value:.1f}); from now on you are judged against it alone.")

    def _adopt(self, rt: _CheckRuntime, t: float, why_ended: str, taken: str) -> None:
        """A back the fixed level flags was taken as the neutral at t: end the cue (saying why) and
        judge afresh."""
        c = rt.check
        if rt.span is not None:
            rt.span.end_s = t
            self._emit(t, "mistake_ended", f"{c.title}: {why_ended}.", c.id)
            rt.span = None
            rt.told_adopted_at = t
        rt.latch.reset()
        self._emit(t, "neutral_learned", taken, c.id)

    def _just_adopted(self, t: float) -> bool:
        """A cue stopped less than ADOPTED_SHOW_S ago because its back was taken as the neutral."""
        # (told_adopted_at is forgotten with the neutral, so it is set only while the neutral is adopted)
        return any(rt.told_adopted_at is not None and t - rt.told_adopted_at < ADOPTED_SHOW_S - 1e-9
                   for rt in self._checks)

    def _learning_for(self, statuses: list[CheckStatus]) -> float | None:
        """How long a check that learns the person's neutral, judged now, has been trying to learn
        it: the seconds it was clear since it started waiting (a back the fixed level flagged was
        not one to learn from), the longest of such checks; None when no check is learning one."""
        return max((rt.neutral.clear_s for rt, s in zip(self._checks, statuses, strict=True)
                    if rt.neutral is not None and rt.neutral.value is None and not math.isnan(s.value)
                    and rt.neutral.waiting_since is not None), default=None)

    def _forget_neutrals(self) -> None:
        """Learn every neutral afresh (until then the checks judge on their fixed levels alone)."""
        for rt in self._checks:
            rt.forget_neutral()

    def _end_all(self, t: float) -> None:
        """Close every open mistake span (leaving position, losing the person, switching side)."""
        for rt in self._checks:
            self._stop_judging(rt, t)

    def _stop_judging(self, rt: _CheckRuntime, t: float) -> None:
        """The check can no longer be judged: end its open span at t and forget its latch."""
        if rt.span is not None:
            rt.span.end_s = t
            self._emit(t, "mistake_ended", f"{rt.check.title}: no longer judged.", rt.check.id)
            rt.span = None
        rt.latch.reset()
        rt.forget_neutral()  # out of position, other side, not applicable: learn it afresh

    def _note_guidance(self, t: float, is_guidance: bool, message: str) -> None:
        if is_guidance and message != self._last_guidance:
            self._emit(t, "not_in_view", message)
        elif not is_guidance and self._last_guidance is not None:
            self._emit(t, "back_in_view", "Back in view.")
        self._last_guidance = message if is_guidance else None

    def _no_verdict(self, t: float, dt: float, status: Status, message: str, *,
                    values: dict[str, float] | None = None, camera_side: str | None = None,
                    regions: tuple[str, ...] = (), count_guidance: bool = True) -> Verdict:
        """A frame with no form verdict: close open mistakes, pause the hold, say what to do."""
        if status != "not_in_position":
            self._leave_position(t)
        if count_guidance:
            self.books.add_guidance(message, dt)
        self._note_guidance(t, status in ("no_person", "guidance"), message)
        side_book = self.books.sides.get(self.working_side)
        statuses = self._not_checked
        return Verdict(t, status, message, self.working_side if self._working.side or
                       self.pose.sides.working_leg == "none" else None, camera_side, False,
                       side_book.hold_s if side_book else 0.0, self.pose.hold.seconds, statuses,
                       values or {}, regions, *self._rep_numbers())

    # ------------------------------------------------------------------------------------------
    def _leave_position(self, t: float) -> None:
        """Nothing can be judged from t: close open mistakes and forget the position gate."""
        self._end_all(t)
        for latch in self._gate_parts:
            latch.reset()
        if self._gate.is_on:
            self._emit(t, "position_left", "Out of position.")
        self._gate.reset()

    def pause(self, t: float) -> None:
        """Frames stop coming for a while (another stretch is being done): close what is open at t,
        and credit no time across the gap."""
        self._leave_position(t)
        if self.reps is not None:
            for ev in self.reps.reset():
                self._rep_event(t, ev)
        self._prev_good = self._prev_in_position = None
        self._last_t = None
        self._smooth = SmoothedFeatures(self.pose.smoothing_s)

    def finish(self) -> None:
        """Close spans still open at the end of the input; judge reps still held back."""
        if self._last_t is not None:
            for rt in self._checks:
                if rt.span is not None:
                    rt.span.end_s = self._last_t
                    rt.span = None
        if self.reps is not None and self._last_t is not None:
            for ev in self.reps.finish():
                self._rep_event(self._last_t, ev)

    def summary(self) -> dict[str, object]:
        """The books as plain data (for reports), with the reps for a movement done in reps."""
        out = self.books.to_dict()
        if self.reps is not None and self.pose.reps is not None:
            out["reps"] = reps_summary(self.reps)
        return out


def reps_summary(counter: RepCounter) -> dict[str, object]:
    """A rep counter's results as plain data."""
    spec = counter.spec
    out: dict[str, object] = {
        "target": spec.target, "counted": counter.counted,
        "not_counted": sum(1 for r in counter.reps if not r.counted),
        "partial": len(counter.partials), "complete": counter.complete,
        "reps": [{"start_s": round(r.start_s, 3), "end_s": round(r.end_s, 3), "ends": r.ends,
                  "counted": r.counted, "direction": r.direction, "note": r.note}
                 for r in counter.reps],
        "partial_at_s": [{"t": round(p.timestamp, 3), "short_of": p.end} for p in counter.partials],
    }
    if spec.direction_feature is not None:
        out["directions"] = {d: {"counted": counter.counted_in(d), "seconds": round(counter.seconds_in(d), 3)}
                             for d in ("forward", "backward")}
        out["direction_unknown"] = sum(1 for r in counter.reps if r.counted and r.direction is None)
    return out


def condition_feature(cond: Condition | Check) -> str:
    """Readable name of what a condition or check measures ("working hip_flexion")."""
    return f"{cond.limb} {cond.feature}" if cond.limb else cond.feature
