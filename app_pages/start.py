"""Start here: what posecheck is, the safety notice, and the routines on offer."""

from __future__ import annotations

import streamlit as st

from posecheck.poses import load_catalogue
from posecheck.routines import load_routines
from posecheck.webui.panels import describe_routine
from posecheck.webui.safety import DISCLAIMER, acknowledged, safety_gate

st.title("posecheck: a form coach for back-pain stretches")
st.caption(DISCLAIMER)
st.markdown(
    "Put your laptop on a table or the floor, step back so your whole body is in view, and do a stretch. "
    "posecheck watches your pose, tells you at once when your form slips (*keep your back long, hinge "
    "from the hips*; *tuck your tailbone, don't arch*) and counts your hold only while the form is "
    "right. Everything runs on this computer: no video leaves it.")

st.header("Before your first session")
if safety_gate():
    st.success("Thank you. Choose **Live coaching** to start, or **Recorded video** to check a clip.")
    if acknowledged(st.session_state) and st.button("Go to live coaching"):
        st.switch_page("app_pages/live.py")

st.header("Guided routines")
catalogue = load_catalogue()
for routine in load_routines(catalogue).values():
    with st.expander(f"{routine.name} ({routine.source})"):
        describe_routine(routine, catalogue)
