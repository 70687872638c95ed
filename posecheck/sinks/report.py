"""The JSON report (schema `posecheck-report/1`, documented in docs/report-schema.md) and the text summary."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from posecheck import __version__
from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.recognition.coach import AutoCoach

REPORT_SCHEMA = "posecheck-report/1"
DISCLAIMER = "Form feedback for exercise, not medical advice. Stop if it hurts."


def timeline_row(v: Verdict) -> dict[str, Any]:
    """One frame of the timeline: status, side, active mistakes and hold time."""
    return {"time_s": round(v.timestamp, 3), "status": v.status, "side": v.side,
            "mistakes": list(v.active_mistakes), "hold_s": round(v.hold_s, 3)}


def timeline(verdicts: Iterable[Verdict]) -> list[dict[str, Any]]:
    """The per-frame timeline."""
    return [timeline_row(v) for v in verdicts]


class TimelineSpool:
    """The timeline of a long video, kept in a temporary file a line per frame instead of in memory,
    and streamed into the JSON report at the end (memory stays flat however long the video is)."""

    def __init__(self) -> None:
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self.frames = 0

    def add(self, verdict: Verdict) -> None:
        self._file.write(json.dumps(timeline_row(verdict), allow_nan=False))
        self._file.write("\n")
        self.frames += 1

    def rows(self) -> Iterator[str]:
        """Each frame's row as JSON text, in order."""
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield line.rstrip("\n")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TimelineSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_report(checker: PoseChecker, source: dict[str, Any], verdicts: list[Verdict] | None = None
                 ) -> dict[str, Any]:
    """Everything about one analysis as plain data."""
    b = checker.books
    duration = (b.last_t - b.first_t) if b.first_t is not None and b.last_t is not None else 0.0
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "posecheck_version": __version__,
        "source": source,
        "pose": {"id": checker.pose.id, "name": checker.pose.name,
                 "hold_target_s": checker.pose.hold.seconds, "view": checker.pose.camera.view},
        "frames": b.frames,
        "frames_with_person": b.frames_with_person,
        "duration_s": round(duration, 3),
        **checker.summary(),
        "events": [
            {"time_s": round(e.timestamp, 3), "kind": e.kind, "message": e.message,
             "check": e.check, "side": e.side}
            for e in checker.events
        ],
        "disclaimer": DISCLAIMER,
    }
    if verdicts is not None:
        report["timeline"] = timeline(verdicts)
    return report


