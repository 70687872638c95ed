"""posecheck's web page (layout only: every rule lives in the posecheck package).

This first page analyses a recorded video. Live webcam coaching and guided routines come next.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from posecheck.analysis import Outputs, analyze
from posecheck.errors import PosecheckError
from posecheck.poses import load_catalogue
from posecheck.sinks.report import text_summary

RED_FLAGS = (
    "new problems controlling your bladder or bowels",
    "a fever along with the back pain",
    "severe pain that does not get better with rest",
    "pain shooting down a leg",
    "weakness or numbness in one or both legs",
    "unexplained weight loss",
)

st.set_page_config(page_title="posecheck", layout="wide")
st.title("posecheck: form coach for back-pain stretches")
st.caption("Form feedback for exercise, not medical advice. Stop at once if a stretch hurts.")

with st.expander("Before you start: when to see a doctor instead", expanded=False):
    st.markdown("See a doctor before exercising if you have:\n" + "\n".join(f"- {f}" for f in RED_FLAGS))

catalogue = load_catalogue()
pose_id = st.selectbox("Stretch", list(catalogue), format_func=lambda p: catalogue[p].name)
pose = catalogue[pose_id]
st.markdown(f"**How:** {pose.summary}\n\n**Camera:** {pose.camera.placement}")
st.markdown("**What posecheck watches for:** " + (", ".join(c.title.lower() for c in pose.checks)
                                                  or "holding the position (timer only)"))

upload = st.file_uploader("Recorded video", type=["mp4", "mov", "webm", "avi", "mkv"])
side = st.radio("Working side", ["auto", "left", "right"], horizontal=True)
if upload is not None and st.button("Analyse"):
    work = Path(tempfile.mkdtemp(prefix="posecheck-"))
    video = work / Path(upload.name).name
    video.write_bytes(upload.getvalue())
    bar = st.progress(0.0, text="Analysing...")

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=f"Analysing frame {done}")

    outputs = Outputs(json=work / "report.json", csv=work / "features.csv",
                      annotated=work / "annotated.mp4")
    try:
        result = analyze(video, pose, side=None if side == "auto" else side, outputs=outputs,
                         progress=progress)
    except PosecheckError as exc:
        bar.empty()
        st.error(f"{exc.message} {exc.hint}")
    else:
        bar.empty()
        st.code(text_summary(result.report), language=None)
        st.video(str(outputs.annotated))
        st.download_button("JSON report", outputs.json.read_bytes(), "posecheck-report.json")
        st.download_button("CSV features", outputs.csv.read_bytes(), "posecheck-features.csv")
