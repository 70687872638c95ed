"""Recorded video: upload a clip, analyse it, watch it annotated, see when each mistake happened."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from posecheck.analysis import Outputs, analyze
from posecheck.errors import PosecheckError
from posecheck.poses import load_catalogue
from posecheck.routines import load_routines, stretch_order
from posecheck.sinks.report import fmt_time, text_summary
from posecheck.sinks.timeline import mistake_rows, stretch_timelines
from posecheck.sources.video import VIDEO_SUFFIXES
from posecheck.webui.charts import measure_chart
from posecheck.webui.panels import describe_stretch
from posecheck.webui.safety import DISCLAIMER

st.title("Check a recorded video")
st.caption(DISCLAIMER)

catalogue = load_catalogue()
order = stretch_order(catalogue, load_routines(catalogue))
AUTO = "auto"
pose_id = st.selectbox("Stretch in the video", [AUTO, *order],
                       format_func=lambda p: "Recognise it automatically" if p == AUTO else catalogue[p].name,
                       help="Recognise: posecheck names each catalogue stretch it sees, and when it changes.")
pose = None if pose_id == AUTO else catalogue[pose_id]
if pose is not None:
    describe_stretch(pose)

upload = st.file_uploader("Video file", type=[suffix.lstrip(".") for suffix in VIDEO_SUFFIXES],
                          help="Filmed as the stretch's camera advice says; up to a few minutes long.")
side = st.radio("Working side", ["auto", "left", "right"], horizontal=True,
                help="Auto detects the side you are working, and notices when you switch.")
with st.expander("Faster analysis, for a slow computer"):
    STRIDES = {1: "Every frame (best)", 2: "Every 2nd frame", 3: "Every 3rd frame"}
    stride = st.selectbox("Frames to judge", list(STRIDES), format_func=STRIDES.get,
                          help="Judging every 2nd frame roughly halves the time and, on posecheck's "
                               "test clips, catches the same mistakes (docs/performance.md).")
    SIZES = {None: "As filmed (best)", 640: "640 pixels", 480: "480 pixels"}
    max_side = st.selectbox("Picture size for judging", list(SIZES), format_func=SIZES.get,
                            help="Shrinks large videos (phone or HD) before judging; the annotated "
                                 "video comes back at this size. What it costs: docs/performance.md.")

if upload is not None and st.button("Analyse", type="primary"):
    work = Path(tempfile.mkdtemp(prefix="posecheck-"))
    video = work / Path(upload.name).name
    video.write_bytes(upload.getvalue())
    bar = st.progress(0.0, text="Analysing...")

    def progress(done: int, total: int) -> None:
        frac = min(1.0, done / total) if total else 0.0
        bar.progress(frac, text=f"Analysing: frame {done}" + (f" of {total}" if total else ""))

    outputs = Outputs(json=work / "report.json", csv=work / "features.csv", annotated=work / "annotated.mp4")
    try:
        result = analyze(video, pose, side=None if side == "auto" else side, outputs=outputs,
                         progress=progress, stride=stride, max_side=max_side)
    except PosecheckError as exc:
        st.session_state.pop("video_result", None)
        st.error(f"{exc.message} {exc.hint}".strip())
    else:
        st.session_state.video_result = {
            "pose": pose_id, "report": result.report,
            "timelines": stretch_timelines(result.verdicts, result.report, catalogue),
            "json": outputs.json.read_bytes() if outputs.json else b"",
            "csv": outputs.csv.read_bytes() if outputs.csv else b"",
            "video": outputs.annotated.read_bytes() if outputs.annotated else b""}
    finally:
        bar.empty()

result = st.session_state.get("video_result")
if result and result["pose"] == pose_id:
    report = result["report"]
    st.subheader("Result")
    st.code(text_summary(report), language=None, wrap_lines=True)  # long cues stay readable
    spans = mistake_rows(report)
    watch, listing = st.columns([3, 2], gap="large")
    watch.video(result["video"], format="video/mp4")
    with listing:
        st.subheader("Mistakes")
        if spans:
            st.dataframe([{"when": f"{fmt_time(m['start_s'])}-{fmt_time(m['end_s'])}",
                           "mistake": m["mistake"], "side": m["side"], "severity": m["severity"],
                           "what to do": m["cue"]} for m in spans], hide_index=True, width="stretch")
        else:
            st.success("No mistakes flagged.")
    if report.get("recognised"):
        st.subheader("Stretches recognised")
        st.dataframe([{"when": f"{fmt_time(s['start_s'])}-{fmt_time(s['end_s'])}", "stretch": s["name"]}
                      for s in report["recognised"]], hide_index=True, width="stretch")
    if result["timelines"]:
        st.subheader("Timeline")
        st.caption("Each measure a check reads, smoothed as the checker sees it. Red dashed: the fixed "
                   "level where it flags. Orange dashed: where it flags against your own neutral back, "
                   "learned at the start of the hold. Shaded: when the mistake was flagged.")
        several = len(result["timelines"]) > 1 or pose is None
        for part in result["timelines"]:
            if several:
                st.markdown(f"**{part.heading}**")
            mine = [s for s in spans if s["pose"] == part.pose_id
                    and s["end_s"] >= part.start_s and s["start_s"] <= part.end_s]
            for series in part.measures:
                st.altair_chart(measure_chart(series, mine), width="stretch", height=220)
    c1, c2 = st.columns(2)
    c1.download_button("JSON report", result["json"], "posecheck-report.json", "application/json")
    c2.download_button("CSV features", result["csv"], "posecheck-features.csv", "text/csv")
