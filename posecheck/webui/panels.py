"""Blocks the pages lay out: the live coaching panel, a session summary, a stretch's description."""

from __future__ import annotations

import json
from html import escape

import streamlit as st

from posecheck.live.programme import SessionSummary
from posecheck.live.session import LiveSnapshot
from posecheck.poses.schema import PoseDefinition
from posecheck.routines.schema import Routine
from posecheck.sinks.report import fmt_time
from posecheck.webui.speech import speech_html

CUE_BACKGROUND = {"mistake": "#e74c3c", "guidance": "#f39c12", "position": "#f39c12", "good": "#2ecc71",
                  "routine": "#3498db", "done": "#3498db"}


def describe_stretch(pose: PoseDefinition) -> None:
    """What the stretch is, where the camera goes, and what posecheck watches for."""
    st.markdown(f"**How:** {pose.summary}")
    st.markdown(f"**Camera:** {pose.camera.placement}")
    watched = ", ".join(c.title.lower() for c in pose.checks) or "holding the position (timer only)"
    counted = ("a rep counts only when you reach both ends of the movement" if pose.reps is not None
               else "counted only while your form is right")
    st.markdown(f"**Target:** {pose.target_text()}, {counted}. **posecheck watches for:** {watched}.")


def describe_routine(routine: Routine, catalogue: dict[str, PoseDefinition]) -> None:
    """The routine's steps and timings, as the user will meet them."""
    st.markdown(f"{routine.summary}  \n*{routine.how_often}*")
    rows = []
    for n, step in enumerate(routine.steps, start=1):
        pose = catalogue[step.pose]
        rows.append({"#": n, "stretch": pose.name, "target": step.target_text(pose), "tip": step.note})
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(f"posecheck runs the clock: {routine.get_ready_s:.0f} s to get ready, "
               f"{routine.switch_sides_s:.0f} s to switch sides, {routine.rest_s:.0f} s rest between "
               f"stretches. A hold ends when it is reached with good form; press Skip to move on sooner.")


def coach_panel(snap: LiveSnapshot, speak: bool) -> None:
    """The big cue, the hold timer, the side, the video and judged fps; speaks a new cue when asked."""
    if snap.cue is None:
        st.info("Press START under the video and allow the camera. Then get into position: "
                "posecheck will talk you through it.")
        return
    st.subheader(snap.title)
    colour = CUE_BACKGROUND.get(snap.cue.kind, "#7f8c8d")
    st.markdown(f'<div class="posecheck-cue" style="background:{colour};color:white;padding:0.8rem 1rem;'
                f'border-radius:0.5rem;font-size:1.5rem;line-height:1.3">{escape(snap.cue.text)}</div>',
                unsafe_allow_html=True)
    if snap.countdown_s is not None:
        st.markdown(f"### Starting in {int(snap.countdown_s + 0.999)} s")
    elif snap.reps_text:
        st.progress(min(1.0, snap.reps_fraction), text=f"Full-range {snap.reps_text}")
    elif snap.hold_target_s:
        frac = min(1.0, snap.hold_s / snap.hold_target_s)
        st.progress(frac, text=f"Good-form hold: {snap.hold_s:.0f} of {snap.hold_target_s:.0f} s")
    side = snap.side if snap.side in ("left", "right", "both") else "…"
    c1, c2 = st.columns(2)  # two by two: four across truncates the labels in this narrow column
    c1.metric("Working side", side)
    c2.metric("Done", f"{snap.progress:.0%}")
    c3, c4 = st.columns(2)
    c3.metric("Video fps", f"{snap.video_fps:.0f}", help="Frames sent back to you each second, each with "
              "the coach's overlay.")
    c4.metric("Judged fps", f"{snap.fps:.0f}", help="Frames the pose model and the form checks looked at "
              "each second. Holds are timed by the clock, so fewer judged frames do not change them.")
    if speak and snap.cue.say and snap.cue.speak_id:
        st.html(speech_html(snap.cue.say, snap.cue.speak_id), unsafe_allow_javascript=True)


def session_summary(summary: SessionSummary, key: str = "summary") -> None:
    """Holds achieved, mistakes and when they happened, pain notes; a JSON download."""
    done = sum(h.achieved for h in summary.holds)
    verdict = ("finished" if summary.finished else "stopped because it hurt" if summary.stopped_for_pain
               else "in progress")
    st.markdown(f"**{summary.name}**: {verdict}, {fmt_time(summary.duration_s)} long. "
                f"Holds achieved with good form: **{done} of {len(summary.holds)}**.")
    if summary.holds:
        st.dataframe([{"stretch": h.stretch, "side": h.side,
                       "done": f"{h.reps} reps" if h.reps is not None else f"{h.held_s:.0f} s hold",
                       "target": h.target_text or f"{h.target_s:.0f} s",
                       "achieved": "yes" if h.achieved else "no"}
                      for h in summary.holds], hide_index=True, width="stretch")
    if summary.mistakes:
        st.markdown("**Mistakes, and when:**\n" + "\n".join(
            f"- {fmt_time(m.start_s)} ({m.duration_s:.1f} s) {m.stretch}, {m.side}: **{m.title}**. "
            f"{m.cue}" for m in summary.mistakes))
    else:
        st.markdown("No mistakes flagged.")
    for note in summary.pain_notes:
        st.error(f"Stopped at {fmt_time(note.at_s)} during {note.stretch} ({note.side}) because it hurt"
                 + (f": {note.note}" if note.note else ".")
                 + " Rest. If the pain does not ease, or comes with any warning sign, see a doctor.")
    st.download_button("Download summary (JSON)", json.dumps(summary.to_dict(), indent=2),
                       "posecheck-session.json", "application/json", key=f"{key}-download")
