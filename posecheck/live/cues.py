"""One cue at a time: which message the user sees and hears now, with a cooldown between cues.

The checker already debounces its verdicts (minimum durations, hysteresis). This stage decides what
to *say*: a new message replaces the shown one only after the shown one has had its time on
screen, unless it matters more (a mistake interrupts encouragement at once). Spoken cues are
spaced out, and the same words are not repeated within `repeat_after_s`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CueKind = Literal["mistake", "guidance", "position", "good", "routine", "done"]

# How much a kind of cue matters: a higher one may interrupt a lower one at once.
PRIORITY: dict[str, int] = {"mistake": 4, "guidance": 3, "routine": 2, "position": 1, "good": 0, "done": 2}


@dataclass(frozen=True)
class CueCandidate:
    """What the checker or routine would like to say this frame.

    key: identity of the message (the displayed text may change, e.g. a counting timer, while the
    key stays the same). say: the words to speak, or "" to stay quiet.
    """

    key: str
    kind: CueKind
    text: str
    say: str = ""


@dataclass(frozen=True)
class Cue:
    """The cue on screen now. `speak_id` grows by one each time `say` should be spoken."""

    key: str
    kind: CueKind
    text: str
    since: float
    say: str = ""
    speak_id: int = 0


@dataclass
class CuePicker:
    """Timestamp-driven cue selection with a minimum time on screen and spoken-cue cooldowns."""

    min_show_s: float = 2.0  # a cue stays at least this long unless something more important comes
    speak_gap_s: float = 2.5  # at least this long between two spoken cues
    repeat_after_s: float = 10.0  # the same words are not spoken again sooner than this
    current: Cue | None = None
    _last_spoken_t: float = -1e9
    _last_spoken_key: str | None = None
    _spoken_at: dict[str, float] = field(default_factory=dict)
    _speak_id: int = 0

    def update(self, t: float, candidate: CueCandidate) -> Cue:
        cur = self.current
        if cur is None or candidate.key == cur.key:
            since = t if cur is None else cur.since
            cur = Cue(candidate.key, candidate.kind, candidate.text, since, candidate.say,
                      cur.speak_id if cur else self._speak_id)
        elif (t - cur.since >= self.min_show_s
              or PRIORITY[candidate.kind] > PRIORITY[cur.kind]):
            cur = Cue(candidate.key, candidate.kind, candidate.text, t, candidate.say, cur.speak_id)
        self.current = cur = self._maybe_speak(t, cur)
        return cur

    def _maybe_speak(self, t: float, cue: Cue) -> Cue:
        """Speak the shown cue once it is new, the gap since the last spoken cue has passed, and the
        same words were not said recently. A cue that must wait is spoken when the gap has passed,
        if it is still on screen."""
        if not cue.say or cue.key == self._last_spoken_key:
            return cue
        if t - self._last_spoken_t < self.speak_gap_s:
            return cue
        if t - self._spoken_at.get(cue.say, -1e9) < self.repeat_after_s:
            return cue
        self._speak_id += 1
        self._last_spoken_t = t
        self._last_spoken_key = cue.key
        self._spoken_at[cue.say] = t
        return Cue(cue.key, cue.kind, cue.text, cue.since, cue.say, self._speak_id)
