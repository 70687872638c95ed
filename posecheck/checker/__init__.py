"""The checker: one object per pose per session, fed timestamped pose frames, yielding verdicts."""

from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import CheckStatus, Event, MistakeSpan, Verdict

__all__ = ["CheckStatus", "Event", "MistakeSpan", "PoseChecker", "Verdict"]
