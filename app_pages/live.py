"""Live coaching: pick a stretch or a routine, start the camera, follow the cues."""

from __future__ import annotations

import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from posecheck.live.programme import AutoProgramme, StretchProgramme
from posecheck.live.session import LiveSession
from posecheck.poses import load_catalogue
from posecheck.recognition import load_model
from posecheck.routines import load_routines, stretch_order
from posecheck.routines.player import RoutineProgramme
from posecheck.webui import prompt_track
from posecheck.webui.panels import coach_panel, describe_routine, describe_stretch, session_summary
from posecheck.webui.safety import DISCLAIMER, safety_gate
from posecheck.webui.stream import MEDIA_CONSTRAINTS, RTC_CONFIGURATION, frame_callback

st.title("Live coaching")
st.caption(DISCLAIMER)
if not safety_gate():
    st.stop()

catalogue = load_catalogue()
routines = load_routines(catalogue)
order = stretch_order(catalogue, routines)
asked = st.query_params.get("stretch")
asked_routine = st.query_params.get("routine")

left, right = st.columns([3, 2], gap="large")
with left:
    mode = st.radio("What would you like to do?", ["One stretch", "A guided routine", "Any stretch"],
                    horizontal=True,
                    index=2 if asked == "any" else 1 if asked_routine in routines else 0,
                    help="Any stretch: start whichever catalogue stretch you like; posecheck recognises it "
                         "and coaches it, and follows you when you change.")
    if mode == "Any stretch":
        st.markdown(f"Do any of the {len(catalogue)} stretches in the catalogue, in any order. posecheck "
                    "names the one it sees and coaches it; stretches done on a mat are filmed from the side, "
                    "the arm and shoulder moves from the front.")
        choice = "auto:"
    elif mode == "One stretch":
        pose_id = st.selectbox("Stretch", order, index=order.index(asked) if asked in order else 0,
                               format_func=lambda p: catalogue[p].name)
        describe_stretch(catalogue[pose_id])
        choice = f"stretch:{pose_id}"
    else:
        ids = list(routines)
        routine_id = st.selectbox("Routine", ids, format_func=lambda r: routines[r].name,
                                  index=ids.index(asked_routine) if asked_routine in ids else 0)
        describe_routine(routines[routine_id], catalogue)
        choice = f"routine:{routine_id}"


def make_programme(key: str) -> StretchProgramme | RoutineProgramme | AutoProgramme:
    kind, name = key.split(":", 1)
    if kind == "auto":
        return AutoProgramme(catalogue, load_model())
    if kind == "stretch":
        return StretchProgramme(catalogue[name])
    return RoutineProgramme(routines[name], catalogue)


# One coach per browser session, kept in this session's state only.
if "live_session" not in st.session_state:
    st.session_state.live_session = LiveSession(make_programme(choice))
    st.session_state.live_choice = choice
session: LiveSession = st.session_state.live_session
if st.session_state.live_choice != choice:
    session.choose(make_programme(choice))
    st.session_state.live_choice = choice

prompt_track.install()  # each frame goes back with its own overlay, not the one before's
with left:
    webrtc_streamer(key="posecheck-live", mode=WebRtcMode.SENDRECV, rtc_configuration=RTC_CONFIGURATION,
                    media_stream_constraints=MEDIA_CONSTRAINTS, video_frame_callback=frame_callback(session),
                    on_video_ended=session.camera_stopped, async_processing=True)
    st.caption("The video stays on this computer. Stand or lie side-on to the camera unless the stretch "
               "says otherwise, with your whole body in view.")

with right:
    speak = st.toggle("Speak the cues", value=True, help="Uses your browser's own voice; turn off to mute.")

    @st.fragment(run_every=0.5)
    def live_panel() -> None:
        snap = session.snapshot()
        coach_panel(snap, speak)
        if snap.summary is not None:
            session_summary(snap.summary)
            if st.button("Start again"):
                session.choose(make_programme(choice))
                st.rerun()
            return
        if mode == "A guided routine" and st.button("Skip to the next step"):
            session.skip()
        note = st.text_input("What hurts? (optional)", key="pain_note",
                             placeholder="e.g. sharp pain low in the back on the right")
        if st.button("Stop — it hurts", type="primary"):
            session.stop_for_pain(note)
            st.rerun()

    live_panel()
    if session.snapshot().summary is None:
        with st.expander("Summary so far"):
            session_summary(session.summary(), key="so-far")