def build_auto_report(coach: AutoCoach, source: dict[str, Any], verdicts: list[Verdict] | None = None
                      ) -> dict[str, Any]:
    """The report of a recognised-stretch analysis: when each stretch was named, and each one's
    own report (holds or reps, mistakes, events) under `stretches`."""
    rec = coach.recognizer
    first = [c.books.first_t for c in coach.checkers.values() if c.books.first_t is not None]
    last = [c.books.last_t for c in coach.checkers.values() if c.books.last_t is not None]
    stretches = {}
    for pose_id, checker in coach.checkers.items():
        one = build_report(checker, source)
        stretches[pose_id] = {k: one[k] for k in ("pose", "frames", "sides", "mistakes", "guidance_s",
                                                  "events", *(("reps",) if "reps" in one else ()))}
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "posecheck_version": __version__,
        "source": source,
        "pose": {"id": "auto", "name": "Recognised automatically"},
        "frames": coach.frames,
        "frames_with_person": coach.frames_with_person,
        "duration_s": round(max(last) - min(first), 3) if first and last else 0.0,
        "recognised": [{"pose": s.pose, "name": coach.catalogue[s.pose].name,
                        "start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3)} for s in rec.segments],
        "stretches": stretches,
        "disclaimer": DISCLAIMER,
    }
    if verdicts is not None:
        report["timeline"] = timeline(verdicts)
    return report


def write_report(path: str | Path, report: dict[str, Any], timeline_rows: Iterable[str] | None = None
                 ) -> None:
    """Write the report as JSON. The timeline (from the report, or streamed from `timeline_rows`, JSON
    text per frame) goes last, a frame per line."""
    head = {k: v for k, v in report.items() if k != "timeline"}
    if timeline_rows is None and "timeline" in report:  # in memory: made into text before the file opens
        timeline_rows = [json.dumps(row, allow_nan=False) for row in report["timeline"]]
    text = json.dumps(head, indent=2, allow_nan=False, default=_clean)
    if not head:
        raise ValueError("a report has at least its schema and source")
    with Path(path).open("w", encoding="utf-8") as out:
        if timeline_rows is None:
            out.write(text)
            return
        out.write(text[: text.rindex("}")].rstrip() + ',\n  "timeline": [')
        for n, row in enumerate(timeline_rows):
            out.write(("," if n else "") + "\n    " + row)
        out.write("\n  ]\n}")


def _clean(obj: object) -> object:
    return str(obj)


def fmt_time(t: float | None) -> str:
    """0:07.5 style time for people ("end" for a span still open)."""
    if t is None:
        return "end"
    m, s = divmod(t, 60.0)
    return f"{int(m)}:{s:04.1f}"


def text_summary(report: dict[str, Any]) -> str:
    """A readable summary for the terminal."""
    if "recognised" in report:
        return _auto_summary(report)
    return _one_summary(report)


def _auto_summary(report: dict[str, Any]) -> str:
    lines = [f"Stretches recognised in {report['duration_s']:.1f} s of video "
             f"(person found in {report['frames_with_person']}/{report['frames']} frames):"]
    for s in report["recognised"]:
        lines.append(f"  {fmt_time(s['start_s'])}-{fmt_time(s['end_s'])}  {s['name']}")
    if not report["recognised"]:
        lines.append("  none")
    for one in report["stretches"].values():
        lines.append("")
        lines.append(_one_summary(one, header=False))
    return "\n".join(lines)


def _one_summary(report: dict[str, Any], header: bool = True) -> str:
    pose = report["pose"]
    lines = [f"{pose['name']} ({pose['id']}), {report['duration_s']:.1f} s of video, "
             f"person found in {report['frames_with_person']}/{report['frames']} frames."
             if header else f"{pose['name']} ({pose['id']}):"]
    sides = report["sides"]
    if not sides:
        lines.append("Never in position for this stretch.")
    reps = report.get("reps")
    for side, s in sides.items():
        if reps is not None:
            lines.append(f"  {side:>5} side: in position {s['in_position_s']:.1f} s")
            continue
        mark = "achieved" if s["hold_achieved"] else "not reached"
        lines.append(f"  {side:>5} side: in position {s['in_position_s']:.1f} s, good-form hold "
                     f"{s['hold_s']:.1f} of {pose['hold_target_s']:.0f} s ({mark})")
    if reps is not None:
        lines.append(_reps_line(reps))
    if report["mistakes"]:
        lines.append("Mistakes:")
        for m in report["mistakes"]:
            lines.append(f"  {fmt_time(m['start_s'])}-{fmt_time(m['end_s'])}  {m['title']} "
                         f"({m['severity']}, {m['side']} side): \"{m['cue']}\"")
    else:
        lines.append("No mistakes flagged." if sides else "")
    if report["guidance_s"]:
        lines.append("Guidance given:")
        for msg, secs in list(report["guidance_s"].items())[:4]:
            lines.append(f"  {secs:5.1f} s  {msg}")
    return "\n".join(line for line in lines if line)


def _reps_line(reps: dict[str, Any]) -> str:
    """"Reps: 4 of 5 counted, 2 fell short" (and each direction's count and time for circles)."""
    mark = "done" if reps["complete"] else "not reached"
    if "directions" in reps:  # circles: their time each way is the target
        line = f"  Circles: {reps['counted']} counted ({mark})"
    else:
        line = f"  Reps: {reps['counted']} of {reps['target']} counted ({mark})"
    extra = []
    if reps["partial"]:
        extra.append(f"{reps['partial']} fell short of the full range")
    if reps["not_counted"]:
        extra.append(f"{reps['not_counted']} done with a mistake")
    if "directions" in reps:
        extra += [f"{d} {v['counted']} in {v['seconds']:.0f} s" for d, v in reps["directions"].items()]
        if reps.get("direction_unknown"):
            extra.append(f"{reps['direction_unknown']} with no direction seen (turn side-on to check it)")
    return line + (": " + "; ".join(extra) if extra else "")
