"""The checker's books: per-side hold time and time in position, and the list of mistake spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from posecheck.checker.events import MistakeSpan


@dataclass
class SideBook:
    """Totals for one working side ("left", "right" or "both")."""

    hold_s: float = 0.0
    in_position_s: float = 0.0
    hold_complete_at: float | None = None


@dataclass
class Books:
    """Everything the summary needs, accumulated from timestamps."""

    hold_target_s: float
    sides: dict[str, SideBook] = field(default_factory=dict)
    mistakes: list[MistakeSpan] = field(default_factory=list)
    guidance_s: dict[str, float] = field(default_factory=dict)
    first_t: float | None = None
    last_t: float | None = None
    frames: int = 0
    frames_with_person: int = 0

    def side(self, name: str) -> SideBook:
        book = self.sides.get(name)
        if book is None:
            book = self.sides[name] = SideBook()
        return book

    def add_guidance(self, message: str, dt: float) -> None:
        self.guidance_s[message] = self.guidance_s.get(message, 0.0) + dt

    def to_dict(self) -> dict[str, Any]:
        return {
            "hold_target_s": self.hold_target_s,
            "sides": {
                name: {
                    "hold_s": round(b.hold_s, 3),
                    "in_position_s": round(b.in_position_s, 3),
                    "hold_achieved": b.hold_s >= self.hold_target_s - 1e-6,
                    "hold_complete_at_s": None if b.hold_complete_at is None
                    else round(b.hold_complete_at, 3),
                }
                for name, b in sorted(self.sides.items())
            },
            "mistakes": [
                {
                    "check": m.check, "title": m.title, "severity": m.severity, "side": m.side,
                    "start_s": round(m.start_s, 3),
                    "end_s": None if m.end_s is None else round(m.end_s, 3),
                    "duration_s": round(m.duration_s, 3), "cue": m.cue,
                    "worst_value": round(m.worst_value, 3),
                }
                for m in self.mistakes
            ],
            "guidance_s": {k: round(v, 3) for k, v in sorted(self.guidance_s.items(),
                                                             key=lambda kv: -kv[1])},
        }
